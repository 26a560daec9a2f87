package kr.max.server;

import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * Prometheus text exposition, written by hand (no metrics library for Javalin 7 is published):
 * request counts by method, route template and status; request latency by route template; requests in
 * flight; JVM heap. Labels carry route templates, never raw paths, so dataset names and values never
 * reach the metrics and their number stays bounded.
 */
final class Metrics {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** Upper bounds in seconds; uploads and exports of large files may take minutes. */
    private static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300};

    /** The route label of requests no route matched. */
    static final String UNMATCHED = "unmatched";

    private record Key(String method, String route, int status) {
    }

    private static final class Histogram {
        final LongAdder[] buckets = new LongAdder[BUCKETS.length];
        final LongAdder count = new LongAdder();
        final DoubleAdder sum = new DoubleAdder();

        Histogram() {
            for (int i = 0; i < buckets.length; i++) buckets[i] = new LongAdder();
        }

        void observe(double seconds) {
            for (int i = 0; i < BUCKETS.length; i++) {
                if (seconds <= BUCKETS[i]) buckets[i].increment();
            }
            count.increment();
            sum.add(seconds);
        }
    }

    private final Map<Key, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, Histogram> latency = new ConcurrentHashMap<>();
    private final IntSupplier inFlight;

    /** @param inFlight requests being handled now, as Jetty counts them */
    Metrics(IntSupplier inFlight) {
        this.inFlight = inFlight;
    }

    /** The route template that matched, such as {@code /v1/datasets/<name>}, or {@value #UNMATCHED}. */
    static String route(Context ctx) {
        try {
            Endpoint e = ctx.endpoints().matchedHttpEndpoint();
            return e == null ? UNMATCHED : e.path;
        } catch (RuntimeException notMatched) {
            return UNMATCHED;
        }
    }

    /** Called once a response is written. */
    void record(Context ctx, float millis) {
        String route = route(ctx);
        requests.computeIfAbsent(new Key(ctx.method().name(), route, ctx.statusCode()), k -> new LongAdder()).increment();
        latency.computeIfAbsent(route, r -> new Histogram()).observe(millis / 1000.0);
    }

    String scrape() {
        var sb = new StringBuilder(4096);
        sb.append("# HELP max_http_requests_total HTTP requests answered, by method, route template and status.\n");
        sb.append("# TYPE max_http_requests_total counter\n");
        var sorted = new TreeMap<String, Long>();
        requests.forEach((k, v) -> sorted.put("{method=\"" + k.method() + "\",route=\"" + escape(k.route())
                + "\",status=\"" + k.status() + "\"}", v.sum()));
        sorted.forEach((labels, v) -> sb.append("max_http_requests_total").append(labels).append(' ').append(v).append('\n'));

        sb.append("# HELP max_http_request_duration_seconds Time to answer an HTTP request, by route template.\n");
        sb.append("# TYPE max_http_request_duration_seconds histogram\n");
        new TreeMap<>(latency).forEach((route, h) -> {
            String r = "route=\"" + escape(route) + "\"";
            for (int i = 0; i < BUCKETS.length; i++) {
                sb.append("max_http_request_duration_seconds_bucket{").append(r).append(",le=\"").append(number(BUCKETS[i]))
                        .append("\"} ").append(h.buckets[i].sum()).append('\n');
            }
            long count = h.count.sum();
            sb.append("max_http_request_duration_seconds_bucket{").append(r).append(",le=\"+Inf\"} ").append(count).append('\n');
            sb.append("max_http_request_duration_seconds_sum{").append(r).append("} ").append(number(h.sum.sum())).append('\n');
            sb.append("max_http_request_duration_seconds_count{").append(r).append("} ").append(count).append('\n');
        });

        sb.append("# HELP max_http_requests_in_flight HTTP requests being handled now, this scrape included.\n");
        sb.append("# TYPE max_http_requests_in_flight gauge\n");
        sb.append("max_http_requests_in_flight ").append(inFlight.getAsInt()).append('\n');

        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        sb.append("# HELP jvm_memory_heap_used_bytes Heap memory in use.\n");
        sb.append("# TYPE jvm_memory_heap_used_bytes gauge\n");
        sb.append("jvm_memory_heap_used_bytes ").append(heap.getUsed()).append('\n');
        sb.append("# HELP jvm_memory_heap_committed_bytes Heap memory the JVM holds from the system.\n");
        sb.append("# TYPE jvm_memory_heap_committed_bytes gauge\n");
        sb.append("jvm_memory_heap_committed_bytes ").append(heap.getCommitted()).append('\n');
        sb.append("# HELP jvm_memory_heap_max_bytes Largest heap the JVM may use (-1 if unbounded).\n");
        sb.append("# TYPE jvm_memory_heap_max_bytes gauge\n");
        sb.append("jvm_memory_heap_max_bytes ").append(heap.getMax()).append('\n');
        return sb.toString();
    }

    private static String number(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.format(Locale.ROOT, "%.1f", d) : Double.toString(d);
    }

    /** Label values: backslash, double quote and newline escaped as the exposition format requires. */
    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
