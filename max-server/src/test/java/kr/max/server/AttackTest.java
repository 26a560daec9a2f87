package kr.max.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import kr.max.library.audit.AuditChain;
import kr.max.library.sample.SampleData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * What a hostile or careless client may try. Every refusal has its status and stable code, a Korean
 * and an English message, the one error shape and no stack trace; every attempt that reached the
 * library is in its audit chain.
 */
class AttackTest {

    @TempDir
    static Path dir;

    static TestServer ts;

    /** Deposited once by the operator: internal, so an outsider may not read it. */
    static final String DATASET = "kamp/molding";

    @BeforeAll
    static void start() throws IOException {
        ts = TestServer.start(dir);
        Path file = SampleData.injectionMolding(Files.createDirectories(dir.resolve("in")), 200, 3);
        assertThat(ts.upload(DATASET, file, null).statusCode()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        if (ts != null) ts.close();
    }

    /**
     * Sends the request in English and in Korean; checks status, code, the one error shape and that no
     * stack trace leaks. Returns the English body.
     */
    static JsonNode refused(Function<String, HttpRequest> inLanguage, int status, String code) {
        var messages = new ArrayList<String>();
        JsonNode english = null;
        for (String lang : List.of("en", "ko-KR,ko;q=0.9,en;q=0.5")) {
            HttpResponse<String> r = ts.send(inLanguage.apply(lang));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
            noStackTrace(r.body());
            JsonNode body = TestServer.json(r);
            assertThat(names(body)).containsExactly("code", "message", "location");
            assertThat(body.get("code").asString()).isEqualTo(code);
            messages.add(body.get("message").asString());
            if (english == null) english = body;
        }
        assertThat(messages.get(0)).startsWith(code).doesNotContainPattern("[가-힣]");
        assertThat(messages.get(1)).startsWith(code).containsPattern("[가-힣]");
        return english;
    }

    static void noStackTrace(String body) {
        assertThat(body).doesNotContain("at kr.max").doesNotContain("Exception").doesNotContain("\tat ")
                .doesNotContain("org.eclipse.jetty").doesNotContain("io.javalin");
    }

    static List<String> names(JsonNode node) {
        var out = new ArrayList<String>();
        node.propertyNames().forEach(out::add);
        return out;
    }

    static HttpRequest.Builder withLang(String path, String lang) {
        return ts.request(path).header("Accept-Language", lang);
    }

    static HttpRequest postQuery(String sql, String token, String lang) {
        return withLang("/v1/query", lang).header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(TestServer.JSON.writeValueAsString(Map.of("sql", sql)))).build();
    }

    /** Audit records as the library keeps them (read over HTTP by the operator, an auditor). */
    static List<JsonNode> audit() {
        HttpResponse<String> r = ts.get("/v1/audit");
        assertThat(r.statusCode()).isEqualTo(200);
        var out = new ArrayList<JsonNode>();
        TestServer.json(r).forEach(out::add);
        return out;
    }

    // ---------------------------------------------------------------- authentication

