package kr.max.factory.assets;

/** What a tag carries; only a {@link #SETPOINT} may be writable. */
public enum TagRole {
    /** A sensor reading (temperature, pressure, vibration feature). */
    MEASUREMENT,
    /** A value the process is controlled to; readable back, writable where the tag says so. */
    SETPOINT,
    /** A state or a per-cycle result (last shot defective, running). */
    STATUS,
    /** A count that only grows (shots, strokes, defects). */
    COUNTER;

    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
