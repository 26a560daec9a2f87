package kr.max.core;

/** Errors of the shared vocabulary. */
public enum CoreError implements ErrorCode {
    /** A name (dataset, organization, …) breaks the naming rule. */
    INVALID_NAME("MAX-CORE-001"),
    /** An enumerated value (classification, role, …) is not one of the allowed words. */
    UNKNOWN_VALUE("MAX-CORE-002"),
    /** An ISA-95 asset path has too many or empty levels. */
    INVALID_ASSET_PATH("MAX-CORE-003");

    private final String code;

    CoreError(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }

    @Override
    public String bundle() {
        return "kr.max.core.messages";
    }
}
