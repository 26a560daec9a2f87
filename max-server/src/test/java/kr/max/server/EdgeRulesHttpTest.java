package kr.max.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import kr.max.core.Classification;
import kr.max.core.Principal;
import kr.max.core.Role;
import kr.max.library.Library;
import kr.max.library.LibraryConfig;
import kr.max.library.audit.AuditRecord;
import kr.max.library.crypto.MasterKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The hub's edge rules over HTTP, and the appenders it keeps open for edges' posts: a real library (H2) and a real
 * server, tokens of the plant's owner (jihoon), its edge and an outsider. Audit records are counted, never timed.
 */
class EdgeRulesHttpTest {

    static final String DATASET = "hanbit/line-1";
    static final String OWNER_TOKEN = SingleTokenAuthenticator.generateToken();
    static final String EDGE_TOKEN = SingleTokenAuthenticator.generateToken();
    static final String OUTSIDER_TOKEN = SingleTokenAuthenticator.generateToken();
    static final Principal OWNER = new Principal("jihoon", "hanbit", "KR", Set.of(Role.PROVIDER));
    static final Principal EDGE = new Principal("edge-changwon", "hanbit", "KR", Set.of(Role.PROVIDER));
    static final Principal OUTSIDER = new Principal("carol", "seoul-analytics", "KR", Set.of(Role.CONSUMER));
    static final String CNC = "hanbit/changwon/line-1/machining-cell/CNC-01";
    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;
    Library library;
    MaxServer server;
    /** Token → principal, changed by a test to withdraw a permission. */
    final Map<String, Principal> principals = new ConcurrentHashMap<>();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeEach
    void start() {
        library = Library.open(LibraryConfig.embedded(dir.resolve("hub"), MasterKey.of("edge rules http test master secret")));
        principals.putAll(Map.of(OWNER_TOKEN, OWNER, EDGE_TOKEN, EDGE, OUTSIDER_TOKEN, OUTSIDER));
        library.streams().create(OWNER, DATASET, Classification.INTERNAL);
        server = MaxServer.start(ServerOptions.of(library, token -> Optional.ofNullable(principals.get(token))));
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
        library.close();
    }

    HttpResponse<String> send(String token, String method, String path, String body, String language) {
        var b = HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token);
        if (language != null) b.header("Accept-Language", language);
        if (body != null) b.header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> rules(String token) {
        return send(token, "GET", "/v1/streams/" + DATASET + "/edge-rules", null, null);
    }

    HttpResponse<String> setRules(String token, String body) {
        return send(token, "PUT", "/v1/streams/" + DATASET + "/edge-rules", body, null);
    }

    HttpResponse<String> post(String token, String source, Long rulesVersion, String... samples) {
        String body = "{\"source\":\"" + source + "\"" + (rulesVersion == null ? "" : ",\"rules_version\":" + rulesVersion)
                + ",\"samples\":[" + String.join(",", samples) + "]}";
        return send(token, "POST", "/v1/streams/" + DATASET + "/samples", body, null);
    }

    static String sample(long seq, String tag, double value) {
        return "{\"seq\":" + seq + ",\"time\":\"2026-12-01T00:00:" + String.format("%02d", seq % 60) + "Z\",\"asset\":\"" + CNC
                + "\",\"tag\":\"" + tag + "\",\"value\":" + value + ",\"quality\":\"GOOD\"}";
    }

    static JsonNode json(HttpResponse<String> r) {
        return JSON.readTree(r.body());
    }

    long rows() {
        return QueryRows.number(library, OWNER, "SELECT count(*) FROM \"" + DATASET + "\"");
    }

    List<AuditRecord> audit() {
        var out = new ArrayList<AuditRecord>();
        library.audit(Principal.localOperator(), DATASET, out::add);
        return out;
    }

    long records(String action, String outcome) {
        return audit().stream().filter(r -> r.action().equals(action) && r.outcome().equals(outcome)).count();
    }

