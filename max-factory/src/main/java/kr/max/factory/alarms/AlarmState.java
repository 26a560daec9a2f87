package kr.max.factory.alarms;

/**
 * Where an alarm stands in its lifecycle, after the state model of ANSI/ISA-18.2 (the letters are the standard's).
 * The allowed moves between states are all in one place, {@code Lifecycle}; an operator command that the state does
 * not allow is refused with a {@code MAX-ALARM} code naming the state.
 *
 * <p>Latched alarms and out-of-service (ISA-18.2 states E, F and I) are not modelled.
 */
public enum AlarmState {
    /** A: the condition is absent and nothing is pending. */
    NORMAL("normal", false),
    /** B: the condition is present and no operator has acknowledged it yet. */
    UNACKNOWLEDGED("unacknowledged", true),
    /** C: the condition is present and an operator has acknowledged it. */
    ACKNOWLEDGED("acknowledged", true),
    /** D: the condition cleared before anyone acknowledged it; it stays on the list until acknowledged. */
    RETURNED_UNACKNOWLEDGED("returned-unacknowledged", true),
    /** G: an operator took it off the list for a limited time (a known bad sensor, maintenance); it returns by itself. */
    SHELVED("shelved", false),
    /** H: suppressed by design (the equipment is stopped, a mode where the alarm means nothing) until released. */
    SUPPRESSED("suppressed", false);

    private final String word;
    private final boolean annunciated;

    AlarmState(String word, boolean annunciated) {
        this.word = word;
        this.annunciated = annunciated;
    }

    /** The word for messages, the HTTP API and the {@code max alarms} listing. */
    public String word() {
        return word;
    }

    /** Whether it belongs on the operator's alarm list (B, C and D). */
    public boolean annunciated() {
        return annunciated;
    }
}
