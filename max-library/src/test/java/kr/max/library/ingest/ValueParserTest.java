package kr.max.library.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Random;
import kr.max.core.dictionary.ColumnRole;
import kr.max.core.dictionary.ColumnSpec;
import kr.max.core.dictionary.ColumnType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ValueParserTest {

    private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");

    private static ValueParser parser(ColumnType type, String format, ZoneId zone) {
        return ValueParser.forColumn(ColumnSpec.of("c", ColumnRole.MEASUREMENT, type).withType(type, format), zone);
    }

    private static ValueParser timestamps(String format) {
        return parser(ColumnType.TIMESTAMP, format, SEOUL);
    }

    private static long micros(String localIso, ZoneId zone) {
        Instant i = LocalDateTime.parse(localIso).atZone(zone).toInstant();
        return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
    }

    // ---------------------------------------------------------------- timestamps

    @ParameterizedTest(name = "{0} with {1}")
    @CsvSource(delimiter = '|', textBlock = """
            2020-03-04T13:05:07          | iso                    | 2020-03-04T13:05:07
            2020-03-04 13:05:07          | iso                    | 2020-03-04T13:05:07
            2020-03-04 13:05:07.123456   | iso                    | 2020-03-04T13:05:07.123456
            2020-03-04T13:05             | iso                    | 2020-03-04T13:05:00
            2020-03-04                   | iso                    | 2020-03-04T00:00:00
            2020/03/04 0:00              | yyyy/M/d[ H:mm[:ss]]   | 2020-03-04T00:00:00
            2020-03-04 0:00              | yyyy-M-d[ H:mm[:ss]]   | 2020-03-04T00:00:00
            2020/3/4 13:05:07            | yyyy/M/d[ H:mm[:ss]]   | 2020-03-04T13:05:07
            2020.3.4                     | yyyy.M.d[ H:mm[:ss]]   | 2020-03-04T00:00:00
            5/4/20 0:00                  | M/d/yy[ H:mm[:ss]]     | 2020-05-04T00:00:00
            5/4/2020 0:00                | M/d/yyyy[ H:mm[:ss]]   | 2020-05-04T00:00:00
            5/4/2020 1:05:07 PM          | M/d/yyyy h:mm[:ss] a   | 2020-05-04T13:05:07
            25/4/2020 10:00              | d/M/yyyy[ H:mm[:ss]]   | 2020-04-25T10:00:00
            2020-10-16 오전 12:00:00       | yyyy-M-d a h:mm[:ss]   | 2020-10-16T00:00:00
            2020-10-16 오전 9:30:00        | yyyy-M-d a h:mm[:ss]   | 2020-10-16T09:30:00
            2020-10-16 오후 12:30:00       | yyyy-M-d a h:mm[:ss]   | 2020-10-16T12:30:00
            2020-10-16 오후 1:05:07        | yyyy-M-d a h:mm[:ss]   | 2020-10-16T13:05:07
            """)
    void readsEveryRecognisedTimestampFormInTheDictionaryZone(String text, String format, String expectedLocal) {
        assertThat(timestamps(format).parse(text)).isEqualTo(micros(expectedLocal, SEOUL));
        assertThat(timestamps(null).parse(text)).as("without a format").isEqualTo(micros(expectedLocal, SEOUL));
    }

    @Test
    void naiveSeoulTimeIsNineHoursAheadOfUtc() {
        Object micros = timestamps("iso").parse("2020-03-04 09:00:00");
        assertThat(micros).isEqualTo(Instant.parse("2020-03-04T00:00:00Z").toEpochMilli() * 1000);
        Object utc = parser(ColumnType.TIMESTAMP, "iso", ZoneId.of("UTC")).parse("2020-03-04 09:00:00");
        assertThat((Long) utc - (Long) micros).isEqualTo(9L * 3600 * 1_000_000);
    }

    @ParameterizedTest
    @CsvSource({
        "2020-03-04T13:05:07Z, 2020-03-04T13:05:07Z",
        "2020-03-04T13:05:07+09:00, 2020-03-04T04:05:07Z",
        "2020-03-04T13:05:07+0900, 2020-03-04T04:05:07Z",
        "2020-03-04 13:05:07+09, 2020-03-04T04:05:07Z",
        "2020-03-04T13:05:07.5-05:30, 2020-03-04T18:35:07.5Z"})
    void offsetsInTheTextWinOverTheDictionaryZone(String text, String instant) {
        Instant i = Instant.parse(instant);
        assertThat(timestamps("iso").parse(text)).isEqualTo(i.getEpochSecond() * 1_000_000L + i.getNano() / 1000);
    }

    @Test
    void zonesWithDaylightSavingUseTheirRules() {
        var newYork = ZoneId.of("America/New_York");
        var p = parser(ColumnType.TIMESTAMP, "iso", newYork);
        assertThat(p.parse("2020-07-01 12:00:00")).isEqualTo(micros("2020-07-01T12:00:00", newYork));
        assertThat(p.parse("2020-01-01 12:00:00")).isEqualTo(micros("2020-01-01T12:00:00", newYork));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            iso                  | 2020/03/04 00:00
            iso                  | 2020-02-30
            iso                  | 2020-13-01 00:00
            iso                  | 2020-03-04 24:00
            iso                  | 2020-03-04 0:00
            iso                  | 20200304
            yyyy-M-d a h:mm[:ss] | 2020-10-16 오후 13:00:00
            yyyy-M-d a h:mm[:ss] | 2020-10-16 13:00:00
            M/d/yy[ H:mm[:ss]]   | 13/4/20 0:00
            """)
    void textNotFittingThePatternIsInvalid(String format, String text) {
        assertThat(timestamps(format).parse(text)).isSameAs(ValueParser.INVALID);
    }

    @Test
    void providerWrittenPatternsGoThroughJavaTime() {
        var p = timestamps("dd.MM.yyyy HH:mm");
        assertThat(p.parse("04.03.2020 13:05")).isEqualTo(micros("2020-03-04T13:05:00", SEOUL));
        assertThat(p.parse("2020-03-04")).isSameAs(ValueParser.INVALID);
        assertThat(timestamps("yyyy-MM-dd").parse("2020-03-04")).isEqualTo(micros("2020-03-04T00:00:00", SEOUL));
    }

    // ---------------------------------------------------------------- numbers, booleans, strings

    @Test
    void decimalsAcceptCommonNotationsAndRefuseNanAndInfinity() {
        var p = parser(ColumnType.DECIMAL, null, null);
        assertThat(p.parse("1e-3")).isEqualTo(0.001);
        assertThat(p.parse("-0.5")).isEqualTo(-0.5);
        assertThat(p.parse(".5")).isEqualTo(0.5);
        assertThat(p.parse("5.")).isEqualTo(5.0);
        assertThat(p.parse(" 2.5 ")).isEqualTo(2.5);
        assertThat(p.parse("+12")).isEqualTo(12.0);
        assertThat(p.parse("1.5E+10")).isEqualTo(1.5e10);
        assertThat(p.parse("0.1")).isEqualTo(0.1);
        assertThat(p.parse("123456789012345678901234567890")).isEqualTo(1.2345678901234568E29);
        assertThat(p.parse("0.000000000000000000000000123456789")).isEqualTo(1.23456789E-25);
        for (String bad : new String[] {"NaN", "nan", "Infinity", "-Infinity", "inf", "1e400", "1,5", "27O", "1.2.3", "e5", ".", "-", "0x1F", "1d", "1e"}) {
            assertThat(p.parse(bad)).as(bad).isSameAs(ValueParser.INVALID);
        }
    }

    @Test
    void decimalsMatchJavaParsingOnRandomText() {
        var p = parser(ColumnType.DECIMAL, null, null);
        var random = new Random(7);
        for (int i = 0; i < 100_000; i++) {
            var sb = new StringBuilder();
            if (random.nextBoolean()) sb.append('-');
            int intDigits = random.nextInt(12);
            for (int k = 0; k < intDigits; k++) sb.append((char) ('0' + random.nextInt(10)));
            sb.append('.');
            int fracDigits = random.nextInt(intDigits == 0 ? 20 : 12) + (intDigits == 0 ? 1 : 0);
            for (int k = 0; k < fracDigits; k++) sb.append((char) ('0' + random.nextInt(10)));
            if (random.nextInt(4) == 0) sb.append('e').append(random.nextInt(40) - 20);
            String text = sb.toString();
            assertThat(p.parse(text)).as(text).isEqualTo(Double.parseDouble(text));
        }
    }

    @Test
    void integersRefuseFractionsAndOverflow() {
        var p = parser(ColumnType.INTEGER, null, null);
        assertThat(p.parse("42")).isEqualTo(42L);
        assertThat(p.parse("-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
        assertThat(p.parse("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(p.parse("9223372036854775808")).isSameAs(ValueParser.INVALID);
        assertThat(p.parse("12.0")).isSameAs(ValueParser.INVALID);
        assertThat(p.parse("27O")).isSameAs(ValueParser.INVALID);
        assertThat(p.parse("007")).isEqualTo(7L);
    }

    @Test
    void booleansAcceptTrueFalseYesNoYNAndOneZero() {
        var p = parser(ColumnType.BOOLEAN, null, null);
        assertThat(p.parse("TRUE")).isEqualTo(true);
        assertThat(p.parse("false")).isEqualTo(false);
        assertThat(p.parse("Y")).isEqualTo(true);
        assertThat(p.parse("n")).isEqualTo(false);
        assertThat(p.parse("yes")).isEqualTo(true);
        assertThat(p.parse("0")).isEqualTo(false);
        assertThat(p.parse("maybe")).isSameAs(ValueParser.INVALID);
    }

    @Test
    void nullAndBlankTextAreNullAndStringsAreTrimmed() {
        var p = parser(ColumnType.STRING, null, null);
        assertThat(p.parse(null)).isNull();
        assertThat(p.parse("   ")).isNull();
        assertThat(p.parse(" a b ")).isEqualTo("a b");
        assertThat(p.parse("E01")).isEqualTo("E01");
        assertThat(parser(ColumnType.DECIMAL, null, null).parse("")).isNull();
    }
}
