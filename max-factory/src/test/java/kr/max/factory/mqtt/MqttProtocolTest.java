package kr.max.factory.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import kr.max.core.MaxException;
import kr.max.factory.FactoryError;
import kr.max.factory.Twins;
import kr.max.factory.Twins.Collector;
import kr.max.factory.twin.Pace;
import kr.max.factory.twin.RealTimeDriver;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A real Moquette broker on loopback, once for the class; a real Paho publisher and subscriber. */
class MqttProtocolTest {

    static MqttBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = MqttBroker.start("127.0.0.1", 0);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void everySampleOfTheTwinArrivesUnchangedWithItsTagPathAndSequence() {
        var sim = Twins.demo(7);
        var produced = new Collector();
        var received = new Collector();
        try (var connector = new MqttConnector(broker.url(), "test-sub-1", Twins.DEMO);
                var publisher = MqttPublisher.connect(broker.url(), "test-pub-1", Twins.DEMO)) {
            connector.start(received);
            sim.addListener(produced);
            sim.addListener(publisher);
            var driver = RealTimeDriver.start(sim, Pace.AS_FAST_AS_POSSIBLE, sim.now().plusSeconds(20));
            driver.finished().join();
            await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= produced.size());
            assertThat(produced.size()).isGreaterThan(1000);
            assertThat(publisher.dropped()).isZero();
            assertThat(received.sorted()).isEqualTo(produced.sorted());
            assertThat(connector.malformed()).isZero();
            var melt = received.of(Twins.tag("changwon/molding/line-1/molding-cell/IMM-01/melt-temperature"));
            assertThat(melt).isNotEmpty();
            for (int i = 1; i < melt.size(); i++) {
                assertThat(melt.get(i).sequence()).isGreaterThan(melt.get(i - 1).sequence());
            }
        }
    }

    @Test
    void batchedPerEquipmentEverySampleStillArrivesUnchangedAndInOrder() {
        var sim = Twins.demo(8);
        var produced = new Collector();
        var received = new Collector();
        try (var connector = new MqttConnector(broker.url(), "test-sub-batch", Twins.DEMO);
                var publisher = MqttPublisher.connect(broker.url(), "test-pub-batch", Twins.DEMO, true)) {
            connector.start(received);
            sim.addListener(produced);
            sim.addListener(publisher);
            var driver = RealTimeDriver.start(sim, Pace.AS_FAST_AS_POSSIBLE, sim.now().plusSeconds(20));
            driver.finished().join();
            publisher.flush();
            await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= produced.size());
            assertThat(produced.size()).isGreaterThan(1000);
            assertThat(publisher.dropped()).isZero();
            // far fewer messages than samples: one per equipment and batch
            assertThat(publisher.published()).isLessThan(produced.size() / 5);
            assertThat(received.sorted()).isEqualTo(produced.sorted());
            assertThat(connector.malformed()).isZero();
            var spindle = received.of(Twins.tag("changwon/molding/line-1/machining-cell/CNC-01/spindle-speed"));
            for (int i = 1; i < spindle.size(); i++) {
                assertThat(spindle.get(i).sequence()).isGreaterThan(spindle.get(i - 1).sequence());
            }
        }
    }

    @Test
    void aBatchWithABadSampleIsRefusedWhole() throws Exception {
        var received = new Collector();
        try (var connector = new MqttConnector(broker.url(), "test-sub-badbatch", Twins.DEMO)) {
            connector.start(received);
            var raw = new MqttClient(broker.url(), "test-raw-batch", new MemoryPersistence());
            raw.connect();
            String topic = "max/changwon/molding/line-1/IMM-01/_samples";
            raw.publish(topic, ("{\"samples\":[{\"tag\":\"cushion\",\"ts\":\"2026-03-02T00:00:01Z\",\"value\":5.1,\"seq\":1},"
                    + "{\"tag\":\"cushion\",\"ts\":\"later\",\"value\":5.2,\"seq\":2}]}").getBytes(StandardCharsets.UTF_8), 1, false);
            raw.publish(topic, ("{\"samples\":[{\"tag\":\"cushion\",\"ts\":\"2026-03-02T00:00:03Z\",\"value\":5.3,\"quality\":\"GOOD\",\"seq\":3}]}")
                    .getBytes(StandardCharsets.UTF_8), 1, false);
            raw.disconnect();
            raw.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1 && connector.malformed() == 1);
            assertThat(received.all().getFirst().value()).isEqualTo(5.3);
        }
    }

    @Test
    void aMalformedPayloadIsCountedAndSkippedAndTheStreamGoesOn() throws Exception {
        var received = new Collector();
        try (var connector = new MqttConnector(broker.url(), "test-sub-2", Twins.DEMO)) {
            connector.start(received);
            var raw = new MqttClient(broker.url(), "test-raw", new MemoryPersistence());
            raw.connect();
            String topic = "max/changwon/molding/line-1/IMM-01/melt-temperature";
            raw.publish(topic, "not json".getBytes(StandardCharsets.UTF_8), 1, false);
            raw.publish(topic, "{\"ts\":\"yesterday\",\"value\":1,\"seq\":1}".getBytes(StandardCharsets.UTF_8), 1, false);
            raw.publish("max/changwon/molding/line-1/NOPE-01/x",
                    "{\"ts\":\"2026-03-02T00:00:01Z\",\"value\":1,\"seq\":1}".getBytes(StandardCharsets.UTF_8), 1, false);
            raw.publish(topic, "{\"ts\":\"2026-03-02T00:00:01Z\",\"value\":231.5,\"quality\":\"GOOD\",\"seq\":3}"
                    .getBytes(StandardCharsets.UTF_8), 1, false);
            raw.disconnect();
            raw.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1 && connector.malformed() == 3);
            var s = received.all().getFirst();
            assertThat(s.tag().toString()).isEqualTo("changwon/molding/line-1/molding-cell/IMM-01/melt-temperature");
            assertThat(s.value()).isEqualTo(231.5);
            assertThat(s.sequence()).isEqualTo(3);
        }
    }

    @Test
    void payloadDecodingNamesWhatIsWrong() {
        var tag = Twins.tag("changwon/molding/line-1/molding-cell/IMM-01/melt-temperature");
        assertThatThrownBy(() -> MqttPayload.decode("t", tag, "{\"ts\":\"2026-03-02T00:00:01Z\",\"value\":\"hot\",\"seq\":1}"
                .getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MaxException.class)
                .satisfies(e -> assertThat(((MaxException) e).code()).isEqualTo(FactoryError.MALFORMED_PAYLOAD))
                .hasMessageContaining("\"value\" is not a number");
    }

    @Test
    void theRowFormOfABatchKeepsEveryFieldExactly() {
        var equipment = kr.max.core.AssetPath.parse("changwon/molding/line-1/molding-cell/IMM-01");
        var t0 = java.time.Instant.parse("2026-03-02T00:00:01.123456789Z");
        var samples = java.util.List.of(
                new kr.max.factory.twin.Sample(new kr.max.factory.assets.TagPath(equipment, "cushion"), t0, 5.1, kr.max.factory.twin.Quality.GOOD, 17),
                new kr.max.factory.twin.Sample(new kr.max.factory.assets.TagPath(equipment, "melt-temperature"), t0.plusNanos(1),
                        Double.NaN, kr.max.factory.twin.Quality.BAD, 18),
                new kr.max.factory.twin.Sample(new kr.max.factory.assets.TagPath(equipment, "cushion"), t0.plusSeconds(3).plusNanos(7),
                        -0.000123e-7, kr.max.factory.twin.Quality.UNCERTAIN, 19),
                new kr.max.factory.twin.Sample(new kr.max.factory.assets.TagPath(equipment, "melt-temperature"), t0.minusMillis(2),
                        231.4, kr.max.factory.twin.Quality.GOOD, 20));
        byte[] payload = MqttPayload.encodeBatch(samples);
        String text = new String(payload, StandardCharsets.UTF_8);
        assertThat(text).startsWith("{\"v\":2,").contains("\"tags\":[\"cushion\",\"melt-temperature\"]");
        assertThat(MqttPayload.decodeBatch("t", equipment, payload)).isEqualTo(samples);
        // a sample object costs about 110 bytes; a row about a third of it
        assertThat(payload.length).isLessThan(60 * samples.size());
    }

    @Test
    void aRowFormBatchThatIsWrongAnywhereIsRefusedWithTheReason() {
        var equipment = kr.max.core.AssetPath.parse("changwon/molding/line-1/molding-cell/IMM-01");
        String head = "{\"v\":2,\"t0\":\"2026-03-02T00:00:01Z\",\"tags\":[\"cushion\"],\"s\":";
        java.util.Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put(head + "[[0,1,5.1,1]]}", "row 1: tag index 1 is not in \"tags\"");
        cases.put(head + "[[0,0,5.1,1],[5,0,\"hot\",2]]}", "row 2: the value is not a number");
        cases.put(head + "[[0,0,5.1,0]]}", "row 1: the sequence number is not a positive whole number");
        cases.put(head + "[[0,0,5.1,1,\"FINE\"]]}", "row 1: the quality is not GOOD, BAD or UNCERTAIN");
        cases.put(head + "[[0,0,5.1,1,\"GOOD\",9]]}", "row 1: more than five fields");
        cases.put(head + "[[0,0,null,1]]}", "row 1: the value is not a number");
        cases.put(head + "[[0.5,0,5.1,1]]}", "row 1: the time offset is not a whole number of nanoseconds");
        cases.put("{\"v\":2,\"t0\":\"noon\",\"tags\":[\"cushion\"],\"s\":[]}", "\"t0\" is not an ISO-8601 instant");
        cases.put("{\"v\":2,\"tags\":[\"cushion\"],\"s\":[]}", "\"t0\" is missing");
        cases.put("{\"v\":3,\"t0\":\"2026-03-02T00:00:01Z\",\"tags\":[],\"s\":[]}", "\"v\" is missing or not 2");
        cases.put(head + "[[0,0,5.1,1]]", "not JSON");
        cases.forEach((payload, why) -> assertThatThrownBy(() -> MqttPayload.decodeBatch("max/x/_samples", equipment,
                payload.getBytes(StandardCharsets.UTF_8)))
                .as(payload)
                .isInstanceOf(MaxException.class)
                .satisfies(e -> assertThat(((MaxException) e).code()).isEqualTo(FactoryError.MALFORMED_PAYLOAD))
                .hasMessageContaining(why));
    }

    @Test
    void writesAreRefusedBecauseMqttCarriesMeasurementsOnly() {
        try (var connector = new MqttConnector(broker.url(), "test-sub-3", Twins.DEMO)) {
            assertThatThrownBy(() -> connector.write(
                    Twins.tag("changwon/molding/line-1/molding-cell/IMM-01/barrel-zone-1-setpoint"), 200))
                    .isInstanceOf(MaxException.class)
                    .satisfies(e -> assertThat(((MaxException) e).code()).isEqualTo(FactoryError.PROTOCOL_READ_ONLY));
        }
    }
}
