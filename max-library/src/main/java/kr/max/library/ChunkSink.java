package kr.max.library;

import java.io.IOException;
import kr.max.library.query.SqlText;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.core.dictionary.ColumnRole;
import kr.max.core.dictionary.ColumnSpec;
import kr.max.core.dictionary.ColumnType;
import kr.max.core.dictionary.DataDictionary;
import kr.max.library.catalog.Chunk;
import kr.max.library.crypto.DataKey;
import kr.max.library.query.ZoneMap;
import kr.max.library.store.ObjectStore;
import kr.max.library.store.Scratch;
import kr.max.library.store.StoreError;

/**
 * Turns plaintext Parquet files that DuckDB wrote into scratch space into encrypted chunks of one
 * version: computes each file's zone map, encrypts it under the version's data key into the staging
 * area, and deletes the plaintext at once.
 *
 * <p>It also owns the layout of the chunks: small files (about {@code chunkBytes} each) so that a time
 * range reads little, and, on the Java path, rows spread over files by a hash of the asset so that one
 * asset's rows sit together (the DuckDB path leaves them in file order: see {@link DuckDbConversion}).
 */
final class ChunkSink {

    private static final int MAX_ROW_GROUP_SIZE = 65_536;
    /** Four buckets cost about 10 % of the Java path's speed; sixteen cost 25 % and gained no query time (measured). */
    private static final int MAX_BUCKETS = 4;
    /**
     * Chunks encrypted at once. Each is written and fsynced into the staging area: the threads wait on the disk more
     * than they compute (AES-GCM runs at gigabytes a second here), so more threads than cores.
     */
    private static final int ENCRYPTING_THREADS = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

    private final DataDictionary dictionary;
    private final DataKey key;
    private final ObjectStore.Staging staging;
    private final String ingestId;
    private final int tsIndex;
    private final int assetIndex;
    private final long chunkBytes;
    private final List<Chunk> chunks = new ArrayList<>();
    private final List<ZoneMap> zoneMaps = new ArrayList<>();
    long rows;
    long bytes;

    ChunkSink(DataDictionary dictionary, DataKey key, ObjectStore.Staging staging, String ingestId, long chunkBytes) {
        this.chunkBytes = chunkBytes;
        this.dictionary = dictionary;
        this.key = key;
        this.staging = staging;
        this.ingestId = ingestId;
        this.tsIndex = firstIndex(dictionary, ColumnRole.TIMESTAMP, ColumnType.TIMESTAMP);
        this.assetIndex = firstIndex(dictionary, ColumnRole.ASSET, ColumnType.STRING);
    }

    /**
     * The {@code COPY … TO} options that give the shared layout. {@code select} is the query whose rows
     * are written; the result must be used as {@code COPY (<result>) TO '<dir>' <options>}.
     *
     * @param distinctAssets how many distinct assets the caller expects (from a sample); decides the buckets
     */
    String[] layout(String select, long distinctAssets) {
        return layout(dictionary, chunkBytes, select, distinctAssets);
    }

    /** {@link #layout(String, long)} for a dictionary and chunk size, before any sink exists (a conversion ahead). */
    static String[] layout(DataDictionary dictionary, long chunkBytes, String select, long distinctAssets) {
        int assetIndex = firstIndex(dictionary, ColumnRole.ASSET, ColumnType.STRING);
        // DuckDB rotates files between row groups, so a file holds whole row groups: with 64 Ki rows a group of
        // sensor rows is about a chunk's size, a file one or two of them. Against 16 Ki rows this wrote 10 M rows
        // in 6.8 s instead of 8.6 s, a third smaller, and the one-asset-one-day query read 4 of 80 chunks as fast
        // as 5 of 204 (docs/benchmarks.md, session 4).
        long rowGroup = Math.max(1_024, Math.min(MAX_ROW_GROUP_SIZE, chunkBytes / 16));
        String base = "FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE " + rowGroup + ", FILE_SIZE_BYTES " + chunkBytes
                + ", OVERWRITE_OR_IGNORE true";
        int buckets = assetIndex < 0 ? 1 : (int) Math.min(MAX_BUCKETS, Math.max(1, distinctAssets));
        if (buckets <= 1) return new String[] {select, "(" + base + ")"};
        String asset = SqlText.identifier(dictionary.columns().get(assetIndex).name());
        // The bucket only places rows; pruning uses each chunk's own list of assets, so the hash
        // function may change between DuckDB versions without making any query wrong.
        String bucketed = "SELECT *, CAST(hash(" + asset + ") % " + buckets + " AS INTEGER) AS __max_bucket FROM (" + select + ")";
        return new String[] {bucketed, "(" + base + ", PARTITION_BY (__max_bucket))"};
    }

