package kr.max.models.rul;

import java.util.Arrays;

/**
 * The running history of one unit (engine), from which the windowed features at its latest cycle are
 * computed. Batch prediction, training and the online scorer all push samples through this one class in
 * the same order, so they compute bit-identical features.
 *
 * <p>Per channel (a regime-normalized sensor, or the health index) it gives the means over the last
 * {@code window/3}, {@code window} and {@code 3·window} cycles, the least-squares slopes over the last
 * {@code window} and {@code 3·window} cycles, and an exponentially weighted mean over the whole history minus
 * the unit's own first cycles (each engine starts with its own wear); then the unit's age in samples seen.
 * Single noisy values, minima, maxima and spreads were tried and left out: with a few dozen units they gave
 * the trees more noise to fit than signal (cross-validation on training units). A unit younger than a window
 * uses what it has: the window shrinks to its length.
 */
final class UnitHistory {

    static final int PER_CHANNEL = 6;
    /** Smoothing weight of the newest sample in the long mean (about 20 cycles of memory). */
    static final double ALPHA = 0.1;
    /** Cycles that make the unit's own baseline. */
    static final int BASELINE = 10;

    private final int channels;
    private final int shortWindow;
    private final int window;
    private final int longWindow;
    private final double[][] ring;
    private final double[] lastValid;
    private final double[] ewma;
    private final double[] baseSum;
    private final double[] ordered;
    private int count;

    UnitHistory(int channels, int window) {
        this.channels = channels;
        this.shortWindow = Math.max(1, Math.round(window / 3f));
        this.window = window;
        this.longWindow = 3 * window;
        this.ring = new double[longWindow][channels];
        this.lastValid = new double[channels];
        this.ewma = new double[channels];
        this.baseSum = new double[channels];
        this.ordered = new double[longWindow];
    }

    /** Number of features {@link #features} writes for this many channels. */
    static int width(int channels) {
        return channels * PER_CHANNEL + 1;
    }

    int count() {
        return count;
    }

    /** Adds the newest sample; a missing value repeats the channel's last known one (0, its regime mean, at first). */
    void push(double[] z) {
        var slot = ring[count % longWindow];
        for (int c = 0; c < channels; c++) {
            double v = z[c];
            if (Double.isNaN(v)) v = lastValid[c];
            else lastValid[c] = v;
            slot[c] = v;
            ewma[c] = count == 0 ? v : ALPHA * v + (1 - ALPHA) * ewma[c];
            if (count < BASELINE) baseSum[c] += v;
        }
        count++;
    }

    /** Writes the features at the newest sample into {@code out} from {@code offset}; needs one sample at least. */
    void features(float[] out, int offset) {
        if (count == 0) throw new IllegalStateException("no sample yet");
        int len = Math.min(count, longWindow);
        int start = count - len; // oldest sample held, by absolute index
        int o = offset;
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < len; i++) ordered[i] = ring[(start + i) % longWindow][c];
            out[o++] = (float) tailMean(ordered, len, shortWindow);
            out[o++] = (float) tailMean(ordered, len, window);
            out[o++] = (float) tailMean(ordered, len, longWindow);
            out[o++] = (float) tailSlope(ordered, len, window);
            out[o++] = (float) tailSlope(ordered, len, longWindow);
            out[o++] = (float) (ewma[c] - baseSum[c] / Math.min(count, BASELINE));
        }
        out[o] = count;
    }

    private static double tailMean(double[] v, int len, int w) {
        int m = Math.min(len, w);
        double s = 0;
        for (int i = len - m; i < len; i++) s += v[i];
        return s / m;
    }

    /** Least-squares slope per cycle over the last {@code w} values; 0 for a single value. */
    private static double tailSlope(double[] v, int len, int w) {
        int m = Math.min(len, w);
        if (m < 2) return 0;
        double xMean = (m - 1) / 2.0;
        double yMean = tailMean(v, len, m);
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < m; i++) {
            double dx = i - xMean;
            sxy += dx * (v[len - m + i] - yMean);
            sxx += dx * dx;
        }
        return sxy / sxx;
    }

}
