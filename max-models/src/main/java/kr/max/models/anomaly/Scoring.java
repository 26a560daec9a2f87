package kr.max.models.anomaly;

import java.io.DataOutput;
import java.io.IOException;
import java.util.List;

/** The fitted part of a point detector: a score per sample, larger for more anomalous samples. */
sealed interface Scoring permits IsolationForest, PcaScoring {

    /** Number of values in a sample. */
    int width();

    /** Names of the statistics reported beside the score ({@code t2}, {@code q}), possibly none. */
    List<String> columns();

    /**
     * The score of one sample in the model's feature order; {@code NaN} values are taken as the training
     * medians. When {@code columns} is not null, the statistics named by {@link #columns()} are written to it.
     */
    double score(double[] row, double[] columns);

    void write(DataOutput out) throws IOException;
}
