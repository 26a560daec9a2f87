package kr.max.library.stream;

import java.time.Duration;

/**
 * How {@link Streams} compacts stream datasets (decision 0020): which hour partitions count as sealed, when one is
 * worth merging, how large a merged chunk may grow, how long replaced chunks stay readable, and how often the
 * background runs.
 *
 * @param sealedAfter      an hour partition is sealed once it ended at least this long ago (one hour by default: the
 *                         current hour and the one before are left alone)
 * @param minChunks        a sealed partition is merged when it holds at least this many small chunks
 * @param maxRowsPerChunk  a merged chunk holds at most this many rows; a chunk with half as many counts as merged
 * @param maxBytesPerChunk a merged chunk is made of chunks of at most this many bytes together (the plaintext
 *                         Parquet is about as large as the encrypted object); a chunk of half as many counts as merged
 * @param retireAfter      how long a replaced chunk's object stays readable for queries that listed it before the
 *                         compaction committed; then it is deleted
 * @param every            how often the background compaction looks at the streams this process writes;
 *                         {@link Duration#ZERO} turns it off (on-demand compaction still runs)
 * @param partitionsPerRun at most this many partitions are merged per background run, so it stays a modest load
 */
public record CompactionSettings(Duration sealedAfter, int minChunks, long maxRowsPerChunk, long maxBytesPerChunk,
                                 Duration retireAfter, Duration every, int partitionsPerRun) {

    /** One hour sealed, 8 small chunks, 2,000,000 rows or 64 MiB a chunk, 15 minutes retired, every minute, 4 partitions. */
    public static final CompactionSettings DEFAULT = new CompactionSettings(Duration.ofHours(1), 8, 2_000_000, 64L << 20,
            Duration.ofMinutes(15), Duration.ofMinutes(1), 4);

    public CompactionSettings {
        if (sealedAfter == null || sealedAfter.isNegative()) throw new IllegalArgumentException("sealedAfter " + sealedAfter);
        if (minChunks < 2) throw new IllegalArgumentException("minChunks " + minChunks);
        if (maxRowsPerChunk < 2) throw new IllegalArgumentException("maxRowsPerChunk " + maxRowsPerChunk);
        if (maxBytesPerChunk < 2) throw new IllegalArgumentException("maxBytesPerChunk " + maxBytesPerChunk);
        if (retireAfter == null || retireAfter.isNegative()) throw new IllegalArgumentException("retireAfter " + retireAfter);
        if (every == null || every.isNegative()) throw new IllegalArgumentException("every " + every);
        if (partitionsPerRun < 1) throw new IllegalArgumentException("partitionsPerRun " + partitionsPerRun);
    }

    public CompactionSettings withSealedAfter(Duration d) {
        return new CompactionSettings(d, minChunks, maxRowsPerChunk, maxBytesPerChunk, retireAfter, every, partitionsPerRun);
    }

    public CompactionSettings withMinChunks(int n) {
        return new CompactionSettings(sealedAfter, n, maxRowsPerChunk, maxBytesPerChunk, retireAfter, every, partitionsPerRun);
    }

    public CompactionSettings withMaxRowsPerChunk(long n) {
        return new CompactionSettings(sealedAfter, minChunks, n, maxBytesPerChunk, retireAfter, every, partitionsPerRun);
    }

    public CompactionSettings withMaxBytesPerChunk(long n) {
        return new CompactionSettings(sealedAfter, minChunks, maxRowsPerChunk, n, retireAfter, every, partitionsPerRun);
    }

    public CompactionSettings withRetireAfter(Duration d) {
        return new CompactionSettings(sealedAfter, minChunks, maxRowsPerChunk, maxBytesPerChunk, d, every, partitionsPerRun);
    }

    public CompactionSettings withEvery(Duration d) {
        return new CompactionSettings(sealedAfter, minChunks, maxRowsPerChunk, maxBytesPerChunk, retireAfter, d, partitionsPerRun);
    }

    public CompactionSettings withPartitionsPerRun(int n) {
        return new CompactionSettings(sealedAfter, minChunks, maxRowsPerChunk, maxBytesPerChunk, retireAfter, every, n);
    }
}
