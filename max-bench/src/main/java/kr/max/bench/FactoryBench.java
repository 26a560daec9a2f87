package kr.max.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import kr.max.core.AssetPath;
import kr.max.core.Principal;
import kr.max.factory.station.TwinStation;
import kr.max.factory.twin.Pace;
import kr.max.library.Library;
import kr.max.library.LibraryConfig;
import kr.max.library.crypto.MasterKey;
import kr.max.server.FactoryRuntime;

/**
 * The factory path under load (issue 6): the demo line's twin, driven faster than real time, serves its samples over
 * MQTT (Moquette), OPC UA (Milo) or Modbus TCP (j2mod); the factory runtime reads them with its connector, scores them (limit alarms and
 * the spindle's PCA watch) and appends them to a stream dataset of an embedded library. Prints the sustained rate
 * (samples received and committed per second of wall time) and the latency of each sample from the moment the twin
 * produced it to the moment its stream chunk was committed — scored before it was appended, so "committed and
 * scored" — as p50, p99 and max over all samples, with a 5 ms look at the commit marks.
 *
 * <p>Usage: {@code max-bench/run factory [--protocol mqtt|opcua|modbus] [--speed 500x] [--seconds 30] [--flush-ms 200]
 * [--warmup 5] [--mqtt-batches] [--poll-ms 10] [--work DIR]}. The demo line makes about 109 samples per simulated second, so
 * {@code --speed 500x} offers about 55,000 samples per second if the twin keeps up. Modbus carries no time stamps: the
 * connector reads the registers' current values every {@code --poll-ms}, whatever the speed, and a sample's time is its
 * poll's; its latency runs from the poll.
 */
public final class FactoryBench {

    private FactoryBench() {
    }

    public static void main(String[] args) throws Exception {
        String protocol = "mqtt";
        String speed = "500x";
        boolean batches = false;
        int seconds = 30;
        int warmup = 5;
        long flushMs = 200;
        long pollMs = 10;
        Path work = Path.of("target", "bench-factory");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--protocol" -> protocol = args[++i];
                case "--speed" -> speed = args[++i];
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--flush-ms" -> flushMs = Long.parseLong(args[++i]);
                case "--mqtt-batches" -> batches = true;
                case "--poll-ms" -> pollMs = Long.parseLong(args[++i]);
                case "--work" -> work = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Files.createDirectories(work);
        Path home = work.resolve("home-" + System.currentTimeMillis());
        Principal me = Principal.localOperator();
        try (Library library = Library.open(LibraryConfig.embedded(home, MasterKey.of("factory bench master secret")))) {
            var options = FactoryRuntime.Options.demo("bench/line").withProtocol(protocol).withPace(Pace.parse(speed))
                    .withFlushEvery(Duration.ofMillis(flushMs)).withMqttBatches(batches)
                    .withPollEvery(Duration.ofMillis(pollMs))
                    // only the protocol measured: the twin serves no other
                    .withPorts(new TwinStation.Ports("127.0.0.1", protocol.equals("opcua") ? 0 : -1, protocol.equals("mqtt") ? 0 : -1,
                            protocol.equals("modbus") ? 0 : -1));
            long trainStart = System.nanoTime();
            try (FactoryRuntime factory = FactoryRuntime.start(library, me, options)) {
                System.out.printf(Locale.ROOT, "factory up in %.1f s (spindle watch trained on 20 min of normal operation): %s over %s at %s, flush every %d ms%n",
                        (System.nanoTime() - trainStart) / 1e9, "demo line", protocol + (batches ? " (a message per equipment and instant)" : ""),
                        speed, flushMs);
                var probe = new Probe(factory, protocol.equals("modbus"));
                // when the twin made a sample: the wall clock at the first sample of each simulated instant
                factory.station().addListener(s -> probe.produced.putIfAbsent(s.time().toEpochMilli() * 1000 + s.time().getNano() / 1000 % 1000,
                        System.nanoTime()));
                factory.addIntakeListener(probe::taken);
                var poller = Thread.ofPlatform().name("commit-probe").start(probe::poll);

                Thread.sleep(warmup * 1000L);
                probe.measuring.set(true);
                long r0 = factory.received();
                long c0 = factory.committed();
                long t0 = System.nanoTime();
                Thread.sleep(seconds * 1000L);
                long r1 = factory.received();
                long c1 = factory.committed();
                double wall = (System.nanoTime() - t0) / 1e9;
                probe.measuring.set(false);
                probe.stop.set(true);
                poller.join();

                long[] lat = probe.latencies();
                System.out.printf(Locale.ROOT, "%s: received %.0f samples/s, committed %.0f samples/s over %.1f s (%,d samples); twin lag %d ms%n",
                        protocol, (r1 - r0) / wall, (c1 - c0) / wall, wall, c1 - c0, factory.station().driver().lag().toMillis());
                if (lat.length > 0) {
                    System.out.printf(Locale.ROOT, "produced → scored and committed, %,d samples: p50 %d ms, p99 %d ms, max %d ms%n",
                            lat.length, lat[lat.length / 2] / 1_000_000, lat[(int) (lat.length * 0.99)] / 1_000_000,
                            lat[lat.length - 1] / 1_000_000);
                }
                System.out.printf(Locale.ROOT, "alarms raised: %d (active now %d)%n", factory.alarms().all().size(),
                        factory.alarms().active().size());
            }
        }
    }

    /** Pairs each sample the runtime took with its production time and, once its equipment's mark passes it, its commit. */
    private static final class Probe {
        final FactoryRuntime factory;
        /** Samples are polls: their time is the wall clock of the poll, not of the twin's production. */
        final boolean polled;
        final Map<Long, Long> produced = new ConcurrentHashMap<>();
        final Map<AssetPath, ArrayDeque<long[]>> pending = new ConcurrentHashMap<>();
        final AtomicBoolean measuring = new AtomicBoolean();
        final AtomicBoolean stop = new AtomicBoolean();
        long[] latencies = new long[1 << 20];
        int count;

        Probe(FactoryRuntime factory, boolean polled) {
            this.factory = factory;
            this.polled = polled;
        }

        void taken(kr.max.factory.twin.Sample s) {
            if (!measuring.get()) return;
            Long made = polled ? Long.valueOf(System.nanoTime() - Duration.between(s.time(), java.time.Instant.now()).toNanos())
                    : produced.get(s.time().toEpochMilli() * 1000 + s.time().getNano() / 1000 % 1000);
            if (made == null) return;
            var queue = pending.computeIfAbsent(s.tag().equipment(), k -> new ArrayDeque<>());
            synchronized (queue) {
                queue.add(new long[]{s.sequence(), made});
            }
        }

        void poll() {
            while (!stop.get()) {
                for (var e : pending.entrySet()) {
                    long mark = factory.committedThrough(e.getKey());
                    long now = System.nanoTime();
                    var queue = e.getValue();
                    synchronized (queue) {
                        while (!queue.isEmpty() && queue.peek()[0] <= mark) {
                            long[] p = queue.poll();
                            record(now - p[1]);
                        }
                    }
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }

        private synchronized void record(long nanos) {
            if (count == latencies.length) latencies = Arrays.copyOf(latencies, count * 2);
            latencies[count++] = nanos;
        }

        synchronized long[] latencies() {
            long[] l = Arrays.copyOf(latencies, count);
            Arrays.sort(l);
            return l;
        }
    }
}
