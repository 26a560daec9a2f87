package kr.max.factory.alarms;

/** What raises an alarm: one of a tag's fixed limits, its rate of change, or a model scoring the stream. */
public enum AlarmKind {
    /** At or above the tag's very-high limit. */
    HIHI("hihi", AlarmPriority.HIGH),
    /** At or above the tag's high limit. */
    HI("hi", AlarmPriority.MEDIUM),
    /** At or below the tag's low limit. */
    LO("lo", AlarmPriority.MEDIUM),
    /** At or below the tag's very-low limit. */
    LOLO("lolo", AlarmPriority.HIGH),
    /** Changing faster than the tag's largest plausible rate ({@code max_rate_per_s}). */
    RATE_OF_CHANGE("rate", AlarmPriority.LOW),
    /** A standard model's score beyond its limit for several windows in a row. */
    MODEL("model", AlarmPriority.MEDIUM);

    private final String word;
    private final AlarmPriority priority;

    AlarmKind(String word, AlarmPriority priority) {
        this.word = word;
        this.priority = priority;
    }

    /** The word in alarm ids and listings: {@code hi}, {@code rate}, {@code model}, … */
    public String word() {
        return word;
    }

    /** The priority an alarm of this kind gets unless configured otherwise. */
    public AlarmPriority defaultPriority() {
        return priority;
    }
}
