package kr.max.library.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import kr.max.core.dictionary.ColumnRole;
import kr.max.core.dictionary.ColumnSpec;
import kr.max.core.dictionary.ColumnType;
import kr.max.core.dictionary.DataDictionary;
import kr.max.library.fingerprint.FingerprintColumn;
import kr.max.library.fingerprint.FingerprintScheme;
import kr.max.library.fingerprint.FingerprintSecret;
import kr.max.library.fingerprint.Fingerprinter;
import kr.max.library.store.Scratch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A copy marked inside DuckDB's COPY carries exactly the marks the fingerprinter gives the same rows one at a time
 * in Java, which is what the tracer recomputes: also with more assets than the export's cache of decoded asset
 * texts holds, so rows of assets that take turns in a slot are keyed by their own text.
 */
class MarkedExportTest {

    @TempDir
    Path dir;

    Scratch scratch;
    QueryEngine engine;
    QueryEngine.ResolvedTable table;
    DataDictionary dictionary;

    @BeforeEach
    void tableOfManyMachines() throws Exception {
        Path parquet = dir.resolve("press.parquet");
        try (var c = DriverManager.getConnection("jdbc:duckdb:"); var st = c.createStatement()) {
            // 20,000 strokes over 700 presses (more than the 256 cached texts), in an order that mixes them
            st.execute("COPY (SELECT TIMESTAMPTZ '2026-03-02 06:00:00+09' + INTERVAL (i // 700) SECOND AS ts, "
                    + "'프레스-' || ((i * 7919) % 700) AS machine, round(150 + (i % 97) * 0.37, 2) AS pressure, "
                    + "round(20 + (i % 13) * 0.5, 1) AS temperature FROM range(20000) t(i)) TO '" + parquet + "' (FORMAT parquet)");
        }
        dictionary = new DataDictionary(List.of(ColumnSpec.of("ts", ColumnRole.TIMESTAMP, ColumnType.TIMESTAMP),
                ColumnSpec.of("machine", ColumnRole.ASSET, ColumnType.STRING),
                ColumnSpec.of("pressure", ColumnRole.MEASUREMENT, ColumnType.DECIMAL),
                ColumnSpec.of("temperature", ColumnRole.MEASUREMENT, ColumnType.DECIMAL)), DataDictionary.DEFAULT_TIME_ZONE);
        table = new QueryEngine.ResolvedTable("kamp/press", dictionary,
                List.of(new QueryEngine.ChunkRef(0, "chunk-0", null, out -> Files.copy(parquet, out))));
        Path base = Files.createTempDirectory(Path.of("/dev/shm"), "max-marked-export-test-");
        scratch = Scratch.open(base);
        engine = new QueryEngine(scratch);
    }

    @AfterEach
    void close() {
        engine.close();
        Path base = scratch.dir().getParent();
        scratch.close();
        Scratch.deleteTree(base);
    }

    @Test
    void marksInsideDuckDbEqualTheFingerprinterRowByRow() throws Exception {
        var scheme = FingerprintScheme.of(List.of(new FingerprintColumn("pressure", 0.01, 0.02),
                new FingerprintColumn("temperature", 0.1, 0.1)), List.of("ts", "machine"));
        var secret = FingerprintSecret.generate(new SecureRandom());
        var names = dictionary.names();
        Path plain = dir.resolve("plain.parquet");
        Path marked = dir.resolve("marked.parquet");
        engine.export("kamp/press", name -> table, plain, "parquet");
        engine.exportMarked("kamp/press", name -> table, marked, "parquet", List.of("pressure", "temperature"), "ts", null, "machine",
                () -> Fingerprinter.create(secret, scheme, names));

        var expected = rows(plain);
        var java = Fingerprinter.create(secret, scheme, names);
        for (var row : expected) java.markRow(row);
        var actual = rows(marked);

        assertThat(actual).hasSameSizeAs(expected).hasSize(20_000);
        int changed = 0;
        var original = rows(plain);
        for (int i = 0; i < actual.size(); i++) {
            assertThat(actual.get(i)[2]).as("pressure of row %d", i).isEqualTo(expected.get(i)[2]);
            assertThat(actual.get(i)[3]).as("temperature of row %d", i).isEqualTo(expected.get(i)[3]);
            if (!actual.get(i)[2].equals(original.get(i)[2])) changed++;
        }
        assertThat(changed).as("cells the mark moved").isGreaterThan(1_000);
    }

    private static List<Object[]> rows(Path parquet) throws Exception {
        var out = new ArrayList<Object[]>();
        try (var c = DriverManager.getConnection("jdbc:duckdb:"); var st = c.createStatement();
             var rs = st.executeQuery("SELECT ts, machine, pressure, temperature FROM read_parquet('" + parquet + "') ORDER BY ts, machine")) {
            while (rs.next()) {
                out.add(new Object[] {rs.getObject(1, java.time.OffsetDateTime.class), rs.getString(2), rs.getDouble(3), rs.getDouble(4)});
            }
        }
        return out;
    }
}
