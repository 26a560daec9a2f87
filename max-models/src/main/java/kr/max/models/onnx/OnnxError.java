package kr.max.models.onnx;

import kr.max.core.ErrorCode;

/** Errors of imported ONNX models (700–799). */
public enum OnnxError implements ErrorCode {
    /** {0} the file or model, {1} ONNX Runtime's explanation. */
    UNREADABLE("MAX-MODEL-700"),
    /** {0} the file or model, {1} its inputs as ONNX Runtime describes them. */
    INPUT_SHAPE("MAX-MODEL-701"),
    /** {0} the model, {1} the features its input takes, {2} the features of the data, {3} their names. */
    INPUT_WIDTH("MAX-MODEL-702"),
    /** {0} the model, {1} ONNX Runtime's explanation. */
    RUN_FAILED("MAX-MODEL-703"),
    /** {0} the model, {1} the first output as ONNX Runtime describes it. */
    OUTPUT_SHAPE("MAX-MODEL-704"),
    /** No arguments: ONNX models are trained elsewhere. */
    NOT_TRAINABLE("MAX-MODEL-705"),
    /** {0} the model, {1} the dataset. */
    NO_LABELS("MAX-MODEL-706");

    private final String code;

    OnnxError(String code) {
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
