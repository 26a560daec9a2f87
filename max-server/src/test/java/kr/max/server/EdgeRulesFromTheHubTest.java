package kr.max.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import kr.max.core.Classification;
import kr.max.core.Principal;
import kr.max.core.Role;
import kr.max.factory.assets.AssetModel;
import kr.max.factory.edge.EdgeBuffer;
import kr.max.factory.edge.EdgeError;
import kr.max.factory.edge.EdgeForwarder;
import kr.max.factory.edge.EdgeNode;
import kr.max.factory.edge.EdgeStatus;
import kr.max.factory.edge.HttpHubClient;
import kr.max.factory.edge.SampleFilter;
import kr.max.factory.twin.LineSimulator;
import kr.max.factory.twin.SimulationSettings;
import kr.max.library.Library;
import kr.max.library.LibraryConfig;
import kr.max.library.audit.AuditRecord;
import kr.max.library.crypto.MasterKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub's edge rules from the edge's side, end to end: a real library server (H2) holds the rules of the stream
 * dataset, an edge node (buffer, forwarder, HTTP client, in this JVM) carries the simulated line's samples to it, and
 * the hub's stream dataset is queried for what arrived. Every wait is for a condition.
 */
class EdgeRulesFromTheHubTest {

    static final String DATASET = "hanbit/line-1";
    static final String OWNER_TOKEN = SingleTokenAuthenticator.generateToken();
    static final String EDGE_TOKEN = SingleTokenAuthenticator.generateToken();
    static final String OUTSIDER_TOKEN = SingleTokenAuthenticator.generateToken();
    static final Principal OWNER = new Principal("jihoon", "hanbit", "KR", Set.of(Role.PROVIDER));
    static final Principal EDGE = new Principal("edge-changwon", "hanbit", "KR", Set.of(Role.PROVIDER));
    static final Principal OUTSIDER = new Principal("carol", "seoul-analytics", "KR", Set.of(Role.CONSUMER));
    static final MasterKey EDGE_KEY = MasterKey.of("edge rules from the hub, the edge's own secret");
    static final EdgeForwarder.Options FAST = new EdgeForwarder.Options(2000, Duration.ofMillis(20), Duration.ofMillis(300));

    /** Kept in the plant: the injection molding machine's cycle time (dropped) and hold pressure recipe (designated). */
    static final String DROPPED = "cycle-time";
    static final String RECIPE = "hold-pressure-setpoint";
    static final String ROUNDED = "spindle-speed";
    static final String RULES = "{\"max_class\":\"restricted\",\"tags\":{\"" + DROPPED + "\":{\"drop\":true},\"" + ROUNDED
            + "\":{\"round\":100},\"" + RECIPE + "\":{\"class\":\"designated\"},\"melt-temperature\":{\"class\":\"restricted\"}}}";

    @TempDir
    Path dir;
    Library library;
    MaxServer server;
    EdgeNode edge;
    LineSimulator line;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeEach
    void start() {
        library = Library.open(LibraryConfig.embedded(dir.resolve("hub"), MasterKey.of("edge rules from the hub test secret")));
        library.streams().create(OWNER, DATASET, Classification.INTERNAL);
        Map<String, Principal> tokens = Map.of(OWNER_TOKEN, OWNER, EDGE_TOKEN, EDGE, OUTSIDER_TOKEN, OUTSIDER);
        server = MaxServer.start(ServerOptions.of(library, token -> Optional.ofNullable(tokens.get(token))));
        line = LineSimulator.create(AssetModel.demoLine(), 42,
                SimulationSettings.defaults().withStart(Instant.parse("2026-12-01T00:00:00Z")).withVibrationSampleRate(1000));
    }

    @AfterEach
    void stop() {
        if (edge != null) edge.close();
        if (server != null) server.close();
        library.close();
    }

    EdgeNode edge(String token) {
        var buffer = EdgeBuffer.open(dir.resolve("edge-buffer"), EDGE_KEY);
        line.addListener(buffer::onSample);
        edge = EdgeNode.start(buffer, List.of(), new HttpHubClient(server.url(), token, Duration.ofSeconds(10)), "edge-changwon",
                DATASET, SampleFilter.none(), FAST);
        return edge;
    }

    /** Simulated seconds of the line, captured into the edge's buffer. */
    void produce(int seconds) {
        line.advance(Duration.ofSeconds(seconds));
        edge.buffer().flush();
    }

    void awaitDrained() {
        await("drained").atMost(Duration.ofSeconds(60)).until(() -> edge.status().buffered() == 0);
    }

