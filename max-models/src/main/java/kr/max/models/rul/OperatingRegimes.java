package kr.max.models.rul;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Operating regimes (flight conditions of a turbofan, recipes of a press) found by k-means on the setting
 * columns, and per-regime z-normalization of every feature. A sensor's level depends far more on the regime
 * than on wear (FD002: several hundred units between regimes against a few units of degradation), so the
 * wear only shows once each regime's own mean and spread are taken away.
 *
 * @param columns  feature indices clustered on
 * @param centre   mean of each clustered column (for global standardization before clustering)
 * @param spread   standard deviation of each clustered column (1 where constant)
 * @param centers  regime centres in standardized units, one row per regime
 * @param mean     per regime, per feature: training mean
 * @param sd       per regime, per feature: training standard deviation (0 where constant in that regime)
 */
record OperatingRegimes(int[] columns, double[] centre, double[] spread, double[][] centers, double[][] mean, double[][] sd) {

    /** Most regimes the automatic choice considers. */
    static final int MAX_REGIMES = 8;
    /** Factor by which one more cluster must cut the within-cluster spread to count as one more regime. */
    static final double MIN_DROP = 10;
    private static final int SAMPLE = 2000;
    private static final int RESTARTS = 4;

    int count() {
        return centers.length;
    }

    /** The regime of one sample: the nearest centre, ignoring missing values. */
    int regimeOf(double[] row) {
        if (centers.length == 1) return 0;
        int best = 0;
        double bestD = Double.POSITIVE_INFINITY;
        for (int r = 0; r < centers.length; r++) {
            double d = 0;
            for (int j = 0; j < columns.length; j++) {
                double v = row[columns[j]];
                if (Double.isNaN(v)) continue;
                double diff = (v - centre[j]) / spread[j] - centers[r][j];
                d += diff * diff;
            }
            if (d < bestD) {
                bestD = d;
                best = r;
            }
        }
        return best;
    }

    /** Feature {@code j} of {@code row} in its regime's standard units; NaN stays NaN, a constant gives 0. */
    double normalize(double[] row, int regime, int j) {
        double s = sd[regime][j];
        return s > 0 ? (row[j] - mean[regime][j]) / s : 0;
    }

    /**
     * Finds the regimes of {@code x} on the given columns.
     *
     * @param regimes the number of regimes, or 0 to choose among 1…{@value #MAX_REGIMES}: the number after which
     *                one more cluster no longer cuts the within-cluster spread by at least {@value #MIN_DROP}
     *                times (discrete operating conditions cut it by thousands; splitting noise by 2 or 3)
     * @param screen  whether the columns are every feature ({@code settings: auto}) rather than named settings:
     *                then each column is first clustered alone, and only columns that agree on the same number
     *                of groups, at least two of them, define the regimes — a sensor printed with too few
     *                decimals (C-MAPSS s6 takes two values) falls into groups of its own that no other shares
     */
    static OperatingRegimes fit(double[][] x, int[] columns, int regimes, boolean screen, long seed) {
        int n = x.length;
        int f = n == 0 ? 0 : x[0].length;
        var rnd = new SplittableRandom(seed);
        var std = Standardized.of(x, columns);
        double[][] centers = {new double[std.cols.length]};
        if (std.cols.length > 0 && regimes != 1 && n > MAX_REGIMES) {
            if (screen) {
                var agreed = agreeing(x, std, rnd);
                std = agreed.k > 1 ? std.keep(agreed.columns) : regimes > 1 ? std : std.keep(new boolean[std.cols.length]);
                if (regimes == 0 && agreed.k > 1) {
                    var pts = sample(x, std, rnd);
                    var before = bestOf(pts, agreed.k - 1, rnd);
                    var km = bestOf(pts, agreed.k, rnd);
                    if (km.within <= 0 || before.within / km.within >= MIN_DROP) centers = km.centers;
                }
            }
            if (regimes > 1 && std.cols.length > 0) {
                var pts = sample(x, std, rnd);
                centers = bestOf(pts, Math.min(regimes, pts.length), rnd).centers;
            } else if (regimes == 0 && !screen) {
                centers = choose(sample(x, std, rnd), rnd);
            }
            if (centers.length == 1) std = std.keep(new boolean[std.cols.length]);
            centers = ordered(centers.length == 1 ? new double[][] {new double[std.cols.length]} : centers);
        } else {
            std = std.keep(new boolean[std.cols.length]);
            centers = new double[][] {new double[0]};
        }
        var shell = new OperatingRegimes(std.cols, std.centre, std.spread, centers, null, null);
        int k = centers.length;
        int[] regime = new int[n];
        for (int i = 0; i < n; i++) regime[i] = shell.regimeOf(x[i]);
        double[][] mean = new double[k][f];
        double[][] sd = new double[k][f];
        for (int r = 0; r < k; r++) {
            for (int j = 0; j < f; j++) {
                double[] ms = meanSd(x, j, regime, r);
                mean[r][j] = ms[0];
                sd[r][j] = ms[1];
            }
        }
        return new OperatingRegimes(std.cols, std.centre, std.spread, centers, mean, sd);
    }

