package kr.max.factory.edge;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import kr.max.core.MaxException;
import kr.max.library.stream.EdgeRules;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The hub's stream endpoint over HTTP ({@code java.net.http}, HTTP/1.1):
 * <ul>
 *   <li>{@code POST {hub}/v1/streams/{dataset}/samples} with {@code Authorization: Bearer <token>} and
 *       {@code {"source":"<edge-id>/<equipment path>","samples":[{"seq":1,"time":"2026-12-01T00:00:00.123Z",
 *       "asset":"site/area/line/cell/equipment","tag":"spindle-vibration","value":1.5,"quality":"GOOD"}]}} →
 *       200 {@code {"committed_through": N}}. A value that is not a number (a BAD sample before any good one) is
 *       {@code null}.</li>
 *   <li>{@code GET {hub}/v1/streams/{dataset}/mark?source={source}} → {@code {"committed_through": N}}.</li>
 *   <li>{@code GET {hub}/v1/streams/{dataset}/edge-rules} → the rules as {@link EdgeRules#parse} reads them; a post
 *       carries the version it was filtered under ({@code "rules_version": N}) and its answer the version in force.</li>
 * </ul>
 * The dataset name is the path as it is written ({@code hanbit/line-1}, each segment percent-encoded); the source goes
 * in a query parameter, because a percent-encoded slash in a path is refused by servers that guard against ambiguous
 * paths (Jetty among them).
 * 2xx with a readable mark is {@link HubClient.Committed}; 429, 5xx, connection failures, time-outs and unreadable
 * answers are {@link HubClient.Unavailable}; any other 4xx is {@link HubClient.Refused}. The token is sent, never
 * logged or put into a reply.
 */
public final class HttpHubClient implements HubClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI hub;
    private final String token;
    private final HttpClient http;
    private final Duration timeout;

    /**
     * @param hub     the hub's base URL ({@code http://hub:8080})
     * @param token   bearer token, or null for none
     * @param timeout for connecting and for each answer
     */
    public HttpHubClient(URI hub, String token, Duration timeout) {
        String s = hub.toString();
        this.hub = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
        this.token = token;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    @Override
    public String endpoint() {
        return hub.toString();
    }

    @Override
    public Reply post(String dataset, String source, long rulesVersion, List<EdgeSample> samples) {
        var request = request("/v1/streams/" + path(dataset) + "/samples")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body(source, rulesVersion, samples)))
                .build();
        return send(request);
    }

    @Override
    public Reply committedThrough(String dataset, String source) {
        return send(request("/v1/streams/" + path(dataset) + "/mark?source=" + segment(source)).GET().build());
    }

    @Override
    public RulesReply rules(String dataset) {
        HttpResponse<String> response;
        try {
            response = exchange(request("/v1/streams/" + path(dataset) + "/edge-rules").GET().build());
        } catch (Failed f) {
            return f.unavailable;
        }
        int status = response.statusCode();
        if (status == 429 || status >= 500) return new Unavailable("HTTP " + status);
        if (status < 200 || status >= 300) return new Refused(status, brief(response.body()));
        try {
            return new Rules(EdgeRules.parse(JSON.readTree(response.body())));
        } catch (JacksonException e) {
            return new Unavailable("answer is not JSON");
        } catch (MaxException e) {
            Object[] a = e.args();
            return new Unreadable(e.code().code() + " " + (a.length >= 2 ? a[0] + ": " + a[1] : e.getMessage()));
        }
    }

    /** A request that got no usable answer. */
    private static final class Failed extends Exception {
        final Unavailable unavailable;

        Failed(String reason) {
            super(reason, null, false, false);
            this.unavailable = new Unavailable(reason);
        }
    }

    private HttpResponse<String> exchange(HttpRequest request) throws Failed {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new Failed("no answer within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            throw new Failed(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failed("interrupted");
        }
    }

    private HttpRequest.Builder request(String path) {
        var b = HttpRequest.newBuilder(URI.create(hub + path)).timeout(timeout);
        if (token != null && !token.isEmpty()) b.header("Authorization", "Bearer " + token);
        return b;
    }

    private Reply send(HttpRequest request) {
        HttpResponse<String> response;
        try {
            response = exchange(request);
        } catch (Failed f) {
            return f.unavailable;
        }
        int status = response.statusCode();
        if (status == 429 || status >= 500) return new Unavailable("HTTP " + status);
        if (status >= 400 || status < 200 || status >= 300) return new Refused(status, brief(response.body()));
        try {
            JsonNode n = JSON.readTree(response.body());
            JsonNode mark = n == null ? null : n.get("committed_through");
            if (mark == null || !mark.isIntegralNumber()) return new Unavailable("answer without \"committed_through\"");
            JsonNode rules = n.get("rules_version");
            return new Committed(mark.asLong(), rules != null && rules.isIntegralNumber() ? rules.asLong() : -1);
        } catch (JacksonException e) {
            return new Unavailable("answer is not JSON");
        }
    }

    /** Hand-written: a hot path of five fixed fields per sample, as the MQTT payload is. */
    static byte[] body(String source, long rulesVersion, List<EdgeSample> samples) {
        var b = new StringBuilder(64 + samples.size() * 160);
        b.append("{\"source\":");
        quote(b, source);
        b.append(",\"rules_version\":").append(rulesVersion);
        b.append(",\"samples\":[");
        String lastAsset = null;
        String lastAssetJson = null;
        for (int i = 0; i < samples.size(); i++) {
            EdgeSample s = samples.get(i);
            if (i > 0) b.append(',');
            b.append("{\"seq\":").append(s.seq()).append(",\"time\":\"").append(s.time()).append("\",\"asset\":");
            String asset = s.source();
            if (!asset.equals(lastAsset)) {
                var q = new StringBuilder();
                quote(q, asset);
                lastAsset = asset;
                lastAssetJson = q.toString();
            }
            b.append(lastAssetJson).append(",\"tag\":");
            quote(b, s.tag());
            b.append(",\"value\":");
            if (Double.isFinite(s.value())) b.append(s.value());
            else b.append("null");
            b.append(",\"quality\":\"").append(s.quality().name()).append("\"}");
        }
        b.append("]}");
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        b.append('"');
    }

    private static String path(String dataset) {
        return String.join("/", java.util.Arrays.stream(dataset.split("/", -1)).map(HttpHubClient::segment).toList());
    }

    private static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String brief(String body) {
        if (body == null) return "";
        String t = body.strip();
        return t.length() > 300 ? t.substring(0, 300) + "…" : t;
    }
}
