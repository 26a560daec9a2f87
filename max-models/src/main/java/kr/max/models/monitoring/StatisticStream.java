package kr.max.models.monitoring;

/**
 * T² and Q of a stream of samples: keeps the last {@code lags} samples for the lagged vector and, when
 * {@code smoothing} is below 1, the exponentially weighted moving averages (EWMA) of both statistics,
 * {@code z(t) = λ·s(t) + (1 − λ)·z(t−1)}. Not thread-safe; one per stream.
 */
final class StatisticStream {

    private final PrincipalComponents pca;
    private final int width;
    private final int lags;
    private final double smoothing;
    private final double[] window;
    private int seen;
    private double t2;
    private double q;
    private boolean started;

    /**
     * @param t2Start where the T² average starts, or NaN to start at the first statistic
     * @param qStart  likewise for Q
     */
    StatisticStream(PrincipalComponents pca, int lags, double smoothing, double t2Start, double qStart) {
        this.pca = pca;
        this.width = pca.columns() / (lags + 1);
        this.lags = lags;
        this.smoothing = smoothing;
        this.window = new double[pca.columns()];
        this.t2 = t2Start;
        this.q = qStart;
        this.started = !Double.isNaN(t2Start) && !Double.isNaN(qStart);
    }

    int width() {
        return width;
    }

    /** The (smoothed) T² and Q after this sample, or {@code null} while the lag window is filling. */
    double[] push(double[] sample) {
        if (sample.length != width) throw new IllegalArgumentException("sample of " + sample.length + " values, expected " + width);
        if (lags > 0) System.arraycopy(window, 0, window, width, lags * width);
        System.arraycopy(sample, 0, window, 0, width);
        if (seen < lags) {
            seen++;
            return null;
        }
        double[] s = pca.statistics(window);
        if (smoothing >= 1 || !started) {
            t2 = s[0];
            q = s[1];
            started = true;
        } else {
            t2 = smoothing * s[0] + (1 - smoothing) * t2;
            q = smoothing * s[1] + (1 - smoothing) * q;
        }
        s[0] = t2;
        s[1] = q;
        return s;
    }
}
