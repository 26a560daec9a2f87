package kr.max.factory.alarms;

/**
 * How urgently an operator must respond. Three levels, as ISA-18.2 and EEMUA 191 advise (more levels blur the
 * distinction): very-high and very-low limits are {@link #HIGH}, high and low limits and model alarms
 * {@link #MEDIUM}, rates of change {@link #LOW} (often a sensor, seldom the process).
 */
public enum AlarmPriority {
    HIGH("high"),
    MEDIUM("medium"),
    LOW("low");

    private final String word;

    AlarmPriority(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }
}
