package kr.max.library.ingest;

import static kr.max.library.ingest.IngestTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import kr.max.core.dictionary.ColumnRole;
import kr.max.core.dictionary.ColumnSpec;
import kr.max.core.dictionary.ColumnType;
import kr.max.core.dictionary.DataDictionary;
import kr.max.core.dictionary.Sensitivity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DictionaryInferenceTest {

    @TempDir
    Path dir;

    private static DataDictionary infer(Path file) {
        try (var source = RowSource.open(file, SourceOptions.auto())) {
            var inference = new DictionaryInference(source.info().columns(), null);
            var row = new RawRow();
            while (source.next(row)) inference.accept(row);
            return inference.result();
        }
    }

    private static ColumnSpec inferOne(String... values) {
        var inference = new DictionaryInference(List.of("value"), null);
        long line = 1;
        for (String v : values) inference.accept(RawRow.of(line++, v));
        return inference.result().columns().get(0);
    }

    // ---------------------------------------------------------------- types

    @Test
    void strayTypoKeepsAMillionRowStyleColumnNumericAndValueParserReportsIt() {
        var text = new StringBuilder("id,pressure\n");
        for (int i = 0; i < 2000; i++) text.append(i).append(',').append(i == 1234 ? "27O" : String.valueOf(250 + i % 40)).append('\n');
        var dictionary = infer(write(dir, "typo.csv", text.toString()));
        var pressure = dictionary.column("pressure").orElseThrow();
        assertThat(pressure.type()).isEqualTo(ColumnType.INTEGER);
        assertThat(pressure.role()).isEqualTo(ColumnRole.MEASUREMENT);

        var parser = ValueParser.forColumn(pressure, ZoneId.of(dictionary.timeZone()));
        try (var source = RowSource.open(dir.resolve("typo.csv"), SourceOptions.auto())) {
            var row = new RawRow();
            int column = source.info().columns().indexOf("pressure");
            var bad = new java.util.ArrayList<IngestProblem>();
            while (source.next(row)) {
                if (parser.parse(row.get(column)) == ValueParser.INVALID) {
                    bad.add(new IngestProblem(IngestError.BAD_VALUE, row.line(), column + 1, "pressure", row.get(column)));
                }
            }
            assertThat(bad).containsExactly(new IngestProblem(IngestError.BAD_VALUE, 1236, 2, "pressure", "27O"));
            assertThat(bad.get(0).toException("typo.csv").getMessage())
                    .startsWith("MAX-INGEST-012 typo.csv:1236:2 (pressure): ").contains("\"27O\"");
        }
    }

    @Test
    void resolutionIsTheFinestRecordedStepAndAMeasurementToleratesOneStep() {
        var c = infer(write(dir, "press.csv", "Pressure_1,shot_count,op_name\n12.5,1,kim\n12.25,2,lee\n1.2e3,3,park\n"));
        var pressure = c.column("Pressure_1").orElseThrow();
        assertThat(pressure.resolution()).isEqualByComparingTo("0.01"); // 1.2e3 says nothing about the step
        assertThat(pressure.role()).isEqualTo(kr.max.core.dictionary.ColumnRole.MEASUREMENT);
        assertThat(pressure.tolerance()).isEqualByComparingTo("0.01");
        assertThat(c.column("shot_count").orElseThrow().resolution()).isEqualByComparingTo("1");
        assertThat(c.column("op_name").orElseThrow().resolution()).isNull();
        assertThat(c.column("op_name").orElseThrow().tolerance()).isNull();
    }

    @Test
    void manyNonNumbersMakeAStringColumn() {
        assertThat(inferOne("1", "2", "3", "n/a", "4", "5", "6", "7", "8", "9").type()).isEqualTo(ColumnType.STRING);
    }

    @Test
    void oneFractionAmongIntegersMakesDecimalAndOverflowMakesDecimal() {
        String[] values = new String[3000];
        for (int i = 0; i < values.length; i++) values[i] = String.valueOf(i);
        values[17] = "1.5";
        assertThat(inferOne(values).type()).isEqualTo(ColumnType.DECIMAL);
        assertThat(inferOne("1", "99999999999999999999").type()).isEqualTo(ColumnType.DECIMAL);
        assertThat(inferOne("1", "-2", "300").type()).isEqualTo(ColumnType.INTEGER);
    }

    @Test
    void emptyColumnsAndCodesWithLeadingZerosStayStrings() {
        assertThat(inferOne(null, "", "  ").type()).isEqualTo(ColumnType.STRING);
        assertThat(inferOne("0012", "0345", "0007").type()).isEqualTo(ColumnType.STRING);
    }

    @Test
    void onlyTrueFalseMakeBooleansAndYNStaysText() {
        assertThat(inferOne("true", "FALSE", "True").type()).isEqualTo(ColumnType.BOOLEAN);
        assertThat(inferOne("Y", "N", "Y").type()).isEqualTo(ColumnType.STRING);
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', textBlock = """
            2020-03-04T13:05:07          | iso
            2020-03-04 13:05:07.250      | iso
            2020-03-04                   | iso
            2020-03-04T13:05:07+09:00    | iso
            2020/03/04 0:00              | yyyy/M/d[ H:mm[:ss]]
            2020-03-04 0:00              | yyyy-M-d[ H:mm[:ss]]
            2020/3/4 13:05:07            | yyyy/M/d[ H:mm[:ss]]
            5/4/20 0:00                  | M/d/yy[ H:mm[:ss]]
            5/4/2020 0:00                | M/d/yyyy[ H:mm[:ss]]
            2020-10-16 오전 12:00:00       | yyyy-M-d a h:mm[:ss]
            2020-10-16 오후 3:10:00        | yyyy-M-d a h:mm[:ss]
            """)
    void recognisesTimestampFormsAndStoresThePattern(String value, String format) {
        var spec = inferOne(value, value);
        assertThat(spec.type()).isEqualTo(ColumnType.TIMESTAMP);
        assertThat(spec.format()).isEqualTo(format);
        assertThat(spec.role()).isEqualTo(ColumnRole.TIMESTAMP);
        assertThat(ValueParser.forColumn(spec, null).parse(value)).isInstanceOf(Long.class);
    }

    @Test
    void mixedHourWidthsChooseThePatternEveryValueFits() {
        var spec = inferOne("2020-03-04 0:00", "2020-03-04 13:00", "2020-03-04 14:00");
        assertThat(spec.format()).isEqualTo("yyyy-M-d[ H:mm[:ss]]");
    }

    @Test
    void slashDatesAreMonthFirstUnlessADayAboveTwelveShowsOtherwise() {
        assertThat(inferOne("5/4/2020 0:00", "6/4/2020 0:00").format()).isEqualTo("M/d/yyyy[ H:mm[:ss]]");
        assertThat(inferOne("5/4/2020 0:00", "25/4/2020 0:00").format()).isEqualTo("d/M/yyyy[ H:mm[:ss]]");
    }

    @Test
    void rowsWithProblemsAreIgnored() {
        var inference = new DictionaryInference(List.of("v"), "UTC");
        var row = new RawRow();
        var text = "v\n1\n2\nabc,extra\n";
        try (var source = RowSource.open(write(dir, "p.csv", text), SourceOptions.auto())) {
            while (source.next(row)) inference.accept(row);
        }
        var result = inference.result();
        assertThat(result.columns().get(0).type()).isEqualTo(ColumnType.INTEGER);
        assertThat(result.timeZone()).isEqualTo("UTC");
    }

    // ---------------------------------------------------------------- roles, units, descriptions

    @Test
    void kampLikeHeadersGetRolesTypesAndUnits() {
        var text = new StringBuilder(
                "_id,TimeStamp,PART_FACT_PLAN_DATE,PART_NAME,EQUIP_CD,EQUIP_NAME,PassOrFail,Reason,Cycle_Time,Barrel_Temperature_1,Mold_Temperature_1\n");
        for (int i = 0; i < 50; i++) {
            text.append(1000 + i).append(',')
                    .append("2021-07-0").append(1 + i % 9).append(" 1").append(i % 10).append(":2").append(i % 10).append(":00,")
                    .append("2021-07-0").append(1 + i % 9).append(',')
                    .append(i % 2 == 0 ? "BRACKET-A" : "COVER-B").append(',')
                    .append("E0").append(i % 3).append(',')
                    .append("Injector ").append(i % 3).append(',')
                    .append(i % 7 == 0 ? "N" : "Y").append(',')
                    .append(i % 7 == 0 ? "short shot" : "").append(',')
                    .append(40 + i % 5).append('.').append(i % 10).append(',')
                    .append(230 + i % 4).append(".5,")
                    .append(60 + i % 3).append('\n');
        }
        var d = infer(write(dir, "kamp-like.csv", text.toString()));
        assertColumn(d, "_id", ColumnRole.ATTRIBUTE, ColumnType.INTEGER, null, Sensitivity.NONE);
        assertColumn(d, "TimeStamp", ColumnRole.TIMESTAMP, ColumnType.TIMESTAMP, null, Sensitivity.NONE);
        assertColumn(d, "PART_FACT_PLAN_DATE", ColumnRole.TIMESTAMP, ColumnType.TIMESTAMP, null, Sensitivity.NONE);
        assertColumn(d, "PART_NAME", ColumnRole.PRODUCT, ColumnType.STRING, null, Sensitivity.NONE);
        assertColumn(d, "EQUIP_CD", ColumnRole.ASSET, ColumnType.STRING, null, Sensitivity.NONE);
        assertColumn(d, "EQUIP_NAME", ColumnRole.ASSET, ColumnType.STRING, null, Sensitivity.NONE);
        assertColumn(d, "PassOrFail", ColumnRole.LABEL, ColumnType.STRING, null, Sensitivity.NONE);
        assertColumn(d, "Reason", ColumnRole.FREE_TEXT, ColumnType.STRING, null, Sensitivity.NONE);
        assertColumn(d, "Cycle_Time", ColumnRole.MEASUREMENT, ColumnType.DECIMAL, "s", Sensitivity.NONE);
        assertColumn(d, "Barrel_Temperature_1", ColumnRole.MEASUREMENT, ColumnType.DECIMAL, "Cel", Sensitivity.NONE);
        assertColumn(d, "Mold_Temperature_1", ColumnRole.MEASUREMENT, ColumnType.INTEGER, "Cel", Sensitivity.NONE);
        assertThat(d.column("TimeStamp").orElseThrow().format()).isEqualTo("iso");

        var barrel = d.column("Barrel_Temperature_1").orElseThrow();
        assertThat(barrel.descriptionEn()).isEqualTo("Barrel temperature 1 (measurement, Cel)");
        assertThat(barrel.descriptionKo()).isEqualTo("배럴 온도 1 (측정값, Cel)");
    }

    @Test
    void koreanHeadersGetRolesFromCp949File() {
        var text = new StringBuilder("일시,설비,작업자,온도,판정\n");
        for (int i = 0; i < 30; i++) {
            text.append("2020-10-16 오").append(i % 2 == 0 ? "전 " : "후 ").append(1 + i % 12).append(":00:00,")
                    .append(1 + i % 3).append("호기,작업자").append((char) ('가' + i % 5)).append(',')
                    .append(180 + i).append(".0,").append(i % 4 == 0 ? "불량" : "양품").append('\n');
        }
        var d = infer(write(dir, "korean.csv", text.toString(), Charset.forName("x-windows-949")));
        assertColumn(d, "일시", ColumnRole.TIMESTAMP, ColumnType.TIMESTAMP, null, Sensitivity.NONE);
        assertThat(d.column("일시").orElseThrow().format()).isEqualTo("yyyy-M-d a h:mm[:ss]");
        assertColumn(d, "설비", ColumnRole.ASSET, ColumnType.STRING, null, Sensitivity.NONE);
        assertColumn(d, "작업자", ColumnRole.PERSON, ColumnType.STRING, null, Sensitivity.PERSONAL);
        assertColumn(d, "온도", ColumnRole.MEASUREMENT, ColumnType.DECIMAL, "Cel", Sensitivity.NONE);
        assertColumn(d, "판정", ColumnRole.LABEL, ColumnType.STRING, null, Sensitivity.NONE);
        assertThat(d.column("온도").orElseThrow().descriptionEn()).isEqualTo("Temperature (measurement, Cel)");
        assertThat(d.column("작업자").orElseThrow().descriptionKo()).isEqualTo("작업자 (사람)");
    }

    @ParameterizedTest(name = "{0} ({1}) → {2}")
    @CsvSource({
        "Set_Temp, DECIMAL, SETPOINT, TRADE_SECRET, Cel",
        "설정온도, DECIMAL, SETPOINT, TRADE_SECRET, Cel",
        "Injection_Pressure_bar, DECIMAL, MEASUREMENT, NONE, bar",
        "Injection_Pressure, DECIMAL, MEASUREMENT, NONE, ",
        "Spindle_rpm, INTEGER, MEASUREMENT, NONE, /min",
        "Screw_Position, DECIMAL, MEASUREMENT, NONE, mm",
        "Motor_Current, DECIMAL, MEASUREMENT, NONE, A",
        "전압, DECIMAL, MEASUREMENT, NONE, V",
        "Machine_Temperature, DECIMAL, MEASUREMENT, NONE, Cel",
        "설비온도, DECIMAL, MEASUREMENT, NONE, Cel",
        "machine_name, STRING, ASSET, NONE, ",
        "호기, STRING, ASSET, NONE, ",
        "LOT_NO, STRING, BATCH, NONE, ",
        "배치, STRING, BATCH, NONE, ",
        "품번, STRING, PRODUCT, NONE, ",
        "model, STRING, PRODUCT, NONE, ",
        "mold_code, INTEGER, RECIPE, TRADE_SECRET, ",
        "레시피, STRING, RECIPE, TRADE_SECRET, ",
        "Supplier, STRING, ATTRIBUTE, TRADE_SECRET, ",
        "거래처, STRING, ATTRIBUTE, TRADE_SECRET, ",
        "inspector_id, STRING, PERSON, PERSONAL, ",
        "검사자명, STRING, PERSON, PERSONAL, ",
        "비고, STRING, FREE_TEXT, NONE, ",
        "comment, STRING, FREE_TEXT, NONE, ",
        "faultNumber, INTEGER, LABEL, NONE, ",
        "TAG, STRING, LABEL, NONE, ",
        "검사결과, STRING, LABEL, NONE, ",
        "date, STRING, TIMESTAMP, NONE, ",
        "작업일자, STRING, TIMESTAMP, NONE, ",
        "serial_no, INTEGER, ATTRIBUTE, NONE, ",
        "unit, INTEGER, ASSET, NONE, ",
        "cycle, INTEGER, TIMESTAMP, NONE, ",
        "time_in_cycles, INTEGER, TIMESTAMP, NONE, ",
        "sample_index, INTEGER, TIMESTAMP, NONE, ",
        "Cycle_Time, DECIMAL, MEASUREMENT, NONE, s",
        "rul, INTEGER, LABEL, NONE, ",
        "잔여수명, INTEGER, LABEL, NONE, ",
        "status, STRING, ATTRIBUTE, NONE, "})
    void roleRulesReadKoreanAndEnglishNames(String name, ColumnType type, ColumnRole role, Sensitivity sensitivity, String unit) {
        var guess = RoleRules.guess(name, type);
        assertThat(guess.role()).isEqualTo(role);
        assertThat(guess.sensitivity()).isEqualTo(sensitivity);
        assertThat(guess.unit()).isEqualTo(unit);
    }

    @Test
    void splitsNamesIntoWords() {
        assertThat(ColumnName.split("PassOrFail")).containsExactly("pass", "or", "fail");
        assertThat(ColumnName.split("Barrel_Temperature_1")).containsExactly("barrel", "temperature", "1");
        assertThat(ColumnName.split("XMLFileName")).containsExactly("xml", "file", "name");
        assertThat(ColumnName.split("설비_온도2")).containsExactly("설비", "온도", "2");
        assertThat(ColumnName.of("EQUIP_CD").head()).isEqualTo("equip");
        assertThat(ColumnName.of("작업자명").koreanHead()).isEqualTo("작업자");
    }

    private static void assertColumn(DataDictionary d, String name, ColumnRole role, ColumnType type, String unit, Sensitivity s) {
        var c = d.column(name).orElseThrow();
        assertThat(c.role()).as(name + " role").isEqualTo(role);
        assertThat(c.type()).as(name + " type").isEqualTo(type);
        assertThat(c.unit()).as(name + " unit").isEqualTo(unit);
        assertThat(c.sensitivity()).as(name + " sensitivity").isEqualTo(s);
    }
}
