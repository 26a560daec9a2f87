package kr.max.factory.assets;

/**
 * Alarm limits of a tag; any of them may be absent ({@code null}). Present limits are ordered
 * {@code loLo < lo <= normal.low < normal.high <= hi < hiHi}: an alarm sounds outside the normal range, never inside.
 */
public record AlarmLimits(Double loLo, Double lo, Double hi, Double hiHi) {

    public static final AlarmLimits NONE = new AlarmLimits(null, null, null, null);

    public boolean isEmpty() {
        return loLo == null && lo == null && hi == null && hiHi == null;
    }
}
