package kr.max.library.ingest;

import static kr.max.library.ingest.IngestTestSupport.fields;
import static kr.max.library.ingest.IngestTestSupport.readAll;
import static kr.max.library.ingest.IngestTestSupport.write;
import static kr.max.library.ingest.IngestTestSupport.writeBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import kr.max.core.MaxException;
import kr.max.library.ingest.IngestTestSupport.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RowSourceTest {

    @TempDir
    Path dir;

    // ---------------------------------------------------------------- delimiter, quotes, header

    @Test
    void detectsCommaDelimiterAndHeader() {
        var file = write(dir, "press.csv", "machine,temp,pressure\nM1,200.5,12\nM2,201.0,13\n");
        try (var source = RowSource.open(file, SourceOptions.auto())) {
            var info = source.info();
            assertThat(info.format()).isEqualTo("csv");
            assertThat(info.delimiter()).isEqualTo(',');
            assertThat(info.header()).isTrue();
            assertThat(info.columns()).containsExactly("machine", "temp", "pressure");
            assertThat(info.charset()).isEqualTo(StandardCharsets.UTF_8);
            assertThat(info.fileName()).isEqualTo("press.csv");
            var rows = readAll(source);
            assertThat(rows).extracting(Row::fields).containsExactly(fields("M1", "200.5", "12"), fields("M2", "201.0", "13"));
            assertThat(rows).extracting(Row::line).containsExactly(2L, 3L);
        }
    }

    @Test
    void detectsSemicolonDelimiterEvenWithDecimalCommas() {
        var file = write(dir, "eu.csv", "a;b;c\n1,5;2,5;x\n3,5;4,5;y\n5,5;6,5;z\n");
        try (var source = RowSource.open(file, SourceOptions.auto())) {
            assertThat(source.info().delimiter()).isEqualTo(';');
            assertThat(readAll(source).get(0).fields()).containsExactly("1,5", "2,5", "x");
        }
    }

    @Test
    void detectsTabAndPipeDelimiters() {
        var tab = write(dir, "t.tsv", "a\tb\tc\n1\t\t3\n4\t5\t6\n");
        var pipe = write(dir, "p.txt", "a|b|c\n1|2|3\n4|5|6\n");
        try (var source = RowSource.open(tab, SourceOptions.auto())) {
            assertThat(source.info().delimiter()).isEqualTo('\t');
            assertThat(readAll(source).get(0).fields()).containsExactly("1", null, "3");
        }
        try (var source = RowSource.open(pipe, SourceOptions.auto())) {
            assertThat(source.info().delimiter()).isEqualTo('|');
        }
    }

    @Test
    void countsDelimitersOutsideQuotesOnly() {
        var file = write(dir, "q.csv", "name;note\n\"a;b\";\"c;d;e\"\nx;y\n\"f;g\";h\n");
        try (var source = RowSource.open(file, SourceOptions.auto())) {
            assertThat(source.info().delimiter()).isEqualTo(';');
            assertThat(readAll(source)).extracting(Row::fields)
                    .containsExactly(fields("a;b", "c;d;e"), fields("x", "y"), fields("f;g", "h"));
        }
    }

    @Test
    void quotedFieldsKeepDelimitersDoubledQuotesAndNewlinesAndLineNumbersStayRight() {
        var file = write(dir, "notes.csv", """
                id,note,value
                1,"first
                second",10
                2,"a ""quoted"" word, with comma",20
                3,plain,30,EXTRA

                4,"x\r
                y",40\r
                5,last,50
                """);
        var rows = readAll(file);
        assertThat(rows).extracting(Row::line).containsExactly(2L, 4L, 5L, 7L, 9L);
        assertThat(rows.get(0).fields()).containsExactly("1", "first\nsecond", "10");
        assertThat(rows.get(1).fields()).containsExactly("2", "a \"quoted\" word, with comma", "20");
        assertThat(rows.get(3).fields()).containsExactly("4", "x\r\ny", "40");
        assertThat(rows.get(4).fields()).containsExactly("5", "last", "50");
        assertThat(rows.get(2).problem().error()).isEqualTo(IngestError.EXTRA_FIELD);
        assertThat(rows).filteredOn(r -> r.problem() != null).hasSize(1);
    }

    @Test
    void rejectsRowWithExtraFieldAndNamesTheLineAndColumn() {
        var file = write(dir, "extra.csv", "a,b,c\n1,2,3\n4,5,6,7\n8,9,10\n");
        var rows = readAll(file);
        var problem = rows.get(1).problem();
        assertThat(problem).isEqualTo(new IngestProblem(IngestError.EXTRA_FIELD, 3, 4, null, "7"));
        MaxException e = problem.toException("extra.csv");
        assertThat(e.getMessage()).startsWith("MAX-INGEST-010 extra.csv:3:4: ").contains("\"7\"");
        assertThat(e.message(Locale.KOREAN)).contains("extra.csv:3:4").contains("필드");
        assertThat(rows.get(2).problem()).isNull();
    }

    @Test
    void reportsMissingFieldWithTheFirstMissingColumn() {
        var rows = readAll(write(dir, "short.csv", "a,b,c\n1,2\n4,5,6\n"));
        assertThat(rows.get(0).problem()).isEqualTo(new IngestProblem(IngestError.MISSING_FIELD, 2, 3, "c", null));
        assertThat(rows.get(1).problem()).isNull();
    }

    @Test
    void toleratesTrailingEmptyFieldsBeyondTheColumns() {
        var rows = readAll(write(dir, "trailing.csv", "a,b\n1,2,\n3,4,,\n"));
        assertThat(rows).extracting(Row::problem).containsOnlyNulls();
        assertThat(rows).extracting(Row::fields).containsExactly(fields("1", "2"), fields("3", "4"));
    }

    @Test
    void reportsShortLastRowWithoutNewlineAsCutOff() {
        var rows = readAll(write(dir, "cut.csv", "a,b,c\n1,2,3\n4,5"));
        assertThat(rows).hasSize(2);
        assertThat(rows.get(1).problem()).isEqualTo(new IngestProblem(IngestError.CUT_OFF, 3, 2, "b", "5"));
    }

    @Test
    void completeLastRowWithoutNewlineIsFine() {
        var rows = readAll(write(dir, "nonl.csv", "a,b\n1,2\n3,4"));
        assertThat(rows).extracting(Row::problem).containsOnlyNulls();
        assertThat(rows.get(1).fields()).containsExactly("3", "4");
    }

    @Test
    void reportsUnterminatedQuoteAsCutOffAndResumesOnTheNextLine() {
        var rows = readAll(write(dir, "quote.csv", "a,b\n1,x\n2,\"never closed\n3,y\n4,z\n"));
        assertThat(rows).extracting(Row::line).containsExactly(2L, 3L, 4L, 5L);
        assertThat(rows.get(1).problem().error()).isEqualTo(IngestError.CUT_OFF);
        assertThat(rows.get(1).problem().line()).isEqualTo(3);
        assertThat(rows.get(1).problem().column()).isEqualTo(2);
        assertThat(rows.get(2).fields()).containsExactly("3", "y");
        assertThat(rows.get(3).problem()).isNull();
    }

    @Test
    void reportsTextAfterClosingQuoteAsBadValue() {
        var rows = readAll(write(dir, "after.csv", "a,b\n\"x\"y,2\n"));
        assertThat(rows.get(0).problem().error()).isEqualTo(IngestError.BAD_VALUE);
        assertThat(rows.get(0).problem().column()).isEqualTo(1);
    }

    @Test
    void readsCrlfAndSkipsBlankLines() {
        var rows = readAll(write(dir, "crlf.csv", "a,b\r\n\r\n1,2\r\n   \r\n3,4\r\n"));
        assertThat(rows).extracting(Row::line).containsExactly(3L, 5L);
        assertThat(rows).extracting(Row::fields).containsExactly(fields("1", "2"), fields("3", "4"));
    }

    @Test
    void emptyFieldsAreNull() {
        var rows = readAll(write(dir, "empty.csv", "a,b,c\n,\"\",3\n"));
        assertThat(rows.get(0).fields()).containsExactly(null, null, "3");
    }

    @Test
    void headerlessNumericFileGetsGeneratedNames() {
        var file = write(dir, "nums.csv", "1,2.5,3\n4,5.5,6\n");
        try (var source = RowSource.open(file, SourceOptions.auto())) {
            assertThat(source.info().header()).isFalse();
            assertThat(source.info().columns()).containsExactly("col1", "col2", "col3");
            assertThat(readAll(source)).extracting(Row::line).containsExactly(1L, 2L);
        }
    }

    @Test
    void headerOnlyFileHasColumnsAndNoRows() {
        var file = write(dir, "header-only.csv", "\"machine, name\",temp\n");
        try (var source = RowSource.open(file, SourceOptions.auto())) {
            assertThat(source.info().header()).isTrue();
            assertThat(source.info().columns()).containsExactly("machine, name", "temp");
            assertThat(readAll(source)).isEmpty();
        }
    }

    @Test
    void headerOfNamesOverTimestampsIsDetected() {
        var file = write(dir, "ts.csv", "when,machine\n2020-03-04 00:00:00,M1\n2020-03-04 00:00:01,M2\n");
        try (var source = RowSource.open(file, SourceOptions.auto())) {
            assertThat(source.info().header()).isTrue();
        }
    }

    @Test
    void optionsOverrideHeaderDelimiterAndColumns() {
        var file = write(dir, "o.csv", "x;y\n1;2\n");
        var options = new SourceOptions("csv", null, ';', false, List.of("first", "second"));
        try (var source = RowSource.open(file, options)) {
            assertThat(source.info().columns()).containsExactly("first", "second");
            assertThat(readAll(source)).extracting(Row::fields).containsExactly(fields("x", "y"), fields("1", "2"));
        }
        var renamed = new SourceOptions(null, null, null, true, List.of("p", "q"));
        try (var source = RowSource.open(file, renamed)) {
            assertThat(source.info().columns()).containsExactly("p", "q");
            assertThat(readAll(source)).hasSize(1);
        }
    }

    @Test
    void givenColumnsMustMatchTheHeaderCount() {
        var file = write(dir, "c.csv", "a,b\n1,2\n");
        assertThatThrownBy(() -> RowSource.open(file, new SourceOptions(null, null, null, true, List.of("x", "y", "z"))))
                .isInstanceOfSatisfying(MaxException.class, e -> {
                    assertThat(e.code()).isEqualTo(IngestError.MISSING_COLUMN);
                    assertThat(e.getMessage()).contains("\"z\"");
                });
        assertThatThrownBy(() -> RowSource.open(file, new SourceOptions(null, null, null, true, List.of("x"))))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(IngestError.UNKNOWN_COLUMN));
    }

    @Test
    void trimsHeaderNamesAndNamesEmptyOnes() {
        var file = write(dir, "h.csv", " a , ,c\n1,2,3\n");
        try (var source = RowSource.open(file, SourceOptions.auto())) {
            assertThat(source.info().columns()).containsExactly("a", "col2", "c");
        }
    }

    @Test
    void rejectsDuplicateColumnNamesWithTheirPlace() {
        var file = write(dir, "dup.csv", "a,b,a\n1,2,3\n");
        assertThatThrownBy(() -> RowSource.open(file, SourceOptions.auto()))
                .isInstanceOfSatisfying(MaxException.class, e -> {
                    assertThat(e.code()).isEqualTo(IngestError.DUPLICATE_COLUMN);
                    assertThat(e.location().column()).isEqualTo(3);
                    assertThat(e.getMessage()).contains("dup.csv:1:3");
                });
    }

    @Test
    void rejectsMissingEmptyAndBinaryFiles() {
        assertThatThrownBy(() -> RowSource.open(dir.resolve("nope.csv"), SourceOptions.auto()))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(IngestError.FILE_NOT_FOUND));
        var blank = write(dir, "blank.csv", "\n  \n\n");
        assertThatThrownBy(() -> RowSource.open(blank, SourceOptions.auto()))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(IngestError.EMPTY_FILE));
        var xlsx = writeBytes(dir, "book.xlsx", new byte[] {0x50, 0x4B, 0x03, 0x04, 0, 0, 0, 1});
        assertThatThrownBy(() -> RowSource.open(xlsx, SourceOptions.auto()))
                .isInstanceOfSatisfying(MaxException.class, e -> {
                    assertThat(e.code()).isEqualTo(IngestError.UNKNOWN_FORMAT);
                    assertThat(e.getMessage()).contains("xlsx");
                });
        assertThatThrownBy(() -> RowSource.open(blank, new SourceOptions("xml", null, null, null, null)))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(IngestError.UNKNOWN_FORMAT));
    }

    // ---------------------------------------------------------------- encodings

    @Test
    void detectsAndDecodesCp949WithKoreanHeaders() {
        Charset cp949 = Charset.forName("x-windows-949");
        var text = new StringBuilder("일시,설비,작업자,온도,판정\n");
        for (int i = 0; i < 20; i++) {
            text.append("2021-05-0").append(1 + i % 9).append(" 08:00:00,").append(i % 2 + 1).append("호기,작업자")
                    .append((char) ('가' + i)).append(',').append(180 + i).append(".5,").append(i % 5 == 0 ? "불량" : "양품").append('\n');
        }
        var file = write(dir, "korean.csv", text.toString(), cp949);
        try (var source = RowSource.open(file, SourceOptions.auto())) {
            assertThat(source.info().charset()).isEqualTo(cp949);
            assertThat(source.info().columns()).containsExactly("일시", "설비", "작업자", "온도", "판정");
            var rows = readAll(source);
            assertThat(rows).hasSize(20).extracting(Row::problem).containsOnlyNulls();
            assertThat(rows.get(0).fields()).containsExactly("2021-05-01 08:00:00", "1호기", "작업자가", "180.5", "불량");
        }
    }

    @Test
    void stripsUtf8ByteOrderMark() {
        var bytes = new ByteArrayOutputStream();
        bytes.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        bytes.writeBytes("id,값\n1,2\n".getBytes(StandardCharsets.UTF_8));
        var file = writeBytes(dir, "bom.csv", bytes.toByteArray());
        try (var source = RowSource.open(file, SourceOptions.auto())) {
            assertThat(source.info().charset()).isEqualTo(StandardCharsets.UTF_8);
            assertThat(source.info().columns()).containsExactly("id", "값");
        }
    }

    @Test
    void readsUtf16WithByteOrderMark() {
        var bytes = new ByteArrayOutputStream();
        bytes.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xFE});
        bytes.writeBytes("id,온도\n1,20.5\n".getBytes(StandardCharsets.UTF_16LE));
        var file = writeBytes(dir, "utf16.csv", bytes.toByteArray());
        try (var source = RowSource.open(file, SourceOptions.auto())) {
            assertThat(source.info().charset()).isEqualTo(StandardCharsets.UTF_16LE);
            assertThat(source.info().columns()).containsExactly("id", "온도");
            assertThat(readAll(source).get(0).fields()).containsExactly("1", "20.5");
        }
    }

    @Test
    void badByteMidFileBecomesBadEncodingOnItsLine() {
        var bytes = new ByteArrayOutputStream();
        bytes.writeBytes("설비,상태,값\n".getBytes(StandardCharsets.UTF_8));
        for (int i = 2; i <= 60; i++) {
            byte[] line = ("프레스" + i + ",정상 가동," + i + "\n").getBytes(StandardCharsets.UTF_8);
            if (i == 30) {
                line = ("프레스30,정" + "X" + "상,30\n").getBytes(StandardCharsets.UTF_8);
                int x = indexOf(line, (byte) 'X');
                line[x] = (byte) 0xFF;
            }
            bytes.writeBytes(line);
        }
        var file = writeBytes(dir, "damaged.csv", bytes.toByteArray());
        try (var source = RowSource.open(file, SourceOptions.auto())) {
            assertThat(source.info().charset()).isEqualTo(StandardCharsets.UTF_8);
            var rows = readAll(source);
            assertThat(rows).hasSize(59);
            var bad = rows.stream().filter(r -> r.problem() != null).toList();
            assertThat(bad).hasSize(1);
            assertThat(bad.get(0).problem()).isEqualTo(new IngestProblem(IngestError.BAD_ENCODING, 30, 2, "상태", "0xFF"));
            assertThat(rows.get(29).fields()).containsExactly("프레스31", "정상 가동", "31");
        }
    }

    @Test
    void badByteInAsciiFileReadAsUtf8IsReportedNotReplacedSilently() {
        var bytes = new ByteArrayOutputStream();
        bytes.writeBytes("a,b\n1,2\n3,".getBytes(StandardCharsets.US_ASCII));
        bytes.write(0xC3);
        bytes.writeBytes("\n5,6\n".getBytes(StandardCharsets.US_ASCII));
        var file = writeBytes(dir, "ascii.csv", bytes.toByteArray());
        var rows = readAll(file, new SourceOptions(null, StandardCharsets.UTF_8, null, null, null));
        assertThat(rows.get(1).problem()).isEqualTo(new IngestProblem(IngestError.BAD_ENCODING, 3, 2, "b", "0xC3"));
        assertThat(rows.get(2).problem()).isNull();
    }

    @Test
    void badByteInsideMultiLineQuotedFieldNamesItsOwnLine() {
        var bytes = new ByteArrayOutputStream();
        bytes.writeBytes("a,b\n1,\"line one\nline ".getBytes(StandardCharsets.UTF_8));
        bytes.write(0xFF);
        bytes.writeBytes("two\"\n".getBytes(StandardCharsets.UTF_8));
        var rows = readAll(writeBytes(dir, "ml.csv", bytes.toByteArray()),
                new SourceOptions(null, StandardCharsets.UTF_8, null, true, null));
        assertThat(rows.get(0).line()).isEqualTo(2);
        assertThat(rows.get(0).problem().line()).isEqualTo(3);
    }

    @Test
    void encodingWordsMapToCharsets() {
        assertThat(SourceOptions.encodingNamed("auto")).isNull();
        assertThat(SourceOptions.encodingNamed("cp949")).isEqualTo(Charset.forName("x-windows-949"));
        assertThat(SourceOptions.encodingNamed("EUC-KR")).isEqualTo(Charset.forName("x-windows-949"));
        assertThat(SourceOptions.encodingNamed("utf-8")).isEqualTo(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> SourceOptions.encodingNamed("klingon"))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(IngestError.UNKNOWN_ENCODING));
    }

    // ---------------------------------------------------------------- whitespace text

    @Test
    void readsCmapssLikeTextSeparatedBySingleSpacesWithTrailingSpaces() {
        var file = write(dir, "train_FD001.txt", """
                1 1 -0.0007 -0.0004 100.0 518.67 641.82 1589.70\s
                1 2 0.0019 -0.0003 100.0 518.67 642.15 1591.82\s
                1 3 -0.0043 0.0003 100.0 518.67 642.35 1587.99\s
                2 1 -0.0018 0.0006 100.0 518.67 642.44 1584.12\s
                """);
        try (var source = RowSource.open(file, SourceOptions.auto())) {
            assertThat(source.info().format()).isEqualTo("text");
            assertThat(source.info().delimiter()).isNull();
            assertThat(source.info().header()).isFalse();
            assertThat(source.info().columns()).hasSize(8).startsWith("col1", "col2");
            var rows = readAll(source);
            assertThat(rows).hasSize(4).extracting(Row::problem).containsOnlyNulls();
            assertThat(rows.get(3).fields()).containsExactly("2", "1", "-0.0018", "0.0006", "100.0", "518.67", "642.44", "1584.12");
        }
    }

    @Test
    void readsTennesseeEastmanLikeDatWithLeadingSpacesAndRuns() {
        var file = write(dir, "d01.dat", """
                   2.5038000e-01   3.6740000e+03   4.5092000e+03   9.2320000e+00
                   2.5109000e-01   3.6727000e+03   4.4961000e+03   9.2643000e+00
                   2.4977000e-01   3.6703000e+03   4.5114000e+03   9.2476000e+00
                """);
        try (var source = RowSource.open(file, SourceOptions.auto())) {
            assertThat(source.info().format()).isEqualTo("text");
            var rows = readAll(source);
            assertThat(rows).hasSize(3).extracting(Row::problem).containsOnlyNulls();
            assertThat(rows.get(0).fields()).containsExactly("2.5038000e-01", "3.6740000e+03", "4.5092000e+03", "9.2320000e+00");
        }
    }

    @Test
    void whitespaceTextReportsRowsWithTooFewFields() {
        var file = write(dir, "w.txt", "1 2 3\n4 5 6\n7 8\n9 10 11 12\n");
        var rows = readAll(file, new SourceOptions("text", null, null, null, null));
        assertThat(rows.get(2).problem().error()).isEqualTo(IngestError.MISSING_FIELD);
        assertThat(rows.get(3).problem()).isEqualTo(new IngestProblem(IngestError.EXTRA_FIELD, 4, 4, null, "12"));
    }

    // ---------------------------------------------------------------- JSON Lines and Parquet

    @Test
    void readsJsonLinesAndReportsUnknownKeysAndMalformedLines() {
        var file = write(dir, "events.jsonl", """
                {"ts":"2020-03-04T00:00:00","machine":"M1","temp":200.5,"ok":true,"tags":["a","b"]}
                {"ts":"2020-03-04T00:00:01","machine":"M2","temp":201,"ok":false,"colour":"red"}

                {"ts":"2020-03-04T00:00:02","temp":null}
                {broken
                """);
        try (var source = RowSource.open(file, SourceOptions.auto())) {
            assertThat(source.info().format()).isEqualTo("jsonl");
            assertThat(source.info().columns()).containsExactly("ts", "machine", "temp", "ok", "tags");
            var rows = readAll(source);
            assertThat(rows).extracting(Row::line).containsExactly(1L, 2L, 4L, 5L);
            assertThat(rows.get(0).fields()).containsExactly("2020-03-04T00:00:00", "M1", "200.5", "true", "[\"a\",\"b\"]");
            assertThat(rows.get(0).problem()).isNull();
            assertThat(rows.get(1).problem()).isEqualTo(new IngestProblem(IngestError.UNKNOWN_COLUMN, 2, 0, "colour", "colour"));
            assertThat(rows.get(1).fields()).containsExactly("2020-03-04T00:00:01", "M2", "201", "false", null);
            assertThat(rows.get(2).fields()).containsExactly("2020-03-04T00:00:02", null, null, null, null);
            assertThat(rows.get(3).problem().error()).isEqualTo(IngestError.BAD_VALUE);
            assertThat(rows.get(3).problem().line()).isEqualTo(5);
        }
    }

    @Test
    void readsParquetThroughDuckDb() throws Exception {
        Path file = dir.resolve("press.parquet");
        try (var c = DriverManager.getConnection("jdbc:duckdb:"); var s = c.createStatement()) {
            s.execute("COPY (SELECT i AS id, 'M' || (i % 3) AS machine, TIMESTAMP '2020-03-04 00:00:00' + INTERVAL (i) MINUTE AS ts,"
                    + " 200.0 + i / 10 AS temp, CASE WHEN i = 2 THEN NULL ELSE 'Y' END AS pass"
                    + " FROM range(5) t(i)) TO '" + file.toString().replace("'", "''") + "' (FORMAT parquet)");
        }
        try (var source = RowSource.open(file, SourceOptions.auto())) {
            assertThat(source.info().format()).isEqualTo("parquet");
            assertThat(source.info().delimiter()).isNull();
            assertThat(source.info().columns()).containsExactly("id", "machine", "ts", "temp", "pass");
            var rows = readAll(source);
            assertThat(rows).extracting(Row::line).containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(rows.get(1).fields()).containsExactly("1", "M1", "2020-03-04T00:01:00", "200.1", "Y");
            assertThat(rows.get(2).fields().get(4)).isNull();

            var inference = new DictionaryInference(source.info().columns(), null);
            rows.forEach(r -> inference.accept(RawRow.of(r.line(), r.fields().toArray(String[]::new))));
            var ts = inference.result().column("ts").orElseThrow();
            assertThat(ts.format()).isEqualTo("iso");
        }
    }

    // ---------------------------------------------------------------- buffer boundaries and bounded rows

    @Test
    void randomRowsAcrossManyBufferRefillsReadBackExactly() {
        var random = new Random(42);
        var text = new StringBuilder("k,text,n\n");
        var expected = new ArrayList<Row>();
        long line = 2;
        for (int i = 0; i < 30_000; i++) {
            String value = switch (random.nextInt(5)) {
                case 0 -> "plain" + i;
                case 1 -> "with, comma " + i;
                case 2 -> "say \"hi\" " + i;
                case 3 -> "two\nlines " + i;
                default -> "crlf\r\ninside " + i;
            };
            boolean quote = value.indexOf(',') >= 0 || value.indexOf('"') >= 0 || value.indexOf('\n') >= 0;
            String written = quote ? '"' + value.replace("\"", "\"\"") + '"' : value;
            text.append(i).append(',').append(written).append(',').append(random.nextInt(1000));
            String n = text.substring(text.lastIndexOf(",") + 1);
            text.append(random.nextBoolean() ? "\n" : "\r\n");
            expected.add(new Row(line, fields(String.valueOf(i), value, n), null));
            line += 1 + value.chars().filter(ch -> ch == '\n').count();
        }
        var rows = readAll(write(dir, "random.csv", text.toString()));
        assertThat(rows).hasSize(expected.size());
        for (int i = 0; i < rows.size(); i++) assertThat(rows.get(i)).as("row %d", i).isEqualTo(expected.get(i));
    }

    @Test
    void fieldLongerThanTheInitialBufferIsRead() {
        String longText = "x".repeat(TextTokenizer.INITIAL_CHARS * 2 + 17);
        var rows = readAll(write(dir, "long.csv", "a,b\n1,\"" + longText + "\"\n2,y\n"));
        assertThat(rows.get(0).fields()).containsExactly("1", longText);
        assertThat(rows.get(1).fields()).containsExactly("2", "y");
    }

    @Test
    void rowLongerThanTheLimitIsCutOffAndReadingResumesOnTheNextLine() {
        String text = "1,\"opened\n2,b\n" + "3,c\n".repeat(100);
        var input = new StrictTextInput(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
        var tokenizer = new TextTokenizer(input, ',', false, 64);
        tokenizer.columns(List.of("a", "b"));
        var row = new RawRow();
        assertThat(tokenizer.next(row)).isTrue();
        assertThat(row.problem().error()).isEqualTo(IngestError.CUT_OFF);
        assertThat(row.line()).isEqualTo(1);
        assertThat(tokenizer.next(row)).isTrue();
        assertThat(row.line()).isEqualTo(2);
        assertThat(row.get(0)).isEqualTo("2");
        assertThat(row.problem()).isNull();
        int count = 0;
        while (tokenizer.next(row)) count++;
        assertThat(count).isEqualTo(100);
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) if (bytes[i] == b) return i;
        return -1;
    }
}
