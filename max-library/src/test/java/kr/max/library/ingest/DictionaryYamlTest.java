package kr.max.library.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Locale;
import kr.max.core.MaxException;
import kr.max.core.dictionary.ColumnRole;
import kr.max.core.dictionary.ColumnSpec;
import kr.max.core.dictionary.ColumnType;
import kr.max.core.dictionary.DataDictionary;
import kr.max.core.dictionary.Sensitivity;
import org.junit.jupiter.api.Test;

class DictionaryYamlTest {

    private static final DataDictionary PRESS = new DataDictionary(List.of(
            new ColumnSpec("TimeStamp", ColumnRole.TIMESTAMP, ColumnType.TIMESTAMP, null, null, Sensitivity.NONE,
                    "시각 (시각)", "Timestamp (timestamp)", "iso"),
            new ColumnSpec("machine_name", ColumnRole.ASSET, ColumnType.STRING, null, "ulsan/press/line1/cell2/p-07",
                    Sensitivity.NONE, "설비 이름", "Machine name", null),
            new ColumnSpec("Barrel_Temperature_1", ColumnRole.MEASUREMENT, ColumnType.DECIMAL, "Cel", null, Sensitivity.NONE,
                    "배럴 온도 1 (측정값, Cel)", "Barrel temperature 1 (measurement, Cel)", null),
            new ColumnSpec("작업자", ColumnRole.PERSON, ColumnType.STRING, null, null, Sensitivity.PERSONAL,
                    "작업자 \"담당\"", "Worker: name\\id", null),
            new ColumnSpec("007", ColumnRole.ATTRIBUTE, ColumnType.INTEGER, null, null, Sensitivity.NONE, "", "", null),
            new ColumnSpec("true", ColumnRole.LABEL, ColumnType.BOOLEAN, null, null, Sensitivity.NONE, "", "", null),
            new ColumnSpec("a: b #c", ColumnRole.SETPOINT, ColumnType.DECIMAL, "/min", null, Sensitivity.TRADE_SECRET,
                    "줄\n바꿈", "tab\there", null),
            new ColumnSpec("일시", ColumnRole.TIMESTAMP, ColumnType.TIMESTAMP, null, null, Sensitivity.NONE, "", "",
                    "yyyy-M-d a h:mm[:ss]")),
            "Asia/Seoul");

    @Test
    void roundTripsADictionaryExactly() {
        String yaml = DictionaryYaml.toYaml(PRESS, "kamp/press");
        assertThat(yaml).contains("dataset: kamp/press").contains("time_zone: Asia/Seoul")
                .contains("  - name: machine_name\n    role: asset\n    type: string\n    asset_path: ulsan/press/line1/cell2/p-07\n")
                .contains("description: { ko: \"설비 이름\", en: \"Machine name\" }")
                .contains("format: iso")
                .doesNotContain("unit: null");
        assertThat(yaml.lines().filter(l -> l.startsWith("#")).toList()).anyMatch(l -> l.contains("고치십시오"))
                .anyMatch(l -> l.contains("check and correct"));
        assertThat(DictionaryYaml.fromYaml(yaml, "press.yaml")).isEqualTo(PRESS);
    }

    @Test
    void readsAHandWrittenDictionaryWithDefaults() {
        var d = DictionaryYaml.fromYaml("""
                columns:
                  - name: temp
                    type: decimal
                    unit: Cel
                  - name: note
                    description: just a note
                """, "hand.yaml");
        assertThat(d.timeZone()).isEqualTo("Asia/Seoul");
        assertThat(d.columns().get(0)).isEqualTo(new ColumnSpec("temp", ColumnRole.ATTRIBUTE, ColumnType.DECIMAL, "Cel",
                null, Sensitivity.NONE, "", "", null));
        assertThat(d.columns().get(1).descriptionEn()).isEqualTo("just a note");
        assertThat(d.columns().get(1).type()).isEqualTo(ColumnType.STRING);
    }

