package kr.max.library.ingest;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Random;
import kr.max.core.dictionary.ColumnRole;
import kr.max.core.dictionary.ColumnSpec;
import kr.max.core.dictionary.ColumnType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prints throughput figures; asserts nothing. Run with
 * {@code ./mvnw -o -pl max-library test -Dtest=TokenizerThroughputTest -Dmax.bench=true}.
 */
@EnabledIfSystemProperty(named = "max.bench", matches = "true")
class TokenizerThroughputTest {

    @TempDir
    Path dir;

    @Test
    void printsThroughputOnAMillionRowNumericCsv() throws IOException {
        Path file = dir.resolve("numeric.csv");
        var random = new Random(1);
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("a,b,c,d,e,f,g,h\n");
            for (int i = 0; i < 1_000_000; i++) {
                for (int c = 0; c < 8; c++) {
                    if (c > 0) w.write(',');
                    w.write(Integer.toString(random.nextInt(1000)));
                    w.write('.');
                    w.write(Integer.toString(random.nextInt(1000)));
                }
                w.write('\n');
            }
        }
        Path timestamps = dir.resolve("ts.csv");
        try (BufferedWriter w = Files.newBufferedWriter(timestamps, StandardCharsets.UTF_8)) {
            w.write("ts\n");
            for (int i = 0; i < 2_000_000; i++) {
                w.write(String.format(Locale.ROOT, "2021-%02d-%02d %02d:%02d:%02d.%03d%n",
                        1 + i % 12, 1 + i % 28, i % 24, i % 60, (i / 60) % 60, i % 1000));
            }
        }
        double mb = Files.size(file) / 1e6;
        for (int round = 0; round < 4; round++) {
            long t0 = System.nanoTime();
            long rows = tokenizeOnly(file);
            long t1 = System.nanoTime();
            tokenizeAndGet(file);
            long t2 = System.nanoTime();
            tokenizeAndParse(file);
            long t3 = System.nanoTime();
            long tsRows = parseTimestamps(timestamps);
            long t4 = System.nanoTime();
            System.out.printf(Locale.ROOT,
                    "round %d: %.1f MB, %d rows: tokenize %.0f MB/s, +get %.0f MB/s, +parse decimals %.0f MB/s; iso timestamps %.1f M values/s%n",
                    round, mb, rows, mb / ((t1 - t0) / 1e9), mb / ((t2 - t1) / 1e9), mb / ((t3 - t2) / 1e9),
                    tsRows / 1e6 / ((t4 - t3) / 1e9));
        }
    }

    private static long tokenizeOnly(Path file) {
        long rows = 0;
        try (var source = RowSource.open(file, SourceOptions.auto())) {
            var row = new RawRow();
            while (source.next(row)) rows++;
        }
        return rows;
    }

    private static long tokenizeAndGet(Path file) {
        long chars = 0;
        try (var source = RowSource.open(file, SourceOptions.auto())) {
            var row = new RawRow();
            while (source.next(row)) for (int i = 0; i < row.size(); i++) chars += row.get(i).length();
        }
        return chars;
    }

    private static double tokenizeAndParse(Path file) {
        double sum = 0;
        var parser = ValueParser.forColumn(ColumnSpec.of("a", ColumnRole.MEASUREMENT, ColumnType.DECIMAL), null);
        try (var source = RowSource.open(file, SourceOptions.auto())) {
            var row = new RawRow();
            while (source.next(row)) for (int i = 0; i < row.size(); i++) sum += (Double) parser.parse(row.get(i));
        }
        return sum;
    }

    private static long parseTimestamps(Path file) {
        long n = 0;
        var spec = ColumnSpec.of("ts", ColumnRole.TIMESTAMP, ColumnType.TIMESTAMP).withType(ColumnType.TIMESTAMP, "iso");
        var parser = ValueParser.forColumn(spec, ZoneId.of("Asia/Seoul"));
        try (var source = RowSource.open(file, SourceOptions.auto())) {
            var row = new RawRow();
            while (source.next(row)) if (parser.parse(row.get(0)) instanceof Long) n++;
        }
        return n;
    }
}
