package kr.max.library.fingerprint;

import kr.max.core.ErrorCode;

/** Errors of export fingerprinting that a user (or the library's integrator) can meet. */
public enum FingerprintError implements ErrorCode {
    /** The column's tolerance cannot hold a mark: rounding plus one step must stay within it. */
    TOLERANCE_TOO_SMALL("MAX-FP-001"),
    /** A resolution or tolerance that is not a positive finite number. */
    BAD_RESOLUTION("MAX-FP-002"),
    /** A scheme with no column to mark: such an export could never be traced. */
    NOTHING_TO_MARK("MAX-FP-003"),
    /** A column named twice, or both marked and used as a key. */
    DUPLICATE_COLUMN("MAX-FP-004"),
    /** The selection rate 1/γ is out of range. */
    BAD_GAMMA("MAX-FP-005"),
    /** A stored secret that is not 32 bytes long. */
    BAD_SECRET("MAX-FP-006"),
    /** The scheme names a column the export does not have. */
    NO_SUCH_COLUMN("MAX-FP-007"),
    /** A marked column holds something other than a number. */
    NOT_A_NUMBER("MAX-FP-008");

    private final String code;

    FingerprintError(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }

    @Override
    public String bundle() {
        return "kr.max.library.fingerprint.messages";
    }
}