    @Test
    void malformedYamlIsABadDictionaryWithItsLine() {
        String yaml = """
                dataset: x
                columns:
                  - name: a
                    role: asset
                   type: string
                """;
        assertThatThrownBy(() -> DictionaryYaml.fromYaml(yaml, "bad.yaml"))
                .isInstanceOfSatisfying(MaxException.class, e -> {
                    assertThat(e.code()).isEqualTo(IngestError.BAD_DICTIONARY);
                    assertThat(e.location().file()).isEqualTo("bad.yaml");
                    assertThat(e.location().line()).isBetween(4L, 5L);
                    assertThat(e.getMessage()).contains("YAML is malformed");
                    assertThat(e.message(Locale.KOREAN)).contains("YAML 형식이 잘못되었습니다");
                });
    }

    @Test
    void unknownKeyIsNamedWithItsLine() {
        String yaml = """
                time_zone: Asia/Seoul
                columns:
                  - name: a
                    colour: red
                """;
        assertBad(yaml, 4, "unknown key \"colour\"", "name, role, type");
    }

    @Test
    void unknownRoleTypeOrSensitivityWordIsNamedWithItsLine() {
        assertBad("columns:\n  - name: a\n    role: sensor\n", 3, "unknown role \"sensor\"", "measurement");
        assertBad("columns:\n  - name: a\n    type: float\n", 3, "unknown type \"float\"", "decimal");
        assertBad("columns:\n  - name: a\n    sensitivity: secret\n", 3, "unknown sensitivity \"secret\"", "trade_secret");
    }

    @Test
    void missingNameAndDuplicateColumnsAreRejected() {
        assertBad("columns:\n  - role: asset\n", 2, "has no name");
        assertBad("columns:\n  - name: a\n  - name: b\n  - name: a\n", 4, "\"a\" is listed twice");
        assertBad("columns:\n  - name: a\n    role: asset\n    role: label\n", 4, "appears twice");
    }

    @Test
    void badZoneFormatAssetPathAndMissingColumnsAreRejected() {
        assertBad("time_zone: Mars/Olympus\ncolumns:\n  - name: a\n", 1, "time zone \"Mars/Olympus\"");
        assertBad("columns:\n  - name: t\n    type: timestamp\n    format: yyyy-qq-bb\n", 4, "format \"yyyy-qq-bb\"");
        assertBad("columns:\n  - name: a\n    asset_path: a//b\n", 3, "asset path \"a//b\"");
        assertBad("dataset: x\n", 0, "lists no columns");
        assertBad("columns: nope\n", 1, "wrong shape");
    }

    @Test
    void resolutionAndToleranceRoundTripAndMustBeNumbers() {
        var d = DictionaryYaml.fromYaml("columns:\n  - name: p\n    type: decimal\n    role: measurement\n"
                + "    resolution: 0.010\n    tolerance: 0.05\n", "d.yaml");
        var p = d.columns().get(0);
        assertThat(p.resolution()).isEqualByComparingTo("0.01");
        assertThat(p.tolerance()).isEqualByComparingTo("0.05");
        assertThat(DictionaryYaml.fromYaml(DictionaryYaml.toYaml(d, "x"), "again.yaml").columns().get(0)).isEqualTo(p);
        assertThat(DictionaryYaml.fromYaml("columns:\n  - name: p\n    tolerance: 0\n", "d.yaml").columns().get(0).tolerance())
                .isEqualByComparingTo("0");
        assertBad("columns:\n  - name: p\n    resolution: 0\n", 3, "\"resolution\" must be a positive number");
        assertBad("columns:\n  - name: p\n    tolerance: -1\n", 3, "\"tolerance\" must be a positive number");
        assertBad("columns:\n  - name: p\n    tolerance: fine\n", 3, "not \"fine\"");
    }

    private static void assertBad(String yaml, long line, String... englishParts) {
        assertThatThrownBy(() -> DictionaryYaml.fromYaml(yaml, "d.yaml"))
                .isInstanceOfSatisfying(MaxException.class, e -> {
                    assertThat(e.code()).isEqualTo(IngestError.BAD_DICTIONARY);
                    assertThat(e.location().line()).isEqualTo(line);
                    assertThat(e.getMessage()).startsWith("MAX-INGEST-030 d.yaml" + (line > 0 ? ":" + line : "") + ": ")
                            .contains(englishParts);
                    assertThat(e.message(Locale.KOREAN)).contains("데이터 사전").doesNotContain("{");
                });
    }
}
