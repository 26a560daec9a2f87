package kr.max.library;

import java.io.IOException;
import kr.max.library.query.SqlText;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kr.max.core.dictionary.ColumnSpec;
import kr.max.core.dictionary.ColumnType;
import kr.max.core.dictionary.DataDictionary;
import kr.max.library.ingest.SourceInfo;
import kr.max.library.ingest.InferenceRules;

/**
 * The fast path of a deposit: DuckDB's parallel CSV reader converts the whole file to Parquet chunks
 * under a dictionary known in advance (confirmed by the provider, or inferred from a sample).
 *
 * <p>It is an optimisation only, and never more lenient than the Java path: every column is read as
 * text and converted by SQL that raises an error for anything the Java value parser would refuse
 * ({@code NaN}, {@code 12.0} in an integer column, {@code yes} where only true/false were seen…).
 * On any error, or when a column the sample called text turns out numeric over the whole file, it
 * gives up, leaves nothing behind, and the caller runs the Java path, which reports each problem with
 * its line and column.
 */
final class DuckDbConversion {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DuckDbConversion.class);

    private DuckDbConversion() {
    }

    /** Whether DuckDB can read this file exactly as the Java path would. */
    static boolean applies(SourceInfo info, DataDictionary dictionary, Path file, Path scratch) {
        if (!"csv".equals(info.format()) || info.delimiter() == null) return false;
        if (!StandardCharsets.UTF_8.equals(info.charset()) && !StandardCharsets.US_ASCII.equals(info.charset())) return false;
        for (ColumnSpec c : dictionary.columns()) {
            if (c.type() == ColumnType.TIMESTAMP && !InferenceRules.ISO_FORMAT.equals(c.format())) return false;
        }
        try {
            // The whole file's Parquet is in scratch memory at once on this path; it is about a fifth
            // of the CSV. Larger files take the Java path, which flushes chunk by chunk.
            return Files.getFileStore(scratch).getUsableSpace() > Files.size(file) / 2;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Converts {@code file} into Parquet files under {@code outDir} laid out by {@code sink}.
     *
     * @return each file's row count and zone map when every row converted and the sample's types hold for the
     *         whole file; null when the conversion gave up (the Java path then decides)
     */
    static Map<String, ChunkSink.Stats> convert(Connection duck, Path file, SourceInfo info, DataDictionary dictionary, long chunkBytes,
                           Path outDir, IngestProgress progress) {
        if (!copy(duck, file, info, dictionary, chunkBytes, outDir, progress, null, () -> false)) return null;
        try {
            return checkedStats(duck, dictionary, outDir);
        } catch (SQLException e) {
            LOG.debug("DuckDB path gave up in its checks: {}", e.getClass().getSimpleName());
            return null;
        }
    }

    /**
     * The COPY alone: {@code file} into Parquet files under {@code outDir}, without the checks of
     * {@link #checkedStats}, which must pass before the files are used. The running statement is published in
     * {@code running} so another thread may cancel it, and {@code cancelled} is asked after publishing it, so a
     * cancel that came before the statement started is not missed.
     *
     * @return true when every row converted
     */
    static boolean copy(Connection duck, Path file, SourceInfo info, DataDictionary dictionary, long chunkBytes,
                           Path outDir, IngestProgress progress,
                           java.util.concurrent.atomic.AtomicReference<Statement> running,
                           java.util.function.BooleanSupplier cancelled) {
        var columns = new ArrayList<String>();
        var exprs = new ArrayList<String>();
        for (ColumnSpec c : dictionary.columns()) {
            columns.add(SqlText.literal(c.name()) + ": " + SqlText.literal(readType(c)));
            exprs.add(expression(c) + " AS " + SqlText.identifier(c.name()));
        }
        String read = "read_csv(" + SqlText.literal(file.toString()) + ", header = " + info.header()
                + ", delim = " + SqlText.literal(String.valueOf(info.delimiter()))
                + ", quote = '\"', escape = '\"', auto_detect = false, strict_mode = true, null_padding = false"
                + ", columns = {" + String.join(", ", columns) + "})";
        // No asset buckets on this path: DuckDB's PARTITION_BY took about 60 % more CPU than a plain COPY and held
        // about 700 MiB more memory for 10 M rows, while the one-asset-one-day query, pruned by time alone, stays
        // well within its target (docs/benchmarks.md, decision 0002). The Java path, whose own cost dwarfs the
        // buckets', keeps them.
        String[] layout = ChunkSink.layout(dictionary, chunkBytes, "SELECT " + String.join(", ", exprs) + " FROM " + read, 1);
        try (Statement set = duck.createStatement()) {
            set.execute("SET TimeZone = " + SqlText.literal(dictionary.timeZone()));
            set.execute("SET enable_progress_bar = true");
            set.execute("SET enable_progress_bar_print = false");
        } catch (SQLException e) {
            return false;
        }
        try (var st = (org.duckdb.DuckDBPreparedStatement) duck.prepareStatement(
                "COPY (" + layout[0] + ") TO " + SqlText.literal(outDir.toString()) + " " + layout[1])) {
            if (running != null) running.set(st);
            if (cancelled.getAsBoolean()) return false;
            long t0 = System.nanoTime();
            Thread watcher = Thread.ofVirtual().start(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        Thread.sleep(250);
                        double pct = st.getQueryProgress().getPercentage();
                        if (pct >= 0) progress.update(IngestProgress.Phase.CONVERT, pct / 100);
                    }
                } catch (InterruptedException | SQLException | RuntimeException e) {
                    // progress is best effort; the statement ended or was never started
                }
            });
            try {
                st.execute();
            } finally {
                watcher.interrupt();
                if (running != null) running.set(null);
            }
            LOG.debug("COPY {} ms", (System.nanoTime() - t0) / 1_000_000);
            return !cancelled.getAsBoolean();
        } catch (SQLException e) {
            // Only the kind of error: DuckDB's message may quote a value of the file, and logs carry no values.
            String line = SqlText.firstLine(e.getMessage());
            LOG.debug("DuckDB path gave up: {}", line.contains(":") ? line.substring(0, line.indexOf(':')) : "error");
            return false;
        }
    }

    /**
     * How DuckDB's reader parses the column: decimals and ISO timestamps natively (fast, and no more
     * lenient about their form than the Java parser), everything else as text for {@link #expression}.
     */
    private static String readType(ColumnSpec c) {
        return switch (c.type()) {
            case DECIMAL -> "DOUBLE";
            case TIMESTAMP -> "TIMESTAMPTZ";
            default -> "VARCHAR";
        };
    }

    /**
     * The column's value from what the reader gave. Integers and booleans are checked here, because the
     * cast would hide what the Java parser refuses ('1.5' rounded, 'yes' taken); decimals, timestamps
     * and text pass as read and are checked afterwards on the written chunks ({@link #checkedStats}),
     * which costs far less than a check per value.
     */
    private static String expression(ColumnSpec c) {
        String q = SqlText.identifier(c.name());
        String v = "NULLIF(trim(" + q + "), '')";
        String bad = "error('MAX-INGEST-012')";
        return switch (c.type()) {
            case STRING, DECIMAL, TIMESTAMP -> q;
            case INTEGER -> "CASE WHEN " + v + " IS NULL THEN NULL WHEN regexp_full_match(" + v + ", '[+-]?[0-9]+') THEN CAST("
                    + v + " AS BIGINT) ELSE " + bad + " END";
            case BOOLEAN -> "CASE WHEN " + v + " IS NULL THEN NULL WHEN lower(" + v + ") IN ('true', 'yes', 'y', '1') THEN true "
                    + "WHEN lower(" + v + ") IN ('false', 'no', 'n', '0') THEN false ELSE " + bad + " END";
        };
    }

    /**
     * Checks the written chunks for what the Java path would have decided differently, in the same columnar
     * scan that takes each file's row count and zone map ({@link ChunkSink#scan}): a decimal that is NaN or
     * infinite (sensors write those for failures; the Java parser refuses them), text with surrounding spaces
     * or empty in quotes (the Java path trims, and reads empty as missing), and a column the sample saw as
     * text that is numeric over the whole file (its few non-numbers all in the sample), where full inference
     * would have chosen a number type.
     *
     * @return the files' row counts and zone maps, or null when the sample's types do not hold
     */
    static Map<String, ChunkSink.Stats> checkedStats(Connection duck, DataDictionary d, Path outDir) throws SQLException {
        var checks = new ArrayList<String>();
        var kinds = new ArrayList<String>();
        for (ColumnSpec c : d.columns()) {
            String q = SqlText.identifier(c.name());
            switch (c.type()) {
                case DECIMAL -> {
                    if (mayHoldNonFinite(duck, outDir, c.name())) {
                        checks.add("count(*) FILTER (WHERE NOT isfinite(" + q + "))");
                        kinds.add("nonfinite");
                    }
                }
                case STRING -> {
                    checks.add("count(*) FILTER (WHERE " + q + " = '' OR " + q + " <> trim(" + q + "))");
                    kinds.add("untrimmed");
                    checks.add("count(" + q + ")");
                    kinds.add("nonblank");
                    // The cheap upper bound first; the exact count (which leaves out NaN, inf and codes
                    // with leading zeros, as inference does) runs only when the bound could matter.
                    checks.add("count(TRY_CAST(" + q + " AS DOUBLE))");
                    kinds.add("numeric");
                }
                default -> { }
            }
        }
        long[] totals = new long[checks.size()];
        Map<String, ChunkSink.Stats> stats = ChunkSink.scan(duck, outDir, d, checks, totals);
        for (int i = 0; i < kinds.size(); i++) {
            long n = totals[i];
            switch (kinds.get(i)) {
                case "nonfinite", "untrimmed" -> {
                    if (n > 0) return null;
                }
                case "numeric" -> {
                    long nonBlank = totals[i - 1];
                    if (n > 0 && InferenceRules.mostFit(nonBlank, n)
                            && InferenceRules.mostFit(nonBlank, exactNumeric(duck, outDir, stringColumn(d, i, kinds)))) {
                        return null;
                    }
                }
                default -> { }
            }
        }
        return stats;
    }

    /** The STRING column whose "numeric" check sits at position {@code index} of {@code kinds}. */
    private static String stringColumn(DataDictionary d, int index, List<String> kinds) {
        int strings = 0;
        for (int k = 0; k <= index; k++) if ("numeric".equals(kinds.get(k))) strings++;
        for (ColumnSpec c : d.columns()) {
            if (c.type() == ColumnType.STRING && --strings == 0) return c.name();
        }
        throw new IllegalStateException("no string column at " + index);
    }

    private static long exactNumeric(Connection duck, Path outDir, String column) throws SQLException {
        String q = SqlText.identifier(column);
        String sql = "SELECT count(CASE WHEN strpos(lower(" + q + "), 'n') = 0 AND NOT regexp_full_match(" + q
                + ", '0[0-9].*') THEN TRY_CAST(" + q + " AS DOUBLE) END) FROM read_parquet("
                + SqlText.literal(outDir.resolve("**").resolve("*.parquet").toString()) + ")";
        try (Statement st = duck.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Whether a decimal column may hold NaN or an infinity, from the Parquet footers alone: DuckDB
     * leaves a row group's minimum or maximum statistic out when the group holds NaN or an infinity
     * ({@code IngestPathsAgreeTest} pins this), so groups with values and both statistics present and
     * finite cannot. Only when this says "maybe" are the values themselves scanned.
     */
    private static boolean mayHoldNonFinite(Connection duck, Path outDir, String column) throws SQLException {
        String sql = "SELECT count(*) FROM parquet_metadata("
                + SqlText.literal(outDir.resolve("**").resolve("*.parquet").toString()) + ") WHERE path_in_schema = "
                + SqlText.literal(column) + " AND coalesce(stats_null_count, 0) < num_values"
                + " AND (stats_min_value IS NULL OR stats_max_value IS NULL"
                + " OR NOT isfinite(TRY_CAST(stats_min_value AS DOUBLE)) OR NOT isfinite(TRY_CAST(stats_max_value AS DOUBLE))"
                + " OR TRY_CAST(stats_min_value AS DOUBLE) IS NULL OR TRY_CAST(stats_max_value AS DOUBLE) IS NULL)";
        try (Statement st = duck.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1) > 0;
        }
    }
}
