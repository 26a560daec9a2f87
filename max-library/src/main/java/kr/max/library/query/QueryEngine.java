package kr.max.library.query;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
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

/**
 * Runs SQL over datasets in an in-memory DuckDB. Only the chunks a query can need are decrypted, into
 * the memory-backed {@link Scratch}; DuckDB may not spill, and before the user's SQL runs it loses
 * access to every file but those chunks and its configuration is locked.
 */
public final class QueryEngine {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(QueryEngine.class);

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

    /** A chunk as the engine sees it. */
    public record ChunkRef(int seq, ZoneMap zoneMap, ChunkWriter plaintext) {
    }

    /** A dataset version ready to be read. */
    public record ResolvedTable(String name, DataDictionary dictionary, List<ChunkRef> chunks) {
    }

    /** What a query touched, for the audit record. */
    public record QueryStats(List<String> tables, int chunksTotal, int chunksRead, long rows) {
    }

    private final Scratch scratch;

    public QueryEngine(Scratch scratch) {
        this.scratch = scratch;
    }

    /** Runs one SELECT and streams its result. */
    public QueryStats query(String sql, TableResolver resolver, ResultSink sink) {
        long t0 = System.nanoTime();
        try (Session s = new Session()) {
            long t1 = System.nanoTime();
            var refs = SqlAnalysis.analyze(s.duck, sql);
            long t2 = System.nanoTime();
            s.prepare(refs, resolver);
            long t3 = System.nanoTime();
            s.lockDown();
            LOG.debug("query: duckdb {} ms, analysis {} ms, prepare {} ms ({} of {} chunks)", (t1 - t0) / 1_000_000,
                    (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000, s.chunksRead, s.chunksTotal);
            long rows = 0;
            long e0 = System.nanoTime();
            try (Statement st = s.duck.createStatement(); ResultSet rs = st.executeQuery(sql)) {
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
            LOG.debug("query executed in {} ms", (System.nanoTime() - e0) / 1_000_000);
            return new QueryStats(s.tableNames(), s.chunksTotal, s.chunksRead, rows);
        }
    }

    /**
     * Writes a whole table (dataset version) to {@code target} as Parquet (zstd) or CSV with a header.
     * The file appears complete or not at all.
     */
    public QueryStats export(String table, TableResolver resolver, Path target, String format) {
        Path tmp = target.resolveSibling(target.getFileName() + ".part");
        try (Session s = new Session()) {
            s.prepare(List.of(new SqlAnalysis.TableRef(table, List.of())), resolver);
            String options = switch (format) {
                case "parquet" -> "(FORMAT parquet, COMPRESSION zstd)";
                case "csv" -> "(FORMAT csv, HEADER true)";
                default -> throw new IllegalArgumentException(format);
            };
            long rows;
            try (Statement st = s.duck.createStatement()) {
                st.execute("COPY (SELECT * FROM " + SqlText.identifier(table) + ") TO '" + tmp.toString().replace("'", "''") + "' " + options);
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + SqlText.identifier(table))) {
                    rs.next();
                    rows = rs.getLong(1);
                }
            }
            Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return new QueryStats(s.tableNames(), s.chunksTotal, s.chunksRead, rows);
        } catch (SQLException | IOException e) {
            Scratch.deleteQuietly(tmp);
            throw new MaxException(QueryError.EXPORT, Location.file(target.toString()), e, target, SqlText.firstLine(e.getMessage()));
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


    /** One DuckDB connection and the chunk files decrypted for it. */
    private final class Session implements AutoCloseable {
        final Connection duck;
        /** This query's own directory: the only place its SQL may read, so concurrent queries stay apart. */
        final Path dir;
        final List<Path> files = new ArrayList<>();
        final Map<String, ResolvedTable> tables = new LinkedHashMap<>();
        int chunksTotal;
        int chunksRead;

        Session() {
            try {
                dir = Files.createDirectory(scratch.newFile(""));
            } catch (IOException e) {
                throw new MaxException(QueryError.EXECUTION, Location.NOWHERE, e, e.getClass().getSimpleName());
            }
            try {
                duck = DriverManager.getConnection("jdbc:duckdb:");
                try (Statement st = duck.createStatement()) {
                    // No spilling: an out-of-memory query fails instead of writing plaintext to disk.
                    st.execute("SET temp_directory = ''");
                    st.execute("SET autoinstall_known_extensions = false");
                    st.execute("SET autoload_known_extensions = false");
                }
            } catch (SQLException e) {
                throw new MaxException(QueryError.EXECUTION, Location.NOWHERE, e, SqlText.firstLine(e.getMessage()));
            }
        }

        void prepare(List<SqlAnalysis.TableRef> refs, TableResolver resolver) {
            long startedAt = System.nanoTime();
            Map<String, Set<Integer>> keep = new LinkedHashMap<>();
            for (var ref : refs) tables.computeIfAbsent(ref.name(), resolver::resolve);
            // The query runs in the first table's zone; literals are read in that zone when pruning too.
            String sessionZone = tables.values().stream().findFirst().map(t -> t.dictionary().timeZone())
                    .orElse(DataDictionary.DEFAULT_TIME_ZONE);
            for (var ref : refs) {
                ResolvedTable table = tables.get(ref.name());
                var chosen = keep.computeIfAbsent(ref.name(), k -> new LinkedHashSet<>());
                var pruner = new ChunkPruner(duck, table.dictionary(), ref.conjuncts(), sessionZone);
                for (ChunkRef c : table.chunks()) {
                    if (pruner.mayMatch(c.zoneMap())) chosen.add(c.seq());
                }
            }
            long resolvedAt = System.nanoTime();
            long decryptNanos = 0;
            try (Statement st = duck.createStatement()) {
                String zone = tables.values().stream().findFirst().map(t -> t.dictionary().timeZone())
                        .orElse(DataDictionary.DEFAULT_TIME_ZONE);
                st.execute("SET TimeZone = '" + zone.replace("'", "") + "'");
                for (var e : tables.entrySet()) {
                    ResolvedTable t = e.getValue();
                    var paths = new ArrayList<String>();
                    chunksTotal += t.chunks().size();
                    var wanted = new ArrayList<ChunkRef>();
                    for (ChunkRef c : t.chunks()) {
                        if (keep.get(e.getKey()).contains(c.seq())) wanted.add(c);
                    }
                    long d0 = System.nanoTime();
                    for (Path file : decryptAll(wanted)) {
                        paths.add("'" + file.toString().replace("'", "''") + "'");
                        chunksRead++;
                    }
                    decryptNanos += System.nanoTime() - d0;
                    String body = paths.isEmpty() ? emptySelect(t.dictionary())
                            : "SELECT * FROM read_parquet([" + String.join(", ", paths) + "])";
                    st.execute("CREATE VIEW " + SqlText.identifier(e.getKey()) + " AS " + body);
                }
                LOG.debug("prepare: resolve and prune {} ms, decrypt {} ms", (resolvedAt - startedAt) / 1_000_000,
                        decryptNanos / 1_000_000);
            } catch (SQLException | IOException e) {
                throw new MaxException(QueryError.EXECUTION, Location.NOWHERE, e, SqlText.firstLine(e.getMessage()));
            }
        }

        /** Decrypts chunks into scratch files, two at a time (one per core). */
        private List<Path> decryptAll(List<ChunkRef> wanted) throws IOException {
            var out = new ArrayList<Path>();
            for (int i = 0; i < wanted.size(); i++) {
                Path file = dir.resolve(i + ".parquet");
                files.add(file);
                out.add(file);
            }
            if (wanted.size() == 1) {
                writeChunk(wanted.getFirst(), out.getFirst());
                return out;
            }
            try (var pool = java.util.concurrent.Executors.newFixedThreadPool(2, Thread.ofPlatform().daemon().factory())) {
                var futures = new ArrayList<java.util.concurrent.Future<?>>();
                for (int i = 0; i < wanted.size(); i++) {
                    ChunkRef c = wanted.get(i);
                    Path file = out.get(i);
                    futures.add(pool.submit(() -> {
                        writeChunk(c, file);
                        return null;
                    }));
                }
                for (var f : futures) f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof IOException io) throw io;
                if (e.getCause() instanceof RuntimeException re) throw re;
                throw new IOException(e.getCause());
            }
            return out;
        }

        private static void writeChunk(ChunkRef c, Path file) throws IOException {
            try (OutputStream out = Files.newOutputStream(file)) {
                c.plaintext().writeTo(out);
            }
        }

        /** After this, the SQL can read only the decrypted chunks and cannot change any setting. */
        void lockDown() {
            try (Statement st = duck.createStatement()) {
                st.execute("SET allowed_directories = ['" + dir.toString().replace("'", "''") + "/']");
                st.execute("SET enable_external_access = false");
                st.execute("SET lock_configuration = true");
            } catch (SQLException e) {
                throw new MaxException(QueryError.EXECUTION, Location.NOWHERE, e, SqlText.firstLine(e.getMessage()));
            }
        }

        List<String> tableNames() {
            return List.copyOf(tables.keySet());
        }

        @Override
        public void close() {
            try {
                duck.close();
            } catch (SQLException ignored) {
                // closing an in-memory database cannot lose data
            }
            files.forEach(Scratch::deleteQuietly);
            Scratch.deleteQuietly(dir);
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

        ChunkPruner(Connection duck, DataDictionary dictionary, List<SqlAnalysis.Comparison> conjuncts, String zone) {
            for (var c : conjuncts) {
                var spec = dictionary.column(c.column()).orElse(null);
                if (spec == null) continue;
                switch (spec.type()) {
                    case TIMESTAMP -> {
                        Long micros = toMicros(duck, c.literal(), zone);
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

        /** The literal as DuckDB itself would read it against a TIMESTAMPTZ column in the table's zone. */
        private static Long toMicros(Connection duck, String literal, String zone) {
            try (Statement st = duck.createStatement()) {
                st.execute("SET TimeZone = '" + zone.replace("'", "") + "'");
                try (PreparedStatement ps = duck.prepareStatement("SELECT epoch_us(CAST(? AS TIMESTAMPTZ))")) {
                    ps.setString(1, literal);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? rs.getLong(1) : null;
                    }
                }
            } catch (SQLException e) {
                return null; // not a timestamp literal: do not prune on it
            }
        }
    }
}
