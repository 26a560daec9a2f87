package kr.max.models.monitoring;

import kr.max.models.ModelType;

/**
 * Process monitoring with principal components, learned from normal operation.
 *
 * <ul>
 *   <li>{@code pca-monitor}: PCA of standardized normal data; Hotelling's T² with its limit from the F
 *       distribution and Q (SPE) with the Jackson–Mudholkar limit; a sample alarms when either exceeds its
 *       limit. Parameters: {@code components} (0: parallel analysis, or by {@code variance} when that is
 *       positive), {@code confidence} (0.99), {@code limits} ({@code theory} or {@code cross-validated}),
 *       {@code folds}, {@code normal_labels}.</li>
 *   <li>{@code dpca-monitor}: the same on lagged vectors {@code [x(t), …, x(t−lags)]} (Ku, Storer and
 *       Georgakis 1995; {@code lags} 2), with exponentially weighted moving averages of T² and Q
 *       ({@code smoothing} 0.2) and limits fitted to out-of-fold statistics on normal data.</li>
 * </ul>
 *
 * <p>Both train on the rows labelled normal when the data has a label column, on every row otherwise;
 * {@code predict} gives {@code t2}, {@code q}, {@code score} (the larger of statistic / limit, so 1 is the
 * limit) and {@code alarm} per sample; {@code evaluate} gives detection and false-alarm rates.
 */
public final class ProcessMonitoring {

    private ProcessMonitoring() {
    }

    /** {@code pca-monitor}. */
    public static ModelType pca() {
        return MonitorType.PCA;
    }

    /** {@code dpca-monitor}. */
    public static ModelType dynamicPca() {
        return MonitorType.DPCA;
    }
}
