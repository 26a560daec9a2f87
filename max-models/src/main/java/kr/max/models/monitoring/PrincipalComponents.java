package kr.max.models.monitoring;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import org.apache.commons.math3.distribution.FDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;

/**
 * A principal component model of normal data with the two classical monitoring statistics: Hotelling's
 * T² in the space of the retained components and Q (the squared prediction error, SPE) in the residual
 * space, each with its control limit (MacGregor and Kourti 1995; Chiang, Russell and Braatz 2001).
 *
 * <p>Columns are standardized to zero mean and unit variance on the data the model was fitted on; a
 * missing value ({@code NaN}) is replaced by that column's median in the same data. A column that was
 * constant keeps unit scale, so any later change in it shows up in Q in its own units.
 *
 * <p>Instances are immutable and thread-safe; {@link #statistics} allocates only its result.
 */
public final class PrincipalComponents {

    private static final int FORMAT = 1;

    private final int rows;
    private final double[] median;
    private final double[] mean;
    private final double[] scale;
    /** All eigenvalues of the correlation matrix, largest first. */
    private final double[] eigenvalues;
    /** The retained loadings, one row per component, so that a score is one dot product. */
    private final double[][] loadings;

    private PrincipalComponents(int rows, double[] median, double[] mean, double[] scale, double[] eigenvalues, double[][] loadings) {
        this.rows = rows;
        this.median = median;
        this.mean = mean;
        this.scale = scale;
        this.eigenvalues = eigenvalues;
        this.loadings = loadings;
    }

    /**
     * Fits the model, choosing the number of components as the parameters say: {@code components} when it
     * is positive; otherwise the fewest components whose eigenvalues explain {@code variance} of the total
     * when that is positive; otherwise Horn's (1965) parallel analysis — keep the components whose eigenvalue
     * exceeds the mean eigenvalue of uncorrelated Gaussian data of the same shape (seeded; at most 5,000
     * random rows are drawn, which on very long data keeps slightly fewer components than the full size would).
     * Automatic choices leave at least one component out, so that Q means something.
     *
     * @param x          one row per sample (not modified); {@code NaN} marks a missing value
     * @param components the number of components to keep, at most the number of columns; 0 to choose
     * @param variance   the share of variance to explain when {@code components} is 0, in (0, 1]; 0 for
     *                   parallel analysis
     * @param seed       seed of the random data of parallel analysis
     */
    public static PrincipalComponents fit(double[][] x, int components, double variance, long seed) {
        int n = x.length;
        if (n < 2) throw new IllegalArgumentException("at least 2 rows, got " + n);
        int m = x[0].length;
        if (components < 0 || components > m) throw new IllegalArgumentException("components " + components + " of " + m);
        double[] median = medians(x);
        double[] mean = new double[m];
        for (var row : x) for (int j = 0; j < m; j++) mean[j] += value(row[j], median[j]);
        for (int j = 0; j < m; j++) mean[j] /= n;
        double[] scale = new double[m];
        for (var row : x) for (int j = 0; j < m; j++) {
            double d = value(row[j], median[j]) - mean[j];
            scale[j] += d * d;
        }
        for (int j = 0; j < m; j++) {
            double sd = Math.sqrt(scale[j] / (n - 1));
            scale[j] = sd > 1e-12 * Math.max(1, Math.abs(mean[j])) ? sd : 1;
        }
        var z = new DMatrixRMaj(n, m);
        for (int i = 0; i < n; i++) for (int j = 0; j < m; j++) z.unsafe_set(i, j, (value(x[i][j], median[j]) - mean[j]) / scale[j]);
        var eigen = Eigen.of(z);
        double[] lambda = eigen.values;
        int a = components;
        if (a == 0) {
            a = variance > 0 ? byVariance(lambda, variance) : byParallelAnalysis(lambda, n, seed);
            a = Math.max(1, Math.min(a, m - 1));
        }
        // A component whose variance vanishes cannot be scaled in T²; keep only the ones that carry some.
        while (a > 1 && lambda[a - 1] <= 1e-12 * lambda[0]) a--;
        return new PrincipalComponents(n, median, mean, scale, lambda, Arrays.copyOf(eigen.vectors, a));
    }

    private static int byVariance(double[] lambda, double variance) {
        double total = 0;
        for (double l : lambda) total += l;
        int a = 0;
        double cumulative = 0;
        while (a < lambda.length && cumulative < variance * total - 1e-12) cumulative += lambda[a++];
        return a;
    }

