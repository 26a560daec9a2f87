package kr.max.factory.modbus;

import kr.max.factory.assets.DataType;
import kr.max.factory.assets.ModbusRegister;

/**
 * A tag's value in 16-bit registers and back, per the asset model's register map: raw = value / scale, integers
 * rounded, multi-register values high word first (int32, uint32, float as IEEE 754 single, double as IEEE 754
 * double). Floating types ignore the scale's rounding but still divide by it.
 */
final class RegisterCodec {

    private RegisterCodec() {
    }

    static int[] encode(double value, DataType type, ModbusRegister reg) {
        double scaled = value / reg.scale();
        return switch (type) {
            case INT16, UINT16, BOOL -> new int[] {(int) clamp(Math.rint(scaled), type) & 0xFFFF};
            case INT32, UINT32 -> {
                long raw = (long) clamp(Math.rint(scaled), type);
                yield new int[] {(int) (raw >>> 16) & 0xFFFF, (int) raw & 0xFFFF};
            }
            case FLOAT -> {
                int bits = Float.floatToIntBits((float) scaled);
                yield new int[] {bits >>> 16, bits & 0xFFFF};
            }
            case DOUBLE -> {
                long bits = Double.doubleToLongBits(scaled);
                yield new int[] {(int) (bits >>> 48) & 0xFFFF, (int) (bits >>> 32) & 0xFFFF, (int) (bits >>> 16) & 0xFFFF,
                        (int) bits & 0xFFFF};
            }
        };
    }

    /** {@code words} hold unsigned 16-bit values, {@code type.registers()} of them from {@code offset}. */
    static double decode(int[] words, int offset, DataType type, ModbusRegister reg) {
        double raw = switch (type) {
            case INT16 -> (short) words[offset];
            case UINT16, BOOL -> words[offset] & 0xFFFF;
            case INT32 -> ((words[offset] & 0xFFFF) << 16) | (words[offset + 1] & 0xFFFF);
            case UINT32 -> (((long) (words[offset] & 0xFFFF)) << 16) | (words[offset + 1] & 0xFFFF);
            case FLOAT -> Float.intBitsToFloat(((words[offset] & 0xFFFF) << 16) | (words[offset + 1] & 0xFFFF));
            case DOUBLE -> Double.longBitsToDouble(((long) (words[offset] & 0xFFFF) << 48)
                    | ((long) (words[offset + 1] & 0xFFFF) << 32) | ((long) (words[offset + 2] & 0xFFFF) << 16)
                    | (words[offset + 3] & 0xFFFF));
        };
        if (type.integral()) {
            double inverse = 1 / reg.scale();
            // 0.1 is not exact in binary but 10 is: 2304 / 10 gives 230.4, 2304 × 0.1 gives 230.40000000000003
            return inverse == Math.rint(inverse) ? raw / inverse : raw * reg.scale();
        }
        return raw * reg.scale();
    }

    private static double clamp(double raw, DataType type) {
        return Math.clamp(raw, type.min(), type.max());
    }
}
