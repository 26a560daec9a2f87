package kr.max.factory.twin;

/** The quality of a sample, as OPC UA status codes and historians use it. */
public enum Quality {
    /** The value is what the sensor measures (which a stuck or drifting sensor may still get wrong). */
    GOOD,
    /** No usable value: the equipment does not answer; the sample repeats the last good value (NaN if there was none). */
    BAD,
    /** The value is doubtful: it did not fit the tag's data type or Modbus register and was clamped to fit. */
    UNCERTAIN
}
