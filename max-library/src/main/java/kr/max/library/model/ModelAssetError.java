package kr.max.library.model;

import kr.max.core.ErrorCode;

/**
 * Errors of models as library assets (the registry's 600–619; {@code kr.max.models.registry} uses 620–699).
 */
public enum ModelAssetError implements ErrorCode {
    /** {0} the model name. */
    NO_SUCH_MODEL("MAX-MODEL-600"),
    /** {0} the model name, {1} the version asked for. */
    NO_SUCH_VERSION("MAX-MODEL-601"),
    /** {0} the name given. */
    INVALID_NAME("MAX-MODEL-602"),
    /** {0} the model, {1} the classification asked for, {2} the one its training data demand. */
    CLASSIFICATION_BELOW_DATA("MAX-MODEL-603"),
    /** {0} the model reference, {1} the target file, {2} what went wrong. */
    EXPORT_FAILED("MAX-MODEL-604"),
    /** {0} the model name: created, or given another key, by someone else while a version was registered. */
    CONFLICT("MAX-MODEL-605");

    private final String code;

    ModelAssetError(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }

    @Override
    public String bundle() {
        return "kr.max.library.model.messages";
    }
}
