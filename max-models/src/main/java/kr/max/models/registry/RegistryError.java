package kr.max.models.registry;

import kr.max.core.ErrorCode;

/**
 * Errors of the model registry's jobs (620–699; the library's model assets use 600–619).
 */
public enum RegistryError implements ErrorCode {
    /** {0} the model reference, {1} its type. */
    TYPE_NOT_INSTALLED("MAX-MODEL-620"),
    /** {0} the model reference, {1} values given, {2} features it needs, {3} their names. */
    SAMPLE_WIDTH("MAX-MODEL-621"),
    /** {0} the file, {1} what went wrong. */
    PREDICTIONS_NOT_WRITTEN("MAX-MODEL-622"),
    /** {0} the file, {1} what went wrong. */
    UNREADABLE_FILE("MAX-MODEL-623");

    private final String code;

    RegistryError(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }

    @Override
    public String bundle() {
        return "kr.max.models.messages";
    }
}