    static final String RULES = "{\"max_class\":\"restricted\",\"tags\":{\"operator-id\":{\"drop\":true},"
            + "\"spindle-speed\":{\"round\":10},\"mold-recipe\":{\"class\":\"designated\"}}}";

    @Test
    void theOwnerSetsTheRulesOverHttpAndTheEdgesTokenReadsThemEachChangeOnTheAuditChain() {
        var before = rules(EDGE_TOKEN);
        assertThat(before.statusCode()).as(before.body()).isEqualTo(200);
        assertThat(json(before).get("version").asLong()).isZero();
        assertThat(json(before).get("max_class").asString()).isEqualTo("restricted");
        assertThat(json(before).get("tags").isEmpty()).isTrue();

        var set = setRules(OWNER_TOKEN, RULES);
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        assertThat(json(set).get("version").asLong()).isEqualTo(1);
        assertThat(json(set).get("changed_by").asString()).isEqualTo("jihoon");
        assertThat(json(set).get("dataset").asString()).isEqualTo(DATASET);
        // what was read may be sent back as it is, answer fields and all; the same rules are no new version
        var again = setRules(OWNER_TOKEN, set.body());
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(json(again).get("version").asLong()).isEqualTo(1);
        var read = json(rules(EDGE_TOKEN));
        assertThat(read.get("version").asLong()).isEqualTo(1);
        assertThat(read.get("tags").get("spindle-speed").get("round").asDouble()).isEqualTo(10.0);
        assertThat(read.get("tags").get("mold-recipe").get("class").asString()).isEqualTo("designated");

        var changes = audit().stream().filter(r -> r.action().equals("edge-rules") && r.outcome().equals("ok")).toList();
        assertThat(changes).extracting(AuditRecord::principal).containsExactly("jihoon", "jihoon");
        assertThat(changes.getFirst().detail()).startsWith("version=1 max-class=restricted drop=operator-id round=spindle-speed=10 "
                + "class=mold-recipe=designated sha256=");
        assertThat(changes.getLast().detail()).isEqualTo("unchanged version=1");
        assertThat(records("edge-rules-read", "permit")).isEqualTo(2);
        assertThat(library.verifyAudit(Principal.localOperator()).intact()).isTrue();
    }

    @Test
    void unusableRulesAreRefusedWith400AndAStableCodeInKoreanOrEnglish() {
        var en = send(OWNER_TOKEN, "PUT", "/v1/streams/" + DATASET + "/edge-rules", "{\"tags\":{\"spindle-speed\":{\"round\":0}}}", "en");
        assertThat(en.statusCode()).isEqualTo(400);
        assertThat(json(en).get("code").asString()).isEqualTo("MAX-STREAM-010");
        assertThat(json(en).get("message").asString()).contains("tags.spindle-speed.round").contains("Nothing was changed");
        var ko = send(OWNER_TOKEN, "PUT", "/v1/streams/" + DATASET + "/edge-rules", "{\"tags\":{\"a\":{\"hash\":true}}}", "ko");
        assertThat(ko.statusCode()).isEqualTo(400);
        assertThat(json(ko).get("code").asString()).isEqualTo("MAX-STREAM-010");
        assertThat(json(ko).get("message").asString()).contains("엣지 반출 규칙").contains("tags.a.hash");
        var unknownClass = setRules(OWNER_TOKEN, "{\"max_class\":\"secret\"}");
        assertThat(json(unknownClass).get("code").asString()).isEqualTo("MAX-STREAM-010");
        var notJson = setRules(OWNER_TOKEN, "{\"tags\":");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(json(notJson).get("code").asString()).isEqualTo("MAX-SERVER-002");
        var empty = setRules(OWNER_TOKEN, "");
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(json(empty).get("code").asString()).isEqualTo("MAX-SERVER-008");
        assertThat(json(rules(OWNER_TOKEN)).get("version").asLong()).isZero();
        assertThat(records("edge-rules", "ok")).isZero();
    }

