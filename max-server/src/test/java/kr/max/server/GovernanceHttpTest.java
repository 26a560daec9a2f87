package kr.max.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import kr.max.library.Library;
import kr.max.library.LibraryConfig;
import kr.max.library.crypto.MasterKey;
import kr.max.library.sample.SampleData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Organizations in two jurisdictions, a steward and an auditor, with API tokens from the library's
 * identity service, against the running server: designated data is analysed inside, held, reviewed by
 * someone else and released to its analyst only; a revoked token is refused on the next call.
 */
class GovernanceHttpTest {

    @TempDir
    static Path dir;

    static Library library;
    static MaxServer server;
    static String admin;
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final JsonMapper JSON = JsonMapper.builder().build();

    @BeforeAll
    static void start() {
        library = Library.open(LibraryConfig.embedded(dir.resolve("home"), MasterKey.of("governance http test secret 0001")));
        admin = library.bootstrapAdmin("national-library", "KR", "admin").orElseThrow().token();
        server = MaxServer.start(ServerOptions.of(library, library::authenticate));
        ok(call(admin, "POST", "/v1/organizations", "{\"name\":\"hanbit-press\",\"businessNumber\":\"220-81-62517\",\"jurisdiction\":\"KR\"}"), 201);
        ok(call(admin, "POST", "/v1/organizations", "{\"name\":\"bavaria-ai\",\"jurisdiction\":\"DE\"}"), 201);
        ok(call(admin, "POST", "/v1/users", "{\"name\":\"alice\",\"organization\":\"hanbit-press\",\"roles\":[\"provider\",\"consumer\"]}"), 201);
        ok(call(admin, "POST", "/v1/users", "{\"name\":\"bob\",\"organization\":\"hanbit-press\",\"roles\":[\"provider\"]}"), 201);
        ok(call(admin, "POST", "/v1/users", "{\"name\":\"hans\",\"organization\":\"bavaria-ai\",\"roles\":[\"consumer\"]}"), 201);
        ok(call(admin, "POST", "/v1/users", "{\"name\":\"sejong\",\"organization\":\"national-library\",\"roles\":[\"steward\"]}"), 201);
        ok(call(admin, "POST", "/v1/users", "{\"name\":\"audrey\",\"organization\":\"national-library\",\"roles\":[\"auditor\"]}"), 201);
        ok(call(admin, "POST", "/v1/organizations", "{\"name\":\"kaist-lab\",\"jurisdiction\":\"KR\"}"), 201);
        ok(call(admin, "POST", "/v1/users", "{\"name\":\"minji\",\"organization\":\"kaist-lab\",\"roles\":[\"consumer\"]}"), 201);
    }

    @AfterAll
    static void stop() {
        server.close();
        library.close();
    }

    static HttpResponse<String> call(String token, String method, String path, String json) {
        var b = HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token).header("Accept-Language", "en");
        b = json == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode ok(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return r.body().isEmpty() ? null : JSON.readTree(r.body());
    }

    static String tokenFor(String user) {
        return ok(call(admin, "POST", "/v1/tokens", "{\"user\":\"" + user + "\",\"days\":7}"), 201).path("token").asString();
    }

