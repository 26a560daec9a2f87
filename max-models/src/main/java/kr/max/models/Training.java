package kr.max.models;

/**
 * What {@link ModelType#train} returns.
 *
 * @param model   the trained model
 * @param metrics its figures on the held-out part of the training data
 * @param card    the model card: purpose, intended use, data, split, metrics and limitations
 */
public record Training(TrainedModel model, Metrics metrics, ModelCard card) {
}
