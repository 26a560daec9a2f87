package kr.max.library.fingerprint;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.duckdb.DuckDBColumnType;
import org.duckdb.DuckDBFunctions;

/**
 * The library's plain export is DuckDB's own {@code COPY (SELECT * …) TO file}; this harness measures a
 * fingerprinted export that stays inside that statement: DuckDB vectorized scalar functions written in
 * Java call {@link Fingerprinter#rowHash} once per row and {@link Fingerprinter#markValue} once per marked
 * cell (one fingerprinter per DuckDB thread). 1,000,000 rows × (timestamp, asset, six measurements),
 * CSV and Parquet (zstd), plain and fingerprinted alternating, medians of 5; then the Parquet file is
 * read back and traced. Not a test: figures to read. Run after
 * {@code ./mvnw -o -q -pl max-library test-compile} with {@code java --enable-native-access=ALL-UNNAMED -cp
 * max-library/target/test-classes:max-library/target/classes:<max-core jar>:<duckdb_jdbc jar>
 * kr.max.library.fingerprint.FingerprintDuckDbThroughput [rows]}.
 */
public final class FingerprintDuckDbThroughput {

    private static final int ROUNDS = 5;

    private FingerprintDuckDbThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        var secret = SensorTables.secret(new Random(7));
        var scheme = SensorTables.SCHEME;
        Path dir = Files.createTempDirectory("fp-duckdb");
        try (Connection conn = DriverManager.getConnection("jdbc:duckdb:")) {
            try (var st = conn.createStatement()) {
                st.execute("SET threads = 2");
                st.execute("""
                        CREATE TABLE t AS SELECT TIMESTAMP '2025-03-01' + to_seconds(i // 8) AS ts, 'press-' || (i %% 8 + 1) AS asset,
                          round(50 + 5 * sin(i / 10000.0) + random() * 2, 2) AS pressure_bar,
                          round(190 + 10 * sin(i / 20000.0) + random(), 1) AS temperature_c,
                          2 + random() AS vibration_mm_s,
                          round(14 + random(), 2) AS current_a,
                          round(40 + 3 * random(), 1) AS flow_l_min,
                          round(1500 + 25 * random()) AS speed_rpm
                        FROM range(%d) r(i)""".formatted(rows));
            }
            register(conn, secret, scheme);
            var select = new StringBuilder("SELECT ts, asset");
            for (int i = 0; i < scheme.marked().size(); i++) {
                String name = scheme.marked().get(i).name();
                select.append(", fp_mark(").append(i).append(", ").append(name).append(", h) AS ").append(name);
            }
            select.append(" FROM (SELECT *, fp_row(epoch_us(ts), asset) AS h FROM t)");
            System.out.printf("%,d rows x (timestamp, asset, %d measurements), DuckDB COPY on 2 threads, %s%n", rows,
                    scheme.marked().size(), Runtime.version());
            for (String format : List.of("parquet", "csv")) {
                String options = format.equals("csv") ? "(FORMAT csv, HEADER true)" : "(FORMAT parquet, COMPRESSION zstd)";
                Path out = dir.resolve("export." + format);
                String target = " TO '" + out + "' " + options;
                var plain = new double[ROUNDS];
                var marked = new double[ROUNDS];
                for (int round = -1; round < ROUNDS; round++) {
                    double p = copy(conn, "COPY (SELECT * FROM t)" + target);
                    double m = copy(conn, "COPY (" + select + ")" + target);
                    if (round >= 0) {
                        plain[round] = p;
                        marked[round] = m;
                    }
                }
                Arrays.sort(plain);
                Arrays.sort(marked);
                double p = plain[ROUNDS / 2];
                double m = marked[ROUNDS / 2];
                System.out.printf("%-7s: plain COPY %.3f s (%,.0f rows/s), fingerprinted %.3f s (%,.0f rows/s), ratio %.2f%n",
                        format, p, rows / p, m, rows / m, p / m);
            }
            traceBack(conn, dir.resolve("export.parquet"), secret, scheme);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        }
    }

    /** {@code fp_row(epoch_us, asset)} and {@code fp_mark(column, value, row hash)}, one fingerprinter per thread. */
    private static void register(Connection conn, FingerprintSecret secret, FingerprintScheme scheme) throws SQLException {
        var names = new ArrayList<String>(scheme.keyColumns());
        scheme.marked().forEach(c -> names.add(c.name()));
        ThreadLocal<Fingerprinter> perThread = ThreadLocal.withInitial(() -> Fingerprinter.create(secret, scheme, names));
        DuckDBFunctions.scalarFunction().withName("fp_row")
                .withParameters(DuckDBColumnType.BIGINT, DuckDBColumnType.VARCHAR).withReturnType(DuckDBColumnType.BIGINT)
                .withVectorizedFunction((in, out) -> {
                    var fp = perThread.get();
                    var time = in.vector(0);
                    var asset = in.vector(1);
                    for (long r = 0, n = in.rowCount(); r < n; r++) out.setLong(r, fp.rowHash(time.getLong(r), asset.getString(r)));
                }).register(conn);
        DuckDBFunctions.scalarFunction().withName("fp_mark")
                .withParameters(DuckDBColumnType.INTEGER, DuckDBColumnType.DOUBLE, DuckDBColumnType.BIGINT)
                .withReturnType(DuckDBColumnType.DOUBLE)
                .withVectorizedFunction((in, out) -> {
                    var fp = perThread.get();
                    int column = in.vector(0).getInt(0);
                    var value = in.vector(1);
                    var hash = in.vector(2);
                    for (long r = 0, n = in.rowCount(); r < n; r++) {
                        if (value.isNull(r)) out.setNull(r);
                        else out.setDouble(r, fp.markValue(column, value.getDouble(r), hash.getLong(r)));
                    }
                }).register(conn);
    }

    private static double copy(Connection conn, String sql) throws SQLException {
        long start = System.nanoTime();
        try (var st = conn.createStatement()) {
            st.execute(sql);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** Reads the fingerprinted Parquet file back, as {@code max trace} will, and traces it. */
    private static void traceBack(Connection conn, Path file, FingerprintSecret secret, FingerprintScheme scheme) throws SQLException {
        int n;
        try (var st = conn.createStatement(); var rs = st.executeQuery("SELECT count(*) FROM '" + file + "'")) {
            rs.next();
            n = rs.getInt(1);
        }
        var time = new long[n];
        var asset = new String[n];
        var values = new double[scheme.marked().size()][n];
        var columns = new StringBuilder("epoch_us(ts), asset");
        scheme.marked().forEach(c -> columns.append(", ").append(c.name()));
        try (var st = conn.createStatement(); var rs = st.executeQuery("SELECT " + columns + " FROM '" + file + "'")) {
            for (int r = 0; rs.next(); r++) {
                time[r] = rs.getLong(1);
                asset[r] = rs.getString(2);
                for (int c = 0; c < values.length; c++) values[c][r] = rs.getDouble(3 + c);
            }
        }
        var table = SuspectTable.builder(n).column(SensorTables.TIME, time).column(SensorTables.ASSET, asset);
        for (int c = 0; c < values.length; c++) table.column(scheme.marked().get(c).name(), values[c]);
        var candidates = new ArrayList<Candidate>();
        candidates.add(new Candidate("export-0", "recipient-0", Instant.EPOCH, secret, scheme));
        var random = new Random(8);
        for (int i = 1; i < 20; i++) candidates.add(new Candidate("export-" + i, "recipient-" + i, Instant.EPOCH, SensorTables.secret(random), scheme));
        long start = System.nanoTime();
        var report = new Tracer().trace(table.build(), candidates);
        var e = report.evidence().getFirst();
        System.out.printf("traced back from Parquet against 20 candidates in %.2f s: %s, %s, %,d of %,d bits, log10 p %.0f%n",
                (System.nanoTime() - start) / 1e9, report.getClass().getSimpleName(), e.recipient(), e.matches(), e.bits(), e.log10PValue());
    }
}