    String putRules(String json) {
        var r = send(HttpRequest.newBuilder(URI.create(server.url() + "/v1/streams/" + DATASET + "/edge-rules"))
                .header("Authorization", "Bearer " + OWNER_TOKEN).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    HttpResponse<String> send(HttpRequest r) {
        try {
            return http.send(r, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    List<Object[]> rows(String sql) {
        return QueryRows.of(library, OWNER, sql);
    }

    long count(String where) {
        return ((Number) rows("SELECT count(*) FROM \"" + DATASET + "\" WHERE " + where).getFirst()[0]).longValue();
    }

    /** Per tag, how many samples the hub holds. */
    Map<String, Long> perTag() {
        var out = new HashMap<String, Long>();
        for (Object[] r : rows("SELECT tag, count(*) FROM \"" + DATASET + "\" GROUP BY tag")) out.put((String) r[0], ((Number) r[1]).longValue());
        return out;
    }

    @Test
    void theHubsRulesHoldOnTheWireAndTheHubsStreamDatasetHasNoSampleTheyKeepInThePlant() {
        putRules(RULES);
        edge(EDGE_TOKEN);
        produce(60);
        awaitDrained();

        EdgeStatus status = edge.status();
        assertThat(status.rulesVersion()).isEqualTo(1);
        assertThat(status.rulesProblem()).isNull();
        assertThat(status.toProperties().getProperty("rulesVersion")).isEqualTo("1");
        Map<String, Long> tags = perTag();
        assertThat(tags).doesNotContainKeys(DROPPED, RECIPE);
        assertThat(tags).containsKeys(ROUNDED, "melt-temperature", "spindle-power", "pressure");
        assertThat(count("tag = '" + ROUNDED + "'")).isPositive();
        assertThat(count("tag = '" + ROUNDED + "' AND value IS NOT NULL AND value % 100 <> 0")).isZero();
        // the spindle runs at thousands of rpm: rounding to 100 kept its values, coarser
        assertThat(count("tag = '" + ROUNDED + "' AND value >= 1000")).isPositive();
        // the buffer acknowledged everything, dropped samples too: they are never sent later
        assertThat(status.buffered()).isZero();
    }

    @Test
    void rulesChangedMidStreamGovernEveryLaterPostAndTheBacklog() {
        putRules(RULES);
        edge(EDGE_TOKEN);
        produce(30);
        awaitDrained();
        assertThat(count("tag = 'melt-temperature'")).isPositive();
        Map<String, Long> marks = new HashMap<>();
        for (Object[] r : rows("SELECT source, max(sequence) FROM \"" + DATASET + "\" GROUP BY source")) {
            marks.put((String) r[0], ((Number) r[1]).longValue());
        }

        // the plant's melt temperature becomes designated, and the spindle speed is rounded coarser
        String v2 = putRules(RULES.replace("\"melt-temperature\":{\"class\":\"restricted\"}", "\"melt-temperature\":{\"class\":\"designated\"}")
                .replace("\"round\":100", "\"round\":500"));
        assertThat(v2).contains("\"version\":2");
        // captured while the edge still holds version 1: its first post is refused as filtered under old rules
        produce(30);
        awaitDrained();
        assertThat(edge.status().rulesVersion()).isEqualTo(2);

        var later = new StringBuilder("false");
        marks.forEach((source, mark) -> later.append(" OR (source = '").append(source).append("' AND sequence > ").append(mark).append(')'));
        long after = count(later.toString());
        assertThat(after).as("samples forwarded after the change").isPositive();
        assertThat(count("(" + later + ") AND tag = 'melt-temperature'")).isZero();
        assertThat(count("(" + later + ") AND tag = '" + ROUNDED + "' AND value IS NOT NULL AND value % 500 <> 0")).isZero();
        assertThat(count("(" + later + ") AND tag = '" + ROUNDED + "'")).isPositive();
        assertThat(count("(" + later + ") AND tag IN ('" + DROPPED + "', '" + RECIPE + "')")).isZero();

        var changes = new ArrayList<AuditRecord>();
        library.audit(Principal.localOperator(), DATASET, changes::add);
        assertThat(changes).filteredOn(r -> r.action().equals("edge-rules") && r.outcome().equals("ok"))
                .extracting(AuditRecord::detail)
                .satisfiesExactly(d -> assertThat(d).startsWith("version=1 "),
                        d -> assertThat(d).startsWith("version=2 ").contains("melt-temperature=designated").contains(ROUNDED + "=500"));
        // the edge fetched the rules twice: before its first post, and when a post's answer named version 2
        assertThat(changes).filteredOn(r -> r.action().equals("edge-rules-read") && r.outcome().equals("permit"))
                .extracting(AuditRecord::principal).containsExactly("edge-changwon", "edge-changwon");
        // one open per source for the whole run, not one per post
        assertThat(changes).filteredOn(r -> r.action().equals("stream-open") && r.outcome().equals("ok")).hasSize(4);
    }

    @Test
    void anEdgeWhoseTokenMayNotReadTheRulesForwardsNothingAndItsStatusSaysWhy() {
        putRules(RULES);
        edge(OUTSIDER_TOKEN);
        produce(10);
        await("the refusal named").atMost(Duration.ofSeconds(30)).until(() -> edge.status().rulesProblem() != null);
        EdgeStatus status = edge.status();
        assertThat(status.rulesVersion()).isEqualTo(-1);
        assertThat(status.rulesProblem()).startsWith(EdgeError.RULES_REFUSED.code()).contains("403").contains("MAX-POLICY-001");
        assertThat(status.toProperties().getProperty("rulesVersion")).isEqualTo("none");
        assertThat(status.toProperties().getProperty("rulesProblem")).contains("MAX-EDGE-014");
        assertThat(status.buffered()).isEqualTo(status.captured()).isPositive();
        assertThat(status.forwarded()).isZero();
        assertThat(perTag()).isEmpty();
        var records = new ArrayList<AuditRecord>();
        library.audit(Principal.localOperator(), DATASET, records::add);
        assertThat(records).filteredOn(r -> r.action().equals("edge-rules-read") && r.outcome().equals("denied")).isNotEmpty();
        assertThat(records).filteredOn(r -> r.action().equals("stream-open") || r.action().equals("stream-append")).isEmpty();
    }
}
