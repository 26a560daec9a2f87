package kr.max.library.stream;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.library.catalog.CatalogError;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** The stream tables of the catalog (V8, V9 edge rules, V10 compaction); every flush and every compaction commits in one transaction here. */
final class StreamCatalog {

    private static final int COMMIT_ATTEMPTS = 10;

    private final Jdbi jdbi;

    StreamCatalog(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** A stream dataset's living version. */
    record Stream(long datasetId, long versionId) {
    }

    /** One chunk of a stream version as a query needs it (its zone map is fetched apart, once). */
    record ChunkRow(int seq, String objectHash, long rows, long bytes, String flushId, int part, long hour) {
    }

    /** A chunk a flush wrote, ready to be registered. */
    record NewChunk(String objectHash, long rows, long bytes, int part, long hour, byte[] sealedZoneMap) {
    }

    /** What one flush commits: its chunks and, per source, the mark expected before and the mark after. */
    record Flush(long datasetId, long versionId, String flushId, List<NewChunk> chunks, Map<String, Long> expected,
                 Map<String, Long> marks) {
    }

    /** The outcome of a flush commit: committed, or the sources another writer advanced meanwhile. */
    record Outcome(boolean committed, Map<String, Long> currentMarks) {
    }

    /**
     * What one compaction of one hour partition commits: the chunks it replaces (rows of {@link #chunks}) and the
     * chunks that replace them, written under a new flush id. The replaced chunks' objects are retired until
     * {@code deleteAfter} (epoch microseconds), so that a query that listed them a moment ago can still read them.
     */
    record Compaction(long datasetId, long versionId, long hour, String flushId, List<ChunkRow> replaced,
                      List<NewChunk> chunks, long deleteAfter) {
    }

    /** A retired chunk's object, waiting for its grace period to end. */
    record Retired(long versionId, String objectHash) {
    }

    /** Registers a new dataset's version as a stream, inside the transaction that commits the version. */
    static void register(Handle h, long datasetId, long versionId, long nowMicros) {
        h.createUpdate("INSERT INTO stream_dataset (dataset_id, version_id, next_seq, created_at) VALUES (:d, :v, 0, :now)")
                .bind("d", datasetId).bind("v", versionId).bind("now", nowMicros).execute();
    }

    Optional<Stream> stream(long datasetId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT dataset_id, version_id FROM stream_dataset WHERE dataset_id = :d")
                .bind("d", datasetId).map((rs, ctx) -> new Stream(rs.getLong(1), rs.getLong(2))).findOne());
    }

