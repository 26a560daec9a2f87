package kr.max.library;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import kr.max.core.Principal;
import kr.max.library.crypto.MasterKey;
import kr.max.library.ingest.DictionaryYaml;
import kr.max.library.query.ResultSink;
import kr.max.library.sample.SampleData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DuckDB fast path and the Java path of a deposit must give the same dictionary and the same
 * rows. A UTF-8 file takes the fast path; the same text in CP949 can only take the Java path.
 */
class IngestPathsAgreeTest {

    @TempDir
    Path dir;

    @Test
    void fastAndJavaPathsGiveTheSameDictionaryAndRows() throws IOException {
        Path utf8 = SampleData.injectionMolding(dir, 4000, 42);
        Path cp949 = dir.resolve("same_in_cp949.csv");
        Files.writeString(cp949, Files.readString(utf8, StandardCharsets.UTF_8), Charset.forName("x-windows-949"));
        compare(utf8, cp949, "EQUIP_NAME, TimeStamp");
    }

    @Test
    void pathsAgreeOnSensorLogsWithNaiveTimestamps() throws IOException {
        Path ascii = SampleData.sensors(dir.resolve("sensors.csv"), 30_000, 7);
        // a Korean column name, so that the CP949 copy cannot pass for UTF-8
        String text = Files.readString(ascii, StandardCharsets.UTF_8).replaceFirst(",asset,", ",설비,");
        compareEncodings("sensors", text, "설비, timestamp");
    }

    @Test
    void paddedAndQuotedEmptyTextAgreeAcrossPaths() throws IOException {
        var lines = new ArrayList<String>();
        lines.add("설비,작업,온도");
        for (int i = 0; i < 500; i++) {
            String machine = i % 50 == 0 ? "  press-" + (i % 3) + " " : "press-" + (i % 3);
            String job = i % 40 == 0 ? "\"\"" : i % 30 == 0 ? "\"a, quoted \"\"job\"\"\"" : "job" + (i % 7);
            lines.add(machine + "," + job + "," + (200 + i % 13) + ".25");
        }
        compareEncodings("padded", String.join("\n", lines) + "\n", "설비, 작업, 온도");
    }

    @Test
    void notANumberInADecimalColumnIsRefusedWithItsLine() throws IOException {
        assertRefusedAt(decimals(3_000, 2_500, "NaN"), 2_502);
    }

    @Test
    void infinityBeyondTheSampleIsRefusedWithItsLine() throws IOException {
        assertRefusedAt(decimals(30_000, 25_000, "-inf"), 25_002);
    }

    /** A CSV of machines and temperatures with {@code odd} as the value of row {@code at}. */
    private Path decimals(int rows, int at, String odd) throws IOException {
        var lines = new ArrayList<String>();
        lines.add("machine,temperature");
        for (int i = 0; i < rows; i++) lines.add("m" + (i % 4) + "," + (i == at ? odd : (250 + i % 9) + ".5"));
        Path file = dir.resolve("odd_" + rows + ".csv");
        Files.write(file, lines, StandardCharsets.UTF_8);
        return file;
    }

    private void assertRefusedAt(Path file, long line) {
        try (Library lib = Library.open(LibraryConfig.embedded(dir.resolve("h"), MasterKey.of("paths agree secret 0123456")))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> lib.ingest(Principal.localOperator(), IngestRequest.of(file, "t/odd")))
                    .isInstanceOfSatisfying(IngestRejected.class, e -> {
                        assertThat(e.location().line()).isEqualTo(line);
                        assertThat(e.location().columnName()).isEqualTo("temperature");
                    });
            assertThat(lib.datasets(Principal.localOperator())).isEmpty();
        }
    }

    @Test
    void textColumnThatIsNumericBeyondTheSampleFallsBackToFullInference() throws IOException {
        // 50 'n/a' in the first rows only: too many for the 10,000-row sample (it says text), few enough
        // for the whole file of 100,050 rows (0.05 %: numeric, with 50 stray values).
        Path file = dir.resolve("late_numbers.csv");
        var lines = new ArrayList<String>();
        lines.add("machine,reading");
        for (int i = 0; i < 50; i++) lines.add("m" + (i % 5) + ",n/a");
        for (int i = 0; i < 100_000; i++) lines.add("m" + (i % 5) + "," + (i % 97) + ".5");
        Files.write(file, lines, StandardCharsets.UTF_8);
        try (Library lib = Library.open(LibraryConfig.embedded(dir.resolve("h"), MasterKey.of("paths agree secret 0123456")))) {
            var req = IngestRequest.of(file, "t/late").skippingBadRows();
            var result = lib.ingest(Principal.localOperator(), req);
            assertThat(lib.dictionary(Principal.localOperator(), "t/late").column("reading").orElseThrow().type().word())
                    .isEqualTo("decimal");
            assertThat(result.rejectedRows()).isEqualTo(50);
            assertThat(result.rows()).isEqualTo(100_000);
        }
    }

    /** The same Korean-headed text as UTF-8 (DuckDB path where it applies) and CP949 (Java path only). */
    private void compareEncodings(String name, String text, String orderBy) throws IOException {
        Path utf8 = dir.resolve(name + "_utf8.csv");
        Files.writeString(utf8, text, StandardCharsets.UTF_8);
        Path cp949 = dir.resolve(name + "_cp949.csv");
        Files.writeString(cp949, text, Charset.forName("x-windows-949"));
        compare(utf8, cp949, orderBy);
    }

    private void compare(Path fast, Path slow, String orderBy) {
        Principal me = Principal.localOperator();
        try (Library lib = Library.open(LibraryConfig.embedded(dir.resolve("home"), MasterKey.of("paths agree secret 0123456")))) {
            var a = lib.ingest(me, IngestRequest.of(fast, "t/fast"));
            var b = lib.ingest(me, IngestRequest.of(slow, "t/slow"));
            assertThat(a.source().charset()).isEqualTo(StandardCharsets.UTF_8);
            assertThat(b.source().charset().name()).contains("949");
            assertThat(a.rows()).isEqualTo(b.rows());
            assertThat(DictionaryYaml.toYaml(lib.dictionary(me, "t/fast"), "x"))
                    .isEqualTo(DictionaryYaml.toYaml(lib.dictionary(me, "t/slow"), "x"));
            assertThat(rows(lib, me, "SELECT * FROM \"t/fast\" ORDER BY " + orderBy))
                    .isEqualTo(rows(lib, me, "SELECT * FROM \"t/slow\" ORDER BY " + orderBy));
        }
    }

    private static List<String> rows(Library lib, Principal me, String sql) {
        var out = new ArrayList<String>();
        lib.query(me, sql, new ResultSink() {
            @Override
            public void columns(List<String> names, List<String> sqlTypes) {
                out.add(names + " " + sqlTypes);
            }

            @Override
            public void row(Object[] values) {
                out.add(Arrays.toString(values));
            }
        });
        return out;
    }
}
