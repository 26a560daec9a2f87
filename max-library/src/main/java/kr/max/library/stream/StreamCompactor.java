package kr.max.library.stream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.library.crypto.DataKey;
import kr.max.library.query.SqlText;
import kr.max.library.query.ZoneMap;
import kr.max.library.store.ObjectStore;
import kr.max.library.store.Scratch;
import kr.max.library.store.StoreError;

/**
 * Merges the small chunks of sealed hour partitions of a stream version into a few large ones (decision 0020).
 *
 * <p>Per partition, under a new flush id and in its own staging area: the chunks are decrypted into the
 * memory-backed scratch, read and sorted by DuckDB (asset, tag, time, as the writer sorts) into one Parquet file per
 * group of chunks, encrypted with the version's data key under the same associated-data scheme as a flush, and the
 * zone map — the union of the replaced chunks' zone maps — is sealed the same way. One catalog transaction then
 * registers the new chunks and removes the old rows; the staging area is published after it, exactly as a flush's
 * is, so a crash leaves either the old set or the new set. The old objects are retired, not deleted
 * ({@link StreamCatalog#compact}).
 */
final class StreamCompactor implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StreamCompactor.class);
    private static final int ROW_GROUP_SIZE = 65_536;

    private final StreamCatalog catalog;
    private final ObjectStore store;
    private final Scratch scratch;
    private Connection duck;

    StreamCompactor(StreamCatalog catalog, ObjectStore store, Scratch scratch) {
        this.catalog = catalog;
        this.store = store;
        this.scratch = scratch;
    }

    /** The stream version to compact, with what reading and writing its chunks needs. */
    record Target(String dataset, long datasetId, long versionId, String ingestId, DataKey key) {
    }

    /** One sealed hour partition worth merging: its small chunks in groups, each group to become one chunk. */
    record Plan(long hour, List<List<StreamCatalog.ChunkRow>> groups) {
    }

    /**
     * The partitions worth merging now, oldest first: sealed ({@link CompactionSettings#sealedAfter()} past their
     * end), with no samples of this process waiting for a flush into them, and with at least
     * {@link CompactionSettings#minChunks()} small chunks. A chunk is small below half the size bounds; a merged one
     * is not merged again until late samples have added enough small ones beside it.
     */
    static List<Plan> plan(List<StreamCatalog.ChunkRow> chunks, CompactionSettings s, long nowMicros, Set<Long> pendingHours) {
        var byHour = new TreeMap<Long, List<StreamCatalog.ChunkRow>>();
        for (StreamCatalog.ChunkRow c : chunks) byHour.computeIfAbsent(c.hour(), h -> new ArrayList<>()).add(c);
        long sealedAfter = s.sealedAfter().toNanos() / 1_000;
        var plans = new ArrayList<Plan>();
        for (var e : byHour.entrySet()) {
            long hour = e.getKey();
            if ((hour + 1) * StreamWriter.MICROS_PER_HOUR + sealedAfter > nowMicros || pendingHours.contains(hour)) continue;
            var small = e.getValue().stream()
                    .filter(c -> c.rows() < s.maxRowsPerChunk() / 2 && c.bytes() < s.maxBytesPerChunk() / 2).toList();
            if (small.size() < s.minChunks()) continue;
            var groups = new ArrayList<List<StreamCatalog.ChunkRow>>();
            var group = new ArrayList<StreamCatalog.ChunkRow>();
            long rows = 0;
            long bytes = 0;
            for (StreamCatalog.ChunkRow c : small) {
                if (!group.isEmpty() && (rows + c.rows() > s.maxRowsPerChunk() || bytes + c.bytes() > s.maxBytesPerChunk())) {
                    groups.add(group);
                    group = new ArrayList<>();
                    rows = 0;
                    bytes = 0;
                }
                group.add(c);
                rows += c.rows();
                bytes += c.bytes();
            }
            groups.add(group);
            groups.removeIf(g -> g.size() < 2);
            if (!groups.isEmpty()) plans.add(new Plan(hour, List.copyOf(groups)));
        }
        return plans;
    }

    /**
     * Merges one partition and commits it.
     *
     * @param stop asked between groups: when it says so, nothing is committed and the staged chunks are discarded
     * @return the figures, or null when nothing was committed: another process compacted the partition first, or
     *         the work was stopped
     */
    StreamCompaction compact(Target t, Plan plan, CompactionSettings s, BooleanSupplier stop, long nowMicros) {
        String flushId = UUID.randomUUID().toString();
        Map<Integer, byte[]> zoneMaps = catalog.zoneMapsOfHour(t.versionId(), plan.hour());
        for (var g : plan.groups()) {
            for (StreamCatalog.ChunkRow c : g) {
                if (!zoneMaps.containsKey(c.seq())) return null; // compacted meanwhile by another process
            }
        }
        ObjectStore.Staging staging = store.stage(flushId);
        boolean committed = false;
        try (staging) {
            var chunks = new ArrayList<StreamCatalog.NewChunk>();
            var replaced = new ArrayList<StreamCatalog.ChunkRow>();
            long bytesBefore = 0;
            long bytesAfter = 0;
            long rows = 0;
            int part = 0;
            for (var group : plan.groups()) {
                if (stop.getAsBoolean()) {
                    staging.discard();
                    return null;
                }
                StreamCatalog.NewChunk merged = merge(t, staging, flushId, part++, plan.hour(), group, zoneMaps);
                chunks.add(merged);
                replaced.addAll(group);
                for (StreamCatalog.ChunkRow c : group) bytesBefore += c.bytes();
                bytesAfter += merged.bytes();
                rows += merged.rows();
            }
            long deleteAfter = nowMicros + s.retireAfter().toNanos() / 1_000;
            boolean done = catalog.compact(new StreamCatalog.Compaction(t.datasetId(), t.versionId(), plan.hour(), flushId,
                    replaced, chunks, deleteAfter), nowMicros);
            if (!done) {
                staging.discard();
                return null;
            }
            committed = true;
            try {
                staging.publish();
            } catch (MaxException e) {
                // Committed is committed: reads find the chunks in the staging area, and the next start publishes them.
                LOG.warn("publishing a compaction of stream {} is left to the next start: {}", t.dataset(), e.code().code());
            }
            return new StreamCompaction(t.dataset(), 1, replaced.size(), chunks.size(), rows, bytesBefore, bytesAfter);
        } catch (RuntimeException e) {
            if (!committed) staging.discard();
            throw e;
        }
    }

    /** One group of chunks as one encrypted, sorted Parquet chunk in the staging area, with its sealed zone map. */
    private StreamCatalog.NewChunk merge(Target t, ObjectStore.Staging staging, String flushId, int part, long hour,
                                         List<StreamCatalog.ChunkRow> group, Map<Integer, byte[]> zoneMaps) {
        Path dir = scratch.newFile("-compact");
        Path out = scratch.newFile(".parquet");
        try {
            Files.createDirectory(dir);
            long started = System.nanoTime();
            long expected = 0;
            int i = 0;
            for (StreamCatalog.ChunkRow c : group) {
                Path plain = dir.resolve((i++) + ".parquet");
                String ad = StreamWriter.chunkContext(t.ingestId(), c.flushId(), c.part());
                try (InputStream in = t.key().decrypting(store.open(c.objectHash()), ad); OutputStream o = Files.newOutputStream(plain)) {
                    in.transferTo(o);
                }
                expected += c.rows();
            }
            long decrypted = System.nanoTime();
            long copied;
            try (Statement st = connection().createStatement()) {
                // Sorted as the writer sorts: one signal's values together, so they compress and prune by row group.
                st.execute("COPY (SELECT time, asset, tag, value, quality, source, sequence FROM read_parquet("
                        + SqlText.literal(dir.resolve("*.parquet").toString()) + ") ORDER BY asset, tag, time, source, sequence) TO "
                        + SqlText.literal(out.toString()) + " (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE " + ROW_GROUP_SIZE + ")");
                copied = rowsOf(st);
            } catch (SQLException e) {
                resetConnection();
                throw e;
            }
            if (copied != expected) {
                throw new IllegalStateException("compaction read " + copied + " rows of " + expected + " in stream " + t.dataset());
            }
            long written = System.nanoTime();
            String ad = StreamWriter.chunkContext(t.ingestId(), flushId, part);
            ObjectStore.StoredObject obj = staging.write(o -> {
                try (OutputStream enc = t.key().encrypting(o, ad)) {
                    Files.copy(out, enc);
                }
            });
            var maps = new ArrayList<ZoneMap>(group.size());
            for (StreamCatalog.ChunkRow c : group) {
                maps.add(ZoneMap.listFromBytes(t.key().open(zoneMaps.get(c.seq()),
                        StreamWriter.zoneMapContext(t.ingestId(), c.flushId(), c.part()))).get(0));
            }
            byte[] zoneMap = t.key().seal(ZoneMap.listToBytes(List.of(union(maps))), StreamWriter.zoneMapContext(t.ingestId(), flushId, part));
            LOG.debug("compacted {} chunks of {} rows: decrypt {} ms, sort and parquet {} ms, encrypt {} ms", group.size(), expected,
                    (decrypted - started) / 1_000_000, (written - decrypted) / 1_000_000, (System.nanoTime() - written) / 1_000_000);
            return new StreamCatalog.NewChunk(obj.hash(), expected, obj.bytes(), part, hour, zoneMap);
        } catch (IOException | SQLException e) {
            throw new MaxException(StoreError.IO, Location.dataset(t.dataset(), null), e, "stream compaction");
        } finally {
            Scratch.deleteTree(dir);
            Scratch.deleteQuietly(out);
        }
    }

    /** The rows a COPY wrote, as DuckDB reports them (an update count, or a one-row result). */
    private static long rowsOf(Statement st) throws SQLException {
        long n = st.getUpdateCount();
        if (n >= 0) return n;
        try (ResultSet rs = st.getResultSet()) {
            if (rs != null && rs.next()) return rs.getLong(1);
        }
        throw new SQLException("COPY reported no row count");
    }

    /** The zone map of merged chunks: the widest time and asset bounds, the union of the listed assets (if still few). */
    static ZoneMap union(List<ZoneMap> maps) {
        long tMin = Long.MAX_VALUE;
        long tMax = Long.MIN_VALUE;
        String aMin = null;
        String aMax = null;
        var assets = new TreeSet<String>(StreamWriter::compareUtf8);
        boolean listed = true;
        for (ZoneMap m : maps) {
            tMin = Math.min(tMin, m.timestampMin());
            tMax = Math.max(tMax, m.timestampMax());
            if (aMin == null || StreamWriter.compareUtf8(m.assetMin(), aMin) < 0) aMin = m.assetMin();
            if (aMax == null || StreamWriter.compareUtf8(m.assetMax(), aMax) > 0) aMax = m.assetMax();
            if (m.assets() == null) listed = false;
            else if (listed) assets.addAll(m.assets());
        }
        listed &= assets.size() <= ZoneMap.MAX_LISTED_ASSETS;
        return new ZoneMap(StreamWriter.TIME, tMin, tMax, StreamWriter.ASSET, aMin, aMax, listed ? List.copyOf(assets) : null);
    }

    private Connection connection() throws SQLException {
        // One thread: compaction is background work.
        if (duck == null) duck = kr.max.library.query.InMemoryDuckDb.open(1, "SET preserve_insertion_order = false");
        return duck;
    }

    private void resetConnection() {
        if (duck == null) return;
        try {
            duck.close();
        } catch (SQLException ignored) {
            // a fresh one is made at the next compaction
        }
        duck = null;
    }

    @Override
    public void close() {
        resetConnection();
    }
}
