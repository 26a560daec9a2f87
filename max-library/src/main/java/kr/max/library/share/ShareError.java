package kr.max.library.share;

import kr.max.core.ErrorCode;

/** Errors of the provider's protections: controls, de-identified releases, fingerprinted exports and tracing. */
public enum ShareError implements ErrorCode {
    /** {0} dataset, {1} column, {2} the dataset's columns. */
    UNKNOWN_COLUMN("MAX-SHARE-001"),
    /** {0} the word. */
    NOT_A_USE("MAX-SHARE-002"),
    /** {0} release name, {1} source dataset. */
    RELEASE_NAME_TAKEN("MAX-SHARE-003"),
    /** {0} file, {1} why. */
    SUSPECT_UNREADABLE("MAX-SHARE-004");

    private final String code;

    ShareError(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }

    @Override
    public String bundle() {
        return "kr.max.library.share.messages";
    }
}