    /** The clustered columns in global standard units; constant columns carry no regime and are left out. */
    private record Standardized(int[] cols, double[] centre, double[] spread) {
        static Standardized of(double[][] x, int[] columns) {
            var keep = new java.util.ArrayList<Integer>();
            var centre = new java.util.ArrayList<Double>();
            var spread = new java.util.ArrayList<Double>();
            for (int c : columns) {
                double[] ms = meanSd(x, c, null, -1);
                if (ms[1] > 0) {
                    keep.add(c);
                    centre.add(ms[0]);
                    spread.add(ms[1]);
                }
            }
            return new Standardized(keep.stream().mapToInt(Integer::intValue).toArray(),
                    centre.stream().mapToDouble(Double::doubleValue).toArray(), spread.stream().mapToDouble(Double::doubleValue).toArray());
        }

        Standardized keep(boolean[] which) {
            var idx = java.util.stream.IntStream.range(0, cols.length).filter(i -> which[i]).toArray();
            return new Standardized(java.util.Arrays.stream(idx).map(i -> cols[i]).toArray(),
                    java.util.Arrays.stream(idx).mapToDouble(i -> centre[i]).toArray(), java.util.Arrays.stream(idx).mapToDouble(i -> spread[i]).toArray());
        }
    }

    private record Agreement(int k, boolean[] columns) {
    }

    /** The most common number of groups above one among the columns clustered alone, if two columns share it. */
    private static Agreement agreeing(double[][] x, Standardized std, SplittableRandom rnd) {
        int d = std.cols.length;
        var groups = new int[d];
        var votes = new int[MAX_REGIMES + 1];
        for (int c = 0; c < d; c++) {
            var one = std.keep(single(d, c));
            groups[c] = choose(sample(x, one, rnd), rnd).length;
            votes[groups[c]]++;
        }
        int k = 1;
        for (int g = 2; g <= MAX_REGIMES; g++) if (votes[g] >= 2 && votes[g] >= votes[k == 1 ? 0 : k]) k = g;
        var which = new boolean[d];
        for (int c = 0; c < d; c++) which[c] = groups[c] == k;
        return new Agreement(k, which);
    }

    private static boolean[] single(int d, int c) {
        var b = new boolean[d];
        b[c] = true;
        return b;
    }

    /** The number of regimes whose last added cluster cut the spread most, if by {@value #MIN_DROP} times; else one. */
    private static double[][] choose(double[][] pts, SplittableRandom rnd) {
        double[][] best = {new double[pts[0].length]};
        double previous = totalSquares(pts);
        double bestDrop = MIN_DROP;
        for (int k = 2; k <= Math.min(MAX_REGIMES, pts.length - 1); k++) {
            var km = bestOf(pts, k, rnd);
            double drop = km.within <= 0 ? Double.POSITIVE_INFINITY : previous / km.within;
            if (drop >= bestDrop) {
                bestDrop = drop;
                best = km.centers;
            }
            if (km.within <= 0) break;
            previous = km.within;
        }
        return best;
    }

    private static int nearest(double[] p, double[][] centers) {
        int best = 0;
        double bd = Double.POSITIVE_INFINITY;
        for (int c = 0; c < centers.length; c++) {
            double dd = dist(p, centers[c]);
            if (dd < bd) {
                bd = dd;
                best = c;
            }
        }
        return best;
    }

    /** Regimes sorted by their centres, so the same data always numbers them alike. */
    private static double[][] ordered(double[][] centers) {
        var copy = centers.clone();
        Arrays.sort(copy, (a, b) -> Arrays.compare(a, b));
        return copy;
    }

