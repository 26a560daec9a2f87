package kr.max.library;

import java.io.IOException;
import kr.max.library.query.SqlText;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.core.Principal;
import kr.max.core.dictionary.ColumnRole;
import kr.max.core.dictionary.ColumnSpec;
import kr.max.core.dictionary.DataDictionary;
import kr.max.library.catalog.Catalog;
import kr.max.library.catalog.Chunk;
import kr.max.library.catalog.Dataset;
import kr.max.library.catalog.DatasetVersion;
import kr.max.library.catalog.NewVersion;
import kr.max.library.crypto.DataKey;
import kr.max.library.crypto.KeyManagementService;
import kr.max.library.ingest.DictionaryInference;
import kr.max.library.ingest.DictionaryYaml;
import kr.max.library.ingest.IngestError;
import kr.max.library.ingest.IngestProblem;
import kr.max.library.ingest.RawRow;
import kr.max.library.ingest.RowSource;
import kr.max.library.ingest.SourceInfo;
import kr.max.library.ingest.ValueParser;
import kr.max.library.store.ObjectStore;
import kr.max.library.store.Scratch;
import kr.max.library.store.StoreError;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The deposit path: file → rows validated against the dictionary → Parquet chunks (zstd) written by
 * DuckDB into memory-backed scratch → encrypted with the version's data key into a staging area →
 * one catalog transaction → published. Until the commit nothing is visible; a failure or a crash
 * leaves only a staging area that the next start removes.
 *
 * <p>Two ways lead to the chunks. The Java path reads every row with the project's own readers,
 * validates every value and reports each problem with its line and column; it handles every format
 * and encoding and holds only one chunk in memory at a time. The DuckDB path ({@link DuckDbConversion})
 * converts a clean UTF-8 CSV several times faster and is tried first where it applies; when it meets
 * anything unexpected it leaves no trace and the Java path runs.
 */
