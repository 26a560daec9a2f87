package kr.max.models;

/**
 * Scores one sample at a time, for streams. A scorer may keep state between calls (a window of recent
 * samples for a dynamic or windowed model), so one scorer serves one stream and is not thread-safe;
 * ask the model for another scorer per stream.
 */
public interface Scorer {

    /**
     * Scores a sample whose values follow {@link TrainedModel#features()}.
     *
     * @return the score and whether it passes the model's limit; {@link Score#ready()} is false while a
     *         windowed model has not seen enough samples
     */
    Score score(double[] sample);

    /**
     * @param value   the model's statistic (an anomaly score, a predicted remaining life, a class probability)
     * @param limit   the value beyond which the sample counts as abnormal, or NaN where the type has none
     * @param alarm   whether this sample is abnormal by the model's own limit
     * @param label   the predicted class, for classifiers; otherwise {@code null}
     * @param ready   false while a windowed model is still filling its window
     */
    record Score(double value, double limit, boolean alarm, String label, boolean ready) {
    }
}
