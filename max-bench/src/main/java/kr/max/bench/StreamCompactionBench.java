package kr.max.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import kr.max.core.Classification;
import kr.max.core.Principal;
import kr.max.library.Library;
import kr.max.library.LibraryConfig;
import kr.max.library.crypto.MasterKey;
import kr.max.library.query.QueryEngine;
import kr.max.library.query.ResultSink;
import kr.max.library.stream.CompactionSettings;
import kr.max.library.stream.StreamAppender;
import kr.max.library.stream.StreamCompaction;
import kr.max.library.stream.StreamSample;

/**
 * Compaction of a stream dataset (decision 0020): builds a stream with many small chunks in sealed hours — each flush
 * writes one chunk per hour it touches, as a stream at a 1 s flush does — then times a one-hour and a whole-range
 * aggregate query through {@code Library.query} before and after {@code Streams.compact}. Each query is timed cold
 * (the first run, which decrypts the chunks it reads) and warm (median of {@code --repeats} runs over the decrypted
 * chunk cache), and the rows of both are checked to be the same before and after.
 *
 * <p>Usage: {@code max-bench/run stream-compaction [--chunks N] [--hours N] [--rows-per-chunk N] [--repeats N] [--work DIR]}.
 * Defaults: 20,000 chunks over 4 hours, 50 rows a chunk, 5 repeats.
 */
public final class StreamCompactionBench {

    private StreamCompactionBench() {
    }