    private static double[] meanSd(double[][] x, int j, int[] regime, int r) {
        double sum = 0;
        int m = 0;
        for (int i = 0; i < x.length; i++) {
            if (regime != null && regime[i] != r) continue;
            double v = x[i][j];
            if (Double.isNaN(v)) continue;
            sum += v;
            m++;
        }
        if (m == 0) return new double[] {0, 0};
        double mu = sum / m;
        double ss = 0;
        for (int i = 0; i < x.length; i++) {
            if (regime != null && regime[i] != r) continue;
            double v = x[i][j];
            if (Double.isNaN(v)) continue;
            ss += (v - mu) * (v - mu);
        }
        double sd = m > 1 ? Math.sqrt(ss / (m - 1)) : 0;
        // values printed with a few decimals: a spread far below their own precision is no spread
        if (sd <= 1e-9 * Math.max(1, Math.abs(mu))) sd = 0;
        return new double[] {mu, sd};
    }

    private static double[][] sample(double[][] x, Standardized std, SplittableRandom rnd) {
        int[] cols = std.cols;
        double[] centre = std.centre;
        double[] spread = std.spread;
        int n = x.length;
        int[] idx;
        if (n <= SAMPLE) {
            idx = new int[n];
            for (int i = 0; i < n; i++) idx[i] = i;
        } else {
            // a seeded partial shuffle: the same data and seed give the same sample
            int[] all = new int[n];
            for (int i = 0; i < n; i++) all[i] = i;
            for (int i = 0; i < SAMPLE; i++) {
                int j = i + rnd.nextInt(n - i);
                int t = all[i];
                all[i] = all[j];
                all[j] = t;
            }
            idx = Arrays.copyOf(all, SAMPLE);
            Arrays.sort(idx);
        }
        var pts = new double[idx.length][cols.length];
        for (int i = 0; i < idx.length; i++) {
            for (int c = 0; c < cols.length; c++) {
                double v = x[idx[i]][cols[c]];
                pts[i][c] = Double.isNaN(v) ? 0 : (v - centre[c]) / spread[c];
            }
        }
        return pts;
    }

    private static double totalSquares(double[][] pts) {
        int d = pts[0].length;
        double[] mu = new double[d];
        for (var p : pts) for (int c = 0; c < d; c++) mu[c] += p[c] / pts.length;
        double t = 0;
        for (var p : pts) t += dist(p, mu);
        return t;
    }

    private record KMeans(double[][] centers, double within) {
    }

    private static KMeans bestOf(double[][] pts, int k, SplittableRandom rnd) {
        KMeans best = null;
        for (int r = 0; r < RESTARTS; r++) {
            var km = kmeans(pts, k, rnd);
            if (best == null || km.within < best.within) best = km;
        }
        return best;
    }

    /** Lloyd's algorithm from a k-means++ start. */
    private static KMeans kmeans(double[][] pts, int k, SplittableRandom rnd) {
        int n = pts.length;
        int d = pts[0].length;
        var centers = new double[k][];
        centers[0] = pts[rnd.nextInt(n)].clone();
        double[] near = new double[n];
        Arrays.fill(near, Double.POSITIVE_INFINITY);
        for (int c = 1; c < k; c++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                near[i] = Math.min(near[i], dist(pts[i], centers[c - 1]));
                sum += near[i];
            }
            double target = rnd.nextDouble() * sum;
            int pick = n - 1;
            for (int i = 0; i < n; i++) {
                target -= near[i];
                if (target <= 0) {
                    pick = i;
                    break;
                }
            }
            centers[c] = pts[pick].clone();
        }
        int[] assign = new int[n];
        Arrays.fill(assign, -1);
        double within = 0;
        for (int iter = 0; iter < 50; iter++) {
            boolean changed = false;
            within = 0;
            for (int i = 0; i < n; i++) {
                int best = 0;
                double bd = Double.POSITIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    double dd = dist(pts[i], centers[c]);
                    if (dd < bd) {
                        bd = dd;
                        best = c;
                    }
                }
                within += bd;
                if (assign[i] != best) {
                    assign[i] = best;
                    changed = true;
                }
            }
            if (!changed) break;
            var sums = new double[k][d];
            var counts = new int[k];
            for (int i = 0; i < n; i++) {
                counts[assign[i]]++;
                for (int c = 0; c < d; c++) sums[assign[i]][c] += pts[i][c];
            }
            for (int c = 0; c < k; c++) {
                if (counts[c] == 0) continue; // an empty cluster keeps its centre
                for (int j = 0; j < d; j++) centers[c][j] = sums[c][j] / counts[c];
            }
        }
        return new KMeans(centers, within);
    }

    private static double dist(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double t = a[i] - b[i];
            s += t * t;
        }
        return s;
    }
}
