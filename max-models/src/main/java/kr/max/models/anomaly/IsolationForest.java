package kr.max.models.anomaly;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * An isolation forest (Liu, Ting and Zhou, ICDM 2008): trees that split a random subsample at random
 * values of random features until each point is alone or the height limit ⌈log₂ ψ⌉ is reached. Anomalies
 * are few and different, so they are isolated near the root; the score is {@code 2^(−E[h(x)] / c(ψ))},
 * with {@code h} the path length (plus {@code c(size)} for the points a leaf still holds) and {@code c(n)}
 * the mean path length of an unsuccessful search in a binary search tree of {@code n} points. Scores near
 * 1 are anomalies; well below 0.5 are normal.
 *
 * <p>All trees live in flat arrays, so scoring a point is a few hundred array reads and no allocation.
 * Missing values are replaced by the medians of the data the forest was grown on.
 */
final class IsolationForest implements Scoring {

    private static final double EULER = 0.5772156649015329;

    private final double[] median;
    private final int subsample;
    private final int[] roots;
    /** Per node: the feature split on, or −1 for a leaf. */
    private final int[] feature;
    /** Per node: the split value (left when below) or, for a leaf, {@code c(size)} added to the depth. */
    private final double[] value;
    private final int[] left;
    private final int[] right;

    private IsolationForest(double[] median, int subsample, int[] roots, int[] feature, double[] value, int[] left, int[] right) {
        this.median = median;
        this.subsample = subsample;
        this.roots = roots;
        this.feature = feature;
        this.value = value;
        this.left = left;
        this.right = right;
    }

    /** Grows {@code trees} trees, each on {@code min(subsample, rows)} rows drawn without replacement. */
    static IsolationForest grow(double[][] rows, int trees, int subsample, long seed) {
        int n = rows.length;
        int m = rows[0].length;
        double[] median = kr.max.models.monitoring.PrincipalComponents.medians(rows);
        // a column-major copy with medians in place of missing values: the split search reads one column at a time
        double[][] columns = new double[m][n];
        for (int i = 0; i < n; i++) for (int j = 0; j < m; j++) columns[j][i] = Double.isNaN(rows[i][j]) ? median[j] : rows[i][j];
        int psi = Math.min(subsample, n);
        int heightLimit = (int) Math.ceil(Math.log(psi) / Math.log(2));
        var builder = new Builder(columns, heightLimit, new SplittableRandom(seed));
        int[] roots = new int[trees];
        int[] all = new int[n];
        for (int i = 0; i < n; i++) all[i] = i;
        for (int t = 0; t < trees; t++) {
            // a partial Fisher–Yates shuffle draws the subsample without replacement
            for (int i = 0; i < psi; i++) {
                int k = i + builder.random.nextInt(n - i);
                int tmp = all[i];
                all[i] = all[k];
                all[k] = tmp;
            }
            int[] sample = Arrays.copyOf(all, psi);
            roots[t] = builder.build(sample, 0, psi, 0);
        }
        return new IsolationForest(median, psi, roots, Arrays.copyOf(builder.feature, builder.nodes),
                Arrays.copyOf(builder.value, builder.nodes), Arrays.copyOf(builder.left, builder.nodes), Arrays.copyOf(builder.right, builder.nodes));
    }

    private static final class Builder {
        final double[][] columns;
        final int heightLimit;
        final SplittableRandom random;
        int[] feature = new int[1024];
        double[] value = new double[1024];
        int[] left = new int[1024];
        int[] right = new int[1024];
        int nodes;
        final int[] candidates;
        final double[] lo;
        final double[] hi;

        Builder(double[][] columns, int heightLimit, SplittableRandom random) {
            this.columns = columns;
            this.heightLimit = heightLimit;
            this.random = random;
            this.candidates = new int[columns.length];
            this.lo = new double[columns.length];
            this.hi = new double[columns.length];
        }

