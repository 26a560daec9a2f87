package kr.max.models.monitoring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import kr.max.models.Frame;

/** Time-ordered runs of samples and the lagged vectors dynamic PCA is fitted on. */
final class Sequences {

    private Sequences() {
    }

    /**
     * Per asset in time order, the maximal runs of consecutive rows that are kept. A dropped row (a fault,
     * an unknown label) ends a run, so no lagged vector spans it.
     */
    static List<int[]> runs(Frame frame, boolean[] keep) {
        var out = new ArrayList<int[]>();
        for (var rows : frame.byAsset().values()) {
            int start = -1;
            for (int i = 0; i <= rows.length; i++) {
                boolean in = i < rows.length && keep[rows[i]];
                if (in && start < 0) start = i;
                if (!in && start >= 0) {
                    out.add(Arrays.copyOfRange(rows, start, i));
                    start = -1;
                }
            }
        }
        return out;
    }

    /** The lagged vectors {@code [x(t), x(t−1), …, x(t−lags)]} of every run, for each t with a full history. */
    static double[][] windows(double[][] x, List<int[]> runs, int lags) {
        int m = x.length == 0 ? 0 : x[0].length;
        var out = new ArrayList<double[]>();
        for (var run : runs) {
            for (int i = lags; i < run.length; i++) {
                double[] w = new double[m * (lags + 1)];
                for (int k = 0; k <= lags; k++) System.arraycopy(x[run[i - k]], 0, w, k * m, m);
                out.add(w);
            }
        }
        return out.toArray(double[][]::new);
    }

    /** Number of lagged vectors {@link #windows} would make. */
    static int windowCount(List<int[]> runs, int lags) {
        int n = 0;
        for (var run : runs) n += Math.max(0, run.length - lags);
        return n;
    }
}
