package kr.max.models;

import java.util.List;
import kr.max.core.dictionary.ColumnRole;

/**
 * A kind of standard model (remaining useful life, process monitoring, …): what it needs from a dataset,
 * how it trains and how a stored one is read back. Implementations are stateless and thread-safe.
 *
 * <p>A type binds to data through roles ({@link #requires()}), so it works on any dataset whose data
 * dictionary has them, whatever the columns are called.
 */
public interface ModelType {

    /** Stable identifier used on the command line and in the registry, for example {@code rul-gbm}. */
    String id();

    /** What the model is for, in Korean and English (one line each), for listings and model cards. */
    String titleKo();

    String titleEn();

    /** Roles the training data must have besides numeric features; a model card names them. */
    List<ColumnRole> requires();

    /** Parameters this type understands, with their defaults; any other name is refused. */
    Params defaults();

    /**
     * Trains on {@code data} with the given parameters and seed. The same data, parameters and seed give
     * the same model. The result holds the model, the metrics on a held-out part of {@code data} chosen
     * as the card states, and the card.
     *
     * @throws kr.max.core.MaxException with a {@link ModelError} code when the data cannot train this type
     *                                  (a missing role, too few rows, a label it cannot read)
     */
    Training train(Frame data, Params params, long seed);

    /** Reads a model this type wrote with {@link TrainedModel#toBytes()}. */
    TrainedModel read(byte[] bytes);
}
