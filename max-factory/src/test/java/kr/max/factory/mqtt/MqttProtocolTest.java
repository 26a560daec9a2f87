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
    void writesAreRefusedBecauseMqttCarriesMeasurementsOnly() {
        try (var connector = new MqttConnector(broker.url(), "test-sub-3", Twins.DEMO)) {
            assertThatThrownBy(() -> connector.write(
                    Twins.tag("changwon/molding/line-1/molding-cell/IMM-01/barrel-zone-1-setpoint"), 200))
                    .isInstanceOf(MaxException.class)
                    .satisfies(e -> assertThat(((MaxException) e).code()).isEqualTo(FactoryError.PROTOCOL_READ_ONLY));
        }
    }
}
