package kr.max.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The hand-written OpenAPI document and the routes Javalin serves describe the same API. */
class OpenApiContractTest {

    static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");

    @TempDir
    static Path dir;

    static TestServer ts;
    static JsonNode document;

    @BeforeAll
    static void start() {
        ts = TestServer.start(dir);
        HttpResponse<String> r = ts.send(ts.request("/openapi.yaml").GET().build());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/yaml"));
        document = new YAMLMapper().readTree(r.body());
    }

    @AfterAll
    static void stop() {
        if (ts != null) ts.close();
    }

    /**
     * {@code GET /v1/datasets/{name}} in OpenAPI is {@code GET /v1/datasets/<name>} in Javalin (a dataset
     * name has slashes); other parameters, such as {@code {id}} and {@code {model}}, are written alike in both.
     */
    static Set<String> documented() {
        var out = new TreeSet<String>();
        document.get("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
            if (METHODS.contains(op.getKey())) {
                out.add(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey().replace("{name}", "<name>"));
            }
        }));
        return out;
    }

    @Test
    void theDocumentIsOpenApi31() {
        assertThat(document.get("openapi").asString()).startsWith("3.1.");
        assertThat(document.get("components").get("securitySchemes").get("bearer").get("scheme").asString()).isEqualTo("bearer");
    }

    @Test
    void everyRouteTheServerRegistersIsDocumentedWithItsMethod() {
        assertThat(ts.server.routes()).isNotEmpty();
        assertThat(documented()).containsAll(ts.server.routes());
    }

    @Test
    void everyDocumentedOperationIsServed() {
        assertThat(new TreeSet<>(ts.server.routes())).containsAll(documented());
        for (String operation : documented()) {
            String method = operation.substring(0, operation.indexOf(' '));
            String path = operation.substring(operation.indexOf(' ') + 1).replace("<name>", "contract/probe").replace("{id}", "probe0000000")
                    .replace("{model}", "probe-model");
            HttpRequest.BodyPublisher body = switch (method) {
                case "POST", "PATCH" -> HttpRequest.BodyPublishers.ofString(path.equals("/v1/query") ? "{\"sql\":\"SELECT 1\"}" : "{}");
                default -> HttpRequest.BodyPublishers.noBody();
            };
            HttpResponse<String> r = ts.send(ts.operator(path).method(method, body).build());
            assertThat(r.statusCode() == 404 && r.body().contains("MAX-SERVER-003")).as(operation + " -> " + r.body()).isFalse();
        }
    }

    @Test
    void theDocumentedSecurityIsTheServedOne() {
        Set<String> open = new TreeSet<>();
        document.get("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
            JsonNode security = op.getValue().get("security");
            if (METHODS.contains(op.getKey()) && security != null && security.isEmpty()) {
                open.add(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey());
            }
        }));
        assertThat(open).containsExactlyInAnyOrder("GET /health", "GET /metrics", "GET /openapi.yaml");
        for (String operation : documented()) {
            String method = operation.substring(0, operation.indexOf(' '));
            String path = operation.substring(operation.indexOf(' ') + 1).replace("<name>", "contract/probe").replace("{id}", "probe0000000")
                    .replace("{model}", "probe-model");
            HttpResponse<String> r = ts.send(ts.request(path).method(method, HttpRequest.BodyPublishers.noBody()).build());
            assertThat(r.statusCode() == 401).as(operation).isEqualTo(!open.contains(operation));
        }
    }
}
