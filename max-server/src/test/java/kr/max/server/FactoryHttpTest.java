package kr.max.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import kr.max.factory.twin.Pace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The factory on the library server, end to end over real protocols: the twin publishes over MQTT (Moquette), the
 * runtime's connector reads it into a stream dataset, the alarm service and the live view; a bearing defect injected
 * over HTTP raises the spindle's model alarm; an edge's batches land once however often they are sent.
 */
class FactoryHttpTest {

    @TempDir
    static Path dir;

    static TestServer ts;
    static FactoryRuntime factory;

    @BeforeAll
    static void start() {
        var holder = new FactoryRuntime[1];
        ts = TestServer.start(dir, o -> {
            holder[0] = FactoryRuntime.start(o.library(), TestServer.OPERATOR,
                    FactoryRuntime.Options.demo("hanbit/line-1").withPace(Pace.times(20)).withSeed(11).withProtocol("mqtt").withMqttBatches(true));
            return o.withFactory(holder[0]);
        });
        factory = holder[0];
    }

    @AfterAll
    static void stop() {
        if (factory != null) factory.close();
        if (ts != null) ts.close();
    }

    static long count(String sql) {
        return QueryRows.number(ts.library, TestServer.OPERATOR, sql);
    }

    @Test
    void samplesReadOverMqttAreQueryableInTheStreamDatasetWithinSeconds() {
        await().atMost(Duration.ofSeconds(60)).until(() -> count("SELECT count(*) FROM \"hanbit/line-1\"") > 500);
        assertThat(count("SELECT count(DISTINCT asset) FROM \"hanbit/line-1\"")).isEqualTo(4);
        assertThat(count("SELECT count(*) FROM \"hanbit/line-1\" WHERE tag = 'vibration-velocity-rms'")).isPositive();
        // what was committed was received: the connector's samples, none invented on the way
        assertThat(factory.committed()).isLessThanOrEqualTo(factory.received());
    }

