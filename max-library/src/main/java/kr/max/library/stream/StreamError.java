package kr.max.library.stream;

import kr.max.core.ErrorCode;

/** Errors of stream datasets: what a connector or forwarder sent, and what it sent it to. */
public enum StreamError implements ErrorCode {
    /** The dataset exists but holds deposited files, not a stream. */
    NOT_A_STREAM("MAX-STREAM-001"),
    /** A stream dataset of that name exists already (or a deposited dataset does). */
    ALREADY_EXISTS("MAX-STREAM-002"),
    /** Within one append, a sequence number was not above the one before it. */
    SEQUENCE_BACKWARDS("MAX-STREAM-003"),
    /** A sample without a usable time, asset or tag, or with a negative sequence. */
    BAD_SAMPLE("MAX-STREAM-004"),
    /** A source name that is empty, too long or holds characters other than letters, digits and {@code ._:/-}. */
    BAD_SOURCE("MAX-STREAM-005"),
    /** The appender was closed. */
    CLOSED("MAX-STREAM-006"),
    /** The stream dataset was deleted while samples were being appended; they were not stored. */
    DATASET_GONE("MAX-STREAM-007"),
    /** A file deposit into a stream dataset. */
    DEPOSIT_INTO_STREAM("MAX-STREAM-008"),
    /** A bad flush interval. */
    BAD_INTERVAL("MAX-STREAM-009"),
    /** Edge rules that cannot be used. {0} the field ({@code tags.<tag>.round}, {@code max_class}), {1} the problem. */
    BAD_EDGE_RULES("MAX-STREAM-010"),
    /**
     * A posted sample the stream dataset's edge rules keep in the plant or generalize. {0} the source, {1} the sample's
     * index in the post, {2} its tag, {3} what the rules say of it.
     */
    EDGE_RULES_VIOLATED("MAX-STREAM-011"),
    /** Edge rules changed by someone else at the same moment. {0} the dataset. */
    EDGE_RULES_CONFLICT("MAX-STREAM-012"),
    /** A query listed a chunk that a compaction then replaced, and read it only after its grace period. */
    COMPACTED("MAX-STREAM-013");

    private final String code;

    StreamError(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }

    @Override
    public String bundle() {
        return "kr.max.library.stream.messages";
    }
}
