package kr.max.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import kr.max.core.Classification;
import kr.max.core.Principal;
import kr.max.library.Library;
import kr.max.library.LibraryConfig;
import kr.max.library.crypto.MasterKey;
import kr.max.library.query.ResultSink;
import kr.max.library.stream.StreamAppender;
import kr.max.library.stream.StreamSample;

/**
 * Stream datasets under load (issue 6): several sources append samples into one stream dataset as fast as the
 * library takes them, while a reader polls the query path for what has become visible. Prints the sustained rate
 * (samples committed per second, first append to last commit) and the append-to-queryable latency of each batch
 * (p50, p99, max), measured through {@code Library.query} as a user would see it — so it includes the flush
 * interval, the flush itself and the reader's poll period (100 ms).
 *
 * <p>Usage: {@code max-bench/run streams [--samples N] [--sources N] [--batch N] [--flush-ms N] [--rate N] [--work DIR]}.
 * {@code --rate} caps the offered load in samples per second (all sources together); 0, the default, offers as
 * fast as the appenders take.
 */
public final class StreamBench {

    private StreamBench() {
    }

    public static void main(String[] args) throws Exception {
        long total = 2_000_000;
        int sources = 4;
        int batch = 1_000;
        long flushMs = 1_000;
        long rate = 0;
        Path work = Path.of("target", "bench-streams");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--samples" -> total = Long.parseLong(args[++i].replace("_", ""));
                case "--sources" -> sources = Integer.parseInt(args[++i]);
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--flush-ms" -> flushMs = Long.parseLong(args[++i]);
                case "--rate" -> rate = Long.parseLong(args[++i].replace("_", ""));
                case "--work" -> work = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path home = work.resolve("home-" + System.currentTimeMillis());
        Files.createDirectories(work);
        Principal me = Principal.localOperator();
        String dataset = "bench/stream";
        try (Library lib = Library.open(LibraryConfig.embedded(home, MasterKey.of("stream bench master secret 0123")))) {
            lib.streams().create(me, dataset, Classification.INTERNAL);
            warmUp(lib, me);
            long perSource = total / sources;
            // per source: the append time of each batch, by its last sequence
            var appendedAt = new ArrayList<ConcurrentSkipListMap<Long, Long>>();
            for (int s = 0; s < sources; s++) appendedAt.add(new ConcurrentSkipListMap<>());
            var latencies = new ConcurrentHashMap<String, Long>();
            var done = new AtomicBoolean();
            int nSources = sources;
            long[] readerCpu = new long[1];
            Thread reader = Thread.ofPlatform().name("reader").start(() -> {
                poll(lib, me, dataset, nSources, appendedAt, latencies, done);
                readerCpu[0] = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            });
            var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            var threads = java.lang.management.ManagementFactory.getThreadMXBean();
            long cpu0 = os.getProcessCpuTime();
            long[] sideCpu = new long[1];
            long t0 = System.nanoTime();
            var producers = new ArrayList<Thread>();
            var appenders = new ArrayList<StreamAppender>();
            long perSourceRate = rate / sources;
            for (int s = 0; s < sources; s++) {
                StreamAppender a = lib.streams().appender(me, dataset, "src-" + s, Duration.ofMillis(flushMs));
                appenders.add(a);
                int source = s;
                int batchSize = batch;
                producers.add(Thread.ofPlatform().name("source-" + s).start(() -> {
                    produce(a, source, perSource, batchSize, perSourceRate, t0, appendedAt.get(source));
                    synchronized (sideCpu) {
                        sideCpu[0] += threads.getCurrentThreadCpuTime();
                    }
                }));
            }
            for (Thread p : producers) p.join();
            long appendedNanos = System.nanoTime() - t0;
            for (StreamAppender a : appenders) a.flush();
            long committedNanos = System.nanoTime() - t0;
            long cpu = os.getProcessCpuTime() - cpu0;
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (latencies.size() < expectedBatches(perSource, batch) * sources && System.nanoTime() < deadline) Thread.sleep(50);
            done.set(true);
            reader.join();
            long chunks = 0;
            for (StreamAppender a : appenders) {
                chunks = Math.max(chunks, a.counts().chunks());
                a.close();
            }
            // The producers' own work (making samples) and the reader's queries are the bench's, not the ingest's; the
            // reader's CPU is counted until it stopped, a little after the last commit, so the ingest figure is a floor.
            long ingestCpu = cpu - sideCpu[0] - readerCpu[0];
            long[] lat = latencies.values().stream().mapToLong(Long::longValue).sorted().toArray();
            long committed = perSource * sources;
            System.out.printf(Locale.ROOT, "%,d samples from %d sources in batches of %d, flush every %d ms%s%n", committed, sources,
                    batch, flushMs, rate > 0 ? ", offered at " + rate + "/s" : ", offered as fast as taken");
            System.out.printf(Locale.ROOT, "appended in %.2f s (%,.0f samples/s), committed in %.2f s: %,.0f samples/s sustained%n",
                    appendedNanos / 1e9, committed / (appendedNanos / 1e9), committedNanos / 1e9, committed / (committedNanos / 1e9));
            System.out.printf(Locale.ROOT, "append-to-queryable latency over %d batches: p50 %d ms, p99 %d ms, max %d ms%n",
                    lat.length, pct(lat, 0.50), pct(lat, 0.99), lat.length == 0 ? -1 : lat[lat.length - 1]);
            System.out.printf(Locale.ROOT, "process CPU %.2f s (load average %.1f on %d cores): sources %.2f s (making and appending"
                    + " samples), reader %.2f s (queries), the rest (flushes, GC, catalog) %.2f s = %.1f us per sample"
                    + " → %,.0f samples/s on %d cores if the flushes had them to themselves%n",
                    cpu / 1e9, os.getSystemLoadAverage(), os.getAvailableProcessors(), sideCpu[0] / 1e9, readerCpu[0] / 1e9,
                    ingestCpu / 1e9, ingestCpu / 1e3 / committed, committed / (ingestCpu / 1e9) * os.getAvailableProcessors(),
                    os.getAvailableProcessors());
            long[] rows = new long[1];
            var stats = lib.query(me, "SELECT count(*) FROM \"" + dataset + "\"", new ResultSink() {
                @Override
                public void columns(List<String> names, List<String> sqlTypes) {
                }

                @Override
                public void row(Object[] values) {
                    rows[0] = ((Number) values[0]).longValue();
                }
            });
            System.out.printf(Locale.ROOT, "stored %,d rows in %d chunks (%d chunks for the busiest source); stream store %.1f MiB%n",
                    rows[0], stats.chunksTotal(), chunks, sizeOf(home) / 1048576.0);
        }
    }

