package kr.max.models.anomaly;

import kr.max.models.ModelType;

/**
 * Unsupervised anomaly detection for any data with measurement columns, one sample at a time.
 *
 * <ul>
 *   <li>{@code isolation-forest}: an own implementation of Liu, Ting and Zhou (2008) — {@code trees} 100
 *       on subsamples of {@code subsample} 256, seeded; score in (0, 1], higher is more anomalous.</li>
 *   <li>{@code pca-detector}: the larger of T² / limit and Q / limit of a principal component model
 *       (the monitors' {@link kr.max.models.monitoring.PrincipalComponents}); 1 is the confidence limit.</li>
 * </ul>
 *
 * <p>The flag limit is {@code limit} when given, else the score exceeded by a {@code contamination} share
 * of the training rows (isolation forest default 0.01), else (PCA detector, contamination 0) the
 * {@code confidence} limits. Both fit on every training row — a label column, when present, only measures
 * (ROC AUC, precision, recall) on a time-ordered hold-out ({@code holdout} 0.2). Missing values are taken
 * as the training medians. {@code predict} gives a score and a flag per sample ({@code t2} and {@code q}
 * too for the PCA detector).
 */
public final class AnomalyDetection {

    private AnomalyDetection() {
    }

    /** {@code isolation-forest}. */
    public static ModelType isolationForest() {
        return DetectorType.FOREST;
    }

    /** {@code pca-detector}. */
    public static ModelType pcaDetector() {
        return DetectorType.PCA;
    }
}
