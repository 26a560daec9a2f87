package kr.max.factory.edge;

import kr.max.core.ErrorCode;

/**
 * Errors of the edge node: its local buffer (001–009), the hub it forwards to (010–019) and its command line
 * (020–029). Messages name files, sources and the hub's URL, never sample values or the hub token.
 */
public enum EdgeError implements ErrorCode {
    /** {0} the file or directory, {1} the cause (English). */
    BUFFER_IO("MAX-EDGE-001"),
    /** {0} the segment file, {1} the byte offset of the record, {2} what is wrong. */
    BUFFER_CORRUPT("MAX-EDGE-002"),
    /** {0} the buffer directory. */
    BUFFER_LOCKED("MAX-EDGE-003"),
    /** {0} the buffer directory. */
    BUFFER_CLOSED("MAX-EDGE-004"),
    /** {0} the segment file, {1} the offset where the torn tail began, {2} the bytes dropped. */
    TORN_TAIL("MAX-EDGE-005"),

    /** {0} the source, {1} the HTTP status, {2} the hub's explanation. */
    HUB_REFUSED("MAX-EDGE-010"),
    /** {0} the hub's URL, {1} the cause (English). */
    HUB_UNREACHABLE("MAX-EDGE-011"),
    /** {0} the hub's URL, {1} what is wrong with its answer. */
    HUB_BAD_ANSWER("MAX-EDGE-012"),
    /** {0} the source, {1} the hub's committed mark, {2} the edge's acknowledged mark. */
    HUB_BEHIND("MAX-EDGE-013"),
    /** The hub refused its edge rules: nothing is forwarded. {0} the dataset, {1} the HTTP status, {2} the hub's explanation. */
    RULES_REFUSED("MAX-EDGE-014"),
    /** The hub's edge rules cannot be had or used: nothing is forwarded. {0} the dataset, {1} the hub's URL, {2} what is wrong. */
    RULES_UNAVAILABLE("MAX-EDGE-015"),

    /** {0} the option, {1} the value given, {2} what is expected. */
    BAD_ARGUMENT("MAX-EDGE-020"),
    /** {0} the option. */
    MISSING_ARGUMENT("MAX-EDGE-021");

    private final String code;

    EdgeError(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }

    @Override
    public String bundle() {
        return "kr.max.factory.messages";
    }
}
