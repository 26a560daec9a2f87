package kr.max.models.quality;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** A fitted scorer of shots: higher means more likely to fail. */
sealed interface Learner permits LogisticLearner, GbmLearner {

    /** The score of each row; rows follow the model's features, NaN where a value is missing. */
    double[] score(double[][] x);

    double score(double[] row);

    void write(DataOutput out) throws IOException;

    static Learner read(String kind, DataInput in, int threads) throws IOException {
        return switch (kind) {
            case LogisticLearner.KIND -> LogisticLearner.read(in);
            case GbmLearner.KIND -> GbmLearner.read(in, threads);
            default -> throw new IOException("unknown learner " + kind);
        };
    }

    String kind();
}