    @Test
    void aConsumerIsRefusedADepositBeforeTheFileIsSent() throws Exception {
        String minji = tokenFor("minji");
        // Declared larger than any scratch space: were the size checked first, this would be 413.
        var request = HttpRequest.newBuilder(URI.create(server.url() + "/v1/ingest/kaist/huge")).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + minji).header("Accept-Language", "en").expectContinue(true)
                .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(new byte[0])), Long.MAX_VALUE / 2)).build();
        var r = HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
        assertThat(r.body()).contains("MAX-POLICY-001").contains("role-provider-required");
        String audrey = tokenFor("audrey");
        assertThat(call(audrey, "GET", "/v1/audit?dataset=kaist/huge", null).body()).contains("\"upload\"").contains("denied");
    }

    @Test
    void theSafeZoneStoryAcrossOrganizationsAndJurisdictions() throws Exception {
        String alice = tokenFor("alice");
        String bob = tokenFor("bob");
        String hans = tokenFor("hans");
        String sejong = tokenFor("sejong");
        String audrey = tokenFor("audrey");

        // a non-admin cannot manage identities; an unknown role is a clear 400
        assertThat(call(alice, "POST", "/v1/organizations", "{\"name\":\"x\",\"jurisdiction\":\"KR\"}").statusCode()).isEqualTo(403);
        var badRole = call(admin, "POST", "/v1/users", "{\"name\":\"eve\",\"organization\":\"hanbit-press\",\"roles\":[\"root\"]}");
        assertThat(badRole.statusCode()).isEqualTo(400);
        assertThat(badRole.body()).contains("MAX-ID-010");

        // deposit, then the steward designates (보안과제 지정)
        Path file = SampleData.injectionMolding(Files.createDirectories(dir.resolve("files")), 240, 5);
        var upload = HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + "/v1/ingest/kamp/injection?sourceName=injection.csv"))
                .header("Authorization", "Bearer " + alice).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofFile(file)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(201);
        assertThat(call(alice, "PATCH", "/v1/datasets/kamp/injection", "{\"classification\":\"designated\"}").statusCode()).isEqualTo(403);
        ok(call(sejong, "PATCH", "/v1/datasets/kamp/injection", "{\"classification\":\"designated\"}"), 200);

        // a foreign principal never reaches designated rows
        var foreign = call(hans, "POST", "/v1/query", "{\"sql\":\"SELECT count(*) FROM \\\"kamp/injection\\\"\"}");
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(foreign.body()).contains("residency-designated-domestic-only");

        // the analyst's aggregate is held, not delivered
        var held = ok(call(alice, "POST", "/v1/query",
                "{\"sql\":\"SELECT EQUIP_NAME, avg(Cycle_Time) AS cycle FROM \\\"kamp/injection\\\" GROUP BY 1 ORDER BY 1\"}"), 202);
        String id = held.path("heldOutput").asString();
        assertThat(held.path("rows").asLong()).isEqualTo(3);
        assertThat(call(alice, "GET", "/v1/outputs/" + id + "/result", null).statusCode()).isEqualTo(409);
        assertThat(call(alice, "POST", "/v1/outputs/" + id + "/release", null).statusCode()).isEqualTo(403);
        assertThat(ok(call(bob, "GET", "/v1/outputs", null), 200).path("items").toString()).contains(id);
        ok(call(bob, "POST", "/v1/outputs/" + id + "/release", "{\"note\":\"per-machine means only\"}"), 200);
        var result = ok(call(alice, "GET", "/v1/outputs/" + id + "/result", null), 200);
        assertThat(result.path("columns").size()).isEqualTo(2);
        assertThat(result.path("rows").size()).isEqualTo(3);
        assertThat(call(bob, "GET", "/v1/outputs/" + id + "/result", null).statusCode()).isEqualTo(403);

        // no raw export of designated data, by anyone
        assertThat(call(alice, "GET", "/v1/export/kamp/injection?format=csv", null).statusCode()).isEqualTo(403);

        // revocation takes effect on the next call
        String aliceTokenId = alice.substring(4, 20);
        ok(call(admin, "DELETE", "/v1/tokens/" + aliceTokenId, null), 200);
        assertThat(call(alice, "GET", "/v1/datasets", null).statusCode()).isEqualTo(401);

        // every step is on the audit record, which the auditor reads
        var audit = call(audrey, "GET", "/v1/audit?dataset=kamp/injection", null);
        assertThat(audit.statusCode()).isEqualTo(200);
        assertThat(audit.body()).contains("\"held\"").contains("review-release").contains("output-read")
                .contains("residency-designated-domestic-only").contains("designated-no-raw-export");
        assertThat(call(hans, "GET", "/v1/audit", null).statusCode()).isEqualTo(403);
    }

    @Test
    void anAgreementIsRequestedNarrowedUsedForItsPurposeRevokedAndThenRefused() throws Exception {
        String alice = tokenFor("alice");
        String minji = tokenFor("minji");
        String hans = tokenFor("hans");
        String audrey = tokenFor("audrey");
        Path file = SampleData.injectionMolding(Files.createDirectories(dir.resolve("restricted")), 120, 9);
        var upload = HTTP.send(HttpRequest.newBuilder(URI.create(server.url()
                        + "/v1/ingest/kamp/molding-restricted?sourceName=molding.csv&classification=restricted"))
                .header("Authorization", "Bearer " + alice).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofFile(file)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(201);
        String count = "{\"sql\":\"SELECT count(*) FROM \\\"kamp/molding-restricted\\\"\",\"purpose\":\"quality-research\"}";

        // without an agreement: refused
        assertThat(call(minji, "POST", "/v1/query", count).body()).contains("restricted-agreement-required");
        // minji's lab asks; alice's company narrows to queries, two uses
        var filed = ok(call(minji, "POST", "/v1/requests", "{\"dataset\":\"kamp/molding-restricted\",\"purpose\":"
                + "\"quality-research\",\"actions\":[\"query\",\"export\"],\"until\":\"2099-12-31\",\"analysts\":[\"minji\"]}"), 201);
        String id = filed.path("id").asString();
        assertThat(filed.path("state").asString()).isEqualTo("requested");
        assertThat(call(minji, "POST", "/v1/requests/" + id + "/approve", null).statusCode()).isEqualTo(403);
        var narrowed = ok(call(alice, "POST", "/v1/requests/" + id + "/narrow", "{\"actions\":[\"query\"],\"maxUses\":2}"), 200);
        assertThat(narrowed.path("state").asString()).isEqualTo("active");
        assertThat(narrowed.path("policy").isObject()).isTrue();

        // used for its purpose, twice; a third use, another purpose and an export are refused
        assertThat(ok(call(minji, "POST", "/v1/query", count), 200).path("rows").get(0).get(0).asLong()).isEqualTo(120);
        ok(call(minji, "POST", "/v1/query", count), 200);
        assertThat(call(minji, "POST", "/v1/query", count).body()).contains("agreement-count-exhausted");
        assertThat(call(minji, "POST", "/v1/query", count.replace("quality-research", "marketing")).body()).contains("agreement-");
        assertThat(call(minji, "GET", "/v1/export/kamp/molding-restricted?format=csv&purpose=quality-research", null).statusCode())
                .isEqualTo(403);
        // a foreign consumer's export of domestic data to Germany is refused by residency, agreement or not
        var abroad = call(hans, "GET", "/v1/export/kamp/molding-restricted?format=csv", null);
        assertThat(abroad.statusCode()).isEqualTo(403);
        assertThat(abroad.body()).contains("residency-export-destination");

        // revoked: refused on the next call
        ok(call(alice, "POST", "/v1/requests/" + id + "/revoke", null), 200);
        assertThat(call(minji, "POST", "/v1/query", count).statusCode()).isEqualTo(403);
        assertThat(ok(call(minji, "GET", "/v1/requests/" + id, null), 200).path("state").asString()).isEqualTo("revoked");

        // the provider sees who used the data and for what; a citation is ready in both languages
        var usage = ok(call(alice, "GET", "/v1/usage/kamp/molding-restricted", null), 200);
        assertThat(usage.path("items").toString()).contains("minji").contains("quality-research");
        assertThat(call(minji, "GET", "/v1/usage/kamp/molding-restricted", null).statusCode()).isEqualTo(403);
        var cite = ok(call(minji, "GET", "/v1/citation/kamp/molding-restricted", null), 200);
        assertThat(cite.path("korean").asString()).contains("hanbit-press");
        assertThat(cite.path("english").asString()).contains("kamp/molding-restricted@1");
        var audit = call(audrey, "GET", "/v1/audit?dataset=kamp/molding-restricted", null);
        assertThat(audit.body()).contains("request-access").contains("revoke").contains("agreement-count-exhausted");
    }
}
