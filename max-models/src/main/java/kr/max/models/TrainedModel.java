package kr.max.models;

/**
 * A trained standard model: it predicts in batch, evaluates against labelled data, scores online and
 * writes itself to bytes the registry encrypts and stores.
 */
public interface TrainedModel {

    /** The {@link ModelType#id()} that made it. */
    String type();

    /** Feature names it was trained on, in order; binding a new frame checks them. */
    java.util.List<String> features();

    /**
     * Batch prediction. The columns depend on the type (one row per unit with {@code unit,rul} for
     * remaining useful life, one row per sample with a score and a flag for detectors, …).
     */
    Predictions predict(Frame data);

    /** Metrics against the labels (or the ground truth the type derives) of {@code data}. */
    Metrics evaluate(Frame data);

    /** Online scoring, one sample or window at a time, for the factory layer. */
    Scorer scorer();

    /** The model's full state; {@link ModelType#read(byte[])} gives back an equal model. */
    byte[] toBytes();
}
