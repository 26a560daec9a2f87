package kr.max.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import kr.max.factory.assets.AssetModel;
import kr.max.factory.edge.EdgeBuffer;
import kr.max.factory.edge.EdgeForwarder;
import kr.max.factory.edge.HttpHubClient;
import kr.max.factory.edge.SampleFilter;
import kr.max.factory.edge.TestHub;
import kr.max.factory.twin.LineSimulator;
import kr.max.factory.twin.SimulationSettings;
import kr.max.library.crypto.MasterKey;

/**
 * The edge buffer's drain rate against the live rate: how fast a backlog left by a hub outage reaches the hub once
 * it returns, compared with how fast the plant produces samples.
 *
 * <ul>
 *   <li><b>live rate</b>: samples per second the demo line produces in real time (counted over simulated time);</li>
 *   <li><b>capture rate</b>: the twin run as fast as possible straight into the buffer (group commit, AES-GCM,
 *       fsync) — the most one edge can capture;</li>
 *   <li><b>drain rate</b>: the backlog ({@code --samples}, 1 M by default) forwarded over loopback HTTP to the test
 *       hub (streaming JSON parse, dedupe, commit record), in batches of {@code --batch}.</li>
 * </ul>
 * The target is drain ≥ 5× live. Usage: {@code max-bench/run edge [--samples N] [--batch N] [--rounds N]}.
 */
public final class EdgeBench {

    private EdgeBench() {
    }

    public static void main(String[] args) throws Exception {
        long samples = 1_000_000;
        int batch = 5000;
        int rounds = 2;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--samples" -> samples = Long.parseLong(args[++i]);
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (--samples N, --batch N, --rounds N)");
            }
        }
        AssetModel demo = AssetModel.demoLine();
        var settings = SimulationSettings.defaults().withVibrationSampleRate(1000);

        // live: samples per simulated second of the demo line
        var count = new AtomicLong();
        var sim = LineSimulator.create(demo, 42, settings);
        sim.addListener(s -> count.incrementAndGet());
        Duration span = Duration.ofMinutes(10);
        sim.advance(span);
        double live = count.get() / (double) span.toSeconds();

        System.out.printf(Locale.ROOT, "machine: %d cores, JDK %s; demo line %d equipment; backlog %,d samples; batch %,d; best of %d%n%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), demo.equipment().size(),
                samples, batch, rounds);
        double bestCapture = 0;
        double bestDrain = 0;
        Path root = Files.createTempDirectory("max-edge-bench");
        try {
            for (int r = 0; r < rounds; r++) {
                Path dir = root.resolve("round-" + r);
                MasterKey key = MasterKey.createFile(root.resolve("master-" + r + ".key"));
                double capture;
                try (var buffer = EdgeBuffer.open(dir, key)) {
                    var twin = LineSimulator.create(demo, 42 + r, settings);
                    var produced = new AtomicLong();
                    long target = samples;
                    twin.addListener(s -> {
                        if (produced.get() < target) {
                            buffer.onSample(s);
                            produced.incrementAndGet();
                        }
                    });
                    long t0 = System.nanoTime();
                    while (produced.get() < target) twin.advance(Duration.ofSeconds(10));
                    buffer.flush();
                    capture = samples / ((System.nanoTime() - t0) / 1e9);
                }
                long bytes = size(dir);
                double drain;
                try (var buffer = EdgeBuffer.open(dir, key); var hub = TestHub.start("bench", false)) {
                    var forwarder = new EdgeForwarder(buffer, new HttpHubClient(hub.url(), "bench", Duration.ofSeconds(30)),
                            "edge-bench", "bench", SampleFilter.none(),
                            new EdgeForwarder.Options(batch, Duration.ofMillis(50), Duration.ofSeconds(2)));
                    long t0 = System.nanoTime();
                    forwarder.start();
                    while (buffer.buffered() > 0) Thread.sleep(2);
                    drain = samples / ((System.nanoTime() - t0) / 1e9);
                    forwarder.close();
                    if (hub.committedCount() != samples || hub.duplicates() != 0) {
                        throw new IllegalStateException("hub committed " + hub.committedCount() + " with " + hub.duplicates() + " duplicates");
                    }
                    System.out.printf(Locale.ROOT, "round %d: capture %,10.0f samples/s  drain %,10.0f samples/s  (%d posts, %.1f bytes/sample on disk)%n",
                            r + 1, capture, drain, hub.posts(), bytes / (double) samples);
                }
                bestCapture = Math.max(bestCapture, capture);
                bestDrain = Math.max(bestDrain, drain);
            }
        } finally {
            delete(root);
        }
        System.out.printf(Locale.ROOT, "%n%-52s %,14.1f samples/s%n", "live rate (demo line in real time)", live);
        System.out.printf(Locale.ROOT, "%-52s %,14.0f samples/s%n", "capture rate (twin as fast as possible -> buffer)", bestCapture);
        System.out.printf(Locale.ROOT, "%-52s %,14.0f samples/s%n", "drain rate (backlog -> hub over loopback HTTP)", bestDrain);
        System.out.printf(Locale.ROOT, "%-52s %,14.0f x   (target >= 5x)%n", "drain / live", bestDrain / live);
        System.out.printf(Locale.ROOT, "%-52s %,14.2f x%n", "drain / capture rate", bestDrain / bestCapture);
        System.out.printf(Locale.ROOT, "%-52s %,14.0f%n", "demo lines one edge drains at 5x their live rate", bestDrain / (5 * live));
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static void delete(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