final class Deposit {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Deposit.class);
    private static final int REJECTED_DETAIL_LIMIT = 1_000;
    /** Rows read to infer a draft dictionary before the DuckDB path. */
    private static final int SAMPLE_ROWS = 10_000;

    private final Catalog catalog;
    private final KeyManagementService kms;
    private final ObjectStore store;
    private final Scratch scratch;
    private final long valuesPerChunk;
    private final long chunkBytes;

    Deposit(Catalog catalog, KeyManagementService kms, ObjectStore store, Scratch scratch, long valuesPerChunk,
            long chunkBytes) {
        this.chunkBytes = chunkBytes;
        this.catalog = catalog;
        this.kms = kms;
        this.store = store;
        this.scratch = scratch;
        this.valuesPerChunk = valuesPerChunk;
    }

    /**
     * @param existing the dataset as it was when the deposit was permitted, or {@code null} for a new one;
     *                 the commit is refused if the catalog no longer agrees
     */
    IngestResult run(Principal principal, IngestRequest req, IngestProgress progress, Dataset existing) {
        return run(principal, req, progress, existing, Catalog.CommitHook.NONE);
    }

    /** A deposit whose commit also writes what {@code hook} adds (a release's lineage, say). */
    IngestResult run(Principal principal, IngestRequest req, IngestProgress progress, Dataset existing, Catalog.CommitHook hook) {
        return run(principal, PreparedIngest.later(req), progress, existing, hook);
    }

    IngestResult run(Principal principal, PreparedIngest prepared, IngestProgress progress, Dataset existing, Catalog.CommitHook hook) {
        IngestRequest req = prepared.request();
        prepared.reportTo(progress);
        long started = System.nanoTime();
        progress.update(IngestProgress.Phase.INFER, -1);
        Sampled sampled = prepared.sampled();
        LOG.debug("sample ready at {} ms", (System.nanoTime() - started) / 1_000_000);
        SourceInfo info = sampled.info();
        DataDictionary confirmed = sampled.confirmed();
        Sample sample = sampled.sample();
        CompletableFuture<String> sha = prepared.sha();
        String keyId = existing != null ? existing.keyId() : "dataset:" + UUID.randomUUID();
        kms.createKey(keyId);
        try {
            return deposit(principal, req, progress, existing, keyId, info, confirmed, sample, sha, started, hook, prepared);
        } catch (RuntimeException e) {
            // A key made for a dataset that never came to be protects nothing; it must not linger.
            if (existing == null) kms.destroyKey(keyId);
            throw e;
        }
    }

    private IngestResult deposit(Principal principal, IngestRequest req, IngestProgress progress, Dataset existing,
                                 String keyId, SourceInfo info, DataDictionary confirmed, Sample sample,
                                 CompletableFuture<String> sha, long started, Catalog.CommitHook hook,
                                 PreparedIngest prepared) {
        String fileName = req.file().getFileName().toString();
        String ingestId = UUID.randomUUID().toString();
        DataKey.Generated dek = DataKey.generate(kms, keyId, "dek:" + ingestId);
        ObjectStore.Staging staging = store.stage(ingestId);
        try (staging; Connection duck = duckdb()) {
            DataDictionary dictionary = null;
            ChunkSink sink = null;
            var problems = new ArrayList<IngestProblem>();
            long problemCount = 0;
            String path = "java";
            LOG.debug("data key ready at {} ms", (System.nanoTime() - started) / 1_000_000);
            // A conversion that ran while the library opened is used only now, after the decision; without one
            // (not prepared so, or it gave up) the deposit converts here, and a failure takes the Java path.
            boolean checkedAhead = false;
            try (PreparedIngest.Converted ahead = prepared.converted()) {
                if (ahead != null) {
                    checkedAhead = true;
                    LOG.debug("conversion ahead ready at {} ms", (System.nanoTime() - started) / 1_000_000);
                    progress.update(IngestProgress.Phase.ENCRYPT, -1);
                    var candidate = new ChunkSink(sample.dictionary(), dek.key(), staging, ingestId, chunkBytes);
                    if (candidate.addFilesWhileChecked(ahead.dir(), ahead.stats())) {
                        dictionary = sample.dictionary();
                        sink = candidate;
                        path = "duckdb ahead";
                    }
                }
            }
            // (a conversion ahead whose checks failed would fail them again here: straight to the Java path)
            if (sink == null && !checkedAhead && !sample.hadProblems()
                    && DuckDbConversion.applies(info, sample.dictionary(), req.file(), scratch.dir())) {
                Path out = scratch.dir().resolve("convert-" + ingestId);
                var candidate = new ChunkSink(sample.dictionary(), dek.key(), staging, ingestId, chunkBytes);
                LOG.debug("sample read at {} ms", (System.nanoTime() - started) / 1_000_000);
                var stats = DuckDbConversion.convert(duck, req.file(), info, sample.dictionary(), chunkBytes, out, progress);
                if (stats != null) {
                    LOG.debug("duckdb converted at {} ms", (System.nanoTime() - started) / 1_000_000);
                    progress.update(IngestProgress.Phase.ENCRYPT, -1);
                    candidate.addFiles(out, stats);
                    dictionary = sample.dictionary();
                    sink = candidate;
                    path = "duckdb";
                }
                deleteTree(out);
            }
            if (sink == null) {
                long lines = estimateLines(req.file());
                dictionary = confirmed != null ? confirmed : fullInference(req, info, progress, lines);
                sink = new ChunkSink(dictionary, dek.key(), staging, ingestId, chunkBytes);
                try (RowSource src = RowSource.open(req.file(), req.source());
                     JavaChunkWriter writer = new JavaChunkWriter(duck, dictionary, sink)) {
                    var parsers = new ValueParser[dictionary.columns().size()];
                    ZoneId zone = ZoneId.of(dictionary.timeZone());
                    for (int i = 0; i < parsers.length; i++) parsers[i] = ValueParser.forColumn(dictionary.columns().get(i), zone);
                    var values = new Object[parsers.length];
                    var row = new RawRow();
                    int keep = Math.max(req.maxErrors(), req.skipBadRows() ? REJECTED_DETAIL_LIMIT : 0);
                    long seen = 0;
                    while (src.next(row)) {
                        if ((++seen & 0xFFFF) == 0) progress.update(IngestProgress.Phase.CONVERT, Math.min(1, (double) row.line() / lines));
                        IngestProblem p = row.problem();
                        if (p == null) p = parse(row, parsers, dictionary, values);
                        if (p != null) {
                            problemCount++;
                            if (problems.size() < keep) problems.add(p);
                            continue;
                        }
                        // A refused file is still read to the end, to count its problems, but no longer stored.
                        if (problemCount == 0 || req.skipBadRows()) writer.append(values);
                    }
                    if (problemCount > 0 && !req.skipBadRows()) {
                        staging.discard();
                        throw new IngestRejected(fileName, problems, problemCount);
                    }
                    writer.finish();
                }
            }
            LOG.debug("{} path converted {} rows in {} ms", path, sink.rows, (System.nanoTime() - started) / 1_000_000);
            if (sink.rows == 0) {
                staging.discard();
                throw new MaxException(IngestError.EMPTY_FILE, Location.file(fileName), fileName);
            }
            progress.update(IngestProgress.Phase.COMMIT, -1);
            byte[] rejectedDetail = problems.isEmpty() ? null : dek.key().seal(RejectedRows.toBytes(problems), "rejected:" + ingestId);
            List<Chunk> chunks = sink.chunks();
            DatasetVersion v = catalog.commit(new NewVersion(existing == null ? null : existing.id(), req.dataset(), principal.name(),
                    principal.organization(), req.classification(), keyId,
                    ingestId, principal.name(), sink.rows, sink.bytes, fileName, sha.join(), info.format(),
                    info.charset() == null ? null : info.charset().name(), DictionaryYaml.toYaml(dictionary, req.dataset()),
                    problemCount, rejectedDetail, sink.sealedZoneMaps(), dek.wrapped(), chunks), hook);
            try {
                staging.publish();
            } catch (MaxException e) {
                // Committed is committed: reads find the chunks in the staging area, and the next start publishes them.
                LOG.warn("publishing version {} of {} is left to the next start: {}", v.number(), req.dataset(), e.code().code());
            }
            LOG.debug("committed at {} ms", (System.nanoTime() - started) / 1_000_000);
            return new IngestResult(req.dataset(), v.number(), sink.rows, sink.bytes, chunks.size(), problemCount, problems, info);
        } catch (SQLException e) {
            staging.discard();
            throw new MaxException(StoreError.IO, Location.file(fileName), e, SqlText.firstLine(e.getMessage()));
        } catch (RuntimeException e) {
            if (!catalog.isCommitted(ingestId)) staging.discard();
            throw e;
        }
    }

    /** The first rows: a draft dictionary (unless one is confirmed), how many assets, and whether any row was bad. */
    record Sample(DataDictionary dictionary, long distinctAssets, boolean hadProblems) {
    }

    /** What a deposit reads of its file before it writes anything: the source's form, the confirmed dictionary, a sample. */
    record Sampled(SourceInfo info, DataDictionary confirmed, Sample sample) {
    }

    /** Reads the file's form and a sample; touches nothing of the library, so it may run while the library opens. */
    static Sampled sampleOf(IngestRequest req) {
        String fileName = req.file().getFileName().toString();
        if (!Files.isRegularFile(req.file())) {
            throw new MaxException(IngestError.FILE_NOT_FOUND, Location.file(req.file().toString()), req.file().toString());
        }
        try (RowSource src = RowSource.open(req.file(), req.source())) {
            SourceInfo info = src.info();
            DataDictionary confirmed = req.dictionary() == null ? null : align(req.dictionary(), info, fileName);
            return new Sampled(info, confirmed, sample(src, info, confirmed, req.timeZone()));
        }
    }

    static CompletableFuture<String> digestOf(Path file) {
        return CompletableFuture.supplyAsync(() -> sha256(file), r -> Thread.ofVirtual().start(r));
    }

    private static Sample sample(RowSource src, SourceInfo info, DataDictionary confirmed, String timeZone) {
        var inference = new DictionaryInference(info.columns(), timeZone);
        var rows = new ArrayList<String[]>();
        var row = new RawRow();
        boolean problems = false;
        while (rows.size() < SAMPLE_ROWS && src.next(row)) {
            if (row.problem() != null) {
                problems = true;
                continue;
            }
            inference.accept(row);
            String[] copy = new String[row.size()];
            for (int i = 0; i < copy.length; i++) copy[i] = row.get(i);
            rows.add(copy);
        }
        DataDictionary d = confirmed != null ? confirmed : inference.result();
        int asset = -1;
        for (int i = 0; i < d.columns().size(); i++) {
            if (d.columns().get(i).role() == ColumnRole.ASSET) {
                asset = i;
                break;
            }
        }
        Set<String> assets = new HashSet<>();
        if (asset >= 0) {
            for (String[] r : rows) if (asset < r.length && r[asset] != null) assets.add(r[asset]);
        }
        return new Sample(d, assets.size(), problems);
    }

    private static DataDictionary fullInference(IngestRequest req, SourceInfo info, IngestProgress progress, long lines) {
        try (RowSource src = RowSource.open(req.file(), req.source())) {
            var inference = new DictionaryInference(info.columns(), req.timeZone());
            var row = new RawRow();
            long seen = 0;
            while (src.next(row)) {
                inference.accept(row);
                if ((++seen & 0xFFFF) == 0) progress.update(IngestProgress.Phase.INFER, Math.min(1, (double) row.line() / lines));
            }
            return inference.result();
        }
    }

    /** Lines in the file, estimated from its first megabyte, for progress only. */
    private static long estimateLines(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(1 << 20);
            long newlines = 0;
            for (byte b : head) if (b == '\n') newlines++;
            if (newlines == 0 || head.length == 0) return 1;
            return Math.max(1, Files.size(file) * newlines / head.length);
        } catch (IOException e) {
            return 1;
        }
    }

    /** Parses every field; the first bad value is the row's problem. */
    private static IngestProblem parse(RawRow row, ValueParser[] parsers, DataDictionary d, Object[] values) {
        for (int i = 0; i < parsers.length; i++) {
            String text = i < row.size() ? row.get(i) : null;
            Object v = parsers[i].parse(text);
            if (v == ValueParser.INVALID) {
                return new IngestProblem(IngestError.BAD_VALUE, row.line(), i + 1, d.columns().get(i).name(), text);
            }
            values[i] = v;
        }
        return null;
    }

    /**
     * Puts a confirmed dictionary in the file's column order; every file column must be described and
     * every described column present.
     */
    private static DataDictionary align(DataDictionary confirmed, SourceInfo info, String fileName) {
        var ordered = new ArrayList<ColumnSpec>();
        for (int i = 0; i < info.columns().size(); i++) {
            String name = info.columns().get(i);
            int column = i + 1;
            ColumnSpec spec = confirmed.column(name).orElseThrow(() -> new MaxException(IngestError.UNKNOWN_COLUMN,
                    Location.cell(fileName, 1, column, name), name));
            ordered.add(spec);
        }
        for (ColumnSpec c : confirmed.columns()) {
            if (!info.columns().contains(c.name())) {
                throw new MaxException(IngestError.MISSING_COLUMN, Location.file(fileName), c.name());
            }
        }
        return new DataDictionary(ordered, confirmed.timeZone());
    }

    static Connection duckdb() throws SQLException {
        return kr.max.library.query.InMemoryDuckDb.open();
    }

    private static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            return null;
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (var walk = Files.walk(dir)) {
            walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(Scratch::deleteQuietly);
        } catch (IOException ignored) {
            // scratch is memory and is removed with the session
        }
    }

    /** Collects validated rows in an in-memory DuckDB table and hands each full table to the sink as chunks. */
    private final class JavaChunkWriter implements AutoCloseable {
        private final Connection duck;
        private final DataDictionary dictionary;
        private final ChunkSink sink;
        private final long rowsPerChunk;
        private final String assetColumn;
        private DuckDBAppender appender;
        private long rowsInChunk;

        JavaChunkWriter(Connection duck, DataDictionary dictionary, ChunkSink sink) throws SQLException {
            this.duck = duck;
            this.dictionary = dictionary;
            this.sink = sink;
            this.rowsPerChunk = Math.max(1_000, valuesPerChunk / Math.max(1, dictionary.columns().size()));
            this.assetColumn = sink.assetColumn();
            try (Statement st = duck.createStatement()) {
                var cols = new ArrayList<String>();
                for (ColumnSpec c : dictionary.columns()) cols.add(SqlText.identifier(c.name()) + " " + c.type().sqlType());
                st.execute("CREATE TABLE chunk (" + String.join(", ", cols) + ")");
            }
            appender = duck.unwrap(DuckDBConnection.class).createAppender("main", "chunk");
        }

        void append(Object[] values) throws SQLException {
            appender.beginRow();
            for (int i = 0; i < values.length; i++) {
                Object v = values[i];
                if (v == null) {
                    appender.appendNull();
                    continue;
                }
                switch (dictionary.columns().get(i).type()) {
                    case BOOLEAN -> appender.append((boolean) (Boolean) v);
                    case INTEGER -> appender.append((long) (Long) v);
                    case DECIMAL -> appender.append((double) (Double) v);
                    case TIMESTAMP -> appender.appendEpochMicros((Long) v);
                    case STRING -> appender.append((String) v);
                }
            }
            appender.endRow();
            if (++rowsInChunk >= rowsPerChunk) flush();
        }

        void finish() throws SQLException {
            if (rowsInChunk > 0) flush();
        }

        private void flush() throws SQLException {
            appender.close();
            Path out = scratch.dir().resolve("flush-" + UUID.randomUUID());
            try (Statement st = duck.createStatement()) {
                long assets = 1;
                if (assetColumn != null) {
                    try (ResultSet rs = st.executeQuery("SELECT count(DISTINCT " + SqlText.identifier(assetColumn) + ") FROM chunk")) {
                        rs.next();
                        assets = rs.getLong(1);
                    }
                }
                String[] layout = sink.layout("SELECT * FROM chunk", assets);
                st.execute("COPY (" + layout[0] + ") TO " + SqlText.literal(out.toString()) + " " + layout[1]);
                st.execute("DELETE FROM chunk");
            }
            try {
                sink.addFiles(duck, out);
            } finally {
                deleteTree(out);
            }
            rowsInChunk = 0;
            appender = duck.unwrap(DuckDBConnection.class).createAppender("main", "chunk");
        }

        @Override
        public void close() throws SQLException {
            if (!appender.isClosed()) appender.close();
        }
    }

    /** Associated data binding a chunk to its version and place, so chunks cannot be swapped. */
    static String chunkContext(String ingestId, int seq) {
        return "chunk:" + ingestId + ":" + seq;
    }

}
