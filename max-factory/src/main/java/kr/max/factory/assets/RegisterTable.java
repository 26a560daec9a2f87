package kr.max.factory.assets;

/** The four Modbus data tables. Input registers and discrete inputs are read-only. */
public enum RegisterTable {
    HOLDING, INPUT, COIL, DISCRETE;

    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public boolean writable() {
        return this == HOLDING || this == COIL;
    }

    /** Coils and discrete inputs hold bits; the other two hold 16-bit registers. */
    public boolean bits() {
        return this == COIL || this == DISCRETE;
    }
}
