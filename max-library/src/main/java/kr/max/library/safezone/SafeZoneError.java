package kr.max.library.safezone;

import kr.max.core.ErrorCode;

/** Errors of the safe zone's output area. */
public enum SafeZoneError implements ErrorCode {
    NO_SUCH_OUTPUT("MAX-SAFE-001"),
    /** Released or rejected already: a decision is final. */
    ALREADY_REVIEWED("MAX-SAFE-002"),
    NOT_RELEASED("MAX-SAFE-003"),
    /** A held result is for review by a person: it must stay small enough to read. */
    TOO_MANY_ROWS("MAX-SAFE-004"),
    /** A held model is taken out by exporting it again, not read as rows. */
    NOT_A_RESULT("MAX-SAFE-005");

    private final String code;

    SafeZoneError(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }

    @Override
    public String bundle() {
        return "kr.max.library.safezone.messages";
    }
}
