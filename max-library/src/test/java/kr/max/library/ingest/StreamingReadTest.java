package kr.max.library.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import kr.max.core.dictionary.ColumnType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamingReadTest {

    private static final int ROWS = 2_000_000;

    @TempDir
    Path dir;

    @Test
    void readsTwoMillionRowsWithASmallRetainedHeap() throws IOException {
        Path file = dir.resolve("big.csv");
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("seq,ts,machine,temp,pressure\n");
            var line = new StringBuilder(64);
            for (int i = 0; i < ROWS; i++) {
                line.setLength(0);
                line.append(i).append(",2021-01-0").append(1 + i % 9).append(' ')
                        .append(10 + i % 14).append(':').append(10 + i % 50).append(":00,M")
                        .append(i % 7).append(',').append(200 + i % 50).append('.').append(i % 10)
                        .append(',').append(i % 1000).append('\n');
                w.append(line);
            }
        }
        long fileBytes = Files.size(file);
        long before = retainedHeap();
        long during = 0;
        long rows = 0;
        long problems = 0;
        try (var source = RowSource.open(file, SourceOptions.auto())) {
            var inference = new DictionaryInference(source.info().columns(), null);
            var row = new RawRow();
            while (source.next(row)) {
                rows++;
                if (row.problem() != null) problems++;
                inference.accept(row);
                if (rows == ROWS / 2) during = retainedHeap();
            }
            assertThat(inference.result().column("temp").orElseThrow().type()).isEqualTo(ColumnType.DECIMAL);
            assertThat(inference.result().column("ts").orElseThrow().format()).isEqualTo("iso");
        }
        assertThat(rows).isEqualTo(ROWS);
        assertThat(problems).isZero();
        // The text alone would take twice the file's size as chars; the reader keeps a few buffers.
        assertThat(fileBytes).isGreaterThan(60L << 20);
        assertThat(during - before).as("heap retained while reading").isLessThan(16L << 20);
    }

    private static long retainedHeap() {
        var memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }
}