    private static long expectedBatches(long perSource, int batch) {
        return (perSource + batch - 1) / batch;
    }

    /** One source: batches of consecutive sequences, times now, 10 assets × 5 tags, optionally paced. */
    private static void produce(StreamAppender a, int source, long n, int batch, long rate, long t0,
                                ConcurrentSkipListMap<Long, Long> appendedAt) {
        String[] assets = new String[10];
        for (int i = 0; i < assets.length; i++) assets[i] = "gangnam/molding/line-" + (1 + source) + "/imm-" + (i + 1);
        String[] tags = {"barrel_temp", "injection_pressure", "screw_speed", "mold_temp", "cycle_time"};
        long seq = 0;
        var list = new ArrayList<StreamSample>(batch);
        while (seq < n) {
            list.clear();
            Instant now = Instant.now();
            for (int i = 0; i < batch && seq < n; i++, seq++) {
                list.add(new StreamSample(seq, now.plusNanos(i * 1000L), assets[(int) (seq % assets.length)],
                        tags[(int) (seq / assets.length % tags.length)], 200 + (seq % 977) * 0.25, "GOOD"));
            }
            if (rate > 0) {
                long due = t0 + (long) (seq * 1e9 / rate);
                long wait = due - System.nanoTime();
                if (wait > 0) java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            appendedAt.put(seq - 1, System.nanoTime());
            a.append(list);
        }
    }

    /** Polls the newest sequence per source through the query path; a batch is visible once its last sequence is. */
    private static void poll(Library lib, Principal me, String dataset, int sources, List<ConcurrentSkipListMap<Long, Long>> appendedAt,
                             ConcurrentHashMap<String, Long> latencies, AtomicBoolean done) {
        long[] visible = new long[sources];
        Arrays.fill(visible, -1);
        while (!done.get()) {
            // Only the last minute: the zone maps prune older chunks, as a dashboard's query would.
            String since = Instant.now().minusSeconds(60).toString();
            lib.query(me, "SELECT source, max(sequence) FROM \"" + dataset + "\" WHERE time >= TIMESTAMPTZ '" + since
                    + "' GROUP BY source", new ResultSink() {
                @Override
                public void columns(List<String> names, List<String> sqlTypes) {
                }

                @Override
                public void row(Object[] values) {
                    int s = Integer.parseInt(((String) values[0]).substring(4));
                    visible[s] = Math.max(visible[s], ((Number) values[1]).longValue());
                }
            });
            long now = System.nanoTime();
            for (int s = 0; s < sources; s++) {
                var seen = appendedAt.get(s).headMap(visible[s], true);
                for (var e : seen.entrySet()) latencies.putIfAbsent(s + ":" + e.getKey(), (now - e.getValue()) / 1_000_000);
                seen.clear();
            }
            java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L);
        }
    }

    private static long pct(long[] sorted, double p) {
        if (sorted.length == 0) return -1;
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static void warmUp(Library lib, Principal me) {
        lib.streams().create(me, "bench/warm-up", Classification.INTERNAL);
        try (StreamAppender a = lib.streams().appender(me, "bench/warm-up", "warm")) {
            var list = new ArrayList<StreamSample>();
            for (int i = 0; i < 10_000; i++) list.add(new StreamSample(i, Instant.now(), "gangnam/warm/up", "t", i, "GOOD"));
            a.append(list);
            a.flush();
        }
        lib.query(me, "SELECT count(*) FROM \"bench/warm-up\"", new ResultSink() {
            @Override
            public void columns(List<String> names, List<String> sqlTypes) {
            }

            @Override
            public void row(Object[] values) {
            }
        });
    }

    private static long sizeOf(Path home) throws java.io.IOException {
        try (var walk = Files.walk(home)) {
            return walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