    private static int byParallelAnalysis(double[] lambda, int n, long seed) {
        int m = lambda.length;
        int rows = Math.min(n, 5000);
        int repeats = 5;
        var random = new java.util.SplittableRandom(seed);
        double[] reference = new double[m];
        for (int r = 0; r < repeats; r++) {
            var g = new DMatrixRMaj(rows, m);
            for (int i = 0; i < rows * m; i++) g.data[i] = random.nextGaussian();
            // standardize as the data were, so both spectra are of correlation matrices
            for (int j = 0; j < m; j++) {
                double s = 0;
                double ss = 0;
                for (int i = 0; i < rows; i++) s += g.unsafe_get(i, j);
                double mu = s / rows;
                for (int i = 0; i < rows; i++) ss += (g.unsafe_get(i, j) - mu) * (g.unsafe_get(i, j) - mu);
                double sd = Math.sqrt(ss / (rows - 1));
                for (int i = 0; i < rows; i++) g.unsafe_set(i, j, (g.unsafe_get(i, j) - mu) / sd);
            }
            double[] v = Eigen.of(g).values;
            for (int k = 0; k < m; k++) reference[k] += v[k] / repeats;
        }
        int a = 0;
        while (a < m && lambda[a] > reference[a]) a++;
        return a;
    }

    /** Eigenvalues (largest first, negatives from rounding set to 0) and unit eigenvectors of ZᵀZ/(n−1). */
    private record Eigen(double[] values, double[][] vectors) {
        static Eigen of(DMatrixRMaj z) {
            int n = z.numRows;
            int m = z.numCols;
            // ZᵀZ row by row over the upper triangle: for tall Z this reads memory in order and runs about three
            // times faster here than EJML's multInner / multTransA
            var cov = new DMatrixRMaj(m, m);
            double[] c = cov.data;
            double[] d = z.data;
            for (int i = 0; i < n; i++) {
                int row = i * m;
                for (int j = 0; j < m; j++) {
                    double v = d[row + j];
                    int out = j * m;
                    for (int k = j; k < m; k++) c[out + k] += v * d[row + k];
                }
            }
            for (int j = 0; j < m; j++) {
                for (int k = j; k < m; k++) {
                    c[j * m + k] /= n - 1;
                    c[k * m + j] = c[j * m + k];
                }
            }
            var eig = DecompositionFactory_DDRM.eig(m, true, true);
            if (!eig.decompose(cov)) throw new IllegalStateException("eigen decomposition failed");
            var order = new Integer[m];
            for (int k = 0; k < m; k++) order[k] = k;
            Arrays.sort(order, (p, q) -> Double.compare(eig.getEigenvalue(q).real, eig.getEigenvalue(p).real));
            double[] values = new double[m];
            double[][] vectors = new double[m][m];
            for (int k = 0; k < m; k++) {
                values[k] = Math.max(0, eig.getEigenvalue(order[k]).real);
                var v = eig.getEigenVector(order[k]);
                double norm = 0;
                for (int j = 0; j < m; j++) norm += v.get(j) * v.get(j);
                norm = Math.sqrt(norm);
                for (int j = 0; j < m; j++) vectors[k][j] = v.get(j) / norm;
            }
            return new Eigen(values, vectors);
        }
    }

    private static double value(double v, double median) {
        return Double.isNaN(v) ? median : v;
    }

    /**
     * Medians of the non-missing values of each column (0 for a column with none): what a missing value is
     * taken to be, here and in the other detectors, so all of them impute alike.
     */
    public static double[] medians(double[][] x) {
        int m = x[0].length;
        double[] out = new double[m];
        double[] col = new double[x.length];
        for (int j = 0; j < m; j++) {
            int c = 0;
            for (var row : x) if (!Double.isNaN(row[j])) col[c++] = row[j];
            if (c == 0) continue;
            Arrays.sort(col, 0, c);
            out[j] = c % 2 == 1 ? col[c / 2] : (col[c / 2 - 1] + col[c / 2]) / 2;
        }
        return out;
    }

    /** Number of columns of a row. */
    public int columns() {
        return mean.length;
    }

    /** Number of retained components. */
    public int components() {
        return loadings.length;
    }

    /** Number of rows the model was fitted on. */
    public int rows() {
        return rows;
    }

    /** Share of the total variance the retained components explain. */
    public double explainedVariance() {
        double kept = 0;
        double total = 0;
        for (int k = 0; k < eigenvalues.length; k++) {
            total += eigenvalues[k];
            if (k < loadings.length) kept += eigenvalues[k];
        }
        return total == 0 ? 1 : kept / total;
    }

