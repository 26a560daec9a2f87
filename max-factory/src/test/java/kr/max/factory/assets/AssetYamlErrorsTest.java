package kr.max.factory.assets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Locale;
import kr.max.core.MaxException;
import kr.max.factory.FactoryError;
import org.junit.jupiter.api.Test;

/** Every complaint about an asset model file names its code, the file, the line and the column. */
class AssetYamlErrorsTest {

    /** A valid file; {@code TAG} and {@code EQUIPMENT} mark where a case puts its lines. */
    static final String BASE = """
            enterprise: { id: hanbit, name: { ko: 한빛정밀, en: Hanbit Precision } }
            equipment_types:
              - id: tank
                name: { ko: 용해조, en: Melting tank }
                model: melting-tank
                tags:
                  - id: melt-temperature
                    name: { ko: 용탕 온도, en: Melt temperature }
                    unit: Cel
            TAG
            sites:
              - id: changwon
                name: { ko: 창원공장, en: Changwon plant }
                areas:
                  - id: molding
                    name: { ko: 성형동, en: Molding area }
                    lines:
                      - id: line-1
                        name: { ko: 1라인, en: Line 1 }
                        cells:
                          - id: cell-1
                            name: { ko: 셀, en: Cell }
                            equipment:
                              - id: MLT-01
                                name: { ko: 용해조 1호기, en: Melting tank 1 }
                                type: tank
            EQUIPMENT
            """;

    /** Line 10 of BASE. */
    static final int TAG_LINE = 10;
    /** Line of EQUIPMENT when TAG is replaced by nothing (the equipment cases leave the tags alone). */
    static final int EQUIPMENT_LINE = 26;

    static String with(String tag, String equipment) {
        return BASE.replace("TAG\n", tag).replace("EQUIPMENT\n", equipment);
    }

    static MaxException error(String yaml) {
        return catchThrowableOfType(MaxException.class, () -> AssetModel.parse(yaml, "line.yaml"));
    }

