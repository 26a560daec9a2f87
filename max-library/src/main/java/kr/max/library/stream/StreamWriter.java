package kr.max.library.stream;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.library.catalog.Catalog;
import kr.max.library.crypto.DataKey;
import kr.max.library.query.SqlText;
import kr.max.library.query.ZoneMap;
import kr.max.library.store.ObjectStore;
import kr.max.library.store.Scratch;
import kr.max.library.store.StoreError;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The writer of one stream dataset in this process, shared by all its appenders: samples of every source wait in
 * one buffer, and a flush turns the buffer into one encrypted Parquet chunk per hour partition it touches and
 * commits them, with every source's new mark, in one catalog transaction. One writer per dataset keeps the chunk
 * count at about one per flush interval and hour, however many sources feed it.
 *
 * <p>Deduplication happens on arrival against the highest sequence accepted per source (committed or waiting),
 * so a replay costs nothing further. A flush that fails puts its samples back at the head of the buffer; the next
 * flush tries them again. Plaintext exists only in memory and in the memory-backed scratch file DuckDB writes,
 * deleted as soon as it is encrypted.
 */
final class StreamWriter {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StreamWriter.class);

    static final String TIME = "time";
    static final String ASSET = "asset";
    static final long MICROS_PER_HOUR = 3_600_000_000L;
    /** Above this many waiting samples an append flushes itself: a slow store slows the sources, memory stays bounded. */
    private static final int MAX_BUFFERED = 1_000_000;
    private static final long RETRY_NANOS = 1_000_000_000L;
    private static final int ROW_GROUP_SIZE = 65_536;

    /** A sample waiting for a flush, with the appender that took it (for its counts). */
    record Pending(String source, StreamSample sample, StreamAppender owner) {
    }

    private static final class Source {
        long committed;
        long accepted;

        Source(long mark) {
            committed = mark;
            accepted = mark;
        }
    }

    private final StreamCatalog catalog;
    private final ObjectStore store;
    private final Scratch scratch;
    private final DataKey key;
    private final String ingestId;
    final String dataset;
    final long datasetId;
    final long versionId;

    private final Object bufferLock = new Object();
    private final Object flushLock = new Object();
    private final Map<String, Source> sources = new HashMap<>();
    private ArrayList<Pending> buffer = new ArrayList<>();
    /** Hour partitions of the flush being committed now; guarded by {@code bufferLock}. */
    private Set<Long> flushing = Set.of();
    private long dueAt = Long.MAX_VALUE;
    private RuntimeException dead;
    private int users;
    private Connection duck;

    StreamWriter(StreamCatalog catalog, ObjectStore store, Scratch scratch, DataKey key, String ingestId, String dataset,
                 long datasetId, long versionId) {
        this.catalog = catalog;
        this.store = store;
        this.scratch = scratch;
        this.key = key;
        this.ingestId = ingestId;
        this.dataset = dataset;
        this.datasetId = datasetId;
        this.versionId = versionId;
    }

    /** Associated data of a stream chunk: binds it to its version, flush and place, so chunks cannot be swapped. */
    static String chunkContext(String ingestId, String flushId, int part) {
        return "stream-chunk:" + ingestId + ":" + flushId + ":" + part;
    }

    static String zoneMapContext(String ingestId, String flushId, int part) {
        return "stream-zonemap:" + ingestId + ":" + flushId + ":" + part;
    }

    /** For compaction: the version's data key and ingest id, as this writer uses them. */
    DataKey key() {
        return key;
    }

    String ingestId() {
        return ingestId;
    }

    /** For compaction: the hour partitions that samples waiting here, or being flushed now, will add chunks to. */
    Set<Long> pendingHours() {
        synchronized (bufferLock) {
            var hours = new HashSet<Long>(flushing);
            for (Pending p : buffer) hours.add(hourOf(p.sample()));
            return hours;
        }
    }

    // ---- users (appenders), counted so the last one to leave closes the writer ----

    synchronized void retain() {
        users++;
    }

    /** @return whether that was the last user */
    synchronized boolean release() {
        return --users == 0;
    }

    // ---- arrival ----

    /** The source's mark, loading it from the catalog the first time the source is seen here. */
    long committed(String source) {
        synchronized (bufferLock) {
            return sources.computeIfAbsent(source, s -> new Source(catalog.mark(datasetId, s))).committed;
        }
    }

    /**
     * Takes validated samples of one source (sequences strictly growing): those above the source's accepted mark
     * wait for the next flush, the others are replays. Flushes inline when the buffer is full.
     *
     * @return how many were replays (dropped)
     */
    int offer(StreamAppender owner, String source, List<StreamSample> samples, long intervalNanos) {
        int duplicates = 0;
        boolean full;
        synchronized (bufferLock) {
            if (dead != null) throw dead;
            Source st = sources.computeIfAbsent(source, s -> new Source(catalog.mark(datasetId, s)));
            for (StreamSample s : samples) {
                if (s.sequence() <= st.accepted) {
                    duplicates++;
                    continue;
                }
                buffer.add(new Pending(source, s, owner));
                st.accepted = s.sequence();
            }
            if (duplicates < samples.size()) dueAt = Math.min(dueAt, System.nanoTime() + intervalNanos);
            full = buffer.size() >= MAX_BUFFERED;
        }
        if (full) flush();
        return duplicates;
    }

    // ---- flushing ----

    /** Flushes when the oldest waiting sample's interval has passed; called by the library's flush thread. */
    void flushIfDue(long nowNanos) {
        synchronized (bufferLock) {
            if (dueAt > nowNanos || dead != null) return;
        }
        try {
            flush();
        } catch (RuntimeException e) {
            // The samples are back in the buffer; the appenders meet the failure at their own flush or close.
            LOG.warn("flush of stream {} failed, retrying: {}", dataset, e instanceof MaxException me ? me.code().code()
                    : e.getClass().getSimpleName());
            synchronized (bufferLock) {
                if (!buffer.isEmpty()) dueAt = Math.max(dueAt, nowNanos + RETRY_NANOS);
            }
        }
    }

    /** Commits everything waiting now; returns once it is committed (or throws, leaving it waiting). */
    void flush() {
        synchronized (flushLock) {
            List<Pending> batch;
            synchronized (bufferLock) {
                if (dead != null) throw dead;
                batch = buffer;
                buffer = new ArrayList<>();
                dueAt = Long.MAX_VALUE;
            }
            if (batch.isEmpty()) return;
            try {
                commit(batch);
            } catch (MaxException e) {
                synchronized (bufferLock) {
                    if (e.code() == StreamError.DATASET_GONE || e.code() == kr.max.library.crypto.CryptoError.KEY_DESTROYED) {
                        dead = new MaxException(StreamError.DATASET_GONE, Location.dataset(dataset, null), dataset);
                        buffer.clear();
                        throw dead;
                    }
                    putBack(batch);
                }
                throw e;
            } catch (RuntimeException e) {
                synchronized (bufferLock) {
                    putBack(batch);
                }
                throw e;
            } finally {
                synchronized (bufferLock) {
                    flushing = Set.of();
                }
            }
        }
    }

    private void putBack(List<Pending> batch) {
        var merged = new ArrayList<Pending>(batch.size() + buffer.size());
        merged.addAll(batch);
        merged.addAll(buffer);
        buffer = merged;
        dueAt = Math.min(dueAt, System.nanoTime() + RETRY_NANOS);
    }

    private void commit(List<Pending> batch) {
        List<Pending> rows = batch;
        while (true) {
            var marks = new HashMap<String, Long>();
            var expected = new HashMap<String, Long>();
            synchronized (bufferLock) {
                for (Pending p : rows) {
                    marks.merge(p.source(), p.sample().sequence(), Math::max);
                    expected.putIfAbsent(p.source(), sources.get(p.source()).committed);
                }
            }
            String flushId = UUID.randomUUID().toString();
            var byHour = new TreeMap<Long, List<Pending>>();
            for (Pending p : rows) byHour.computeIfAbsent(hourOf(p.sample()), h -> new ArrayList<>()).add(p);
            synchronized (bufferLock) {
                flushing = Set.copyOf(byHour.keySet());
            }
            ObjectStore.Staging staging = store.stage(flushId);
            boolean committed = false;
            try (staging) {
                var chunks = new ArrayList<StreamCatalog.NewChunk>();
                var partsOf = new IdentityHashMap<StreamAppender, Integer>();
                int part = 0;
                for (var e : byHour.entrySet()) {
                    chunks.add(writeChunk(staging, flushId, part++, e.getKey(), e.getValue()));
                    var owners = java.util.Collections.newSetFromMap(new IdentityHashMap<StreamAppender, Boolean>());
                    for (Pending p : e.getValue()) owners.add(p.owner());
                    for (StreamAppender o : owners) partsOf.merge(o, 1, Integer::sum);
                }
                var outcome = catalog.commit(new StreamCatalog.Flush(datasetId, versionId, flushId, chunks, expected, marks),
                        Catalog.micros(java.time.Instant.now()));
                if (!outcome.committed()) {
                    staging.discard();
                    rows = afterConflict(rows, outcome.currentMarks());
                    if (rows.isEmpty()) return;
                    continue;
                }
                committed = true;
                synchronized (bufferLock) {
                    marks.forEach((s, m) -> sources.get(s).committed = m);
                }
                var counted = new IdentityHashMap<StreamAppender, Long>();
                for (Pending p : rows) counted.merge(p.owner(), 1L, Long::sum);
                counted.forEach((o, n) -> o.committed(n, partsOf.getOrDefault(o, 0)));
                try {
                    staging.publish();
                } catch (MaxException e) {
                    // Committed is committed: reads find the chunks in the staging area, and the next start publishes them.
                    LOG.warn("publishing a flush of stream {} is left to the next start: {}", dataset, e.code().code());
                }
                return;
            } catch (RuntimeException e) {
                if (!committed) staging.discard();
                throw e;
            }
        }
    }

    /** Another process advanced some sources: what it committed is now a replay here. */
    private List<Pending> afterConflict(List<Pending> rows, Map<String, Long> current) {
        synchronized (bufferLock) {
            current.forEach((s, m) -> {
                Source st = sources.get(s);
                st.committed = m;
                st.accepted = Math.max(st.accepted, m);
            });
        }
        var kept = new ArrayList<Pending>(rows.size());
        for (Pending p : rows) {
            Long m = current.get(p.source());
            if (m == null || p.sample().sequence() > m) {
                kept.add(p);
            } else {
                p.owner().replayedElsewhere();
            }
        }
        return kept;
    }

    static long hourOf(StreamSample s) {
        return Math.floorDiv(Catalog.micros(s.time()), MICROS_PER_HOUR);
    }

    /** One hour's samples of a flush as one encrypted Parquet chunk in the staging area, with its sealed zone map. */
    private StreamCatalog.NewChunk writeChunk(ObjectStore.Staging staging, String flushId, int part, long hour,
                                              List<Pending> rows) {
        Path file = scratch.newFile(".parquet");
        try {
            long started = System.nanoTime();
            Connection c = connection();
            try (DuckDBAppender app = c.unwrap(DuckDBConnection.class).createAppender("main", "samples")) {
                for (Pending p : rows) {
                    StreamSample s = p.sample();
                    app.beginRow();
                    app.appendEpochMicros(Catalog.micros(s.time()));
                    app.append(s.asset());
                    app.append(s.tag());
                    if (Double.isFinite(s.value())) {
                        app.append(s.value());
                    } else {
                        app.appendNull();
                    }
                    if (s.quality() == null) {
                        app.appendNull();
                    } else {
                        app.append(s.quality());
                    }
                    app.append(p.source());
                    app.append(s.sequence());
                    app.endRow();
                }
            }
            long appended = System.nanoTime();
            try (Statement st = c.createStatement()) {
                // Sorted by asset and tag: one signal's values sit together, compress well and prune by row group.
                st.execute("COPY (SELECT * FROM samples ORDER BY asset, tag, time, source, sequence) TO "
                        + SqlText.literal(file.toString()) + " (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE "
                        + ROW_GROUP_SIZE + ")");
                st.execute("DELETE FROM samples");
            }
            long written = System.nanoTime();
            String ad = chunkContext(ingestId, flushId, part);
            ObjectStore.StoredObject obj = staging.write(out -> {
                try (OutputStream enc = key.encrypting(out, ad)) {
                    Files.copy(file, enc);
                }
            });
            byte[] zoneMap = key.seal(ZoneMap.listToBytes(List.of(zoneMap(rows))), zoneMapContext(ingestId, flushId, part));
            LOG.debug("stream chunk of {} rows: append {} us, parquet {} us, encrypt {} us", rows.size(), (appended - started) / 1_000,
                    (written - appended) / 1_000, (System.nanoTime() - written) / 1_000);
            return new StreamCatalog.NewChunk(obj.hash(), rows.size(), obj.bytes(), part, hour, zoneMap);
        } catch (SQLException e) {
            resetConnection();
            throw new MaxException(StoreError.IO, Location.dataset(dataset, null), e, "stream chunk");
        } finally {
            Scratch.deleteQuietly(file);
        }
    }

    static ZoneMap zoneMap(List<Pending> rows) {
        long tMin = Long.MAX_VALUE;
        long tMax = Long.MIN_VALUE;
        // Distinct assets first (a handful per flush), then the UTF-8 order among them only.
        var distinct = new java.util.HashSet<String>();
        for (Pending p : rows) {
            long t = Catalog.micros(p.sample().time());
            tMin = Math.min(tMin, t);
            tMax = Math.max(tMax, t);
            distinct.add(p.sample().asset());
        }
        var sorted = new TreeSet<String>(StreamWriter::compareUtf8);
        sorted.addAll(distinct);
        return new ZoneMap(TIME, tMin, tMax, ASSET, sorted.first(), sorted.last(),
                sorted.size() > ZoneMap.MAX_LISTED_ASSETS ? null : List.copyOf(sorted));
    }

    /** DuckDB orders VARCHAR by UTF-8 bytes; zone maps compare the same way. */
    static int compareUtf8(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private Connection connection() throws SQLException {
        if (duck == null) {
            duck = kr.max.library.query.InMemoryDuckDb.open(1, "CREATE TABLE samples (time TIMESTAMPTZ, asset VARCHAR, tag VARCHAR,"
                    + " value DOUBLE, quality VARCHAR, source VARCHAR, sequence BIGINT)");
        }
        return duck;
    }

    private void resetConnection() {
        if (duck == null) return;
        try {
            duck.close();
        } catch (SQLException ignored) {
            // a fresh one is made at the next flush
        }
        duck = null;
    }

    /** Flushes what waits and closes; what cannot be committed is lost to this process (the source may resend it). */
    void close() {
        try {
            flush();
        } finally {
            synchronized (flushLock) {
                resetConnection();
            }
        }
    }

    /** Stops at once: the dataset was deleted. */
    void abandon() {
        synchronized (bufferLock) {
            dead = new MaxException(StreamError.DATASET_GONE, Location.dataset(dataset, null), dataset);
            buffer.clear();
        }
        synchronized (flushLock) {
            resetConnection();
        }
    }
}
