package kr.max.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import kr.max.core.Classification;
import kr.max.core.Principal;
import kr.max.core.Role;
import kr.max.library.IngestRequest;
import kr.max.library.Library;
import kr.max.library.LibraryConfig;
import kr.max.library.crypto.MasterKey;
import kr.max.library.sample.SampleData;
import kr.max.server.MaxServer;
import kr.max.server.ServerOptions;

/**
 * Load against the running server on loopback: many concurrent clients (virtual threads) mixing catalog
 * reads, small queries and small exports, for a bounded time, plus a share of calls that the policy must
 * refuse. Each client waits a random think time (0.5 to 1.5 times {@code --think-ms}) between requests, as
 * people and dashboards do; {@code --think-ms 0} makes it a closed loop that measures saturation instead.
 * Prints throughput, p50/p99 per kind, errors and wrong decisions (a permit where a denial was due, or the
 * reverse). Usage: {@code max-bench/run server [--clients N] [--seconds S] [--think-ms T] [--work DIR]}.
 */
public final class ServerLoadBench {

    private ServerLoadBench() {
    }

    private enum Kind { CATALOG, QUERY, EXPORT, DENIED }

    private record Sample(Kind kind, long nanos, boolean error, boolean wrongDecision) {
    }

    public static void main(String[] args) throws Exception {
        int clients = 300;
        double seconds = 20;
        long thinkMs = 1000;
        Path work = Path.of("target", "bench-server");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--think-ms" -> thinkMs = Long.parseLong(args[++i]);
                case "--work" -> work = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Files.createDirectories(work);
        Path home = Files.createTempDirectory(work, "home-");
        System.out.printf(Locale.ROOT, "machine: %d cores, JDK %s; %d clients for %.0f s, think time %d ms%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), clients, seconds, thinkMs);
        try (Library lib = Library.open(LibraryConfig.embedded(home, MasterKey.of("server load benchmark secret 0001")))) {
            String adminToken = lib.bootstrapAdmin("national-library", "KR", "admin").orElseThrow().token();
            Principal admin = lib.authenticate(adminToken).orElseThrow();
            lib.createOrganization(admin, "hanbit-press", null, "KR");
            lib.createOrganization(admin, "kaist-lab", null, "KR");
            lib.createUser(admin, "alice", "hanbit-press", Set.of(Role.PROVIDER, Role.CONSUMER));
            lib.createUser(admin, "minji", "kaist-lab", Set.of(Role.CONSUMER));
            String alice = lib.issueToken(admin, "alice", Set.of(), null, "bench").token();
            String minji = lib.issueToken(admin, "minji", Set.of(), null, "bench").token();
            Principal owner = lib.authenticate(alice).orElseThrow();
            Path files = Files.createDirectories(home.resolve("files"));
            lib.ingest(owner, IngestRequest.of(SampleData.injectionMolding(files, 2000, 1), "kamp/injection").withClassification(Classification.PUBLIC));
            lib.ingest(owner, IngestRequest.of(SampleData.sensors(files.resolve("sensors.csv"), 100_000, 10), "hanbit/sensors"));
            try (MaxServer server = MaxServer.start(ServerOptions.of(lib, lib::authenticate))) {
                run(server.url(), alice, minji, clients, seconds, thinkMs);
            }
        }
    }

    private static void run(URI base, String alice, String minji, int clients, double seconds, long thinkMs) throws Exception {
        var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(Executors.newVirtualThreadPerTaskExecutor())
                .connectTimeout(Duration.ofSeconds(10)).build();
        var catalog = HttpRequest.newBuilder(base.resolve("/v1/datasets")).header("Authorization", "Bearer " + minji).build();
        var query = HttpRequest.newBuilder(base.resolve("/v1/query")).header("Authorization", "Bearer " + alice)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"sql\":\"SELECT asset, avg(temperature) FROM \\\"hanbit/sensors\\\" "
                        + "WHERE asset = 'press-3' GROUP BY 1\"}")).build();
        var export = HttpRequest.newBuilder(base.resolve("/v1/export/kamp/injection?format=csv")).header("Authorization", "Bearer " + minji)
                .build();
        // internal data of another organization: the policy must refuse every one of these
        var denied = HttpRequest.newBuilder(base.resolve("/v1/query")).header("Authorization", "Bearer " + minji)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"sql\":\"SELECT count(*) FROM \\\"hanbit/sensors\\\"\"}")).build();
        // warm-up, unmeasured: the JIT compiles the server's paths before the clock starts
        long warmUntil = System.nanoTime() + 10_000_000_000L;
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < 8; c++) {
                pool.submit(() -> {
                    while (System.nanoTime() < warmUntil) {
                        for (var r : List.of(catalog, catalog, query, export, denied)) http.send(r, HttpResponse.BodyHandlers.discarding());
                    }
                    return null;
                });
            }
        }

        var samples = new ConcurrentLinkedQueue<Sample>();
        var errorKinds = new java.util.concurrent.ConcurrentHashMap<String, AtomicLong>();
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        var done = new AtomicLong();
        long started = System.nanoTime();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < clients; c++) {
                pool.submit(() -> {
                    var rnd = ThreadLocalRandom.current();
                    while (System.nanoTime() < deadline) {
                        int dice = rnd.nextInt(100);
                        Kind kind = dice < 60 ? Kind.CATALOG : dice < 85 ? Kind.QUERY : dice < 90 ? Kind.EXPORT : Kind.DENIED;
                        HttpRequest r = switch (kind) {
                            case CATALOG -> catalog;
                            case QUERY -> query;
                            case EXPORT -> export;
                            case DENIED -> denied;
                        };
                        long t0 = System.nanoTime();
                        int status;
                        String what;
                        try {
                            status = http.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
                            what = "HTTP " + status;
                        } catch (Exception e) {
                            status = -1;
                            what = e.getClass().getSimpleName();
                        }
                        long t = System.nanoTime() - t0;
                        boolean wrong = kind == Kind.DENIED ? status == 200 : status == 403;
                        boolean error = kind == Kind.DENIED ? status != 403 : status != 200;
                        samples.add(new Sample(kind, t, error && !wrong, wrong));
                        if (error || wrong) errorKinds.computeIfAbsent(kind.name().toLowerCase(Locale.ROOT) + " " + what, k -> new AtomicLong()).incrementAndGet();
                        done.incrementAndGet();
                        if (thinkMs > 0) Thread.sleep(thinkMs / 2 + rnd.nextLong(thinkMs + 1));
                    }
                    return null;
                });
            }
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        var all = new ArrayList<>(samples);
        System.out.printf(Locale.ROOT, "requests: %d in %.1f s = %.0f/s; errors %d; wrong decisions %d%n", all.size(), elapsed,
                all.size() / elapsed, all.stream().filter(Sample::error).count(), all.stream().filter(Sample::wrongDecision).count());
        if (!errorKinds.isEmpty()) System.out.println("  unexpected answers: " + new java.util.TreeMap<>(errorKinds));
        for (Kind k : Kind.values()) {
            long[] t = all.stream().filter(s -> s.kind() == k).mapToLong(Sample::nanos).sorted().toArray();
            if (t.length == 0) continue;
            System.out.printf(Locale.ROOT, "  %-8s %7d requests  p50 %7.1f ms  p99 %7.1f ms  max %7.1f ms%n", k.name().toLowerCase(Locale.ROOT),
                    t.length, pct(t, 0.50), pct(t, 0.99), t[t.length - 1] / 1e6);
        }
        long[] cat = all.stream().filter(s -> s.kind() == Kind.CATALOG).mapToLong(Sample::nanos).sorted().toArray();
        System.out.printf(Locale.ROOT, "targets: zero errors: %s; zero wrong decisions: %s; catalog p99 < 50 ms: %s%n",
                all.stream().noneMatch(Sample::error) ? "met" : "NOT met", all.stream().noneMatch(Sample::wrongDecision) ? "met" : "NOT met",
                cat.length > 0 && pct(cat, 0.99) < 50 ? "met" : "NOT met");
    }

    private static double pct(long[] sorted, double p) {
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }
}
