package kr.max.models.quality;

import kr.max.core.ErrorCode;

/** Errors a user meets training a pass/fail quality model (codes 400–499). */
public enum QualityError implements ErrorCode {
    /** {0} the model type, {1} which part ("the training part", "the data"), {2} shots in it, {3} the one class they all have. */
    ONE_CLASS("MAX-MODEL-401"),
    /** {0} the label value, {1} the labels found, {2} the positive label asked for. */
    AMBIGUOUS_NEGATIVE("MAX-MODEL-402");

    private final String code;

    QualityError(String code) {
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