    @Test
    void onlyThoseWhoMayDepositReadTheRulesAndOnlyTheOwnerOrganizationSetsThem() {
        var read = rules(OUTSIDER_TOKEN);
        assertThat(read.statusCode()).isEqualTo(403);
        assertThat(json(read).get("code").asString()).isEqualTo("MAX-POLICY-001");
        var set = setRules(OUTSIDER_TOKEN, RULES);
        assertThat(set.statusCode()).isEqualTo(403);
        assertThat(json(rules(OWNER_TOKEN)).get("version").asLong()).isZero();
        assertThat(records("edge-rules", "denied")).isEqualTo(1);
        assertThat(records("edge-rules-read", "denied")).isEqualTo(1);
        var deposited = send(OWNER_TOKEN, "GET", "/v1/streams/hanbit/none/edge-rules", null, null);
        assertThat(deposited.statusCode()).isEqualTo(404);
    }

    @Test
    void aPostFilteredUnderOlderRulesIsNotTakenAndItsAnswerNamesTheNewVersion() {
        assertThat(json(setRules(OWNER_TOKEN, RULES)).get("version").asLong()).isEqualTo(1);
        var stale = post(EDGE_TOKEN, "edge-changwon/CNC-01", 0L, sample(1, "spindle-power", 4.5), sample(2, "spindle-power", 4.6));
        assertThat(stale.statusCode()).as(stale.body()).isEqualTo(200);
        assertThat(json(stale).get("committed_through").asLong()).isEqualTo(-1);
        assertThat(json(stale).get("rules_version").asLong()).isEqualTo(1);
        assertThat(rows()).isZero();
        var current = post(EDGE_TOKEN, "edge-changwon/CNC-01", 1L, sample(1, "spindle-power", 4.5), sample(2, "spindle-power", 4.6));
        assertThat(json(current).get("committed_through").asLong()).isEqualTo(2);
        assertThat(json(current).get("rules_version").asLong()).isEqualTo(1);
        assertThat(rows()).isEqualTo(2);
        var mark = send(EDGE_TOKEN, "GET", "/v1/streams/" + DATASET + "/mark?source=edge-changwon%2FCNC-01", null, null);
        assertThat(json(mark).get("committed_through").asLong()).isEqualTo(2);
        assertThat(json(mark).get("rules_version").asLong()).isEqualTo(1);
    }

    @Test
    void aSampleTheRulesKeepInThePlantOrWouldRoundRefusesTheWholePost() {
        setRules(OWNER_TOKEN, RULES);
        for (String bad : List.of(sample(2, "operator-id", 17), sample(2, "mold-recipe", 231), sample(2, "spindle-speed", 1234))) {
            var r = post(EDGE_TOKEN, "edge-changwon/CNC-01", 1L, sample(1, "spindle-power", 4.5), bad);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
            assertThat(json(r).get("code").asString()).isEqualTo("MAX-STREAM-011");
            assertThat(json(r).get("message").asString()).contains("Sample 1").contains("rules version 1");
        }
        assertThat(rows()).isZero();
        // a poster that states no version is held to the rules all the same
        var rounded = post(EDGE_TOKEN, "edge-changwon/CNC-01", null, sample(1, "spindle-speed", 1230), sample(2, "spindle-power", 4.6));
        assertThat(rounded.statusCode()).as(rounded.body()).isEqualTo(200);
        assertThat(rows()).isEqualTo(2);
        // the refused posts left the appender open: one open for the source in all
        assertThat(records("stream-open", "ok")).isEqualTo(1);
    }

