package kr.max.models.quality;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.LUDecomposition;

/**
 * Logistic regression on standardized features with an L2 penalty and, optionally, class weights that give
 * fails and passes equal total weight, fitted by Newton's method (iteratively reweighted least squares) with
 * step halving. Missing values take the training mean; a feature constant in training is left out.
 *
 * @param mean      training mean of each feature
 * @param scale     training standard deviation of each feature, 0 for a constant one
 * @param intercept the intercept
 * @param coef      the coefficient of each standardized feature
 */
record LogisticLearner(double[] mean, double[] scale, double intercept, double[] coef) implements Learner {

    static final String KIND = "logistic";

    @Override
    public String kind() {
        return KIND;
    }

    static LogisticLearner fit(double[][] x, boolean[] fail, double l2, boolean balanced, int maxIterations) {
        int n = x.length, d = n == 0 ? 0 : x[0].length;
        var mean = new double[d];
        var scale = new double[d];
        for (int j = 0; j < d; j++) {
            double s = 0, s2 = 0;
            int m = 0;
            for (var row : x) {
                if (!Double.isNaN(row[j])) {
                    s += row[j];
                    s2 += row[j] * row[j];
                    m++;
                }
            }
            mean[j] = m == 0 ? 0 : s / m;
            double var = m == 0 ? 0 : s2 / m - mean[j] * mean[j];
            // a relative floor, so a column constant up to rounding counts as constant
            scale[j] = var > 1e-12 * Math.max(1, mean[j] * mean[j]) ? Math.sqrt(var) : 0;
        }
        var z = new double[n][];
        for (int i = 0; i < n; i++) z[i] = standardize(x[i], mean, scale);
        long fails = 0;
        for (boolean f : fail) if (f) fails++;
        double wFail = balanced && fails > 0 ? n / (2.0 * fails) : 1;
        double wPass = balanced && fails < n ? n / (2.0 * (n - fails)) : 1;
        var w = new double[n];
        for (int i = 0; i < n; i++) w[i] = fail[i] ? wFail : wPass;

        var beta = new double[d + 1];
        double loss = loss(z, fail, w, beta, l2);
        for (int it = 0; it < maxIterations; it++) {
            var g = new double[d + 1];
            var h = new double[d + 1][d + 1];
            for (int i = 0; i < n; i++) {
                double p = sigmoid(eta(beta, z[i]));
                double r = w[i] * (p - (fail[i] ? 1 : 0));
                double c = w[i] * p * (1 - p);
                g[0] += r;
                h[0][0] += c;
                for (int a = 0; a < d; a++) {
                    double za = z[i][a];
                    if (za == 0) continue;
                    g[a + 1] += r * za;
                    h[0][a + 1] += c * za;
                    for (int b = a; b < d; b++) h[a + 1][b + 1] += c * za * z[i][b];
                }
            }
            for (int a = 0; a <= d; a++) {
                for (int b = 0; b < a; b++) h[a][b] = h[b][a];
            }
            for (int a = 1; a <= d; a++) {
                g[a] += l2 * beta[a];
                // a feature left out (scale 0) has an all-zero column; the ridge keeps the system solvable
                h[a][a] += l2 + (scale[a - 1] == 0 ? 1 : 0);
            }
            h[0][0] += 1e-9;
            double[] delta = new LUDecomposition(new Array2DRowRealMatrix(h, false)).getSolver()
                    .solve(new ArrayRealVector(g, false)).toArray();
            double step = 1;
            double[] next = new double[d + 1];
            double nextLoss;
            while (true) {
                for (int a = 0; a <= d; a++) next[a] = beta[a] - step * delta[a];
                nextLoss = loss(z, fail, w, next, l2);
                if (nextLoss <= loss + 1e-12 || step < 1e-6) break;
                step /= 2;
            }
            double moved = 0;
            for (int a = 0; a <= d; a++) moved = Math.max(moved, Math.abs(next[a] - beta[a]));
            beta = next.clone();
            loss = nextLoss;
            if (moved < 1e-8) break;
        }
        var coef = new double[d];
        System.arraycopy(beta, 1, coef, 0, d);
        return new LogisticLearner(mean, scale, beta[0], coef);
    }

    private static double[] standardize(double[] row, double[] mean, double[] scale) {
        var z = new double[row.length];
        for (int j = 0; j < row.length; j++) z[j] = scale[j] == 0 || Double.isNaN(row[j]) ? 0 : (row[j] - mean[j]) / scale[j];
        return z;
    }

    private static double eta(double[] beta, double[] z) {
        double e = beta[0];
        for (int j = 0; j < z.length; j++) e += beta[j + 1] * z[j];
        return e;
    }

    private static double sigmoid(double e) {
        return e >= 0 ? 1 / (1 + Math.exp(-e)) : Math.exp(e) / (1 + Math.exp(e));
    }

    private static double loss(double[][] z, boolean[] fail, double[] w, double[] beta, double l2) {
        double l = 0;
        for (int i = 0; i < z.length; i++) {
            double e = eta(beta, z[i]);
            double softplus = e > 0 ? e + Math.log1p(Math.exp(-e)) : Math.log1p(Math.exp(e));
            l += w[i] * (softplus - (fail[i] ? e : 0));
        }
        for (int a = 1; a < beta.length; a++) l += l2 / 2 * beta[a] * beta[a];
        return l;
    }

    @Override
    public double score(double[] row) {
        double e = intercept;
        for (int j = 0; j < coef.length; j++) {
            if (scale[j] != 0 && !Double.isNaN(row[j])) e += coef[j] * (row[j] - mean[j]) / scale[j];
        }
        return sigmoid(e);
    }

    @Override
    public double[] score(double[][] x) {
        var out = new double[x.length];
        for (int i = 0; i < x.length; i++) out[i] = score(x[i]);
        return out;
    }

    @Override
    public void write(DataOutput out) throws IOException {
        out.writeInt(coef.length);
        for (int j = 0; j < coef.length; j++) {
            out.writeDouble(mean[j]);
            out.writeDouble(scale[j]);
            out.writeDouble(coef[j]);
        }
        out.writeDouble(intercept);
    }

    static LogisticLearner read(DataInput in) throws IOException {
        int d = in.readInt();
        var mean = new double[d];
        var scale = new double[d];
        var coef = new double[d];
        for (int j = 0; j < d; j++) {
            mean[j] = in.readDouble();
            scale[j] = in.readDouble();
            coef[j] = in.readDouble();
        }
        return new LogisticLearner(mean, scale, in.readDouble(), coef);
    }
}
