package kr.max.models.monitoring;

import kr.max.core.ErrorCode;

/** Errors a user meets with the process monitoring models (codes 200–299 of {@code kr.max.models}). */
public enum MonitoringError implements ErrorCode {
    /** {0} the model type, {1} the labels that count as normal, {2} some labels the data has. */
    NO_NORMAL_ROWS("MAX-MODEL-201");

    private final String code;

    MonitoringError(String code) {
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
