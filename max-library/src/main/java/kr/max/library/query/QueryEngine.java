package kr.max.library.query;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.core.dictionary.ColumnSpec;
import kr.max.core.dictionary.DataDictionary;
import kr.max.library.store.Scratch;
import org.duckdb.DuckDBConnection;

/**
 * Runs SQL over datasets in in-memory DuckDB. Only the chunks a query can need are decrypted, into
 * the memory-backed {@link Scratch}, where recently read ones stay for the next query (a budget caps
 * them). Queries run in long-lived DuckDB instances, one per time zone, that were locked down before
 * any user SQL reached them: no spilling, no file access but to the decrypted chunks, no extension
 * loading, configuration frozen. Each query gets its own connection whose temporary views name
 * exactly the chunks it was permitted to read.
 */
public final class QueryEngine implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(QueryEngine.class);

    /** Decrypted chunks kept for repeated queries unless the library is given another budget. */
    public static final long DEFAULT_CACHE_BYTES = 256L << 20;

    /** Finds a table named in a query: {@code kamp/press} or {@code kamp/press@2}. */
    @FunctionalInterface
    public interface TableResolver {
        /** @throws MaxException {@link QueryError#UNKNOWN_TABLE} or a catalog error */
        ResolvedTable resolve(String name);
    }

    /** Writes one chunk's plaintext Parquet bytes. */
    @FunctionalInterface
    public interface ChunkWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * A chunk as the engine sees it.
     *
     * @param id a name unique to this chunk's content for as long as it exists (its object hash)
     */
    public record ChunkRef(int seq, String id, ZoneMap zoneMap, ChunkWriter plaintext) {
    }

    /**
     * A dataset version ready to be read. Its view shows exactly the dictionary's columns, so a column left
     * out of the dictionary here (one that never leaves for this caller) cannot be named in a query.
     */
    public record ResolvedTable(String name, DataDictionary dictionary, List<ChunkRef> chunks) {

        /** This table without the named columns. */
        public ResolvedTable without(java.util.Set<String> hidden) {
            if (hidden.isEmpty()) return this;
            var kept = dictionary.columns().stream().filter(c -> !hidden.contains(c.name())).toList();
            return new ResolvedTable(name, new DataDictionary(kept, dictionary.timeZone()), chunks);
        }
    }

    /** The dictionary's columns, quoted, for a SELECT list. */
    private static String selectList(DataDictionary d) {
        var cols = new ArrayList<String>();
        for (ColumnSpec c : d.columns()) cols.add(SqlText.identifier(c.name()));
        return String.join(", ", cols);
    }

    /**
     * What a query touched, for the audit record.
     *
     * @param rows         result rows delivered
     * @param heldBackRows safe-zone result rows not delivered because fewer stored rows stand behind them
     * @param heldOutput   the id under which the result waits for review in the safe zone, or null when it
     *                     was delivered
     * @param exportId     for an export, the id of its export record (what {@code max trace} names)
     * @param fingerprinted for an export, whether the copy carries its recipient's fingerprint
     */
    public record QueryStats(List<String> tables, int chunksTotal, int chunksRead, long rows, long heldBackRows,
                             String heldOutput, String exportId, boolean fingerprinted) {

        public QueryStats(List<String> tables, int chunksTotal, int chunksRead, long rows, long heldBackRows, String heldOutput) {
            this(tables, chunksTotal, chunksRead, rows, heldBackRows, heldOutput, null, false);
        }

        public QueryStats withHeldOutput(String id) {
            return new QueryStats(tables, chunksTotal, chunksRead, rows, heldBackRows, id, exportId, fingerprinted);
        }

        /** These figures for an export recorded under {@code id}, marked for its recipient or not. */
        public QueryStats withExport(String id, boolean marked) {
            return new QueryStats(tables, chunksTotal, chunksRead, rows, heldBackRows, heldOutput, id, marked);
        }
    }

    private final Scratch scratch;
    private final DecryptedChunks cache;
    /** One locked-down DuckDB per time zone: a locked instance cannot change its zone per query. */
    private final Map<String, DuckDBConnection> instances = new java.util.concurrent.ConcurrentHashMap<>();

    public QueryEngine(Scratch scratch) {
        this(scratch, DEFAULT_CACHE_BYTES);
    }

    public QueryEngine(Scratch scratch, long cacheBytes) {
        this(scratch, cacheBytes, Integer.getInteger("max.concurrentAnalyses", DEFAULT_CONCURRENT_ANALYSES));
    }

    /**
     * Queries and exports running at once beyond this many wait their turn (in arrival order). Each DuckDB
     * run already uses every core; letting more run side by side only slices the cores thinner, and on a
     * server the cheap requests (catalog reads, token checks) then wait behind them. One core's worth is
     * left to those.
     */
    public static final int DEFAULT_CONCURRENT_ANALYSES = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);

    private final java.util.concurrent.Semaphore slots;

    /**
     * Threads one DuckDB run may use. All cores by default, so one large query on a quiet library runs as
     * fast as DuckDB can; a server that must keep answering catalog reads while it analyses can lower it.
     */
    static final int ANALYSIS_THREADS = Integer.getInteger("max.analysisThreads", Runtime.getRuntime().availableProcessors());

    public QueryEngine(Scratch scratch, long cacheBytes, int concurrentAnalyses) {
        if (concurrentAnalyses < 1) throw new IllegalArgumentException("concurrentAnalyses " + concurrentAnalyses);
        this.slots = new java.util.concurrent.Semaphore(concurrentAnalyses, true);
        this.scratch = scratch;
        try {
            this.cache = new DecryptedChunks(Files.createDirectory(scratch.newFile("-chunks")), cacheBytes);
        } catch (IOException e) {
            throw new MaxException(QueryError.EXECUTION, Location.NOWHERE, e, e.getClass().getSimpleName());
        }
    }

    /** Runs one SELECT and streams its result. */
    public QueryStats query(String sql, TableResolver resolver, ResultSink sink) {
        return run(sql, sql, resolver, sink, 0);
    }

    /**
     * Runs one aggregate SELECT the safe-zone way (데이터안심구역): the query must aggregate straight
     * over datasets, and a result row that aggregates fewer than {@code minContributors} stored rows is
     * held back (counted in {@link QueryStats#heldBackRows()}, never delivered).
     *
     * @throws MaxException {@link QueryError#SAFE_ZONE_NOT_AGGREGATE} for anything but such an aggregate
     */
    public QueryStats querySafeZone(String sql, TableResolver resolver, ResultSink sink, int minContributors) {
        if (minContributors < 1) throw new IllegalArgumentException("minContributors " + minContributors);
        analysis(sql); // the same gate as every query, before the rewrite looks at it
        String counted;
        try (Connection c = instance(DataDictionary.DEFAULT_TIME_ZONE).duplicate()) {
            counted = SqlAnalysis.withContributorCount(c, sql, aggregateFunctions(c));
        } catch (SQLException e) {
            throw new MaxException(QueryError.EXECUTION, Location.NOWHERE, e, SqlText.firstLine(e.getMessage()));
        }
        return run(sql, counted, resolver, sink, minContributors);
    }

    private volatile Set<String> aggregateFunctions;

    private Set<String> aggregateFunctions(Connection c) throws SQLException {
        Set<String> known = aggregateFunctions;
        if (known != null) return known;
        var names = new java.util.HashSet<String>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT DISTINCT function_name FROM duckdb_functions() WHERE function_type = 'aggregate'")) {
            while (rs.next()) names.add(rs.getString(1));
        }
        aggregateFunctions = Set.copyOf(names);
        return aggregateFunctions;
    }

    /**
     * Runs {@code runSql} over the tables {@code sql} names. With {@code minContributors > 0} the last
     * result column is the safe zone's contributor count: rows below it are held back and the column
     * itself is never delivered.
     */
    private QueryStats run(String sql, String runSql, TableResolver resolver, ResultSink sink, int minContributors) {
        var counted = new SafeZoneSink(sink, minContributors);
        return run(sql, runSql, resolver, (c, q) -> stream(c, q, minContributors > 0 ? counted : sink), () -> counted.heldBack);
    }

    /** Runs a statement on the query's connection and says how many rows it delivered. */
    private interface Execution {
        long execute(Connection c, String sql) throws SQLException;
    }

    private QueryStats run(String sql, String runSql, TableResolver resolver, Execution execution,
                           java.util.function.LongSupplier heldBack) {
        long startedAt = System.nanoTime();
        var refs = analysis(sql);
        var tables = new LinkedHashMap<String, ResolvedTable>();
        for (var ref : refs) tables.computeIfAbsent(ref.name(), resolver::resolve);
        // The query runs in the first table's zone; literals are read in that zone when pruning too.
        String zone = tables.values().stream().findFirst().map(t -> t.dictionary().timeZone())
                .orElse(DataDictionary.DEFAULT_TIME_ZONE);
        long resolvedAt = System.nanoTime();
        // Each query has its own connection: a DuckDB connection serves one statement at a time.
        try (var turn = turn(); Connection c = instance(zone).duplicate()) {
            var wanted = new LinkedHashMap<String, List<ChunkRef>>();
            int chunksTotal = 0;
            for (var e : tables.entrySet()) {
                chunksTotal += e.getValue().chunks().size();
                wanted.put(e.getKey(), chosenChunks(literal -> timestampMicros(c, zone, literal), e.getValue(), refs, e.getKey()));
            }
            var all = wanted.values().stream().flatMap(List::stream).toList();
            long prunedAt = System.nanoTime();
            try (DecryptedChunks.Lease lease = cache.lease(all)) {
                long decryptedAt = System.nanoTime();
                createViews(c, tables, wanted, lease.files());
                long rows = execution.execute(c, runSql);
                LOG.debug("query: analysis and resolve {} us, prune {} us, decrypt {} us ({} of {} chunks), views and execution {} us",
                        (resolvedAt - startedAt) / 1_000, (prunedAt - resolvedAt) / 1_000, (decryptedAt - prunedAt) / 1_000,
                        all.size(), chunksTotal, (System.nanoTime() - decryptedAt) / 1_000);
                long held = heldBack.getAsLong();
                return new QueryStats(List.copyOf(tables.keySet()), chunksTotal, all.size(), rows - held, held, null);
            }
        } catch (SQLException | IOException e) {
            throw new MaxException(QueryError.EXECUTION, Location.NOWHERE, e, SqlText.firstLine(e.getMessage()));
        }
    }

    /**
     * A whole table read column by column, for computations inside the library (de-identification, model
     * training): per column of the dictionary, a {@code long[]} of epoch microseconds for timestamps
     * ({@link Long#MIN_VALUE} for null), a {@code double[]} for numbers ({@code NaN} for null) or a
     * {@code String[]} for everything else ({@code null} for null).
     */
    public record Columns(int rows, List<Object> arrays) {
    }

    /** Reads every row of {@code table}; typed getters, no boxing, so a million rows take seconds, not tens. */
    public Columns readColumns(ResolvedTable table, long expectedRows) {
        int capacity = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(16, expectedRows));
        var all = new ArrayList<Object>();
        int[] total = {0};
        readBatches(table, capacity, (rows, arrays) -> {
            if (!all.isEmpty()) throw new IllegalStateException("more rows than the " + capacity + " expected in " + table.name());
            all.addAll(arrays);
            total[0] = rows;
        });
        grow(all, total[0]);
        return new Columns(total[0], List.copyOf(all));
    }

    /** Receives rows column by column, in the layout of {@link Columns}; the arrays are reused for the next batch. */
    public interface BatchSink {
        void accept(int rows, List<Object> arrays);
    }

    /**
     * Streams every row of {@code table} in batches of up to {@code batchRows} rows, column by column (the
     * layout of {@link Columns}; arrays may be longer than the batch and are reused).
     *
     * @return the rows read
     */
    public long readBatches(ResolvedTable table, int batchRows, BatchSink sink) {
        DataDictionary d = table.dictionary();
        var select = new ArrayList<String>();
        var arrays = new ArrayList<Object>();
        for (ColumnSpec c : d.columns()) {
            String col = SqlText.identifier(c.name());
            switch (c.type()) {
                case TIMESTAMP -> {
                    select.add("epoch_us(" + col + ")");
                    arrays.add(new long[batchRows]);
                }
                case INTEGER, DECIMAL -> {
                    select.add("CAST(" + col + " AS DOUBLE)");
                    arrays.add(new double[batchRows]);
                }
                default -> {
                    select.add("CAST(" + col + " AS VARCHAR)");
                    arrays.add(new String[batchRows]);
                }
            }
        }
        String name = SqlText.identifier(table.name());
        long[] total = {0};
        run("SELECT * FROM " + name, "SELECT " + String.join(", ", select) + " FROM " + name, n -> table, (c, q) -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(q)) {
                int r = 0;
                while (rs.next()) {
                    fillRow(rs, arrays, r);
                    if (++r == batchRows) {
                        sink.accept(r, arrays);
                        total[0] += r;
                        r = 0;
                    }
                }
                if (r > 0 || total[0] == 0) sink.accept(r, arrays);
                total[0] += r;
                return total[0];
            }
        }, () -> 0);
        return total[0];
    }

    /**
     * Row {@code r} of each column array from the result's current row: epoch microseconds into a
     * {@code long[]} ({@link Long#MIN_VALUE} for null), numbers into a {@code double[]} ({@code NaN}), text
     * into an {@code Object[]} or {@code String[]}.
     */
    private static void fillRow(ResultSet rs, List<Object> arrays, int r) throws SQLException {
        for (int i = 0; i < arrays.size(); i++) {
            switch (arrays.get(i)) {
                case long[] a -> {
                    long v = rs.getLong(i + 1);
                    a[r] = rs.wasNull() ? Long.MIN_VALUE : v;
                }
                case double[] a -> {
                    double v = rs.getDouble(i + 1);
                    a[r] = rs.wasNull() ? Double.NaN : v;
                }
                case Object[] a -> a[r] = rs.getString(i + 1);
                default -> throw new IllegalStateException();
            }
        }
    }

    private static void grow(List<Object> arrays, int length) {
        for (int i = 0; i < arrays.size(); i++) {
            arrays.set(i, switch (arrays.get(i)) {
                case long[] a -> a.length == length ? a : java.util.Arrays.copyOf(a, length);
                case double[] a -> a.length == length ? a : java.util.Arrays.copyOf(a, length);
                case String[] a -> a.length == length ? a : java.util.Arrays.copyOf(a, length);
                default -> throw new IllegalStateException();
            });
        }
    }

    /** A place among the analyses allowed to run at once; closing it gives the place to the next in line. */
    private interface Turn extends AutoCloseable {
        @Override
        void close();
    }

    private Turn turn() {
        slots.acquireUninterruptibly();
        return slots::release;
    }

    /** Drops the contributor column and holds back rows with too few contributors. */
    private static final class SafeZoneSink implements ResultSink {
        private final ResultSink target;
        private final int min;
        long heldBack;

        SafeZoneSink(ResultSink target, int min) {
            this.target = target;
            this.min = min;
        }

        @Override
        public void columns(List<String> names, List<String> sqlTypes) {
            target.columns(names.subList(0, names.size() - 1), sqlTypes.subList(0, sqlTypes.size() - 1));
        }

        @Override
        public void row(Object[] values) {
            long contributors = ((Number) values[values.length - 1]).longValue();
            if (contributors < min) {
                heldBack++;
                return;
            }
            target.row(java.util.Arrays.copyOf(values, values.length - 1));
        }
    }

    /** Names each table as a temporary view (this connection's only) over exactly its chosen chunk files. */
    private static void createViews(Connection c, Map<String, ResolvedTable> tables, Map<String, List<ChunkRef>> wanted,
                                    List<Path> files) throws SQLException {
        int at = 0;
        try (Statement st = c.createStatement()) {
            for (var e : wanted.entrySet()) {
                var paths = new ArrayList<String>();
                for (int i = 0; i < e.getValue().size(); i++) paths.add(SqlText.literal(files.get(at++).toString()));
                DataDictionary d = tables.get(e.getKey()).dictionary();
                String body = paths.isEmpty() ? emptySelect(d)
                        : "SELECT " + selectList(d) + " FROM read_parquet([" + String.join(", ", paths) + "])";
                st.execute("CREATE TEMPORARY VIEW " + SqlText.identifier(e.getKey()) + " AS " + body);
            }
        }
    }

    private static long stream(Connection c, String sql, ResultSink sink) {
        long rows = 0;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            int n = md.getColumnCount();
            var names = new ArrayList<String>(n);
            var types = new ArrayList<String>(n);
            for (int i = 1; i <= n; i++) {
                names.add(md.getColumnLabel(i));
                types.add(md.getColumnTypeName(i));
            }
            sink.columns(names, types);
            while (rs.next()) {
                Object[] row = new Object[n];
                for (int i = 0; i < n; i++) row[i] = rs.getObject(i + 1);
                sink.row(row);
                rows++;
            }
        } catch (SQLException e) {
            throw executionError(e);
        }
        return rows;
    }

    /**
     * The tables (datasets, maybe with {@code @N}) a query reads, after the same gate every query passes:
     * for deciding access before anything runs.
     */
    public List<String> tablesOf(String sql) {
        var names = new java.util.LinkedHashSet<String>();
        for (var ref : analysis(sql)) names.add(ref.name());
        return List.copyOf(names);
    }

    /**
     * What the SQL reads, from DuckDB's parser; the answer depends on the text alone, so dashboards that
     * repeat a query do not parse it again. Refused SQL is never kept.
     */
    private List<SqlAnalysis.TableRef> analysis(String sql) {
        List<SqlAnalysis.TableRef> known = analyses.get(sql);
        if (known != null) return known;
        try (Connection c = instance(DataDictionary.DEFAULT_TIME_ZONE).duplicate()) {
            var refs = List.copyOf(SqlAnalysis.analyze(c, sql));
            analyses.put(sql, refs);
            return refs;
        } catch (SQLException e) {
            throw new MaxException(QueryError.EXECUTION, Location.NOWHERE, e, SqlText.firstLine(e.getMessage()));
        }
    }

    private final Map<String, List<SqlAnalysis.TableRef>> analyses = java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, List<SqlAnalysis.TableRef>> eldest) {
                    return size() > 256;
                }
            });

    /** The chunks of one table that the query's simple predicates on it do not rule out. */
    private static List<ChunkRef> chosenChunks(java.util.function.Function<String, Long> timestamps, ResolvedTable table,
                                               List<SqlAnalysis.TableRef> refs, String name) {
        var keep = new LinkedHashSet<Integer>();
        for (var ref : refs) {
            if (!ref.name().equals(name)) continue;
            var pruner = new ChunkPruner(timestamps, table.dictionary(), ref.conjuncts());
            for (ChunkRef c : table.chunks()) {
                if (pruner.mayMatch(c.zoneMap())) keep.add(c.seq());
            }
        }
        var chosen = new ArrayList<ChunkRef>();
        for (ChunkRef c : table.chunks()) if (keep.contains(c.seq())) chosen.add(c);
        return chosen;
    }

    /**
     * A timestamp literal as DuckDB itself reads it against a TIMESTAMPTZ column in the table's zone, in
     * microseconds, or null when it is no timestamp (then nothing is pruned on it). Kept per zone and
     * text: the reading depends on nothing else.
     */
    private Long timestampMicros(Connection c, String zone, String literal) {
        String key = zone + '\u0000' + literal;
        Long known = timestampLiterals.get(key);
        if (known != null) return known == Long.MIN_VALUE ? null : known;
        Long micros;
        try (PreparedStatement ps = c.prepareStatement("SELECT epoch_us(CAST(? AS TIMESTAMPTZ))")) {
            ps.setString(1, literal);
            try (ResultSet rs = ps.executeQuery()) {
                micros = rs.next() ? rs.getLong(1) : null;
            }
        } catch (SQLException e) {
            micros = null;
        }
        timestampLiterals.put(key, micros == null ? Long.MIN_VALUE : micros);
        return micros;
    }

    private final Map<String, Long> timestampLiterals = java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                    return size() > 1024;
                }
            });

    /** Drops decrypted copies of these chunks (their dataset was deleted). */
    public void forget(java.util.Collection<String> chunkIds) {
        cache.forget(chunkIds);
    }

    /** The locked-down instance for a zone, started on first use. */
    private DuckDBConnection instance(String zone) {
        return instances.computeIfAbsent(zone, z -> {
            try {
                var db = (DuckDBConnection) InMemoryDuckDb.open(ANALYSIS_THREADS);
                try (Statement st = db.createStatement()) {
                    st.execute("SET TimeZone = " + SqlText.literal(z));
                    st.execute("SET allowed_directories = [" + SqlText.literal(cache.dir() + "/") + "]");
                    st.execute("SET enable_external_access = false");
                    st.execute("SET lock_configuration = true");
                }
                return db;
            } catch (SQLException e) {
                throw new MaxException(QueryError.EXECUTION, Location.NOWHERE, e, SqlText.firstLine(e.getMessage()));
            }
        });
    }

    @Override
    public void close() {
        for (var db : instances.values()) {
            try {
                db.close();
            } catch (SQLException ignored) {
                // closing an in-memory database cannot lose data
            }
        }
        instances.clear();
        synchronized (this) {
            if (exportInstance != null) {
                try {
                    exportInstance.close();
                } catch (SQLException ignored) {
                    // closing an in-memory database cannot lose data
                }
                exportInstance = null;
            }
        }
        cache.close();
    }

    /**
     * Writes a whole table (dataset version) to {@code target} as Parquet (zstd) or CSV with a header.
     * The file appears complete or not at all.
     */
    public QueryStats export(String table, TableResolver resolver, Path target, String format) {
        return copyOut(table, resolver, target, format, t -> "SELECT * FROM " + SqlText.identifier(table));
    }

    /**
     * Runs {@code COPY (select) TO target} in the export instance over the table's chunks: the file appears
     * complete or not at all.
     */
    private QueryStats copyOut(String table, TableResolver resolver, Path target, String format,
                               java.util.function.Function<ResolvedTable, String> select) {
        Path tmp = target.resolveSibling(target.getFileName() + ".part");
        try (var turn = turn(); ExportSession s = new ExportSession()) {
            ResolvedTable t = resolver.resolve(table);
            s.prepare(table, t);
            String options = switch (format) {
                case "parquet" -> "(FORMAT parquet, COMPRESSION zstd)";
                case "csv" -> "(FORMAT csv, HEADER true)";
                default -> throw new IllegalArgumentException(format);
            };
            long rows;
            try (Statement st = s.duck.createStatement()) {
                st.execute("COPY (" + select.apply(t) + ") TO " + SqlText.literal(tmp.toString()) + " " + options);
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + SqlText.identifier(table))) {
                    rs.next();
                    rows = rs.getLong(1);
                }
            }
            Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return new QueryStats(List.of(table), s.chunksTotal, s.chunksRead, rows, 0, null);
        } catch (SQLException | IOException e) {
            Scratch.deleteQuietly(tmp);
            throw new MaxException(QueryError.EXPORT, Location.file(target.toString()), e, target, SqlText.firstLine(e.getMessage()));
        }
    }

    /**
     * Writes a whole table with its recipient's fingerprint: DuckDB reads and writes as in a plain
     * export, and the marked columns pass through the fingerprinter, vector by vector, in Java functions
     * registered once in the export instance ({@code max_fp_row} for a row's identity, {@code max_fp_mark}
     * for a cell). Each DuckDB thread marks with a fingerprinter of its own.
     *
     * @param markedColumns per marked column (in the scheme's order) its name
     * @param timeKey       the scheme's timestamp key column holding points in time, or null
     * @param timeTextKey   the scheme's timestamp key column holding generalized text, or null
     * @param assetKey      the scheme's asset key column, or null
     * @param marker        makes a fingerprinter for one thread
     */
    public QueryStats exportMarked(String table, TableResolver resolver, Path target, String format, List<String> markedColumns,
                                   String timeKey, String timeTextKey, String assetKey,
                                   java.util.function.Supplier<kr.max.library.fingerprint.Fingerprinter> marker) {
        long handle = MARKERS_SEQ.incrementAndGet();
        MARKERS.put(handle, new Marking(ThreadLocal.withInitial(marker), ThreadLocal.withInitial(AssetTexts::new), timeKey != null,
                timeTextKey != null, assetKey != null));
        try {
            return copyOut(table, resolver, target, format, t -> {
                String ts = timeKey == null ? "NULL" : "epoch_us(" + SqlText.identifier(timeKey) + ")";
                String tsText = timeTextKey == null ? "NULL" : "CAST(" + SqlText.identifier(timeTextKey) + " AS VARCHAR)";
                String asset = assetKey == null ? "NULL" : "CAST(" + SqlText.identifier(assetKey) + " AS VARCHAR)";
                // DuckDB's own hash of the asset text only finds a text the function has decoded before: decoding
                // one per row through the function API costs more than the marking (docs/benchmarks.md).
                String assetSeen = assetKey == null ? "NULL" : "CAST(hash(" + asset + ") >> 1 AS BIGINT)";
                var select = new ArrayList<String>();
                for (ColumnSpec c : t.dictionary().columns()) {
                    int m = markedColumns.indexOf(c.name());
                    String col = SqlText.identifier(c.name());
                    if (m < 0) {
                        select.add(col);
                    } else {
                        String marked = "max_fp_mark(" + handle + ", " + m + ", CAST(" + col + " AS DOUBLE), __max_row)";
                        select.add((c.type() == kr.max.core.dictionary.ColumnType.INTEGER ? "CAST(" + marked + " AS BIGINT)" : marked)
                                + " AS " + col);
                    }
                }
                return "SELECT " + String.join(", ", select) + " FROM (SELECT *, max_fp_row(" + handle + ", " + ts + ", " + tsText + ", " + asset
                        + ", " + assetSeen + ") AS __max_row FROM " + SqlText.identifier(table) + ")";
            });
        } finally {
            MARKERS.remove(handle);
        }
    }

    /** The fingerprinters of exports in progress, by the handle their SQL names; one per DuckDB thread. */
    private static final Map<Long, Marking> MARKERS = new java.util.concurrent.ConcurrentHashMap<>();

    /** One export's fingerprinters, and which row keys its scheme has (a time as a point or as text, an asset). */
    private record Marking(ThreadLocal<kr.max.library.fingerprint.Fingerprinter> perThread, ThreadLocal<AssetTexts> assetTexts,
                           boolean time, boolean timeText, boolean asset) {
    }

    /**
     * Asset texts a thread has decoded, direct-mapped by DuckDB's hash of the text: a table has few assets, so
     * nearly every row finds its text here. Two texts in one slot take turns (each miss decodes again); two
     * distinct texts with the same 63-bit hash (odds of 2^-63 a pair) would key one's rows by the other's text,
     * which costs the tracer those rows' bits, never a wrong accusation.
     */
    private static final class AssetTexts {
        private static final int SLOTS = 256;
        private final long[] seen = new long[SLOTS];
        private final String[] texts = new String[SLOTS];

        String text(long duckHash, org.duckdb.DuckDBReadableVector vector, long row) {
            int slot = (int) (duckHash ^ duckHash >>> 32) & (SLOTS - 1);
            String t = texts[slot];
            if (t != null && seen[slot] == duckHash) return t;
            t = vector.getString(row);
            seen[slot] = duckHash;
            texts[slot] = t;
            return t;
        }
    }
    private static final java.util.concurrent.atomic.AtomicLong MARKERS_SEQ = new java.util.concurrent.atomic.AtomicLong();

    private static Marking marking(long handle) {
        var m = MARKERS.get(handle);
        if (m == null) throw new IllegalStateException("no export in progress under " + handle);
        return m;
    }

    /** The two functions fingerprinted exports call, registered once in the export instance. */
    private static void registerMarkFunctions(Connection c) throws SQLException {
        org.duckdb.DuckDBFunctions.scalarFunction().withName("max_fp_row")
                .withParameters(org.duckdb.DuckDBColumnType.BIGINT, org.duckdb.DuckDBColumnType.BIGINT, org.duckdb.DuckDBColumnType.VARCHAR,
                        org.duckdb.DuckDBColumnType.VARCHAR, org.duckdb.DuckDBColumnType.BIGINT)
                .withReturnType(org.duckdb.DuckDBColumnType.BIGINT)
                .withVectorizedFunction((in, out) -> {
                    var handle = in.vector(0);
                    var time = in.vector(1);
                    var timeText = in.vector(2);
                    var asset = in.vector(3);
                    var assetSeen = in.vector(4);
                    long n = in.rowCount();
                    if (n == 0) return;
                    var m = marking(handle.getLong(0));
                    var fp = m.perThread().get();
                    var texts = m.assetTexts().get();
                    for (long r = 0; r < n; r++) {
                        String a = m.asset() && !asset.isNull(r) ? texts.text(assetSeen.getLong(r), asset, r) : null;
                        long h;
                        if (m.time() && m.asset()) {
                            // the hot path: no boxing of the time
                            h = time.isNull(r) ? fp.rowHash(null, a) : fp.rowHash(time.getLong(r), a);
                        } else if (m.timeText()) {
                            String tt = timeText.isNull(r) ? null : timeText.getString(r);
                            h = m.asset() ? fp.rowHash(tt, a) : fp.rowHash(tt);
                        } else if (m.time()) {
                            h = fp.rowHash(time.isNull(r) ? null : (Object) time.getLong(r));
                        } else if (m.asset()) {
                            h = fp.rowHash(a);
                        } else {
                            h = fp.rowHash();
                        }
                        out.setLong(r, h);
                    }
                }).register(c);
        org.duckdb.DuckDBFunctions.scalarFunction().withName("max_fp_mark")
                .withParameters(org.duckdb.DuckDBColumnType.BIGINT, org.duckdb.DuckDBColumnType.INTEGER, org.duckdb.DuckDBColumnType.DOUBLE,
                        org.duckdb.DuckDBColumnType.BIGINT)
                .withReturnType(org.duckdb.DuckDBColumnType.DOUBLE)
                .withVectorizedFunction((in, out) -> {
                    long n = in.rowCount();
                    if (n == 0) return;
                    var fp = marking(in.vector(0).getLong(0)).perThread().get();
                    int column = in.vector(1).getInt(0);
                    var value = in.vector(2);
                    var hash = in.vector(3);
                    for (long r = 0; r < n; r++) {
                        if (value.isNull(r)) out.setNull(r);
                        else out.setDouble(r, fp.markValue(column, value.getDouble(r), hash.getLong(r)));
                    }
                }).register(c);
    }

    /**
     * A file found outside the library, read for tracing: per column among {@code wanted}, {@code long[]}
     * epoch microseconds for timestamps, {@code double[]} for numbers, {@code Object[]} of text otherwise.
     *
     * @throws MaxException {@code QueryError.EXPORT} when the file cannot be read as CSV or Parquet
     */
    public java.util.LinkedHashMap<String, Object> readSuspect(Path file, java.util.Set<String> wanted) {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        String source = name.endsWith(".parquet") ? "read_parquet(" + SqlText.literal(file.toString()) + ")"
                : "read_csv(" + SqlText.literal(file.toString()) + ", header = true)";
        var out = new java.util.LinkedHashMap<String, Object>();
        try (var turn = turn(); Connection c = exportInstance().duplicate(); Statement st = c.createStatement()) {
            var names = new ArrayList<String>();
            var kinds = new ArrayList<String>();
            try (ResultSet rs = st.executeQuery("DESCRIBE SELECT * FROM " + source)) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                    kinds.add(rs.getString(2));
                }
            }
            // Only the columns a fingerprint can be read from: text columns cost the most to fetch.
            for (int i = names.size() - 1; i >= 0; i--) {
                if (!wanted.contains(names.get(i))) {
                    names.remove(i);
                    kinds.remove(i);
                }
            }
            var select = new ArrayList<String>();
            if (names.isEmpty()) return out;
            for (int i = 0; i < names.size(); i++) {
                String col = SqlText.identifier(names.get(i));
                String k = kinds.get(i);
                if (k.startsWith("TIMESTAMP") || k.equals("DATE")) select.add("epoch_us(CAST(" + col + " AS TIMESTAMPTZ))");
                else if (k.matches("(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|U.*INT|FLOAT|DOUBLE|DECIMAL.*)")) select.add("CAST(" + col + " AS DOUBLE)");
                else select.add("CAST(" + col + " AS VARCHAR)");
            }
            long count;
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + source)) {
                rs.next();
                count = rs.getLong(1);
            }
            if (count > Integer.MAX_VALUE - 8) throw new SQLException("too many rows: " + count);
            int n = (int) count;
            var arrays = new ArrayList<Object>();
            for (int i = 0; i < names.size(); i++) {
                String expr = select.get(i);
                arrays.add(expr.startsWith("epoch_us") ? new long[n] : expr.endsWith("AS DOUBLE)") ? new double[n] : new Object[n]);
            }
            try (ResultSet rs = st.executeQuery("SELECT " + String.join(", ", select) + " FROM " + source)) {
                int r = 0;
                while (rs.next() && r < n) {
                    fillRow(rs, arrays, r);
                    r++;
                }
            }
            for (int i = 0; i < names.size(); i++) out.put(names.get(i), arrays.get(i));
            return out;
        } catch (SQLException e) {
            throw new MaxException(kr.max.library.query.QueryError.EXPORT, Location.file(file.toString()), e, file,
                    SqlText.firstLine(e.getMessage()));
        }
    }

    private static MaxException executionError(SQLException e) {
        String msg = SqlText.firstLine(e.getMessage());
        if (msg.contains("Permission Error") || msg.contains("disabled by configuration") || msg.contains("has been locked")) {
            return new MaxException(QueryError.FORBIDDEN, Location.NOWHERE);
        }
        if (msg.startsWith("Catalog Error: Table with name")) {
            String name = msg.replaceFirst("^Catalog Error: Table with name ([^ ]+) does not exist!.*$", "$1");
            return new MaxException(QueryError.UNKNOWN_TABLE, Location.NOWHERE, name);
        }
        return new MaxException(QueryError.EXECUTION, Location.NOWHERE, e, msg);
    }


    /**
     * The instance exports run in: it writes where the library asks and so cannot be one of the locked
     * instances, and no user SQL ever reaches it. It lives as long as the engine, because starting a
     * DuckDB costs more than a small export; each export has a connection and temporary views of its own.
     */
    private DuckDBConnection exportInstance;

    private synchronized DuckDBConnection exportInstance() throws SQLException {
        if (exportInstance == null) {
            var db = (DuckDBConnection) InMemoryDuckDb.open();
            registerMarkFunctions(db);
            exportInstance = db;
        }
        return exportInstance;
    }

    /**
     * One export: a connection to the export instance, with the dataset's chunks decrypted into a
     * directory of its own so that a large export does not sweep the query cache.
     */
    private final class ExportSession implements AutoCloseable {
        final Connection duck;
        final Path dir;
        int chunksTotal;
        int chunksRead;

        ExportSession() {
            try {
                dir = Files.createDirectory(scratch.newFile(""));
            } catch (IOException e) {
                throw new MaxException(QueryError.EXECUTION, Location.NOWHERE, e, e.getClass().getSimpleName());
            }
            try {
                duck = exportInstance().duplicate();
            } catch (SQLException e) {
                Scratch.deleteQuietly(dir);
                throw new MaxException(QueryError.EXECUTION, Location.NOWHERE, e, SqlText.firstLine(e.getMessage()));
            }
        }

        void prepare(String name, ResolvedTable t) {
            try (Statement st = duck.createStatement()) {
                st.execute("SET SESSION TimeZone = " + SqlText.literal(t.dictionary().timeZone()));
                var paths = new ArrayList<String>();
                chunksTotal = t.chunks().size();
                for (ChunkRef c : t.chunks()) {
                    Path file = dir.resolve(c.seq() + ".parquet");
                    try (OutputStream out = Files.newOutputStream(file)) {
                        c.plaintext().writeTo(out);
                    }
                    paths.add(SqlText.literal(file.toString()));
                    chunksRead++;
                }
                String body = paths.isEmpty() ? emptySelect(t.dictionary())
                        : "SELECT " + selectList(t.dictionary()) + " FROM read_parquet([" + String.join(", ", paths) + "])";
                st.execute("CREATE TEMP VIEW " + SqlText.identifier(name) + " AS " + body);
            } catch (SQLException | IOException e) {
                throw new MaxException(QueryError.EXECUTION, Location.NOWHERE, e, SqlText.firstLine(e.getMessage()));
            }
        }

        @Override
        public void close() {
            try {
                duck.close();
            } catch (SQLException ignored) {
                // closing an in-memory database cannot lose data
            }
            Scratch.deleteTree(dir);
        }
    }

    private static String emptySelect(DataDictionary d) {
        var cols = new ArrayList<String>();
        for (ColumnSpec c : d.columns()) cols.add("CAST(NULL AS " + c.type().sqlType() + ") AS " + SqlText.identifier(c.name()));
        return "SELECT " + String.join(", ", cols) + " WHERE false";
    }

    /** Decides from a zone map whether a chunk can hold rows satisfying the conjuncts. */
    private static final class ChunkPruner {
        private final List<SqlAnalysis.Comparison> onTime = new ArrayList<>();
        private final List<Long> timeValues = new ArrayList<>();
        private final List<SqlAnalysis.Comparison> onAsset = new ArrayList<>();

        ChunkPruner(java.util.function.Function<String, Long> timestamps, DataDictionary dictionary,
                    List<SqlAnalysis.Comparison> conjuncts) {
            for (var c : conjuncts) {
                var spec = dictionary.column(c.column()).orElse(null);
                if (spec == null) continue;
                switch (spec.type()) {
                    case TIMESTAMP -> {
                        Long micros = timestamps.apply(c.literal());
                        if (micros != null) {
                            onTime.add(c);
                            timeValues.add(micros);
                        }
                    }
                    case STRING -> onAsset.add(c);
                    default -> { }
                }
            }
        }

        boolean mayMatch(ZoneMap z) {
            if (z == null) return true;
            for (int i = 0; i < onTime.size(); i++) {
                var c = onTime.get(i);
                if (!c.column().equals(z.timestampColumn()) || z.timestampMin() == null) continue;
                long v = timeValues.get(i);
                if (!fits(c.op(), Long.compare(z.timestampMin(), v), Long.compare(z.timestampMax(), v))) return false;
            }
            for (var c : onAsset) {
                if (!c.column().equals(z.assetColumn()) || z.assetMin() == null) continue;
                if (c.op().equals("=") && z.assets() != null && !z.assets().contains(c.literal())) return false;
                if (!fits(c.op(), ZoneMap.compareUtf8(z.assetMin(), c.literal()), ZoneMap.compareUtf8(z.assetMax(), c.literal()))) {
                    return false;
                }
            }
            return true;
        }

        /** minCmp = sign(min - v), maxCmp = sign(max - v). */
        private static boolean fits(String op, int minCmp, int maxCmp) {
            return switch (op) {
                case "=" -> minCmp <= 0 && maxCmp >= 0;
                case ">" -> maxCmp > 0;
                case ">=" -> maxCmp >= 0;
                case "<" -> minCmp < 0;
                case "<=" -> minCmp <= 0;
                default -> true;
            };
        }
    }
}