        int build(int[] idx, int from, int to, int depth) {
            int size = to - from;
            if (depth >= heightLimit || size <= 1) return leaf(size);
            // Only a feature that varies within the node can split it (as scikit-learn does); the original
            // paper's uniform choice among all features would waste levels on constant ones.
            int k = 0;
            for (int j = 0; j < columns.length; j++) {
                double[] c = columns[j];
                double min = c[idx[from]];
                double max = min;
                for (int i = from + 1; i < to; i++) {
                    double v = c[idx[i]];
                    if (v < min) min = v;
                    else if (v > max) max = v;
                }
                if (max > min) {
                    candidates[k] = j;
                    lo[k] = min;
                    hi[k] = max;
                    k++;
                }
            }
            if (k == 0) return leaf(size);
            int pick = random.nextInt(k);
            int f = candidates[pick];
            double split = lo[pick] + random.nextDouble() * (hi[pick] - lo[pick]);
            if (split <= lo[pick]) split = Math.nextUp(lo[pick]);   // at least one point on each side
            double[] c = columns[f];
            int mid = from;
            for (int i = from; i < to; i++) {
                if (c[idx[i]] < split) {
                    int tmp = idx[i];
                    idx[i] = idx[mid];
                    idx[mid++] = tmp;
                }
            }
            int node = allocate();
            feature[node] = f;
            value[node] = split;
            int l = build(idx, from, mid, depth + 1);
            int r = build(idx, mid, to, depth + 1);
            left[node] = l;
            right[node] = r;
            return node;
        }

        private int leaf(int size) {
            int node = allocate();
            feature[node] = -1;
            value[node] = averagePath(size);
            return node;
        }

        private int allocate() {
            if (nodes == feature.length) {
                int n = nodes * 2;
                feature = Arrays.copyOf(feature, n);
                value = Arrays.copyOf(value, n);
                left = Arrays.copyOf(left, n);
                right = Arrays.copyOf(right, n);
            }
            return nodes++;
        }
    }

    /** c(n): the mean path length of an unsuccessful search in a binary search tree of n points. */
    static double averagePath(int n) {
        if (n <= 1) return 0;
        if (n == 2) return 1;
        return 2 * (Math.log(n - 1) + EULER) - 2.0 * (n - 1) / n;
    }

    int trees() {
        return roots.length;
    }

    int subsample() {
        return subsample;
    }

    @Override
    public int width() {
        return median.length;
    }

    @Override
    public java.util.List<String> columns() {
        return java.util.List.of();
    }

    /** The anomaly score of one row in (0, 1]; {@code NaN} values are taken as the training medians. */
    @Override
    public double score(double[] row, double[] columns) {
        double total = 0;
        for (int root : roots) {
            int node = root;
            int depth = 0;
            while (feature[node] >= 0) {
                double v = row[feature[node]];
                if (Double.isNaN(v)) v = median[feature[node]];
                node = v < value[node] ? left[node] : right[node];
                depth++;
            }
            total += depth + value[node];
        }
        return Math.pow(2, -(total / roots.length) / averagePath(subsample));
    }

    @Override
    public void write(DataOutput out) throws IOException {
        out.writeInt(median.length);
        for (double v : median) out.writeDouble(v);
        out.writeInt(subsample);
        out.writeInt(roots.length);
        for (int r : roots) out.writeInt(r);
        out.writeInt(feature.length);
        for (int i = 0; i < feature.length; i++) {
            out.writeInt(feature[i]);
            out.writeDouble(value[i]);
            out.writeInt(left[i]);
            out.writeInt(right[i]);
        }
    }

    static IsolationForest read(DataInput in) throws IOException {
        int m = in.readInt();
        if (m <= 0 || m > 1 << 20) throw new IOException(m + " columns");
        double[] median = new double[m];
        for (int j = 0; j < m; j++) median[j] = in.readDouble();
        int subsample = in.readInt();
        int trees = in.readInt();
        if (subsample < 1 || trees < 1 || trees > 1 << 16) throw new IOException(trees + " trees of " + subsample);
        int[] roots = new int[trees];
        for (int t = 0; t < trees; t++) roots[t] = in.readInt();
        int nodes = in.readInt();
        if (nodes < trees || nodes > 1 << 28) throw new IOException(nodes + " nodes");
        int[] feature = new int[nodes];
        double[] value = new double[nodes];
        int[] left = new int[nodes];
        int[] right = new int[nodes];
        for (int i = 0; i < nodes; i++) {
            feature[i] = in.readInt();
            value[i] = in.readDouble();
            left[i] = in.readInt();
            right[i] = in.readInt();
            if (feature[i] >= m || feature[i] >= 0 && (left[i] <= i || right[i] <= i || left[i] >= nodes || right[i] >= nodes)) {
                throw new IOException("node " + i + " points outside the forest");
            }
        }
        for (int r : roots) if (r < 0 || r >= nodes) throw new IOException("root " + r + " outside the forest");
        return new IsolationForest(median, subsample, roots, feature, value, left, right);
    }
}
