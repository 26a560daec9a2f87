package kr.max.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client side of {@link ServerLoadBench}, in its own JVM: {@code LoadClients URL CLIENTS SECONDS THINK_MS},
 * with the two users' tokens in {@code MAX_BENCH_ALICE} (a provider who owns the sensor data) and
 * {@code MAX_BENCH_MINJI} (a consumer of another organization).
 */
public final class LoadClients {

    private LoadClients() {
    }

    private enum Kind { CATALOG, QUERY, EXPORT, DENIED }

    private record Sample(Kind kind, long nanos, boolean error, boolean wrongDecision) {
    }

    public static void main(String[] args) throws Exception {
        int[] mix = parseMix(args.length > 4 ? args[4] : "catalog=60,query=25,export=5,denied=10");
        run(URI.create(args[0]), System.getenv("MAX_BENCH_ALICE"), System.getenv("MAX_BENCH_MINJI"), Integer.parseInt(args[1]),
                Double.parseDouble(args[2]), Long.parseLong(args[3]), mix);
    }

    /** {@code catalog=60,query=25,export=5,denied=10}: the weight of each kind of request. */
    static int[] parseMix(String text) {
        int[] weights = new int[Kind.values().length];
        for (String part : text.split(",")) {
            String[] kv = part.split("=");
            weights[Kind.valueOf(kv[0].trim().toUpperCase(Locale.ROOT)).ordinal()] = Integer.parseInt(kv[1].trim());
        }
        return weights;
    }

    private static Kind pick(int[] weights, int total, int dice) {
        for (Kind k : Kind.values()) {
            dice -= weights[k.ordinal()];
            if (dice < 0) return k;
        }
        throw new IllegalStateException("weights add up to " + total);
    }

    private static void run(URI base, String alice, String minji, int clients, double seconds, long thinkMs, int[] mix) throws Exception {
        int total = java.util.Arrays.stream(mix).sum();
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
                    // Clients arrive spread over one think time, as people and dashboards do, not in one burst.
                    if (thinkMs > 0) Thread.sleep(rnd.nextLong(thinkMs + 1));
                    while (System.nanoTime() < deadline) {
                        Kind kind = pick(mix, total, rnd.nextInt(total));
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
