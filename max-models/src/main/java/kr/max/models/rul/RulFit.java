package kr.max.models.rul;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.models.Frame;
import kr.max.models.ModelError;
import kr.max.models.Params;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/** Fits one {@link RulModel} on all units of a frame. */
final class RulFit {

    private RulFit() {
    }

    static RulModel fit(Frame data, Params params, long seed) {
        var s = RulSettings.of(params);
        var units = data.byAsset();
        var x = data.x();
        int f = data.features().size();

        // the target per row: life left, capped — the piecewise-linear target (healthy until wear shows)
        var y = new double[data.rows()];
        for (var idx : units.values()) {
            for (int i = 0; i < idx.length; i++) {
                double left = data.hasLabels() ? RulGbm.label(data.labels()[idx[i]]) : idx.length - 1 - i;
                y[idx[i]] = Math.min(s.rulCap(), left);
            }
        }

        int[] settingColumns = settingColumns(data, s.settings());
        var regimes = OperatingRegimes.fit(x, settingColumns, s.regimes(), s.settings().equalsIgnoreCase("auto"), seed);
        var kept = kept(data, regimes, y, s, settingColumns);
        var health = healthIndex(data, regimes, kept, y);
        var shell = new RulModel(data.features(), params, regimes, kept, health, new Booster[0]);

        int w = shell.width();
        var features = new float[data.rows() * w];
        var labels = new float[data.rows()];
        var z = new double[shell.channels()];
        int row = 0;
        for (var idx : units.values()) {
            var h = new UnitHistory(shell.channels(), s.window());
            for (int i : idx) {
                shell.channels(x[i], z);
                h.push(z);
                h.features(features, row * w);
                labels[row] = (float) y[i];
                row++;
            }
        }
        var boosters = new Booster[s.ensemble()];
        try {
            var matrix = new DMatrix(features, data.rows(), w, Float.NaN);
            try {
                matrix.setLabel(labels);
                for (int m = 0; m < boosters.length; m++) {
                    boosters[m] = XGBoost.train(matrix, s.booster(seed + m), s.rounds(), new HashMap<>(), null, null);
                }
            } finally {
                matrix.dispose();
            }
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost training failed", e);
        }
        return new RulModel(data.features(), params, regimes, kept, health, boosters);
    }