    @Test
    void aSteadyEdgeWritesOneOpenRecordPerSourceNotOnePerPostAndTheServersStopClosesThem() {
        for (int i = 1; i <= 5; i++) {
            var r = post(EDGE_TOKEN, "edge-changwon/CNC-01", 0L, sample(i, "spindle-power", i));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(json(r).get("committed_through").asLong()).isEqualTo(i);
        }
        send(EDGE_TOKEN, "GET", "/v1/streams/" + DATASET + "/mark?source=edge-changwon%2FCNC-01", null, null);
        post(EDGE_TOKEN, "edge-changwon/PRS-01", 0L, sample(1, "pressure", 1));
        post(EDGE_TOKEN, "edge-changwon/PRS-01", 0L, sample(2, "pressure", 2));
        assertThat(rows()).isEqualTo(7);
        assertThat(server.streamAppenders().open()).isEqualTo(2);
        assertThat(records("stream-open", "permit")).isEqualTo(2);
        assertThat(records("stream-open", "ok")).isEqualTo(2);
        assertThat(records("stream-close", "ok")).isZero();
        assertThat(records("stream-append", "denied")).isZero();

        server.close();
        server = null;
        var closes = audit().stream().filter(r -> r.action().equals("stream-close")).toList();
        assertThat(closes).extracting(AuditRecord::outcome).containsExactly("ok", "ok");
        assertThat(closes).extracting(AuditRecord::detail).anySatisfy(d -> assertThat(d).contains("source=edge-changwon/CNC-01 appended=5"));
    }

    @Test
    void aPermissionWithdrawnWhileTheAppenderIsOpenStopsTheNextPost() {
        assertThat(post(EDGE_TOKEN, "edge-changwon/CNC-01", 0L, sample(1, "spindle-power", 1)).statusCode()).isEqualTo(200);
        principals.put(EDGE_TOKEN, new Principal("edge-changwon", "hanbit", "KR", Set.of(Role.CONSUMER)));
        var refused = post(EDGE_TOKEN, "edge-changwon/CNC-01", 0L, sample(2, "spindle-power", 2));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        assertThat(json(refused).get("code").asString()).isEqualTo("MAX-POLICY-001");
        var mark = send(EDGE_TOKEN, "GET", "/v1/streams/" + DATASET + "/mark?source=edge-changwon%2FCNC-01", null, null);
        assertThat(mark.statusCode()).isEqualTo(403);
        assertThat(rows()).isEqualTo(1);
        // the denial is on record, and the appender was closed rather than kept for a principal who may not use it
        assertThat(records("stream-append", "denied")).isEqualTo(1);
        assertThat(records("stream-open", "denied")).isEqualTo(1);
        assertThat(records("stream-close", "ok")).isEqualTo(1);
        assertThat(server.streamAppenders().open()).isZero();

        principals.put(EDGE_TOKEN, EDGE);
        assertThat(json(post(EDGE_TOKEN, "edge-changwon/CNC-01", 0L, sample(2, "spindle-power", 2))).get("committed_through").asLong())
                .isEqualTo(2);
        assertThat(records("stream-open", "ok")).isEqualTo(2);
    }

    @Test
    void anAppenderUnusedForTheIdleTimeIsClosedAndTheNextUseOpensAnother() {
        var clock = new AtomicLong();
        try (var appenders = new StreamAppenders(library, Duration.ofSeconds(60), clock::get, false)) {
            long mark = appenders.with(EDGE, DATASET, "edge-changwon/CNC-01", a -> a.committedThrough());
            assertThat(mark).isEqualTo(-1L);
            clock.addAndGet(Duration.ofSeconds(59).toNanos());
            mark = appenders.with(EDGE, DATASET, "edge-changwon/CNC-01", a -> a.committedThrough());
            assertThat(mark).isEqualTo(-1L);
            clock.addAndGet(Duration.ofSeconds(59).toNanos());
            assertThat(appenders.sweep()).isZero();
            assertThat(records("stream-close", "ok")).isZero();
            clock.addAndGet(Duration.ofSeconds(2).toNanos());
            assertThat(appenders.sweep()).isEqualTo(1);
            assertThat(appenders.open()).isZero();
            assertThat(records("stream-close", "ok")).isEqualTo(1);
            appenders.with(EDGE, DATASET, "edge-changwon/CNC-01", a -> a.committedThrough());
            assertThat(records("stream-open", "ok")).isEqualTo(2);
        }
        assertThat(records("stream-close", "ok")).isEqualTo(2);
    }
}
