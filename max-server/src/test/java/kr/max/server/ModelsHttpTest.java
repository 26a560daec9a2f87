package kr.max.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import kr.max.library.audit.AuditRecord;
import kr.max.models.fixture.LeastSquares;
import kr.max.models.fixture.RegressionData;
import kr.max.models.fixture.TinyOnnx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The model registry over HTTP against a running server: train inside the library, list, show, predict (CSV),
 * evaluate, score a sample and a window, export, import an ONNX file; an outsider's attempts are refused by the
 * library and on its record.
 */
class ModelsHttpTest {

    @TempDir
    static Path dir;

    static TestServer ts;

    @BeforeAll
    static void start() throws Exception {
        ts = TestServer.start(dir);
        Path press = RegressionData.write(dir.resolve("press.csv"), 600, 1);
        assertThat(ts.upload("plant/press", press, "classification=restricted").statusCode()).isEqualTo(201);
        var trained = post(TestServer.OPERATOR_TOKEN, "/v1/models/train", """
                {"type":"test-ols","dataset":"plant/press","params":{"ridge":0.0},"seed":7,"name":"press-ols","purpose":"quality-research"}""");
        assertThat(trained.statusCode()).as(trained.body()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        if (ts != null) ts.close();
    }

    static HttpResponse<String> post(String token, String path, String json) {
        return ts.send(ts.request(path).header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    static HttpResponse<String> get(String token, String path) {
        return ts.send(ts.request(path).header("Authorization", "Bearer " + token).GET().build());
    }

    static JsonNode ok(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return TestServer.json(r);
    }

    static void error(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(TestServer.json(r).get("code").asString()).isEqualTo(code);
    }

    @Test
    void aModelTrainedOverHttpIsListedShownAndUsed() {
        var list = ok(ts.get("/v1/models"));
        assertThat(list.get("items")).anySatisfy(m -> {
            assertThat(m.get("name").asString()).isEqualTo("press-ols");
            assertThat(m.get("type").asString()).isEqualTo(LeastSquares.ID);
            assertThat(m.get("classification").asString()).isEqualTo("restricted");
        });

        var model = ok(ts.get("/v1/models/press-ols"));
        var shown = model.get("shown");
        assertThat(shown.get("ref").asString()).isEqualTo("press-ols@1");
        assertThat(shown.get("metrics").get("values").get("rmse").asDouble()).isLessThan(0.15);
        assertThat(shown.get("card").get("purposeKo").asString()).contains("선형 회귀");
        assertThat(shown.get("lineage").get("data").get(0).get("dataset").asString()).isEqualTo("plant/press");
        assertThat(shown.get("lineage").get("seed").asLong()).isEqualTo(7);
        assertThat(shown.get("lineage").get("parameters").get("ridge").asDouble()).isZero();

        var predicted = post(TestServer.OPERATOR_TOKEN, "/v1/models/press-ols/predict", "{\"dataset\":\"plant/press\"}");
        assertThat(predicted.statusCode()).as(predicted.body()).isEqualTo(200);
        assertThat(predicted.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
        var lines = predicted.body().lines().toList();
        assertThat(lines.getFirst()).isEqualTo("asset,time,prediction");
        assertThat(lines).hasSize(601);
        assertThat(lines.get(1)).matches(".+,2026-01-05T[0-9:]+\\+09:00,-?[0-9.]+");

        var metrics = ok(post(TestServer.OPERATOR_TOKEN, "/v1/models/press-ols/evaluate?version=1", "{\"dataset\":\"plant/press@1\"}"));
        assertThat(metrics.get("values").get("rmse").asDouble()).isLessThan(0.15);

        var one = ok(post(TestServer.OPERATOR_TOKEN, "/v1/models/press-ols/score", "{\"sample\":[60,140,1200]}"));
        assertThat(one.get("scores").get(0).get("value").asDouble()).isCloseTo(RegressionData.truth(60, 140, 1200), within(0.05));
        assertThat(one.get("scores").get(0).get("limit").isNull()).isTrue();
        var window = ok(post(TestServer.OPERATOR_TOKEN, "/v1/models/press-ols/score", "{\"samples\":[[60,140,1200],[61,140,1200]]}"));
        assertThat(window.get("scores")).hasSize(2);
        assertThat(window.get("scores").get(1).get("value").asDouble() - window.get("scores").get(0).get("value").asDouble())
                .isCloseTo(RegressionData.TEMPERATURE, within(0.01));
        error(post(TestServer.OPERATOR_TOKEN, "/v1/models/press-ols/score", "{\"sample\":[60,140]}"), 400, "MAX-MODEL-621");

        var exported = ts.send(ts.operator("/v1/models/press-ols/export").GET().build());
        assertThat(exported.statusCode()).isEqualTo(200);
        assertThat(exported.body()).startsWith(LeastSquares.MAGIC);
        assertThat(exported.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"press-ols-v1.bin\"");
        // the handler removes its scratch directory after the last byte went out: a moment after the client has it
        await().atMost(Duration.ofSeconds(10)).until(() -> ts.filesInScratch() == 0);
    }

    @Test
    void anOutsiderIsRefusedByTheLibraryAndTheRefusalIsOnRecord() {
        error(post(TestServer.OUTSIDER_TOKEN, "/v1/models/train", "{\"type\":\"test-ols\",\"dataset\":\"plant/press\",\"name\":\"mine\"}"),
                403, "MAX-POLICY-001");
        error(get(TestServer.OUTSIDER_TOKEN, "/v1/models/press-ols/export"), 403, "MAX-POLICY-001");
        error(post(TestServer.OUTSIDER_TOKEN, "/v1/models/press-ols/score", "{\"sample\":[60,140,1200]}"), 403, "MAX-POLICY-001");
        // the card of a restricted model is catalog metadata, as a restricted dataset's entry is
        assertThat(ok(get(TestServer.OUTSIDER_TOKEN, "/v1/models/press-ols")).get("classification").asString()).isEqualTo("restricted");
        var records = new ArrayList<AuditRecord>();
        ts.library.audit(TestServer.OPERATOR, null, records::add);
        assertThat(records).filteredOn(r -> r.principal().equals(TestServer.OUTSIDER.name()) && r.outcome().equals("denied"))
                .extracting(AuditRecord::action).contains("train", "model-export", "model-score");
    }

    @Test
    void anOnnxFileIsImportedAndRunOverHttp() throws Exception {
        float[] w = {(float) RegressionData.TEMPERATURE, (float) RegressionData.PRESSURE, (float) RegressionData.SPEED};
        byte[] onnx = TinyOnnx.linear(w, (float) RegressionData.INTERCEPT);
        var imported = ts.send(ts.operator("/v1/models/press-linear/import?sourceName=linear.onnx&description=Linear%20law")
                .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(onnx)).build());
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(201);
        var v = TestServer.json(imported);
        assertThat(v.get("type").asString()).isEqualTo("onnx");
        assertThat(v.get("lineage").get("importedFrom").asString()).startsWith("linear.onnx sha256=");
        var score = ok(post(TestServer.OPERATOR_TOKEN, "/v1/models/press-linear/score", "{\"sample\":[1,2,3]}"));
        assertThat(score.get("scores").get(0).get("value").asDouble()).isCloseTo(9.03, within(1e-4));
        var back = ts.http.send(ts.operator("/v1/models/press-linear/export").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(back.body()).isEqualTo(onnx);
        var bad = ts.send(ts.operator("/v1/models/bad/import").POST(HttpRequest.BodyPublishers.ofByteArray(TinyOnnx.garbage())).build());
        error(bad, 422, "MAX-MODEL-700");
        // the handler removes its scratch directory after the last byte went out: a moment after the client has it
        await().atMost(Duration.ofSeconds(10)).until(() -> ts.filesInScratch() == 0);
    }

    @Test
    void errorsNameTheModelTheTypeOrTheNameInTheCallersLanguage() {
        error(ts.get("/v1/models/nothing"), 404, "MAX-MODEL-600");
        error(ts.get("/v1/models/press-ols?version=9"), 404, "MAX-MODEL-601");
        error(ts.get("/v1/models/Bad_Name"), 400, "MAX-MODEL-602");
        error(post(TestServer.OPERATOR_TOKEN, "/v1/models/train", "{\"type\":\"nope\",\"dataset\":\"plant/press\"}"), 400, "MAX-MODEL-001");
        error(post(TestServer.OPERATOR_TOKEN, "/v1/models/train", "{\"type\":\"test-ols\",\"dataset\":\"plant/press\",\"params\":{\"depth\":3}}"),
                400, "MAX-MODEL-002");
        error(post(TestServer.OPERATOR_TOKEN, "/v1/models/train", "{\"type\":\"onnx\",\"dataset\":\"plant/press\"}"), 400, "MAX-MODEL-705");
        var korean = ts.send(ts.operator("/v1/models/nothing").header("Accept-Language", "ko").GET().build());
        assertThat(TestServer.json(korean).get("message").asString()).contains("모델이 없습니다");
    }
}