    public static void main(String[] args) throws Exception {
        int chunks = 20_000;
        int hours = 4;
        int rowsPerChunk = 50;
        int repeats = 5;
        Path work = Path.of("target", "bench-stream-compaction");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--chunks" -> chunks = Integer.parseInt(args[++i].replace("_", ""));
                case "--hours" -> hours = Integer.parseInt(args[++i]);
                case "--rows-per-chunk" -> rowsPerChunk = Integer.parseInt(args[++i].replace("_", ""));
                case "--repeats" -> repeats = Integer.parseInt(args[++i]);
                case "--work" -> work = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path home = work.resolve("home-" + System.currentTimeMillis());
        Files.createDirectories(work);
        Principal me = Principal.localOperator();
        String dataset = "bench/compaction";
        // Hours long past, so that all of them are sealed.
        Instant start = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(hours + 24));
        try (Library lib = Library.open(LibraryConfig.embedded(home, MasterKey.of("compaction bench master secret 01")))) {
            // Built first, compacted only when asked: the background stays off.
            lib.streams().configureCompaction(CompactionSettings.DEFAULT.withEvery(Duration.ZERO));
            lib.streams().create(me, dataset, Classification.INTERNAL);
            long t0 = System.nanoTime();
            int flushes = chunks / hours;
            try (StreamAppender a = lib.streams().appender(me, dataset, "edge-1", Duration.ofHours(1))) {
                long seq = 0;
                for (int f = 0; f < flushes; f++) {
                    var batch = new ArrayList<StreamSample>(hours * rowsPerChunk);
                    for (int i = 0; i < hours * rowsPerChunk; i++, seq++) batch.add(sample(seq, start, hours, flushes, rowsPerChunk));
                    a.append(batch);
                    a.flush();
                    if ((f + 1) % 500 == 0) System.err.printf(Locale.ROOT, "built %,d of %,d chunks%n", (f + 1) * hours, flushes * hours);
                }
            }
            double buildSeconds = (System.nanoTime() - t0) / 1e9;
            long rows = (long) flushes * hours * rowsPerChunk;
            System.out.printf(Locale.ROOT, "stream of %,d rows in %,d chunks over %d sealed hours (%d rows a chunk), built in %.1f s%n",
                    rows, flushes * hours, hours, rowsPerChunk, buildSeconds);

            Instant h = start.plus(Duration.ofHours(hours / 2));
            String table = "\"" + dataset + "\"";
            String oneHour = "SELECT asset, tag, count(*), avg(value), min(value), max(value) FROM " + table
                    + " WHERE time >= TIMESTAMPTZ '" + h + "' AND time < TIMESTAMPTZ '" + h.plus(Duration.ofHours(1)) + "' GROUP BY ALL ORDER BY ALL";
            String wholeRange = "SELECT date_trunc('hour', time) AS hour, asset, count(*), avg(value), max(value) FROM " + table
                    + " GROUP BY ALL ORDER BY ALL";

            Timed hourBefore = time(lib, me, oneHour, repeats);
            Timed rangeBefore = time(lib, me, wholeRange, repeats);
            long bytesBefore = lib.show(me, dataset, 0).versions().getFirst().bytes();

            long c0 = System.nanoTime();
            StreamCompaction done = lib.streams().compact(me, dataset);
            double compactSeconds = (System.nanoTime() - c0) / 1e9;
            System.out.printf(Locale.ROOT, "compacted %d partitions: %,d chunks into %,d in %.1f s (%,.0f rows/s); stored %.1f MiB → %.1f MiB%n",
                    done.partitions(), done.chunksBefore(), done.chunksAfter(), compactSeconds, done.rows() / compactSeconds,
                    bytesBefore / 1048576.0, lib.show(me, dataset, 0).versions().getFirst().bytes() / 1048576.0);

            Timed hourAfter = time(lib, me, oneHour, repeats);
            Timed rangeAfter = time(lib, me, wholeRange, repeats);
            if (!hourAfter.rows.equals(hourBefore.rows) || !rangeAfter.rows.equals(rangeBefore.rows)) {
                throw new IllegalStateException("the rows differ after compaction");
            }
            System.out.println("query                  chunks read/total   cold ms   warm ms (median of " + repeats + ")");
            report("one hour, before", hourBefore);
            report("one hour, after", hourAfter);
            report("whole range, before", rangeBefore);
            report("whole range, after", rangeAfter);
            System.out.printf(Locale.ROOT, "after / before: one hour cold %.2f, warm %.2f; whole range cold %.2f, warm %.2f (same rows)%n",
                    hourAfter.coldMs / hourBefore.coldMs, hourAfter.warmMs / hourBefore.warmMs,
                    rangeAfter.coldMs / rangeBefore.coldMs, rangeAfter.warmMs / rangeBefore.warmMs);
        }
    }

    /**
     * Sample {@code seq} of flush {@code seq / (hours × rowsPerChunk)}: each flush puts {@code rowsPerChunk} rows into
     * every hour, later flushes later in the hour, 10 assets × 5 tags.
     */
    static StreamSample sample(long seq, Instant start, int hours, int flushes, int rowsPerChunk) {
        long perFlush = (long) hours * rowsPerChunk;
        long flush = seq / perFlush;
        long inFlush = seq % perFlush;
        long hour = inFlush % hours;
        long micros = flush * 3_600_000_000L / flushes + inFlush / hours;
        String[] tags = {"barrel_temp", "injection_pressure", "screw_speed", "mold_temp", "cycle_time"};
        return new StreamSample(seq, start.plus(Duration.ofHours(hour)).plus(micros, ChronoUnit.MICROS),
                "gangnam/molding/line-1/imm-" + (seq % 10), tags[(int) (seq / 10 % tags.length)], 200 + (seq % 977) * 0.25, "GOOD");
    }

    /** A query's first (cold) and median warm time, its chunks, and its rows (to compare before and after). */
    private record Timed(double coldMs, double warmMs, int chunksRead, int chunksTotal, List<List<Object>> rows) {
    }

    private static Timed time(Library lib, Principal me, String sql, int repeats) {
        var rows = new ArrayList<List<Object>>();
        long t = System.nanoTime();
        QueryEngine.QueryStats stats = lib.query(me, sql, new ResultSink() {
            @Override
            public void columns(List<String> names, List<String> sqlTypes) {
            }

            @Override
            public void row(Object[] values) {
                var r = new ArrayList<Object>(values.length);
                // averages of the same values may differ in the last bits with the order DuckDB adds them in
                for (Object v : values) r.add(v instanceof Double d ? Math.round(d * 1e6) / 1e6 : v);
                rows.add(r);
            }
        });
        double cold = (System.nanoTime() - t) / 1e6;
        double[] warm = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long w = System.nanoTime();
            lib.query(me, sql, new ResultSink() {
                @Override
                public void columns(List<String> names, List<String> sqlTypes) {
                }

                @Override
                public void row(Object[] values) {
                }
            });
            warm[i] = (System.nanoTime() - w) / 1e6;
        }
        Arrays.sort(warm);
        return new Timed(cold, repeats == 0 ? Double.NaN : warm[repeats / 2], stats.chunksRead(), stats.chunksTotal(), rows);
    }

    private static void report(String name, Timed t) {
        System.out.printf(Locale.ROOT, "%-22s %7d/%-9d %9.0f %9.0f%n", name, t.chunksRead, t.chunksTotal, t.coldMs, t.warmMs);
    }
}