    /**
     * Encrypts every Parquet file under {@code dir} (in a stable order) as chunks, deleting each. Zone
     * maps come from one scan of the timestamp and asset columns of all files; files are encrypted
     * several at a time (ENCRYPTING_THREADS).
     */
    void addFiles(Connection duck, Path dir) {
        Map<String, Stats> stats;
        try {
            stats = scan(duck, dir, dictionary);
        } catch (SQLException e) {
            files(dir).forEach(Scratch::deleteQuietly);
            throw new MaxException(StoreError.IO, Location.NOWHERE, e, SqlText.firstLine(e.getMessage()));
        }
        addFiles(dir, stats);
    }

    /**
     * As {@link #addFiles(Connection, Path)}, with the zone maps of the files already scanned ({@link #scan}): a
     * conversion ahead scans them before the deposit is decided, so that only encryption is left after it.
     */
    void addFiles(Path dir, Map<String, Stats> stats) {
        List<Path> files = files(dir);
        if (files.isEmpty()) return;
        try {
            var tasks = new ArrayList<Task>();
            try (var pool = java.util.concurrent.Executors.newFixedThreadPool(ENCRYPTING_THREADS, Thread.ofPlatform().daemon().factory())) {
                for (Path file : files) {
                    Stats st = stats.get(file.toString());
                    if (st == null || st.count == 0) {
                        Scratch.deleteQuietly(file);
                        continue;
                    }
                    int seq = chunks.size() + tasks.size();
                    tasks.add(new Task(pool.submit(() -> encrypt(file, seq, st.count)), st.zoneMap));
                }
                for (var t : tasks) {
                    Chunk c = t.get();
                    chunks.add(c);
                    zoneMaps.add(t.zoneMap);
                    rows += c.rows();
                    bytes += c.bytes();
                }
            }
        } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
            throw encryptionFailed(e);
        } finally {
            files.forEach(Scratch::deleteQuietly);
        }
    }

    /**
     * As {@link #addFiles(Path, Map)}, encrypting the files while {@code checked} still reads them: the conversion's
     * type checks and zone-map scan (about half a second for 10 M rows) run beside the encryption instead of before
     * it. The files are deleted once both are done.
     *
     * @return false when the checks found that the sample's types do not hold ({@code checked} gives null): nothing
     *         is added and the encrypted copies are removed from the staging area, for the deposit to take another path
     */
    boolean addFilesWhileChecked(Path dir, java.util.concurrent.CompletableFuture<Map<String, Stats>> checked) {
        List<Path> files = files(dir);
        int first = chunks.size();
        var encrypted = new ArrayList<java.util.concurrent.Future<ObjectStore.StoredObject>>();
        var stored = new ArrayList<ObjectStore.StoredObject>();
        boolean added = false;
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(ENCRYPTING_THREADS, Thread.ofPlatform().daemon().factory())) {
            for (int i = 0; i < files.size(); i++) {
                Path file = files.get(i);
                int seq = first + i;
                encrypted.add(pool.submit(() -> encrypt(file, seq)));
            }
            Map<String, Stats> stats;
            try {
                stats = checked.join();
            } catch (java.util.concurrent.CompletionException e) {
                stats = null;
            }
            for (var f : encrypted) stored.add(f.get());
            if (stats == null) return false;
            for (int i = 0; i < files.size(); i++) {
                Stats st = stats.get(files.get(i).toString());
                ObjectStore.StoredObject obj = stored.get(i);
                if (st == null || st.count == 0) {
                    // (chunk numbers may then have a gap: a chunk is read by the number it was written with)
                    staging.remove(obj.hash());
                    continue;
                }
                chunks.add(new Chunk(first + i, obj.hash(), st.count, obj.bytes()));
                zoneMaps.add(st.zoneMap);
                rows += st.count;
                bytes += obj.bytes();
            }
            added = true;
            return true;
        } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
            throw encryptionFailed(e);
        } finally {
            if (!added) {
                // what was encrypted is not wanted: the version will not name it
                for (var f : encrypted) {
                    if (f.state() == java.util.concurrent.Future.State.SUCCESS) staging.remove(f.resultNow().hash());
                }
            }
            files.forEach(Scratch::deleteQuietly);
        }
    }

    /** What an encrypting thread's failure (or an interruption while waiting for one) is to the deposit. */
    private static MaxException encryptionFailed(Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return new MaxException(StoreError.IO, Location.NOWHERE, e, "interrupted");
        }
        if (e.getCause() instanceof MaxException me) return me;
        return new MaxException(StoreError.IO, Location.NOWHERE, e.getCause(), e.getCause().getClass().getSimpleName());
    }

    private record Task(java.util.concurrent.Future<Chunk> chunk, ZoneMap zoneMap) {
        Chunk get() throws InterruptedException, java.util.concurrent.ExecutionException {
            return chunk.get();
        }
    }

    private Chunk encrypt(Path file, int seq, long count) {
        try {
            ObjectStore.StoredObject obj = encrypt(file, seq);
            return new Chunk(seq, obj.hash(), count, obj.bytes());
        } finally {
            Scratch.deleteQuietly(file);
        }
    }

    /** Encrypts {@code file} into the staging area as chunk {@code seq}; the file stays. */
    private ObjectStore.StoredObject encrypt(Path file, int seq) {
        String ad = Deposit.chunkContext(ingestId, seq);
        return staging.write(out -> {
            try (OutputStream enc = key.encrypting(out, ad)) {
                Files.copy(file, enc);
            }
        });
    }

    /** A Parquet file's row count and zone map. */
    record Stats(long count, ZoneMap zoneMap) {
    }

    private static List<Path> files(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> p.toString().endsWith(".parquet")).sorted().toList();
        } catch (IOException e) {
            throw new MaxException(StoreError.IO, Location.NOWHERE, e, e.getClass().getSimpleName());
        }
    }

    /**
     * The row count and zone map of every Parquet file under {@code dir}, by file name, from one scan of the
     * timestamp and asset columns. Needs no key: the zone maps are sealed only when the version is committed.
     */
    static Map<String, Stats> scan(Connection duck, Path dir, DataDictionary dictionary) throws SQLException {
        return scan(duck, dir, dictionary, List.of(), new long[0]);
    }

    /**
     * As {@link #scan(Connection, Path, DataDictionary)}, computing in the same pass over the files the whole-file
     * aggregates {@code extra} (counts, so that they add up over files), whose totals land in {@code totals}: the
     * conversion's type checks read the same files, and one pass costs less than two.
     */
    static Map<String, Stats> scan(Connection duck, Path dir, DataDictionary dictionary, List<String> extra, long[] totals)
            throws SQLException {
        if (files(dir).isEmpty()) return Map.of();
        int tsIndex = firstIndex(dictionary, ColumnRole.TIMESTAMP, ColumnType.TIMESTAMP);
        int assetIndex = firstIndex(dictionary, ColumnRole.ASSET, ColumnType.STRING);
        String tsName = tsIndex < 0 ? null : dictionary.columns().get(tsIndex).name();
        String assetName = assetIndex < 0 ? null : dictionary.columns().get(assetIndex).name();
        String ts = tsName == null ? null : SqlText.identifier(tsName);
        String asset = assetName == null ? null : SqlText.identifier(assetName);
        String sql = "SELECT __max_file, count(*), " + (ts == null ? "NULL, NULL" : "epoch_us(min(" + ts + ")), epoch_us(max(" + ts + "))")
                + ", " + (asset == null ? "NULL, NULL, NULL"
                : "min(" + asset + "), max(" + asset + "), CASE WHEN count(DISTINCT " + asset + ") <= " + ZoneMap.MAX_LISTED_ASSETS
                + " THEN list(DISTINCT " + asset + " ORDER BY " + asset + ") END")
                + (extra.isEmpty() ? "" : ", " + String.join(", ", extra))
                + " FROM read_parquet(" + SqlText.literal(dir.resolve("**").resolve("*.parquet").toString())
                + ", filename = '__max_file', hive_partitioning = false) GROUP BY __max_file";
        var out = new HashMap<String, Stats>();
        try (Statement st = duck.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                long tMin = rs.getLong(3);
                Long tMinV = rs.wasNull() ? null : tMin;
                long tMax = rs.getLong(4);
                Long tMaxV = rs.wasNull() ? null : tMax;
                List<String> assets = null;
                java.sql.Array list = rs.getArray(7);
                if (list != null) {
                    assets = Arrays.stream((Object[]) list.getArray()).filter(java.util.Objects::nonNull).map(Object::toString).toList();
                }
                out.put(rs.getString(1), new Stats(rs.getLong(2),
                        new ZoneMap(tsName, tMinV, tMaxV, assetName, rs.getString(5), rs.getString(6), assets)));
                for (int i = 0; i < extra.size(); i++) totals[i] += rs.getLong(8 + i);
            }
        }
        return out;
    }

    List<Chunk> chunks() {
        return List.copyOf(chunks);
    }

    /** The chunks' zone maps in chunk order, sealed under the version's data key. */
    byte[] sealedZoneMaps() {
        return key.seal(ZoneMap.listToBytes(zoneMaps), "zonemaps:" + ingestId);
    }

    String assetColumn() {
        return assetIndex < 0 ? null : dictionary.columns().get(assetIndex).name();
    }

    private static int firstIndex(DataDictionary d, ColumnRole role, ColumnType type) {
        for (int i = 0; i < d.columns().size(); i++) {
            ColumnSpec c = d.columns().get(i);
            if (c.role() == role && c.type() == type) return i;
        }
        return -1;
    }
}
