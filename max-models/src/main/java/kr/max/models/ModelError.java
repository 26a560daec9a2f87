package kr.max.models;

import kr.max.core.ErrorCode;

/**
 * Errors a user meets with standard models: choosing a type and its parameters (001–009), data that does
 * not fit a type (010–019), stored models (020–029), published results (030–039). Each model package may add codes from 100 on in
 * steps of 100 (rul 100–199, monitoring 200–299, vibration 300–399, quality 400–499, anomaly 500–599,
 * registry 600–699, onnx 700–799) in its own enum, with its own messages in this module's bundle.
 */
public enum ModelError implements ErrorCode {
    /** {0} the type asked for, {1} the known types. */
    UNKNOWN_TYPE("MAX-MODEL-001"),
    /** {0} the parameter, {1} the model type, {2} the parameters it knows. */
    UNKNOWN_PARAMETER("MAX-MODEL-002"),
    /** {0} the parameter, {1} the value given, {2} what is expected. */
    BAD_PARAMETER("MAX-MODEL-003"),
    /** {0} the parameters file, {1} the parser's explanation. */
    MALFORMED_PARAMETERS("MAX-MODEL-004"),
    /** {0} the model type, {1} the role it needs, {2} the dataset. */
    MISSING_ROLE("MAX-MODEL-010"),
    /** {0} the model type, {1} rows (or units) present, {2} the least it needs. */
    TOO_LITTLE_DATA("MAX-MODEL-011"),
    /** {0} the label value, {1} what the type expects. */
    UNREADABLE_LABEL("MAX-MODEL-012"),
    /** {0} the model, {1} the features it was trained on, {2} the features of the data. */
    FEATURES_DIFFER("MAX-MODEL-013"),
    /** {0} the model type, {1} what was wrong with the bytes. */
    UNREADABLE_MODEL("MAX-MODEL-020"),
    /** {0} the reference asked for, {1} the known ones. */
    UNKNOWN_REFERENCE("MAX-MODEL-030");

    private final String code;

    ModelError(String code) {
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
