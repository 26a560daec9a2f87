package kr.max.models.vibration;

import kr.max.core.ErrorCode;

/** Errors a user meets training a vibration fault classifier (codes 300–399). */
public enum VibrationError implements ErrorCode {
    /** {0} the model type, {1} the window in samples, {2} the most samples any record has in its training part. */
    NO_TRAINING_WINDOW("MAX-MODEL-301"),
    /** {0} the model type, {1} the only class, {2} the number of training windows. */
    ONE_CLASS("MAX-MODEL-302");

    private final String code;

    VibrationError(String code) {
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
