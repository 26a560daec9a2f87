package kr.max.factory.alarms;

import kr.max.core.ErrorCode;

/**
 * Errors of online scoring and alarms: operator commands the alarm's state does not allow (001–019) and model
 * watches that cannot be set up or trained (020–039). Arguments are text, already formatted.
 */
public enum AlarmError implements ErrorCode {
    /** {0} the alarm id. */
    UNKNOWN_ALARM("MAX-ALARM-001"),
    /** {0} the alarm id, {1} its state. */
    NOTHING_TO_ACKNOWLEDGE("MAX-ALARM-002"),
    /** {0} the alarm id, {1} who acknowledged it, {2} when. */
    ALREADY_ACKNOWLEDGED("MAX-ALARM-003"),
    /** {0} the alarm id, {1} the command, {2} its state (shelved or suppressed). */
    NOT_ANNUNCIATED("MAX-ALARM-004"),
    /** {0} the alarm id, {1} who shelved it, {2} until when. */
    ALREADY_SHELVED("MAX-ALARM-005"),
    /** {0} the alarm id, {1} its state. */
    NOT_SHELVED("MAX-ALARM-006"),
    /** {0} the alarm id, {1} the duration asked for, {2} the longest allowed. */
    BAD_SHELVE_DURATION("MAX-ALARM-007"),
    /** {0} the command. */
    OPERATOR_REQUIRED("MAX-ALARM-008"),
    /** {0} the alarm id, {1} the command. */
    REASON_REQUIRED("MAX-ALARM-009"),
    /** {0} the alarm id, {1} its state. */
    NOT_SUPPRESSED("MAX-ALARM-010"),
    /** {0} the alarm id, {1} who suppressed it. */
    ALREADY_SUPPRESSED("MAX-ALARM-011"),

    /** {0} the equipment path. */
    WATCH_UNKNOWN_EQUIPMENT("MAX-ALARM-020"),
    /** {0} the equipment, {1} the tag id, {2} the tags it has. */
    WATCH_MISSING_TAG("MAX-ALARM-021"),
    /** {0} the model, {1} the features it was trained on, {2} the features the watch computes. */
    MODEL_FEATURES_DIFFER("MAX-ALARM-022"),
    /** {0} the equipment, {1} the windows recorded, {2} the windows needed, {3} the duration run. */
    TOO_LITTLE_NORMAL_OPERATION("MAX-ALARM-023"),
    /** {0} the setting, {1} the value, {2} what is expected. */
    BAD_SETTING("MAX-ALARM-024"),
    /** {0} the alarm id. */
    DUPLICATE_WATCH("MAX-ALARM-025");

    private final String code;

    AlarmError(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }

    @Override
    public String bundle() {
        return Alarm.BUNDLE;
    }
}