    /**
     * T² and Q of one row, in that order.
     *
     * @param row raw values in the column order of the fitted data; {@code NaN} is replaced by the median
     */
    public double[] statistics(double[] row) {
        int m = mean.length;
        double[] z = new double[m];
        for (int j = 0; j < m; j++) z[j] = (value(row[j], median[j]) - mean[j]) / scale[j];
        double t2 = 0;
        double[] residual = z.clone();
        for (int k = 0; k < loadings.length; k++) {
            double[] p = loadings[k];
            double t = 0;
            for (int j = 0; j < m; j++) t += p[j] * z[j];
            t2 += t * t / eigenvalues[k];
            for (int j = 0; j < m; j++) residual[j] -= t * p[j];
        }
        double q = 0;
        for (int j = 0; j < m; j++) q += residual[j] * residual[j];
        return new double[] {t2, q};
    }

    /**
     * The T² limit for a new sample at the given confidence, from the F distribution:
     * {@code a(n−1)(n+1) / (n(n−a)) · F(a, n−a)}.
     */
    public double t2Limit(double confidence) {
        int a = components();
        int n = rows;
        if (n <= a) return Double.POSITIVE_INFINITY;
        double f = new FDistribution(null, a, n - a).inverseCumulativeProbability(confidence);
        return a * (n - 1.0) * (n + 1.0) / (n * (double) (n - a)) * f;
    }

    /**
     * The Q limit at the given confidence by Jackson and Mudholkar (1979), from the eigenvalues left out;
     * when their approximation breaks down (h₀ ≤ 0) the scaled χ² of Box (1954) with matched moments.
     * Infinite when no component is left out, for then Q is always zero.
     */
    public double qLimit(double confidence) {
        double theta1 = 0;
        double theta2 = 0;
        double theta3 = 0;
        for (int k = components(); k < eigenvalues.length; k++) {
            double l = eigenvalues[k];
            theta1 += l;
            theta2 += l * l;
            theta3 += l * l * l;
        }
        if (theta1 <= 0) return Double.POSITIVE_INFINITY;
        double h0 = 1 - 2 * theta1 * theta3 / (3 * theta2 * theta2);
        double c = new NormalDistribution(null, 0, 1).inverseCumulativeProbability(confidence);
        if (h0 > 0) {
            double base = c * Math.sqrt(2 * theta2 * h0 * h0) / theta1 + 1 + theta2 * h0 * (h0 - 1) / (theta1 * theta1);
            if (base > 0) return theta1 * Math.pow(base, 1 / h0);
        }
        double g = theta2 / theta1;
        double h = theta1 * theta1 / theta2;
        return g * new org.apache.commons.math3.distribution.ChiSquaredDistribution(null, h).inverseCumulativeProbability(confidence);
    }

    /** Writes the model; {@link #read} gives it back. */
    public void write(DataOutput out) throws IOException {
        out.writeInt(FORMAT);
        out.writeInt(rows);
        out.writeInt(mean.length);
        out.writeInt(loadings.length);
        for (double v : median) out.writeDouble(v);
        for (double v : mean) out.writeDouble(v);
        for (double v : scale) out.writeDouble(v);
        for (double v : eigenvalues) out.writeDouble(v);
        for (var p : loadings) for (double v : p) out.writeDouble(v);
    }

    /** Reads a model {@link #write} wrote. */
    public static PrincipalComponents read(DataInput in) throws IOException {
        int format = in.readInt();
        if (format != FORMAT) throw new IOException("principal components in format " + format + ", expected " + FORMAT);
        int rows = in.readInt();
        int m = in.readInt();
        int a = in.readInt();
        if (m <= 0 || a <= 0 || a > m || m > 1 << 20) throw new IOException("principal components of " + a + " in " + m + " columns");
        double[] median = readDoubles(in, m);
        double[] mean = readDoubles(in, m);
        double[] scale = readDoubles(in, m);
        double[] eigenvalues = readDoubles(in, m);
        double[][] loadings = new double[a][];
        for (int k = 0; k < a; k++) loadings[k] = readDoubles(in, m);
        return new PrincipalComponents(rows, median, mean, scale, eigenvalues, loadings);
    }

    private static double[] readDoubles(DataInput in, int n) throws IOException {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) out[i] = in.readDouble();
        return out;
    }
}
