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

/** The stream tables of the catalog (V8, V9 for edge rules); every flush commits in one transaction here. */
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

    /** Whether a flush (a staging area) has committed. */
    boolean isCommitted(String flushId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM stream_chunk WHERE flush_id = :f")
                .bind("f", flushId).mapTo(Integer.class).one()) > 0;
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

    /** Rolls a flush back: a source's mark moved under it. */
    private static final class Conflict extends RuntimeException {
        final Map<String, Long> current;

        Conflict(Map<String, Long> current) {
            super(null, null, false, false);
            this.current = current;
        }
    }
}
