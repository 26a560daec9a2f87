package kr.max.factory.edge;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * The hub's side of the edge wire contract on the JDK's HTTP server, for tests and the drain benchmark: a
 * high-water mark per source, samples at or below it counted as duplicates and not committed, every committed
 * (source, seq) recorded in order — a seq committed twice would show up twice. State outlives {@link #stop()}, as a
 * hub's database outlives its process; {@link #start()} binds the same port again.
 *
 * <p>The hub's edge rules are {@link #rules(String)} (version 1 with no tag rules unless set); a post filtered under an
 * older version is not committed and is answered with the mark and the newer version, as the library server does.
 *
 * <p>Scripted trouble: {@link #failNext} answers the next posts with a status (503, 429), {@link #refuse} answers
 * every post and mark query of one source with a status (403), {@link #refuseRules} answers the rules route with a
 * status (403, or 404 as a hub without it).
 */
public final class TestHub implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A committed sample as the hub received it. */
    public record HubSample(long seq, String time, String asset, String tag, Double value, String quality) {
    }

    private final String token;
    private final boolean keepSamples;
    private int port;
    private HttpServer server;
    private ExecutorService executor;
    private final Map<String, Long> marks = new HashMap<>();
    private final Map<String, List<Long>> committed = new LinkedHashMap<>();
    private final Map<String, List<HubSample>> samples = new HashMap<>();
    private final Map<String, Integer> refused = new HashMap<>();
    private String rulesJson = "{\"version\":1,\"max_class\":\"restricted\",\"tags\":{}}";
    private long rulesVersion = 1;
    private Integer rulesRefused;
    private long rulesRequests;
    private long stalePosts;
    private int failNext;
    private int failStatus;
    private long duplicates;
    private long received;
    private long posts;

    private TestHub(String token, boolean keepSamples) {
        this.token = token;
        this.keepSamples = keepSamples;
    }

    /** Starts on a free loopback port. */
    public static TestHub start(String token, boolean keepSamples) {
        var hub = new TestHub(token, keepSamples);
        hub.start();
        return hub;
    }

    /** Starts (again) on the hub's port. */
    public synchronized void start() {
        if (server != null) return;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        } catch (IOException e) {
            throw new IllegalStateException("test hub cannot bind 127.0.0.1:" + port, e);
        }
        port = server.getAddress().getPort();
        executor = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().name("test-hub").unstarted(r));
        server.setExecutor(executor);
        server.createContext("/v1/streams/", this::handle);
        server.start();
    }

    /** An outage: stops answering and closes every connection; state is kept. */
    public synchronized void stop() {
        if (server == null) return;
        server.stop(0);
        executor.shutdownNow();
        server = null;
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public synchronized boolean running() {
        return server != null;
    }

    public synchronized void failNext(int count, int status) {
        failNext = count;
        failStatus = status;
    }

    public synchronized void refuse(String source, int status) {
        refused.put(source, status);
    }

    /** The edge rules the hub gives from now on, as JSON with their {@code version}. */
    public synchronized void rules(String json) {
        rulesJson = json;
        rulesVersion = JSON.readTree(json).path("version").asLong();
    }

    /** Answers the rules route with this status from now on (null: answer the rules). */
    public synchronized void refuseRules(Integer status) {
        rulesRefused = status;
    }

    /** How often the edge asked for the rules. */
    public synchronized long rulesRequests() {
        return rulesRequests;
    }

    /** Posts not committed because they were filtered under older rules. */
    public synchronized long stalePosts() {
        return stalePosts;
    }

    /** As if the hub had committed the source through {@code mark} before. */
    public synchronized void preset(String source, long mark) {
        marks.put(source, mark);
    }

    /** Per source, every committed seq in commit order. */
    public synchronized Map<String, List<Long>> committed() {
        var copy = new LinkedHashMap<String, List<Long>>();
        committed.forEach((s, l) -> copy.put(s, List.copyOf(l)));
        return copy;
    }

    public synchronized List<HubSample> samples(String source) {
        return List.copyOf(samples.getOrDefault(source, List.of()));
    }

    public synchronized long committedCount() {
        return committed.values().stream().mapToLong(List::size).sum();
    }

    public synchronized long mark(String source) {
        return marks.getOrDefault(source, 0L);
    }

    /** Samples received at or below the mark: allowed on the wire, never committed twice. */
    public synchronized long duplicates() {
        return duplicates;
    }

    public synchronized long received() {
        return received;
    }

    public synchronized long posts() {
        return posts;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (token != null && !("Bearer " + token).equals(auth)) {
                answer(ex, 401, "{\"error\":\"unauthorized\"}");
                return;
            }
            String path = ex.getRequestURI().getRawPath();
            String query = ex.getRequestURI().getRawQuery();
            // /v1/streams/<dataset, slashes and all>/samples, or /v1/streams/<dataset>/mark?source=<source>
            if (path.endsWith("/samples") && ex.getRequestMethod().equals("POST")) {
                post(ex);
            } else if (path.endsWith("/edge-rules") && ex.getRequestMethod().equals("GET")) {
                Integer status;
                String json;
                synchronized (this) {
                    rulesRequests++;
                    status = rulesRefused;
                    json = rulesJson;
                }
                if (status != null) answer(ex, status, "{\"code\":\"MAX-TEST-001\",\"message\":\"refused\"}");
                else answer(ex, 200, json);
            } else if (path.endsWith("/mark") && query != null && query.startsWith("source=") && ex.getRequestMethod().equals("GET")) {
                String source = URLDecoder.decode(query.substring("source=".length()), StandardCharsets.UTF_8);
                Integer status;
                long mark;
                long version;
                synchronized (this) {
                    status = refused.get(source);
                    mark = marks.getOrDefault(source, 0L);
                    version = rulesVersion;
                }
                if (status != null) answer(ex, status, "{\"error\":\"refused\"}");
                else answer(ex, 200, "{\"committed_through\":" + mark + ",\"rules_version\":" + version + "}");
            } else {
                answer(ex, 404, "{\"error\":\"no such route\"}");
            }
        }
    }

    private void post(HttpExchange ex) throws IOException {
        synchronized (this) {
            posts++;
            if (failNext > 0) {
                failNext--;
                answer(ex, failStatus, "{\"error\":\"scripted\"}");
                return;
            }
        }
        String source = null;
        Long filteredUnder = null;
        var batch = new ArrayList<HubSample>();
        try (InputStream in = ex.getRequestBody(); JsonParser p = JSON.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new IllegalArgumentException("not an object");
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (name.equals("source")) {
                    source = p.getString();
                } else if (name.equals("rules_version")) {
                    filteredUnder = p.getLongValue();
                } else if (name.equals("samples")) {
                    if (p.currentToken() != JsonToken.START_ARRAY) throw new IllegalArgumentException("samples not an array");
                    while (p.nextToken() == JsonToken.START_OBJECT) batch.add(sample(p));
                } else {
                    p.skipChildren();
                }
            }
        } catch (RuntimeException e) {
            answer(ex, 400, "{\"error\":\"malformed: " + String.valueOf(e.getMessage()).replace('"', '\'') + "\"}");
            return;
        }
        if (source == null) {
            answer(ex, 400, "{\"error\":\"no source\"}");
            return;
        }
        long mark;
        long version;
        synchronized (this) {
            Integer status = refused.get(source);
            if (status != null) {
                answer(ex, status, "{\"error\":\"source refused by the hub's policy\"}");
                return;
            }
            version = rulesVersion;
            if (filteredUnder != null && filteredUnder < rulesVersion) {
                stalePosts++;
                answer(ex, 200, "{\"committed_through\":" + marks.getOrDefault(source, 0L) + ",\"rules_version\":" + version + "}");
                return;
            }
            received += batch.size();
            mark = marks.getOrDefault(source, 0L);
            List<Long> seqs = committed.computeIfAbsent(source, k -> new ArrayList<>());
            for (HubSample s : batch) {
                if (s.seq() <= mark) {
                    duplicates++;
                    continue;
                }
                mark = s.seq();
                seqs.add(s.seq());
                if (keepSamples) samples.computeIfAbsent(source, k -> new ArrayList<>()).add(s);
            }
            marks.put(source, mark);
        }
        answer(ex, 200, "{\"committed_through\":" + mark + ",\"rules_version\":" + version + "}");
    }

    private static HubSample sample(JsonParser p) {
        long seq = -1;
        String time = null, asset = null, tag = null, quality = null;
        Double value = null;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            switch (name) {
                case "seq" -> seq = p.getLongValue();
                case "time" -> time = p.getString();
                case "asset" -> asset = p.getString();
                case "tag" -> tag = p.getString();
                case "value" -> value = t == JsonToken.VALUE_NULL ? null : p.getDoubleValue();
                case "quality" -> quality = p.getString();
                default -> p.skipChildren();
            }
        }
        if (seq < 1 || time == null || asset == null || tag == null || quality == null) {
            throw new IllegalArgumentException("sample without seq, time, asset, tag or quality");
        }
        return new HubSample(seq, time, asset, tag, value, quality);
    }

    private static void answer(HttpExchange ex, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
    }

    @Override
    public void close() {
        stop();
    }
}
