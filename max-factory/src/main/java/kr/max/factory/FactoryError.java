package kr.max.factory;

import kr.max.core.ErrorCode;

/**
 * Errors a user meets with the factory layer: an asset model file that cannot be read or does not hold
 * together (001–029), commands to the line simulator that it refuses (040–059), and equipment protocols
 * (connectors and the twin's protocol servers, 060–079). Numbers in the arguments
 * are passed as text, already formatted, so no locale adds digit grouping to a register address.
 */
public enum FactoryError implements ErrorCode {
    /** {0} the YAML parser's explanation (English). */
    MALFORMED_YAML("MAX-FACTORY-001"),
    /** {0} the key, {1} the keys allowed there. */
    UNKNOWN_KEY("MAX-FACTORY-002"),
    /** {0} the key. */
    DUPLICATE_KEY("MAX-FACTORY-003"),
    /** {0} the key, {1} the expected form in YAML syntax. */
    WRONG_TYPE("MAX-FACTORY-004"),
    /** {0} the key, {1} the word given, {2} the words allowed. */
    UNKNOWN_WORD("MAX-FACTORY-005"),
    /** {0} the key, {1} what it belongs to. */
    MISSING_KEY("MAX-FACTORY-006"),
    /** {0} the key, {1} the value, {2} the allowed range. */
    OUT_OF_RANGE("MAX-FACTORY-007"),
    /** {0} the id. */
    INVALID_ID("MAX-FACTORY-008"),
    /** {0} the path, {1} the line where it was first defined. */
    DUPLICATE_PATH("MAX-FACTORY-009"),
    /** {0} the equipment type, {1} the line where it was first defined. */
    DUPLICATE_TYPE("MAX-FACTORY-010"),
    /** {0} the equipment type asked for, {1} the types the file defines. */
    UNKNOWN_EQUIPMENT_TYPE("MAX-FACTORY-011"),
    /** {0} the unit, {1} the UCUM codes M.AX knows. */
    UNKNOWN_UNIT("MAX-FACTORY-012"),
    /** {0} the unit as written, {1} the UCUM code to write instead. */
    UNIT_SPELLING("MAX-FACTORY-013"),
    /** {0} the tag, {1} the low end, {2} the high end. */
    BAD_NORMAL_RANGE("MAX-FACTORY-014"),
    /** {0} the tag, {1} a limit's name, {2} its value, {3} the limit it must stay below, {4} that one's value. */
    LIMITS_OUT_OF_ORDER("MAX-FACTORY-015"),
    /** {0} the tag, {1} its role. */
    WRITABLE_NOT_SETPOINT("MAX-FACTORY-016"),
    /** {0} the tag. */
    SETPOINT_WITHOUT_RANGE("MAX-FACTORY-017"),
    /** {0} the tag, {1} the other tag, {2} the register table, {3} the address both use. */
    MODBUS_OVERLAP("MAX-FACTORY-018"),
    /** {0} the tag, {1} the register table, {2} the tag's data type, {3} the tables that fit it. */
    MODBUS_TABLE_NOT_FOR_TYPE("MAX-FACTORY-019"),
    /** {0} the tag, {1} the register table. */
    MODBUS_READ_ONLY_TABLE("MAX-FACTORY-020"),
    /** {0} the parameter, {1} the simulation model, {2} the parameters it knows. */
    UNKNOWN_PARAMETER("MAX-FACTORY-022"),
    /** {0} the tag, {1} the signal, {2} the simulation model, {3} the signals it has. */
    UNKNOWN_SIGNAL("MAX-FACTORY-023"),
    /** {0} the tag, {1} the signal, {2} the simulation model. */
    SIGNAL_NOT_WRITABLE("MAX-FACTORY-024"),
    /** {0} the file. */
    UNREADABLE_FILE("MAX-FACTORY-025"),

    /** {0} the tag path. */
    UNKNOWN_TAG("MAX-FACTORY-040"),
    /** {0} the equipment path. */
    UNKNOWN_EQUIPMENT("MAX-FACTORY-041"),
    /** {0} the tag, {1} its role. */
    NOT_WRITABLE("MAX-FACTORY-042"),
    /** {0} the tag, {1} the value, {2} the lowest allowed, {3} the highest allowed, {4} the unit. */
    SETPOINT_OUT_OF_LIMITS("MAX-FACTORY-043"),
    /** {0} the tag, {1} the value, {2} the tag's data type. */
    VALUE_NOT_OF_TYPE("MAX-FACTORY-044"),
    /** {0} the equipment, {1} the simulated time until which it does not answer. */
    COMMUNICATION_LOST("MAX-FACTORY-045"),
    /** {0} the fault, {1} the equipment, {2} its simulation model. */
    FAULT_NOT_APPLICABLE("MAX-FACTORY-046"),
    /** {0} the fault, {1} the argument, {2} the value, {3} what is expected. */
    BAD_FAULT_ARGUMENT("MAX-FACTORY-047"),
    /** {0} the tag. */
    SENSOR_FAULT_ON_SETPOINT("MAX-FACTORY-048"),
    /** {0} the time asked for, {1} the simulation's time now. */
    COMMAND_IN_THE_PAST("MAX-FACTORY-049"),
    /** {0} the setting, {1} the value, {2} what is expected. */
    BAD_SETTING("MAX-FACTORY-050"),
    /** {0} the tag, {1} its sample period in milliseconds, {2} the simulation step in milliseconds. */
    SAMPLE_PERIOD_NOT_A_MULTIPLE("MAX-FACTORY-051"),
    /** {0} the speed as written. */
    BAD_SPEED("MAX-FACTORY-052"),
    /** {0} the tag or equipment, {1} its equipment type. */
    NOT_SIMULATED("MAX-FACTORY-053"),
    /** {0} seconds waited. */
    TWIN_NOT_ANSWERING("MAX-FACTORY-054"),

    /** {0} the protocol, {1} the endpoint (host:port or URL, never credentials), {2} the cause (English). */
    CONNECT_FAILED("MAX-FACTORY-060"),
    /** {0} the tag, {1} the protocol. */
    PROTOCOL_READ_ONLY("MAX-FACTORY-061"),
    /** {0} the tag, {1} the value, {2} the protocol, {3} the equipment's answer (a status code or exception). */
    WRITE_REFUSED("MAX-FACTORY-062"),
    /** {0} the tag, {1} the protocol. */
    TAG_NOT_REACHABLE("MAX-FACTORY-063"),
    /** {0} the MQTT topic, {1} what is wrong. */
    MALFORMED_PAYLOAD("MAX-FACTORY-064"),
    /** {0} the protocol, {1} the endpoint, {2} the cause (English). */
    SERVER_START_FAILED("MAX-FACTORY-065");

    private final String code;

    FactoryError(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }

    @Override
    public String bundle() {
        return "kr.max.factory.messages";
    }
}
