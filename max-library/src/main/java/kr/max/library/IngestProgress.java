package kr.max.library;

/**
 * Hears how far a deposit has come, for a progress bar. Called from the ingesting thread or a
 * helper thread, a few times a second at most; must return quickly.
 */
@FunctionalInterface
public interface IngestProgress {

    IngestProgress NONE = (phase, fraction) -> { };

    /**
     * @param phase    {@link Phase} of the deposit
     * @param fraction 0 to 1 within the phase, or a negative value when unknown
     */
    void update(Phase phase, double fraction);

    /** The steps of a deposit, in order. */
    enum Phase { INFER, CONVERT, ENCRYPT, COMMIT }
}