    static void assertError(MaxException e, FactoryError code, long line, int column) {
        assertThat(e).as("expected %s", code.code()).isNotNull();
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.location().file()).isEqualTo("line.yaml");
        assertThat(e.location().line()).as("line of: " + e.getMessage()).isEqualTo(line);
        assertThat(e.location().column()).as("column of: " + e.getMessage()).isEqualTo(column);
        assertThat(e.getMessage()).startsWith(code.code() + " line.yaml:" + line + ":" + column + ": ");
    }

    @Test
    void theBaseFileIsValid() {
        assertThat(AssetModel.parse(with("", ""), "line.yaml").tags()).hasSize(1);
    }

    @Test
    void malformedYamlNamesWhereTheParserStopped() {
        var e = error(with("      - id: level\n        name: { ko: 레벨, en: Level\n        unit: \"%\"\n", ""));
        assertThat(e.code()).isEqualTo(FactoryError.MALFORMED_YAML);
        assertThat(e.location().line()).isGreaterThanOrEqualTo(TAG_LINE);
        assertThat(e.location().column()).isPositive();
    }

    @Test
    void unknownKeyIsNamedWithTheKeysAllowed() {
        var e = error(with("""
                      - id: level
                        name: { ko: 레벨, en: Level }
                        unit: "%"
                        colour: red
                """, ""));
        assertError(e, FactoryError.UNKNOWN_KEY, TAG_LINE + 3, 9);
        assertThat(e.getMessage()).contains("\"colour\"").contains("normal, alarms");
    }

    @Test
    void misspelledUnitIsAnsweredWithItsUcumCode() {
        var e = error(with("""
                      - id: level
                        name: { ko: 레벨, en: Level }
                        unit: °C
                """, ""));
        assertError(e, FactoryError.UNIT_SPELLING, TAG_LINE + 2, 15);
        assertThat(e.getMessage()).contains("\"°C\"").contains("\"Cel\"");
        assertThat(e.message(Locale.KOREAN)).contains("UCUM 코드가 아닙니다");
    }

    @Test
    void unknownUnitListsTheSubset() {
        var e = error(with("""
                      - id: level
                        name: { ko: 레벨, en: Level }
                        unit: furlong
                """, ""));
        assertError(e, FactoryError.UNKNOWN_UNIT, TAG_LINE + 2, 15);
        assertThat(e.getMessage()).contains("Cel, K, bar");
    }

    @Test
    void alarmLimitInsideTheNormalRangeIsRefused() {
        var e = error(with("""
                      - id: level
                        name: { ko: 레벨, en: Level }
                        unit: "%"
                        normal: [35, 90]
                        alarms: { lo_lo: 15, lo: 40, hi: 95 }
                """, ""));
        assertError(e, FactoryError.LIMITS_OUT_OF_ORDER, TAG_LINE + 4, 34);
        assertThat(e.getMessage()).contains("lo = 40 must be below normal[0] = 35");
    }

    @Test
    void alarmLimitsOutOfOrderAmongThemselvesAreRefused() {
        var e = error(with("""
                      - id: level
                        name: { ko: 레벨, en: Level }
                        unit: "%"
                        alarms: { hi: 95, hi_hi: 90 }
                """, ""));
        assertError(e, FactoryError.LIMITS_OUT_OF_ORDER, TAG_LINE + 3, 34);
        assertThat(e.getMessage()).contains("hi = 95 must be below hi_hi = 90");
    }

    @Test
    void normalRangeMustRunUpwards() {
        var e = error(with("""
                      - id: level
                        name: { ko: 레벨, en: Level }
                        unit: "%"
                        normal: [90, 35]
                """, ""));
        assertError(e, FactoryError.BAD_NORMAL_RANGE, TAG_LINE + 3, 17);
    }

    @Test
    void onlySetpointsMayBeWritable() {
        var e = error(with("""
                      - id: level
                        name: { ko: 레벨, en: Level }
                        unit: "%"
                        writable: true
                """, ""));
        assertError(e, FactoryError.WRITABLE_NOT_SETPOINT, TAG_LINE + 3, 9);
        assertThat(e.getMessage()).contains("role is measurement");
    }

    @Test
    void writableSetpointNeedsTheRangeWritesAreCheckedAgainst() {
        var e = error(with("""
                      - id: temperature-setpoint
                        name: { ko: 설정 온도, en: Setpoint }
                        role: setpoint
                        unit: Cel
                        writable: true
                """, ""));
        assertError(e, FactoryError.SETPOINT_WITHOUT_RANGE, TAG_LINE, 9);
    }

    @Test
    void tagMustReadASignalOfItsSimulationModel() {
        var e = error(with("""
                      - id: viscosity
                        name: { ko: 점도, en: Viscosity }
                        unit: "1"
                """, ""));
        assertError(e, FactoryError.UNKNOWN_SIGNAL, TAG_LINE, 9);
        assertThat(e.getMessage()).contains("tank/viscosity").contains("melting-tank").contains("melt-temperature, heater-duty");
    }

    @Test
    void duplicateTagIdNamesTheFirstLine() {
        var e = error(with("""
                      - id: melt-temperature
                        name: { ko: 다시, en: Again }
                        unit: Cel
                """, ""));
        assertError(e, FactoryError.DUPLICATE_PATH, TAG_LINE, 9);
        assertThat(e.getMessage()).contains("tank/melt-temperature").contains("line 7");
    }

    @Test
    void duplicateEquipmentPathNamesTheFirstLine() {
        var e = error(with("", """
                                  - id: MLT-01
                                    name: { ko: 다시, en: Again }
                                    type: tank
                """));
        assertError(e, FactoryError.DUPLICATE_PATH, EQUIPMENT_LINE, 21);
        assertThat(e.getMessage()).contains("changwon/molding/line-1/cell-1/MLT-01").contains("line 23");
    }

    @Test
    void unknownEquipmentTypeListsTheTypesDefined() {
        var e = error(with("", """
                                  - id: MLT-02
                                    name: { ko: 용해조 2호기, en: Melting tank 2 }
                                    type: tnak
                """));
        assertError(e, FactoryError.UNKNOWN_EQUIPMENT_TYPE, EQUIPMENT_LINE + 2, 27);
        assertThat(e.getMessage()).contains("\"tnak\"").contains("tank");
    }

    @Test
    void unknownSimulationParameterListsTheKnownOnes() {
        var e = error(with("", """
                                  - id: MLT-02
                                    name: { ko: 용해조 2호기, en: Melting tank 2 }
                                    type: tank
                                    parameters: { setpoint: 210, set_point: 215 }
                """));
        assertError(e, FactoryError.UNKNOWN_PARAMETER, EQUIPMENT_LINE + 3, 50);
        assertThat(e.getMessage()).contains("\"set_point\"").contains("setpoint, heater_gain");
    }

    @Test
    void overlappingModbusRegistersAreRefused() {
        var e = error(with("""
                        type: int32
                        modbus: { table: input, address: 10 }
                      - id: level
                        name: { ko: 레벨, en: Level }
                        unit: "%"
                        modbus: { table: input, address: 11 }
                """, ""));
        assertError(e, FactoryError.MODBUS_OVERLAP, TAG_LINE + 5, 9);
        assertThat(e.getMessage()).contains("tank/level").contains("tank/melt-temperature").contains("address 11");
    }

    @Test
    void writableTagCannotLiveInAReadOnlyTable() {
        var e = error(with("""
                      - id: temperature-setpoint
                        name: { ko: 설정 온도, en: Setpoint }
                        role: setpoint
                        unit: Cel
                        normal: [180, 250]
                        writable: true
                        modbus: { table: input, address: 0 }
                """, ""));
        assertError(e, FactoryError.MODBUS_READ_ONLY_TABLE, TAG_LINE + 6, 9);
    }

    @Test
    void boolCannotLiveInARegister() {
        var e = error(with("""
                        type: bool
                        modbus: { table: holding, address: 0 }
                """, ""));
        assertError(e, FactoryError.MODBUS_TABLE_NOT_FOR_TYPE, TAG_LINE + 1, 9);
        assertThat(e.getMessage()).contains("coil, discrete");
    }

    @Test
    void idWithSlashIsRefused() {
        var e = error(with("", """
                                  - id: MLT/02
                                    name: { ko: 용해조 2호기, en: Melting tank 2 }
                                    type: tank
                """));
        assertError(e, FactoryError.INVALID_ID, EQUIPMENT_LINE, 25);
    }

    @Test
    void nameNeedsBothLanguages() {
        var e = error(with("", """
                                  - id: MLT-02
                                    name: { ko: 용해조 2호기 }
                                    type: tank
                """));
        assertError(e, FactoryError.MISSING_KEY, EQUIPMENT_LINE + 1, 27);
        assertThat(e.getMessage()).contains("\"en\"");
    }

    @Test
    void unknownWordListsTheWordsAllowed() {
        var e = error(with("""
                        role: sensor
                """, ""));
        assertError(e, FactoryError.UNKNOWN_WORD, TAG_LINE, 15);
        assertThat(e.getMessage()).contains("measurement | setpoint | status | counter");
    }

    @Test
    void modbusUnitOutsideTheProtocolsRangeIsRefused() {
        var e = error(with("", """
                                    modbus_unit: 250
                """));
        assertError(e, FactoryError.OUT_OF_RANGE, EQUIPMENT_LINE, 34);
    }

    @Test
    void koreanMessagesExistForEveryCode() {
        for (FactoryError code : FactoryError.values()) {
            String en = kr.max.core.Messages.format(code, Locale.ENGLISH);
            String ko = kr.max.core.Messages.format(code, Locale.KOREAN);
            assertThat(en).as(code.code()).doesNotStartWith("MAX-FACTORY");
            assertThat(ko).as(code.code()).doesNotStartWith("MAX-FACTORY").isNotEqualTo(en);
        }
    }
}
