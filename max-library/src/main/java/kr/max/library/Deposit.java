package kr.max.library;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.core.Principal;
import kr.max.core.dictionary.ColumnRole;
import kr.max.core.dictionary.ColumnSpec;
import kr.max.core.dictionary.ColumnType;
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
import kr.max.library.query.ZoneMap;
import kr.max.library.store.ObjectStore;
import kr.max.library.store.Scratch;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The deposit path: file → rows validated against the dictionary → Parquet chunks (zstd) written by
 * DuckDB into memory-backed scratch → encrypted with the version's data key into a staging area →
 * one catalog transaction → published. Until the commit nothing is visible; a failure or a crash
 * leaves only a staging area that the next start removes.
 */
final class Deposit {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Deposit.class);

    private static final int REJECTED_DETAIL_LIMIT = 1_000;

    private final Catalog catalog;
    private final KeyManagementService kms;
    private final ObjectStore store;
    private final Scratch scratch;
    private final long valuesPerChunk;

    Deposit(Catalog catalog, KeyManagementService kms, ObjectStore store, Scratch scratch, long valuesPerChunk) {
        this.valuesPerChunk = valuesPerChunk;
        this.catalog = catalog;
        this.kms = kms;
        this.store = store;
        this.scratch = scratch;
    }

    IngestResult run(Principal principal, IngestRequest req) {
        String fileName = req.file().getFileName().toString();
        if (!Files.isRegularFile(req.file())) {
            throw new MaxException(IngestError.FILE_NOT_FOUND, Location.file(req.file().toString()), req.file().toString());
        }
        long started = System.nanoTime();
        CompletableFuture<String> sha = CompletableFuture.supplyAsync(() -> sha256(req.file()),
                r -> Thread.ofVirtual().start(r));
        DataDictionary dictionary;
        SourceInfo info;
        try (RowSource src = RowSource.open(req.file(), req.source())) {
            info = src.info();
            dictionary = req.dictionary() != null ? align(req.dictionary(), info, fileName) : null;
            LOG.debug("open source {} ms", (System.nanoTime() - started) / 1_000_000);
            if (dictionary == null) {
                var inference = new DictionaryInference(info.columns(), req.timeZone());
                var row = new RawRow();
                while (src.next(row)) inference.accept(row);
                dictionary = inference.result();
                LOG.debug("inference pass done at {} ms", (System.nanoTime() - started) / 1_000_000);
            }
        }
        Dataset existing = catalog.dataset(req.dataset()).orElse(null);
        String keyId = existing != null ? existing.keyId() : "dataset:" + UUID.randomUUID();
        kms.createKey(keyId);
        String ingestId = UUID.randomUUID().toString();
        DataKey.Generated dek = DataKey.generate(kms, keyId, "dek:" + ingestId);

        try (ObjectStore.Staging staging = store.stage(ingestId);
             RowSource src = RowSource.open(req.file(), req.source());
             ChunkWriter writer = new ChunkWriter(dictionary, dek.key(), staging, ingestId)) {
            var problems = new ArrayList<IngestProblem>();
            long problemCount = 0;
            var parsers = new ValueParser[dictionary.columns().size()];
            ZoneId zone = ZoneId.of(dictionary.timeZone());
            for (int i = 0; i < parsers.length; i++) parsers[i] = ValueParser.forColumn(dictionary.columns().get(i), zone);
            var values = new Object[parsers.length];
            var row = new RawRow();
            while (src.next(row)) {
                IngestProblem p = row.problem();
                if (p == null) p = parse(row, parsers, dictionary, values);
                if (p != null) {
                    problemCount++;
                    if (problems.size() < Math.max(req.maxErrors(), req.skipBadRows() ? REJECTED_DETAIL_LIMIT : 0)) problems.add(p);
                    if (!req.skipBadRows() && problems.size() >= req.maxErrors()) break;
                    continue;
                }
                writer.append(values);
            }
            if (problemCount > 0 && !req.skipBadRows()) {
                staging.discard();
                throw new IngestRejected(fileName, problems, problemCount);
            }
            LOG.debug("convert pass done at {} ms (chunk writing {} ms)", (System.nanoTime() - started) / 1_000_000,
                    writer.flushNanos / 1_000_000);
            List<Chunk> chunks = writer.finish();
            if (writer.rows == 0) {
                staging.discard();
                throw new MaxException(IngestError.EMPTY_FILE, Location.file(fileName), fileName);
            }
            byte[] rejectedDetail = problems.isEmpty() ? null
                    : dek.key().seal(RejectedRows.toBytes(problems), "rejected:" + ingestId);
            DatasetVersion v = catalog.commit(new NewVersion(req.dataset(), principal.name(), req.classification(), keyId,
                    ingestId, principal.name(), writer.rows, writer.bytes, fileName, sha.join(), info.format(),
                    info.charset() == null ? null : info.charset().name(), DictionaryYaml.toYaml(dictionary, req.dataset()),
                    problemCount, rejectedDetail, dek.wrapped(), chunks));
            staging.publish();
            LOG.debug("committed at {} ms", (System.nanoTime() - started) / 1_000_000);
            return new IngestResult(req.dataset(), v.number(), writer.rows, writer.bytes, chunks.size(), problemCount,
                    problems, info);
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
            ColumnSpec spec = confirmed.column(name).orElseThrow(() -> new MaxException(IngestError.UNKNOWN_COLUMN,
                    Location.cell(fileName, 1, info.columns().indexOf(name) + 1, name), name));
            ordered.add(spec);
        }
        for (ColumnSpec c : confirmed.columns()) {
            if (!info.columns().contains(c.name())) {
                throw new MaxException(IngestError.MISSING_COLUMN, Location.file(fileName), c.name());
            }
        }
        return new DataDictionary(ordered, confirmed.timeZone());
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

    /** Collects rows in an in-memory DuckDB table and turns each full table into an encrypted chunk. */
    private final class ChunkWriter implements AutoCloseable {
        private final DataDictionary dictionary;
        private final DataKey key;
        private final ObjectStore.Staging staging;
        private final String ingestId;
        private final Connection duck;
        private final long rowsPerChunk;
        private final int tsIndex;
        private final int assetIndex;
        private final List<Chunk> chunks = new ArrayList<>();
        private DuckDBAppender appender;
        private long rowsInChunk;
        long flushNanos;
        long rows;
        long bytes;

        ChunkWriter(DataDictionary dictionary, DataKey key, ObjectStore.Staging staging, String ingestId) {
            this.dictionary = dictionary;
            this.key = key;
            this.staging = staging;
            this.ingestId = ingestId;
            this.rowsPerChunk = Math.max(1_000, valuesPerChunk / Math.max(1, dictionary.columns().size()));
            this.tsIndex = firstIndex(dictionary, ColumnRole.TIMESTAMP, ColumnType.TIMESTAMP);
            this.assetIndex = firstIndex(dictionary, ColumnRole.ASSET, ColumnType.STRING);
            try {
                duck = DriverManager.getConnection("jdbc:duckdb:");
                try (Statement st = duck.createStatement()) {
                    st.execute("SET temp_directory = ''");
                    st.execute("SET preserve_insertion_order = true");
                    var cols = new ArrayList<String>();
                    for (ColumnSpec c : dictionary.columns()) cols.add(quote(c.name()) + " " + c.type().sqlType());
                    st.execute("CREATE TABLE chunk (" + String.join(", ", cols) + ")");
                }
                appender = duck.unwrap(DuckDBConnection.class).createAppender("main", "chunk");
            } catch (SQLException e) {
                throw storeError(e);
            }
        }

        void append(Object[] values) {
            try {
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
            } catch (SQLException e) {
                throw storeError(e);
            }
            rows++;
            if (++rowsInChunk >= rowsPerChunk) flushChunk();
        }

        List<Chunk> finish() {
            if (rowsInChunk > 0) flushChunk();
            return List.copyOf(chunks);
        }

        private void flushChunk() {
            long t0 = System.nanoTime();
            Path plain = scratch.newFile(".parquet");
            try {
                appender.close();
                ZoneMap zoneMap = zoneMap();
                try (Statement st = duck.createStatement()) {
                    st.execute("COPY chunk TO '" + plain.toString().replace("'", "''")
                            + "' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)");
                    st.execute("DELETE FROM chunk");
                }
                int seq = chunks.size();
                String ad = chunkContext(ingestId, seq);
                ObjectStore.StoredObject obj = staging.write(out -> {
                    try (OutputStream enc = key.encrypting(out, ad)) {
                        Files.copy(plain, enc);
                    }
                });
                byte[] sealedZoneMap = key.seal(zoneMap.toBytes(), "zonemap:" + ingestId + ":" + seq);
                chunks.add(new Chunk(seq, obj.hash(), rowsInChunk, obj.bytes(), sealedZoneMap));
                bytes += obj.bytes();
                rowsInChunk = 0;
                appender = duck.unwrap(DuckDBConnection.class).createAppender("main", "chunk");
            } catch (SQLException e) {
                throw storeError(e);
            } finally {
                Scratch.deleteQuietly(plain);
                flushNanos += System.nanoTime() - t0;
            }
        }

        private ZoneMap zoneMap() throws SQLException {
            if (tsIndex < 0 && assetIndex < 0) return ZoneMap.NONE;
            String ts = tsIndex < 0 ? null : dictionary.columns().get(tsIndex).name();
            String asset = assetIndex < 0 ? null : dictionary.columns().get(assetIndex).name();
            String sql = "SELECT " + (ts == null ? "NULL, NULL" : "epoch_us(min(" + quote(ts) + ")), epoch_us(max(" + quote(ts) + "))")
                    + ", " + (asset == null ? "NULL, NULL" : "min(" + quote(asset) + "), max(" + quote(asset) + ")") + " FROM chunk";
            try (Statement st = duck.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                rs.next();
                long tMin = rs.getLong(1);
                Long tMinV = rs.wasNull() ? null : tMin;
                long tMax = rs.getLong(2);
                Long tMaxV = rs.wasNull() ? null : tMax;
                return new ZoneMap(ts, tMinV, tMaxV, asset, rs.getString(3), rs.getString(4));
            }
        }

        @Override
        public void close() {
            try {
                duck.close();
            } catch (SQLException ignored) {
                // in-memory: nothing to lose
            }
        }
    }

    /** Associated data binding a chunk to its version and place, so chunks cannot be swapped. */
    static String chunkContext(String ingestId, int seq) {
        return "chunk:" + ingestId + ":" + seq;
    }

    private static int firstIndex(DataDictionary d, ColumnRole role, ColumnType type) {
        for (int i = 0; i < d.columns().size(); i++) {
            ColumnSpec c = d.columns().get(i);
            if (c.role() == role && c.type() == type) return i;
        }
        return -1;
    }

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    private static MaxException storeError(SQLException e) {
        return new MaxException(kr.max.library.store.StoreError.IO, Location.NOWHERE, e, e.getClass().getSimpleName());
    }
}