    /** The columns regimes are found on: every feature ({@code auto}), none, or the named ones. */
    static int[] settingColumns(Frame data, String settings) {
        if (settings.equalsIgnoreCase("none")) return new int[0];
        if (settings.equalsIgnoreCase("auto")) {
            var all = new int[data.features().size()];
            for (int j = 0; j < all.length; j++) all[j] = j;
            return all;
        }
        var out = new ArrayList<Integer>();
        for (var name : settings.split(",")) {
            int j = data.feature(name.trim());
            if (j < 0) {
                throw new MaxException(ModelError.BAD_PARAMETER, Location.NOWHERE, "settings", name.trim(),
                        "auto, none, or names among the features " + data.features());
            }
            out.add(j);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Features that become channels: not a named setting, not constant in every regime, and related to the
     * target at least by {@code min_correlation} (noise columns only add chances to overfit a few dozen units).
     */
    private static int[] kept(Frame data, OperatingRegimes regimes, double[] y, RulSettings s, int[] settingColumns) {
        boolean named = !s.settings().equalsIgnoreCase("auto");
        var out = new ArrayList<Integer>();
        var z = new double[data.rows()];
        var regimeOf = new int[data.rows()];
        for (int i = 0; i < data.rows(); i++) regimeOf[i] = regimes.regimeOf(data.x()[i]);
        for (int j = 0; j < data.features().size(); j++) {
            final int col = j;
            if (named && Arrays.stream(settingColumns).anyMatch(c -> c == col)) continue;
            boolean varies = false;
            for (int r = 0; r < regimes.count(); r++) varies |= regimes.sd()[r][j] > 0;
            if (!varies) continue;
            for (int i = 0; i < data.rows(); i++) z[i] = regimes.normalize(data.x()[i], regimeOf[i], j);
            double relation = unitCorrelation(data, z, y);
            if (relation >= s.minCorrelation()) out.add(j);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * The mean over units of the absolute correlation of a channel with the life left, within each unit. Within a
     * unit, so that a sensor that rises under one failure mode and falls under another (C-MAPSS FD003) still counts.
     */
    private static double unitCorrelation(Frame data, double[] z, double[] y) {
        double sum = 0;
        int units = 0;
        for (var idx : data.byAsset().values()) {
            var a = new double[idx.length];
            var b = new double[idx.length];
            for (int i = 0; i < idx.length; i++) {
                a[i] = z[idx[i]];
                b[i] = y[idx[i]];
            }
            sum += Math.abs(correlation(a, b));
            units++;
        }
        return units == 0 ? 0 : sum / units;
    }

    private static double correlation(double[] a, double[] b) {
        double ma = 0;
        double mb = 0;
        int n = 0;
        for (int i = 0; i < a.length; i++) {
            if (Double.isNaN(a[i])) continue;
            ma += a[i];
            mb += b[i];
            n++;
        }
        if (n < 2) return 0;
        ma /= n;
        mb /= n;
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < a.length; i++) {
            if (Double.isNaN(a[i])) continue;
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
    }

    /**
     * A linear health index: ridge regression of the capped target on the kept channels. Wear moves a dozen
     * sensors together; their weighted sum averages away most of each sensor's noise, which single trees cannot.
     */
    private static double[] healthIndex(Frame data, OperatingRegimes regimes, int[] kept, double[] y) {
        int k = kept.length;
        int n = data.rows();
        var shell = new RulModel(data.features(), RulSettings.defaults(), regimes, kept, new double[k + 1], new Booster[0]);
        var ch = new double[k + 1];
        var mean = new double[k];
        double yMean = 0;
        var rows = new double[n][];
        for (int i = 0; i < n; i++) {
            shell.channels(data.x()[i], ch);
            rows[i] = Arrays.copyOf(ch, k);
            for (int c = 0; c < k; c++) if (Double.isNaN(rows[i][c])) rows[i][c] = 0;
            for (int c = 0; c < k; c++) mean[c] += rows[i][c] / n;
            yMean += y[i] / n;
        }
        var a = new double[k][k];
        var b = new double[k];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                double dc = rows[i][c] - mean[c];
                b[c] += dc * (y[i] - yMean);
                for (int d = c; d < k; d++) a[c][d] += dc * (rows[i][d] - mean[d]);
            }
        }
        for (int c = 0; c < k; c++) {
            for (int d = 0; d < c; d++) a[c][d] = a[d][c];
            a[c][c] += 1e-3 * n; // ridge: sensors that move together must not trade huge opposite weights
        }
        var beta = solve(a, b);
        var out = new double[k + 1];
        out[0] = yMean;
        for (int c = 0; c < k; c++) {
            out[c + 1] = beta[c];
            out[0] -= beta[c] * mean[c];
        }
        return out;
    }

    /** Gaussian elimination with partial pivoting; the matrix is small (one row per sensor). */
    private static double[] solve(double[][] a, double[] b) {
        int k = b.length;
        var m = new double[k][];
        for (int i = 0; i < k; i++) m[i] = Arrays.copyOf(a[i], k + 1);
        for (int i = 0; i < k; i++) m[i][k] = b[i];
        for (int col = 0; col < k; col++) {
            int piv = col;
            for (int r = col + 1; r < k; r++) if (Math.abs(m[r][col]) > Math.abs(m[piv][col])) piv = r;
            var t = m[col];
            m[col] = m[piv];
            m[piv] = t;
            if (m[col][col] == 0) continue;
            for (int r = col + 1; r < k; r++) {
                double fct = m[r][col] / m[col][col];
                for (int c = col; c <= k; c++) m[r][c] -= fct * m[col][c];
            }
        }
        var x = new double[k];
        for (int i = k - 1; i >= 0; i--) {
            if (m[i][i] == 0) continue;
            double v = m[i][k];
            for (int c = i + 1; c < k; c++) v -= m[i][c] * x[c];
            x[i] = v / m[i][i];
        }
        return x;
    }

    static List<String> names(Frame data, int[] columns) {
        var out = new ArrayList<String>();
        for (int c : columns) out.add(data.features().get(c));
        return out;
    }
}