    @Test
    void aBearingDefectInjectedOverHttpRaisesTheSpindleModelAlarmBeforeAnyVibrationLimit() {
        // an early spall (severity 0.05): the kurtosis and envelope limits answer near 0.16, the model long before
        assertThat(factory.watches()).singleElement().satisfies(w -> assertThat(w.model()).isEqualTo("cnc-01-spindle-watch@1"));
        var injected = ts.send(ts.operator("/v1/twin/faults").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"kind\":\"bearing-defect\",\"target\":\"CNC-01\",\"options\":{\"severity\":\"0.05\"}}"))
                .build());
        assertThat(injected.statusCode()).as(injected.body()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() ->
                TestServer.json(ts.get("/v1/alarms")).get("alarms").valueStream().anyMatch(a -> a.get("kind").asString().equals("model")));
        var alarms = TestServer.json(ts.get("/v1/alarms?history=true"));
        var raised = new ArrayList<String>();
        alarms.get("history").forEach(e -> { if (e.get("change").asString().equals("raised")) raised.add(e.get("id").asString()); });
        int model = raised.indexOf("changwon/molding/line-1/machining-cell/CNC-01/spindle-vibration:model");
        assertThat(model).as(raised.toString()).isNotNegative();
        // no vibration limit before the model saw it
        assertThat(raised.subList(0, model)).noneMatch(id -> id.contains("/CNC-01/vibration-") || id.contains("/CNC-01/envelope-"));

        var id = "changwon/molding/line-1/machining-cell/CNC-01/spindle-vibration:model";
        var ack = ts.send(ts.operator("/v1/alarms/acknowledge").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"" + id + "\",\"note\":\"정비팀 호출\"}")).build());
        assertThat(ack.statusCode()).as(ack.body()).isEqualTo(200);
        assertThat(TestServer.json(ack).get("acknowledgedBy").asString()).isEqualTo(TestServer.OPERATOR.name());
        var outsider = ts.send(ts.request("/v1/alarms/acknowledge").header("Authorization", "Bearer " + TestServer.OUTSIDER_TOKEN)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"" + id + "\"}")).build());
        assertThat(outsider.statusCode()).isEqualTo(403);
        // the acknowledgement is on the library's audit chain, on the line's stream dataset
        var trail = new java.util.ArrayList<kr.max.library.audit.AuditRecord>();
        ts.library.audit(TestServer.OPERATOR, "hanbit/line-1", trail::add);
        assertThat(trail).anySatisfy(r -> {
            assertThat(r.action()).isEqualTo("alarm-acknowledged");
            assertThat(r.principal()).isEqualTo(TestServer.OPERATOR.name());
        });
        assertThat(ts.library.verifyAudit(TestServer.OPERATOR).intact()).isTrue();
        ts.send(ts.operator("/v1/twin/faults").DELETE().build());
    }

    @Test
    void theLiveViewSendsSamplesAndAlarmEventsAsServerSentEvents() throws Exception {
        var lines = new CopyOnWriteArrayList<String>();
        var response = ts.http.send(ts.operator("/v1/live").header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
        var reader = Thread.ofVirtual().start(() -> {
            try (var in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) lines.add(line);
            } catch (Exception ignored) {
                // closed at the end of the test
            }
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> lines.contains("event: sample"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("data: {\"tag\":\"changwon/molding/line-1/"));
        // an alarm event: the melting tank's level sensor drifting fast below its low limits
        ts.send(ts.operator("/v1/twin/faults").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"kind\":\"sensor-drift\",\"target\":\"MLT-01/level\",\"options\":{\"per-hour\":\"-4000\"}}"))
                .build());
        await().atMost(Duration.ofSeconds(60)).until(() -> lines.stream().anyMatch(l -> l.startsWith("data: {\"sequence\":")
                && l.contains("\"change\":\"raised\"") && l.contains("MLT-01/level")));
        assertThat(lines).contains("event: alarm");
        ts.send(ts.operator("/v1/twin/faults?kind=sensor-drift").DELETE().build());
        response.body().close();
        reader.interrupt();
    }

    @Test
    void anEdgesBatchIsCommittedOnceHoweverOftenItIsSent() {
        String batch = "{\"source\":\"edge-changwon-1/CNC-01\",\"samples\":["
                + "{\"seq\":1,\"time\":\"2026-12-01T00:00:00Z\",\"asset\":\"changwon/molding/line-1/machining-cell/CNC-01\",\"tag\":\"spindle-power\",\"value\":4.5,\"quality\":\"GOOD\"},"
                + "{\"seq\":2,\"time\":\"2026-12-01T00:00:01Z\",\"asset\":\"changwon/molding/line-1/machining-cell/CNC-01\",\"tag\":\"spindle-power\",\"value\":null,\"quality\":\"BAD\"}]}";
        var missing = ts.send(ts.operator("/v1/streams/hanbit/edge-line/samples").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(batch)).build());
        assertThat(missing.statusCode()).as(missing.body()).isEqualTo(404);
        ts.library.streams().create(TestServer.OPERATOR, "hanbit/edge-line", kr.max.core.Classification.INTERNAL);
        for (int i = 0; i < 3; i++) {
            var r = ts.send(ts.operator("/v1/streams/hanbit/edge-line/samples").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(batch)).build());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(TestServer.json(r).get("committed_through").asLong()).isEqualTo(2);
        }
        assertThat(count("SELECT count(*) FROM \"hanbit/edge-line\"")).isEqualTo(2);
        var mark = ts.get("/v1/streams/hanbit/edge-line/mark?source=edge-changwon-1%2FCNC-01");
        assertThat(TestServer.json(mark).get("committed_through").asLong()).isEqualTo(2);
        var outsider = ts.send(ts.request("/v1/streams/hanbit/edge-line/samples").header("Authorization", "Bearer " + TestServer.OUTSIDER_TOKEN)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(batch)).build());
        assertThat(outsider.statusCode()).isEqualTo(403);
    }
}