    @Test
    void noTokenIsRefusedWithAChallenge() {
        refused(lang -> withLang("/v1/datasets", lang).GET().build(), 401, "MAX-SERVER-001");
        HttpResponse<String> r = ts.send(ts.request("/v1/datasets").GET().build());
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"max\"");
    }

    @Test
    void anUnknownTokenIsRefused() {
        String guess = SingleTokenAuthenticator.generateToken();
        refused(lang -> withLang("/v1/datasets", lang).header("Authorization", "Bearer " + guess).GET().build(),
                401, "MAX-SERVER-001");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer", "Bearer ", "Basic b3BlcmF0b3I6c2VjcmV0", "Bearer a b", "Token abc", "Bearer \"abc\"",
            "BearerXYZ", "Bearer ../../etc/passwd"})
    void aMalformedAuthorizationHeaderIsRefused(String header) {
        refused(lang -> withLang("/v1/datasets", lang).header("Authorization", header).GET().build(), 401, "MAX-SERVER-001");
    }

    @Test
    void theOperatorTokenWithAnotherSchemeSpellingIsAccepted() {
        HttpResponse<String> r = ts.send(ts.request("/v1/datasets").header("Authorization", "bearer " + TestServer.OPERATOR_TOKEN).build());
        assertThat(r.statusCode()).isEqualTo(200);
    }

    @Test
    void everyRouteUnderV1NeedsAToken() {
        for (String path : List.of("/v1/datasets", "/v1/datasets/" + DATASET, "/v1/dictionary/" + DATASET, "/v1/export/" + DATASET,
                "/v1/audit", "/v1/audit/verify")) {
            HttpResponse<String> r = ts.send(ts.request(path).GET().build());
            assertThat(r.statusCode()).as(path).isEqualTo(401);
        }
        HttpResponse<String> upload = ts.send(ts.request("/v1/ingest/kamp/sneaky").POST(HttpRequest.BodyPublishers.ofString("a,b\n1,2\n")).build());
        assertThat(upload.statusCode()).isEqualTo(401);
        assertThat(audit()).noneMatch(r -> "kamp/sneaky".equals(r.get("dataset").asString(null)));
    }

    // ---------------------------------------------------------------- malformed requests

    @Test
    void malformedJsonIsRefusedWithItsPlace() {
        JsonNode e = refused(lang -> withLang("/v1/query", lang).header("Authorization", "Bearer " + TestServer.OPERATOR_TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString("{\"sql\": ")).build(), 400, "MAX-SERVER-002");
        assertThat(e.get("location").asString()).startsWith("body:1:");
    }

    @Test
    void unknownFieldsAndWrongTypesInJsonAreRefused() {
        refused(lang -> withLang("/v1/query", lang).header("Authorization", "Bearer " + TestServer.OPERATOR_TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString("{\"sql\": \"SELECT 1\", \"path\": \"/etc/passwd\"}")).build(),
                400, "MAX-SERVER-002");
        refused(lang -> withLang("/v1/datasets/" + DATASET, lang).header("Authorization", "Bearer " + TestServer.OPERATOR_TOKEN)
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"tags\": {\"a\": 1}}")).build(), 400, "MAX-SERVER-002");
    }

    @Test
    void unsupportedFormatsAndBadParametersAreRefused() {
        refused(lang -> withLang("/v1/export/" + DATASET + "?format=xlsx", lang)
                .header("Authorization", "Bearer " + TestServer.OPERATOR_TOKEN).GET().build(), 400, "MAX-SERVER-006");
        refused(lang -> withLang("/v1/query", lang).header("Authorization", "Bearer " + TestServer.OPERATOR_TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString("{\"sql\": \"SELECT 1\", \"format\": \"xml\"}")).build(),
                400, "MAX-SERVER-006");
        refused(lang -> withLang("/v1/datasets/" + DATASET + "?rows=100000", lang)
                .header("Authorization", "Bearer " + TestServer.OPERATOR_TOKEN).GET().build(), 400, "MAX-SERVER-008");
        refused(lang -> withLang("/v1/ingest/kamp/other?skipBadRows=perhaps", lang)
                .header("Authorization", "Bearer " + TestServer.OPERATOR_TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString("a\n1\n")).build(), 400, "MAX-SERVER-008");
    }

    @Test
    void anUnknownRouteIsAnsweredInTheErrorShape() {
        refused(lang -> withLang("/v1/datasets-all", lang).header("Authorization", "Bearer " + TestServer.OPERATOR_TOKEN)
                .GET().build(), 404, "MAX-SERVER-003");
        refused(lang -> withLang("/admin", lang).GET().build(), 404, "MAX-SERVER-003");
        refused(lang -> withLang("/v1/datasets", lang).header("Authorization", "Bearer " + TestServer.OPERATOR_TOKEN)
                .PUT(HttpRequest.BodyPublishers.noBody()).build(), 404, "MAX-SERVER-003");
    }

    @Test
    void oversizeHeadersAreAnsweredByJettyInTheErrorShape() {
        HttpResponse<String> r = ts.send(ts.operator("/v1/datasets").header("Accept-Language", "ko")
                .header("X-Padding", "x".repeat(ServerOptions.DEFAULT_MAX_REQUEST_HEADER_BYTES + 1)).GET().build());
        assertThat(r.statusCode()).isEqualTo(431);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        noStackTrace(r.body());
        JsonNode e = TestServer.json(r);
        assertThat(names(e)).containsExactly("code", "message", "location");
        assertThat(e.get("code").asString()).isEqualTo("MAX-SERVER-005");
        // The headers were not read, Accept-Language included: the answer is in the default language.
        assertThat(e.get("message").asString()).contains("8,192");
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET /v1/%zz HTTP/1.1|400", "GET /v1/datasets\u0001 HTTP/1.1|400", "GET / HTTP/9.9|505"})
    void aRequestJettyCannotParseIsAnsweredInTheErrorShape(String attempt) throws IOException {
        String requestLine = attempt.split("\\|")[0];
        String raw = raw(requestLine + "\r\nHost: localhost\r\nAccept-Language: ko\r\nConnection: close\r\n\r\n");
        assertThat(raw.substring(0, raw.indexOf("\r\n"))).startsWith("HTTP/1.1 " + attempt.split("\\|")[1] + " ");
        String body = raw.substring(raw.indexOf("\r\n\r\n") + 4);
        noStackTrace(body);
        JsonNode e = TestServer.JSON.readTree(body);
        assertThat(names(e)).containsExactly("code", "message", "location");
        assertThat(e.get("code").asString()).isEqualTo("MAX-SERVER-009");
        assertThat(e.get("message").asString()).contains("HTTP " + attempt.split("\\|")[1]);
    }

    /** Writes bytes as they are (no client library would send these) and reads the whole answer. */
    static String raw(String request) throws IOException {
        try (Socket s = new Socket(ts.server.url().getHost(), ts.server.port())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    // ---------------------------------------------------------------- names and paths

    @ParameterizedTest
    @ValueSource(strings = {"/v1/datasets/../../etc/passwd", "/v1/datasets/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
            "/v1/datasets/kamp/%2e%2e/x", "/v1/dictionary/..%2F..%2Fetc%2Fpasswd", "/v1/export/kamp/../../../etc/passwd",
            "/v1/datasets/kamp/Molding", "/v1/datasets/kamp/molding@1", "/v1/datasets/a/b/c/d/e", "/v1/datasets/kamp/%22x%22"})
    void pathTraversalAndInvalidNamesNeverReachTheLibrary(String path) {
        int before = audit().size();
        refused(lang -> withLang(path, lang).header("Authorization", "Bearer " + TestServer.OPERATOR_TOKEN).GET().build(),
                400, "MAX-CORE-001");
        // Nothing but the second audit read itself (its permit and its read) was added.
        assertThat(audit().size()).isEqualTo(before + 2);
    }

    @Test
    void aSourceNameWithDirectoriesOnlyNamesTheSource() throws IOException {
        Path file = Files.writeString(dir.resolve("small.csv"), "a,b\n1,2\n3,4\n", StandardCharsets.UTF_8);
        HttpResponse<String> r = ts.upload("kamp/names", file, null);
        assertThat(r.statusCode()).isEqualTo(201);
        HttpResponse<String> sneaky = ts.send(ts.operator("/v1/ingest/kamp/names?sourceName=..%2F..%2F..%2Fetc%2Fcron.d%2Fmax")
                .POST(HttpRequest.BodyPublishers.ofFile(file)).build());
        assertThat(sneaky.statusCode()).as(sneaky.body()).isEqualTo(201);
        assertThat(TestServer.json(sneaky).get("source").get("fileName").asString()).isEqualTo("max");
        assertThat(Path.of("/etc/cron.d/max")).doesNotExist();
        assertThat(ts.filesInScratch()).isZero();
    }

    // ---------------------------------------------------------------- SQL

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT * FROM read_csv('/etc/passwd')|403|MAX-QUERY-005",
            "SELECT * FROM read_text('/etc/passwd')|403|MAX-QUERY-005",
            "SELECT * FROM glob('/etc/*')|403|MAX-QUERY-005",
            "SELECT * FROM '/etc/passwd'|404|MAX-QUERY-003",
            "COPY (SELECT * FROM \"kamp/molding\") TO '/tmp/max-stolen.csv'|400|MAX-QUERY-002",
            "ATTACH '/tmp/max-attached.db' AS stolen|400|MAX-QUERY-002",
            "INSTALL httpfs|400|MAX-QUERY-002",
            "LOAD httpfs|400|MAX-QUERY-002",
            "PRAGMA database_list|400|MAX-QUERY-002",
            "SET enable_external_access = true|400|MAX-QUERY-002",
            "SELECT 1; SELECT * FROM read_csv('/etc/passwd')|400|MAX-QUERY-002"})
    void sqlThatReachesForFilesOrSettingsIsRefusedAndAudited(String attempt) {
        String[] parts = attempt.split("\\|");
        String sql = parts[0];
        refused(lang -> postQuery(sql, TestServer.OPERATOR_TOKEN, lang), Integer.parseInt(parts[1]), parts[2]);
        String hash = AuditChain.sha256(sql);
        List<JsonNode> attempts = audit().stream().filter(r -> hash.equals(r.get("queryHash").asString(null))).toList();
        assertThat(attempts).as("one record per attempt").hasSize(2);
        assertThat(attempts).allSatisfy(r -> {
            assertThat(r.get("outcome").asString()).isEqualTo("failed");
            assertThat(r.get("detail").asString()).isEqualTo(parts[2]);
            assertThat(r.get("principal").asString()).isEqualTo(TestServer.OPERATOR.name());
        });
        assertThat(Path.of("/tmp/max-stolen.csv")).doesNotExist();
        assertThat(Path.of("/tmp/max-attached.db")).doesNotExist();
    }

    // ---------------------------------------------------------------- policy

    @Test
    void theLibraryPolicyDecidesForTheTokensPrincipalAndRecordsTheDenial() {
        String sql = "SELECT count(*) FROM \"" + DATASET + "\" WHERE Worker = 'outsider-probe'";
        JsonNode e = refused(lang -> postQuery(sql, TestServer.OUTSIDER_TOKEN, lang), 403, "MAX-POLICY-001");
        assertThat(e.get("location").asString()).isEqualTo(DATASET);
        refused(lang -> withLang("/v1/export/" + DATASET, lang).header("Authorization", "Bearer " + TestServer.OUTSIDER_TOKEN)
                .GET().build(), 403, "MAX-POLICY-001");
        refused(lang -> withLang("/v1/datasets/" + DATASET, lang).header("Authorization", "Bearer " + TestServer.OUTSIDER_TOKEN)
                .DELETE().build(), 403, "MAX-POLICY-001");
        refused(lang -> withLang("/v1/audit", lang).header("Authorization", "Bearer " + TestServer.OUTSIDER_TOKEN)
                .GET().build(), 403, "MAX-POLICY-001");

        List<JsonNode> denials = audit().stream()
                .filter(r -> TestServer.OUTSIDER.name().equals(r.get("principal").asString()) && "denied".equals(r.get("outcome").asString()))
                .toList();
        assertThat(denials.stream().filter(r -> AuditChain.sha256(sql).equals(r.get("queryHash").asString(null)))).hasSize(2);
        assertThat(denials.stream().map(r -> r.get("action").asString())).contains("query", "export", "delete", "audit");
        // The denied queries left no value behind: the audit keeps the hash of the text, never the text.
        assertThat(ts.get("/v1/audit").body()).doesNotContain("outsider-probe");
        assertThat(ts.get("/v1/datasets/" + DATASET).statusCode()).isEqualTo(200);
    }

    @Test
    void theOutsiderSeesNoDatasetItMayNotRead() {
        HttpResponse<String> r = ts.send(ts.request("/v1/datasets").header("Authorization", "Bearer " + TestServer.OUTSIDER_TOKEN).build());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).doesNotContain(DATASET);
    }

    // ---------------------------------------------------------------- size

    @Test
    void aBodyLargerThanTheFreeScratchSpaceIsRefusedBeforeItIsSent() throws IOException {
        long free = Files.getFileStore(ts.server.scratchDir()).getUsableSpace();
        long declared = free + 1;
        JsonNode e = refused(lang -> withLang("/v1/ingest/kamp/huge", lang)
                .header("Authorization", "Bearer " + TestServer.OPERATOR_TOKEN).expectContinue(true)
                .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(Zeros::new), declared))
                .build(), 413, "MAX-SERVER-004");
        assertThat(e.get("message").asString()).contains("at most");
        assertThat(ts.filesInScratch()).isZero();
        assertThat(audit()).noneMatch(r -> "kamp/huge".equals(r.get("dataset").asString(null)));
    }

    /** An endless stream of zeros: only a server that reads it would notice. */
    static final class Zeros extends InputStream {
        @Override
        public int read() {
            return 0;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            java.util.Arrays.fill(b, off, off + len, (byte) 0);
            return len;
        }
    }

    // ---------------------------------------------------------------- failures

    @Test
    void anInternalFailureShowsAnIncidentNumberAndNothingElse() {
        var appender = new ListAppender<ILoggingEvent>();
        appender.start();
        var logger = (Logger) LoggerFactory.getLogger("kr.max.server");
        logger.addAppender(appender);
        try {
            JsonNode e = refused(lang -> withLang("/v1/datasets", lang).header("Authorization", "Bearer " + TestServer.EXPLODING_TOKEN)
                    .GET().build(), 500, "MAX-SERVER-007");
            assertThat(e.get("message").asString()).doesNotContain(TestServer.EXPLODING_SECRET).doesNotContain("IllegalState");
            String incident = e.get("message").asString().replaceAll("(?s).*incident ([0-9a-f]{8}).*", "$1");
            assertThat(incident).hasSize(8);
            assertThat(appender.list).anySatisfy(event -> assertThat(event.getFormattedMessage())
                    .contains(incident).contains("java.lang.IllegalStateException"));
            assertThat(appender.list).noneSatisfy(event -> assertThat(event.getFormattedMessage()).contains(TestServer.EXPLODING_SECRET));
            assertThat(appender.list).allSatisfy(event -> assertThat(event.getThrowableProxy()).isNull());
        } finally {
            logger.detachAppender(appender);
        }
    }
}
