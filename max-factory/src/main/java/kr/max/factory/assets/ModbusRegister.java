package kr.max.factory.assets;

/**
 * Where a tag lives in its equipment's Modbus map: engineering value = raw register value × {@code scale}.
 * Values of more than one register (int32, uint32, float) take consecutive registers, high word first.
 *
 * @param table   the data table
 * @param address 0-based address in the table (protocol address, not the 4xxxx reference)
 * @param scale   engineering units per raw count (1 for an unscaled value)
 */
public record ModbusRegister(RegisterTable table, int address, double scale) {
}
