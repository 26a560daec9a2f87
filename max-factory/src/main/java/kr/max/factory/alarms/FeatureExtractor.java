package kr.max.factory.alarms;

import java.util.List;

/**
 * Turns a window of one equipment's samples into the feature vector a model scores. A window is a run of
 * consecutive <em>rows</em>: one value of each input tag, all stamped with the same time (the tags an equipment
 * produces together). Implementations are stateless, so training and online scoring compute the same features.
 */
public interface FeatureExtractor {

    /** The equipment's tag ids read, in the order of each row's values. */
    List<String> inputs();

    /** The feature names, in the order {@link #features} writes them; a model must have been trained on exactly these. */
    List<String> names();

    /** Rows per window; windows do not overlap. */
    int windowRows();

    /** The features of one window: {@code rows[i][j]} is input {@code j} in row {@code i}, oldest row first. */
    double[] features(double[][] rows);
}
