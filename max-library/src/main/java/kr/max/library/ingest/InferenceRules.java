package kr.max.library.ingest;

/**
 * The rules of type inference that other parts of the library must apply the same way (the DuckDB
 * fast path of a deposit checks its sample-based guesses against them).
 */
public final class InferenceRules {

    /** {@link kr.max.core.dictionary.ColumnSpec#format()} of timestamps in ISO 8601 form. */
    public static final String ISO_FORMAT = TimestampPattern.ISO;

    private InferenceRules() {
    }

    /**
     * Whether a type fits a column: all but a few of its non-blank values fit it — at most 0.1% of them,
     * or in a small file up to three (one in fifty at most).
     */
    public static boolean mostFit(long nonBlank, long fitting) {
        long tolerated = Math.max(nonBlank * ColumnStats.TOLERATED_PER_MILLE / 1000,
                Math.min(ColumnStats.SMALL_FILE_TOLERANCE, nonBlank / 50));
        return nonBlank - fitting <= tolerated;
    }
}
