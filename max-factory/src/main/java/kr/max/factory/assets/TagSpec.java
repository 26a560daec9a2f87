package kr.max.factory.assets;

/**
 * One tag of an equipment type, as the asset model defines it. Every equipment of the type has the tag.
 *
 * @param id               the tag's id, the last segment of its {@link TagPath}
 * @param name             Korean and English name
 * @param role             measurement, setpoint, status or counter
 * @param unit             UCUM code from M.AX's subset ({@link Units})
 * @param type             data type on the wire
 * @param normal           the normal operating range; for a writable setpoint, the range writes must stay in.
 *                         {@code null} if not given
 * @param alarms           alarm limits, ordered around the normal range
 * @param maxRatePerSecond the largest plausible change per second, in the tag's unit (a safety guard refuses
 *                         faster setpoint changes, a data check flags faster measured ones); {@code null} if not given
 * @param writable         whether a setpoint may be written through the platform
 * @param sampleMillis     how often the tag produces a sample
 * @param signal           the simulation model's signal the tag reads (the tag id unless the file says otherwise)
 * @param modbus           where the tag lives in the equipment's Modbus map; {@code null} if it has no register
 */
public record TagSpec(String id, Name name, TagRole role, String unit, DataType type, Range normal,
        AlarmLimits alarms, Double maxRatePerSecond, boolean writable, int sampleMillis, String signal,
        ModbusRegister modbus) {

    /** Sample period when the file gives none. */
    public static final int DEFAULT_SAMPLE_MILLIS = 1000;
}
