package kr.max.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import kr.max.factory.assets.AssetModel;
import kr.max.factory.station.TwinStation;
import kr.max.factory.twin.Pace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The twin's routes on the library server: who may command it, and a server without a twin. */
class TwinHttpTest {

    @TempDir
    Path dir;

    static HttpRequest.BodyPublisher json(String text) {
        return HttpRequest.BodyPublishers.ofString(text);
    }

    @Test
    void anAdminCommandsTheTwinAConsumerOnlyLooks() {
        try (var station = TwinStation.start(AssetModel.demoLine(), 5, Pace.times(10), TwinStation.Ports.anyFree());
                var ts = TestServer.start(dir, o -> o.withTwin(station))) {
            var status = ts.get("/v1/twin");
            assertThat(status.statusCode()).isEqualTo(200);
            assertThat(TestServer.json(status).get("opcUa").asString()).isEqualTo(station.opcUaUrl());

            var injected = ts.send(ts.operator("/v1/twin/faults").header("Content-Type", "application/json")
                    .POST(json("{\"kind\":\"heater-degradation\",\"target\":\"IMM-01\",\"options\":{\"zone\":\"2\",\"fraction\":\"0.4\"}}")).build());
            assertThat(injected.statusCode()).as(injected.body()).isEqualTo(201);
            assertThat(TestServer.json(injected).get("target").asString()).isEqualTo("changwon/molding/line-1/molding-cell/IMM-01#2");
            assertThat(station.faults()).hasSize(1);

            var outsider = ts.send(ts.request("/v1/twin/faults").header("Authorization", "Bearer " + TestServer.OUTSIDER_TOKEN)
                    .header("Content-Type", "application/json").POST(json("{\"kind\":\"stuck-sensor\",\"target\":\"IMM-01/cushion\"}")).build());
            assertThat(outsider.statusCode()).isEqualTo(403);
            assertThat(TestServer.json(outsider).get("code").asString()).isEqualTo("MAX-SERVER-012");
            var looks = ts.send(ts.request("/v1/assets").header("Authorization", "Bearer " + TestServer.OUTSIDER_TOKEN).GET().build());
            assertThat(looks.statusCode()).isEqualTo(200);
            assertThat(looks.body()).contains("\"enterprise\":\"hanbit\"").contains("vibration-velocity-rms");

            var wrong = ts.send(ts.operator("/v1/twin/faults").header("Content-Type", "application/json")
                    .POST(json("{\"kind\":\"heater-degradation\",\"target\":\"IMM-01\",\"options\":{\"zone\":\"9\"}}")).build());
            assertThat(wrong.statusCode()).isEqualTo(400);
            assertThat(TestServer.json(wrong).get("code").asString()).isEqualTo("MAX-FACTORY-047");
            var unknown = ts.send(ts.operator("/v1/twin/setpoints").header("Content-Type", "application/json")
                    .POST(json("{\"tag\":\"IMM-09/x\",\"value\":1}")).build());
            assertThat(unknown.statusCode()).isEqualTo(404);

            var cleared = ts.send(ts.operator("/v1/twin/faults?kind=heater-degradation").DELETE().build());
            assertThat(TestServer.json(cleared).get("cleared")).hasSize(1);
            assertThat(station.faults()).isEmpty();
        }
    }

    @Test
    void aServerWithoutATwinSaysSo() {
        try (var ts = TestServer.start(dir)) {
            var r = ts.get("/v1/twin");
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(TestServer.json(r).get("code").asString()).isEqualTo("MAX-SERVER-013");
        }
    }
}