    boolean isStreamVersion(long versionId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM stream_dataset WHERE version_id = :v")
                .bind("v", versionId).mapTo(Integer.class).one()) > 0;
    }

    /** The committed mark of a source, or -1 when nothing of it is committed. */
    long mark(long datasetId, String source) {
        return jdbi.withHandle(h -> h.createQuery("SELECT high_water FROM stream_source WHERE dataset_id = :d AND source = :s")
                .bind("d", datasetId).bind("s", source).mapTo(Long.class).findOne().orElse(-1L));
    }

    /** One stored version of a stream dataset's edge rules. */
    record StoredRules(long version, String json, long changedAt, String changedBy) {
    }

    /** The edge rules in force (the highest version), if they were ever set. */
    Optional<StoredRules> edgeRules(long datasetId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT version, rules, changed_at, changed_by FROM stream_edge_rules
                        WHERE dataset_id = :d AND version = (SELECT MAX(version) FROM stream_edge_rules WHERE dataset_id = :d)""")
                .bind("d", datasetId)
                .map((rs, ctx) -> new StoredRules(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4)))
                .findOne());
    }

    /** The version of the edge rules in force, 0 if they were never set. */
    long edgeRulesVersion(long datasetId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(MAX(version), 0) FROM stream_edge_rules WHERE dataset_id = :d")
                .bind("d", datasetId).mapTo(Long.class).one());
    }

    /**
     * Stores the next version of a stream dataset's edge rules, {@code expected + 1}, if {@code expected} is still the
     * version in force; false if someone else changed them first.
     */
    boolean storeEdgeRules(long datasetId, long expected, String json, long atMicros, String by) {
        try {
            return jdbi.inTransaction(h -> {
                long current = h.createQuery("SELECT COALESCE(MAX(version), 0) FROM stream_edge_rules WHERE dataset_id = :d")
                        .bind("d", datasetId).mapTo(Long.class).one();
                if (current != expected) return false;
                h.createUpdate("""
                        INSERT INTO stream_edge_rules (dataset_id, version, rules, changed_at, changed_by)
                        VALUES (:d, :v, :r, :at, :by)""")
                        .bind("d", datasetId).bind("v", expected + 1).bind("r", json).bind("at", atMicros).bind("by", by).execute();
                return true;
            });
        } catch (org.jdbi.v3.core.statement.UnableToExecuteStatementException e) {
            if (isUniqueViolation(e)) return false;
            throw new MaxException(CatalogError.DATABASE, Location.NOWHERE, e, rootMessage(e));
        }
    }

    /**
     * Whether a flush (a staging area) has committed: its chunks are registered, or were registered and have since
     * been compacted into others but are still retired (their objects must still be published, to be readable
     * until their grace period ends).
     */
    boolean isCommitted(String flushId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT (SELECT COUNT(*) FROM stream_chunk WHERE flush_id = :f)
                             + (SELECT COUNT(*) FROM stream_retired_chunk WHERE flush_id = :f)""")
                .bind("f", flushId).mapTo(Integer.class).one()) > 0;
    }

    /** Whether chunk {@code seq} of a version is still registered (not compacted away). */
    boolean isRegistered(long versionId, int seq) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM chunk WHERE version_id = :v AND seq = :s")
                .bind("v", versionId).bind("s", seq).mapTo(Integer.class).one()) > 0;
    }

    /** Sealed zone maps of the chunks of one hour partition, by chunk number. */
    Map<Integer, byte[]> zoneMapsOfHour(long versionId, long hour) {
        return jdbi.withHandle(h -> h.createQuery("SELECT seq, zone_map FROM stream_chunk WHERE version_id = :v AND partition_hour = :h")
                .bind("v", versionId).bind("h", hour)
                .reduceRows(new HashMap<Integer, byte[]>(), (m, row) -> {
                    m.put(row.getColumn(1, Integer.class), row.getColumn(2, byte[].class));
                    return m;
                }));
    }

    List<ChunkRow> chunks(long versionId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT c.seq, c.object_hash, c.row_count, c.byte_count, s.flush_id, s.part, s.partition_hour
                        FROM chunk c JOIN stream_chunk s ON s.version_id = c.version_id AND s.seq = c.seq
                        WHERE c.version_id = :v ORDER BY c.seq""")
                .bind("v", versionId)
                .map((rs, ctx) -> new ChunkRow(rs.getInt(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getString(5),
                        rs.getInt(6), rs.getLong(7)))
                .list());
    }

    /** Sealed zone maps of the chunks numbered above {@code afterSeq}. */
    Map<Integer, byte[]> zoneMaps(long versionId, int afterSeq) {
        return jdbi.withHandle(h -> h.createQuery("SELECT seq, zone_map FROM stream_chunk WHERE version_id = :v AND seq > :after")
                .bind("v", versionId).bind("after", afterSeq)
                .reduceRows(new HashMap<Integer, byte[]>(), (m, row) -> {
                    m.put(row.getColumn(1, Integer.class), row.getColumn(2, byte[].class));
                    return m;
                }));
    }

    /**
     * Commits a flush in one transaction: the chunks and their zone maps, the version's figures and every source's
     * new mark. A source whose mark is no longer the one expected (another process appended it meanwhile) commits
     * nothing: the outcome names the current marks so that the caller drops what is now a replay and tries again.
     * A deleted dataset refuses the flush.
     */
    Outcome commit(Flush f, long nowMicros) {
        for (int attempt = 1; ; attempt++) {
            try {
                return jdbi.inTransaction(h -> commitIn(h, f, nowMicros));
            } catch (Conflict c) {
                return new Outcome(false, c.current);
            } catch (org.jdbi.v3.core.statement.UnableToExecuteStatementException e) {
                // A first flush of the same new source by another process: the primary key met; the retry sees its mark.
                if (attempt >= COMMIT_ATTEMPTS || !isUniqueViolation(e)) {
                    throw new MaxException(CatalogError.DATABASE, Location.NOWHERE, e, rootMessage(e));
                }
            }
        }
    }

    private static Outcome commitIn(Handle h, Flush f, long now) {
        // The dataset row first, as a deletion takes it: a flush and a deletion never interleave.
        boolean present = h.createQuery("SELECT id FROM dataset WHERE id = :d AND deleted_at IS NULL FOR UPDATE")
                .bind("d", f.datasetId()).mapTo(Long.class).findOne().isPresent();
        if (!present) {
            throw new MaxException(StreamError.DATASET_GONE, Location.NOWHERE, "#" + f.datasetId());
        }
        int next = h.createQuery("SELECT next_seq FROM stream_dataset WHERE dataset_id = :d FOR UPDATE")
                .bind("d", f.datasetId()).mapTo(Integer.class).one();
        var current = new HashMap<String, Long>();
        for (var e : f.marks().entrySet()) {
            String source = e.getKey();
            long expected = f.expected().getOrDefault(source, -1L);
            int changed = h.createUpdate("""
                    UPDATE stream_source SET high_water = :mark, committed_at = :now
                    WHERE dataset_id = :d AND source = :s AND high_water = :expected""")
                    .bind("mark", e.getValue()).bind("now", now).bind("d", f.datasetId()).bind("s", source)
                    .bind("expected", expected).execute();
            if (changed == 1) continue;
            Long found = h.createQuery("SELECT high_water FROM stream_source WHERE dataset_id = :d AND source = :s")
                    .bind("d", f.datasetId()).bind("s", source).mapTo(Long.class).findOne().orElse(null);
            if (found == null && expected == -1L) {
                h.createUpdate("INSERT INTO stream_source (dataset_id, source, high_water, committed_at) VALUES (:d, :s, :mark, :now)")
                        .bind("d", f.datasetId()).bind("s", source).bind("mark", e.getValue()).bind("now", now).execute();
            } else {
                current.put(source, found == null ? -1L : found);
            }
        }
        if (!current.isEmpty()) throw new Conflict(current);
        long rows = 0;
        long bytes = 0;
        var chunks = h.prepareBatch("INSERT INTO chunk (version_id, seq, object_hash, row_count, byte_count) VALUES (:v, :seq, :hash, :rows, :bytes)");
        var streamChunks = h.prepareBatch("""
                INSERT INTO stream_chunk (version_id, seq, flush_id, part, partition_hour, zone_map)
                VALUES (:v, :seq, :flush, :part, :hour, :zm)""");
        int seq = next;
        for (NewChunk c : f.chunks()) {
            chunks.bind("v", f.versionId()).bind("seq", seq).bind("hash", c.objectHash()).bind("rows", c.rows())
                    .bind("bytes", c.bytes()).add();
            streamChunks.bind("v", f.versionId()).bind("seq", seq).bind("flush", f.flushId()).bind("part", c.part())
                    .bind("hour", c.hour()).bind("zm", c.sealedZoneMap()).add();
            rows += c.rows();
            bytes += c.bytes();
            seq++;
        }
        if (!f.chunks().isEmpty()) {
            chunks.execute();
            streamChunks.execute();
        }
        h.createUpdate("UPDATE stream_dataset SET next_seq = :n WHERE dataset_id = :d").bind("n", seq).bind("d", f.datasetId()).execute();
        h.createUpdate("UPDATE dataset_version SET row_count = row_count + :r, byte_count = byte_count + :b WHERE id = :v")
                .bind("r", rows).bind("b", bytes).bind("v", f.versionId()).execute();
        return new Outcome(true, Map.of());
    }

    /**
     * Commits a compaction of one hour partition in one transaction: the new chunks and their zone maps are
     * registered, the replaced chunks' rows removed and their objects retired, the version's byte count corrected
     * (its row count stays: the same rows, in fewer chunks). When a replaced chunk is no longer registered — another
     * process compacted the partition meanwhile — nothing is committed and the answer is false. A deleted dataset
     * refuses the compaction.
     */
    boolean compact(Compaction c, long nowMicros) {
        try {
            return jdbi.inTransaction(h -> compactIn(h, c, nowMicros));
        } catch (Superseded s) {
            return false;
        } catch (org.jdbi.v3.core.statement.UnableToExecuteStatementException e) {
            throw new MaxException(CatalogError.DATABASE, Location.NOWHERE, e, rootMessage(e));
        }
    }

    private static boolean compactIn(Handle h, Compaction c, long now) {
        // The dataset row first, as flushes and deletions take it: the chunk set changes under this lock only.
        boolean present = h.createQuery("SELECT id FROM dataset WHERE id = :d AND deleted_at IS NULL FOR UPDATE")
                .bind("d", c.datasetId()).mapTo(Long.class).findOne().isPresent();
        if (!present) {
            throw new MaxException(StreamError.DATASET_GONE, Location.NOWHERE, "#" + c.datasetId());
        }
        int next = h.createQuery("SELECT next_seq FROM stream_dataset WHERE dataset_id = :d FOR UPDATE")
                .bind("d", c.datasetId()).mapTo(Integer.class).one();
        var registered = new java.util.HashSet<>(h.createQuery(
                        "SELECT seq FROM stream_chunk WHERE version_id = :v AND partition_hour = :h")
                .bind("v", c.versionId()).bind("h", c.hour()).mapTo(Integer.class).list());
        long oldRows = 0;
        long oldBytes = 0;
        for (ChunkRow r : c.replaced()) {
            if (r.hour() != c.hour()) throw new IllegalArgumentException("chunk " + r.seq() + " is not of hour " + c.hour());
            if (!registered.contains(r.seq())) throw new Superseded();
            oldRows += r.rows();
            oldBytes += r.bytes();
        }
        long newRows = 0;
        long newBytes = 0;
        for (NewChunk n : c.chunks()) {
            if (n.hour() != c.hour()) throw new IllegalArgumentException("new chunk of hour " + n.hour() + ", not " + c.hour());
            newRows += n.rows();
            newBytes += n.bytes();
        }
        if (oldRows != newRows) {
            throw new IllegalStateException("a compaction must keep the rows: " + oldRows + " replaced by " + newRows);
        }
        var dropStream = h.prepareBatch("DELETE FROM stream_chunk WHERE version_id = :v AND seq = :seq");
        var dropChunk = h.prepareBatch("DELETE FROM chunk WHERE version_id = :v AND seq = :seq");
        var retire = h.prepareBatch("""
                INSERT INTO stream_retired_chunk (version_id, object_hash, flush_id, retired_at, delete_after)
                VALUES (:v, :hash, :flush, :now, :after)""");
        for (ChunkRow r : c.replaced()) {
            dropStream.bind("v", c.versionId()).bind("seq", r.seq()).add();
            dropChunk.bind("v", c.versionId()).bind("seq", r.seq()).add();
            retire.bind("v", c.versionId()).bind("hash", r.objectHash()).bind("flush", r.flushId()).bind("now", now)
                    .bind("after", c.deleteAfter()).add();
        }
        if (!c.replaced().isEmpty()) {
            dropStream.execute();
            dropChunk.execute();
            retire.execute();
        }
        var chunks = h.prepareBatch("INSERT INTO chunk (version_id, seq, object_hash, row_count, byte_count) VALUES (:v, :seq, :hash, :rows, :bytes)");
        var streamChunks = h.prepareBatch("""
                INSERT INTO stream_chunk (version_id, seq, flush_id, part, partition_hour, zone_map)
                VALUES (:v, :seq, :flush, :part, :hour, :zm)""");
        int seq = next;
        for (NewChunk n : c.chunks()) {
            chunks.bind("v", c.versionId()).bind("seq", seq).bind("hash", n.objectHash()).bind("rows", n.rows())
                    .bind("bytes", n.bytes()).add();
            streamChunks.bind("v", c.versionId()).bind("seq", seq).bind("flush", c.flushId()).bind("part", n.part())
                    .bind("hour", n.hour()).bind("zm", n.sealedZoneMap()).add();
            seq++;
        }
        if (!c.chunks().isEmpty()) {
            chunks.execute();
            streamChunks.execute();
        }
        h.createUpdate("UPDATE stream_dataset SET next_seq = :n WHERE dataset_id = :d").bind("n", seq).bind("d", c.datasetId()).execute();
        h.createUpdate("UPDATE dataset_version SET byte_count = byte_count + :b WHERE id = :v")
                .bind("b", newBytes - oldBytes).bind("v", c.versionId()).execute();
        return true;
    }

    /**
     * Objects of retired chunks still in their grace period (of datasets not deleted): the library's recovery
     * counts them as referenced.
     */
    java.util.Set<String> retainedObjects(long nowMicros) {
        return jdbi.withHandle(h -> new java.util.HashSet<>(h.createQuery("""
                        SELECT r.object_hash FROM stream_retired_chunk r JOIN dataset_version v ON v.id = r.version_id
                        JOIN dataset d ON d.id = v.dataset_id WHERE d.deleted_at IS NULL AND r.delete_after > :now""")
                .bind("now", nowMicros).mapTo(String.class).list()));
    }

    /** Retired chunks whose grace period has ended, or whose dataset was deleted: their objects may go. */
    List<Retired> dueRetired(long nowMicros) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT r.version_id, r.object_hash FROM stream_retired_chunk r JOIN dataset_version v ON v.id = r.version_id
                        JOIN dataset d ON d.id = v.dataset_id WHERE r.delete_after <= :now OR d.deleted_at IS NOT NULL""")
                .bind("now", nowMicros).map((rs, ctx) -> new Retired(rs.getLong(1), rs.getString(2))).list());
    }

    /** Retired chunks of a dataset, whatever their grace period. */
    List<Retired> retiredOf(long datasetId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT r.version_id, r.object_hash FROM stream_retired_chunk r JOIN dataset_version v ON v.id = r.version_id
                        WHERE v.dataset_id = :d""")
                .bind("d", datasetId).map((rs, ctx) -> new Retired(rs.getLong(1), rs.getString(2))).list());
    }

    /** Forgets a retired chunk whose object has been deleted. */
    void forgetRetired(Retired r) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM stream_retired_chunk WHERE version_id = :v AND object_hash = :h")
                .bind("v", r.versionId()).bind("h", r.objectHash()).execute());
    }

    private static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql) {
                String state = sql.getSQLState();
                if ("23505".equals(state) || "23000".equals(state)) return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) t = t.getCause();
        return t.getClass().getSimpleName();
    }

    /** Rolls a compaction back: another one replaced some of its chunks first. */
    private static final class Superseded extends RuntimeException {
        Superseded() {
            super(null, null, false, false);
        }
    }

    /** Rolls a flush back: a source's mark moved under it. */
    private static final class Conflict extends RuntimeException {
        final Map<String, Long> current;

        Conflict(Map<String, Long> current) {
            super(null, null, false, false);
            this.current = current;
        }
    }
}
