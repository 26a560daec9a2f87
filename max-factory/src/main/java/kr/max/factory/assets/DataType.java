package kr.max.factory.assets;

/**
 * The type a tag's value has on the wire (OPC UA, Modbus). Samples carry every value as a {@code double};
 * the type says how protocol servers encode it and what a setpoint write may be.
 *
 * <p>Integer and boolean types carry whole numbers only: of the tag's unit, or, for a tag with a Modbus register,
 * of its scale (an int16 register of scale 0.1 carries 230.4 °C as 2304). {@link #min()} and {@link #max()} bound
 * the whole number the type can hold (infinite for floating point).
 */
public enum DataType {
    DOUBLE("double", 4, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY),
    FLOAT("float", 2, -Float.MAX_VALUE, Float.MAX_VALUE),
    INT16("int16", 1, Short.MIN_VALUE, Short.MAX_VALUE),
    UINT16("uint16", 1, 0, 65_535),
    INT32("int32", 2, Integer.MIN_VALUE, Integer.MAX_VALUE),
    UINT32("uint32", 2, 0, 4_294_967_295.0),
    BOOL("bool", 1, 0, 1);

    private final String word;
    private final int registers;
    private final double min;
    private final double max;

    DataType(String word, int registers, double min, double max) {
        this.word = word;
        this.registers = registers;
        this.min = min;
        this.max = max;
    }

    public String word() {
        return word;
    }

    /** 16-bit Modbus registers one value takes (a bool takes one coil or discrete input). */
    public int registers() {
        return registers;
    }

    public double min() {
        return min;
    }

    public double max() {
        return max;
    }

    /** Whether values are whole numbers (integers and bool). */
    public boolean integral() {
        return this != DOUBLE && this != FLOAT;
    }
}
