package kr.max.factory.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import kr.max.core.MaxException;
import kr.max.factory.FactoryError;
import kr.max.factory.Twins;
import kr.max.factory.Twins.Collector;
import kr.max.factory.assets.TagPath;
import kr.max.factory.twin.LineSimulator;
import kr.max.factory.twin.Pace;
import kr.max.factory.twin.Quality;
import kr.max.factory.twin.RealTimeDriver;
import kr.max.factory.twin.Sample;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A real Milo server on loopback over a running twin, once for the class; a real Milo client per test. */
class OpcUaProtocolTest {

    static final String IMM = "changwon/molding/line-1/molding-cell/IMM-01/";
    static final Duration WAIT = Duration.ofSeconds(30);

    static LineSimulator sim;
    static RealTimeDriver driver;
    static Collector produced = new Collector();
    static int port;
    static OpcUaTwinServer server;

    @BeforeAll
    static void start() throws IOException {
        sim = Twins.demo(11);
        sim.addListener(produced);
        driver = RealTimeDriver.start(sim, Pace.times(20));
        try (var s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            port = s.getLocalPort();
        }
        server = OpcUaTwinServer.start(sim, driver, "127.0.0.1", port);
    }

    @AfterAll
    static void stop() {
        server.close();
        driver.close();
    }

    @Test
    void browsingTheIsa95TreeFindsEveryTagOfTheModel() {
        try (var c = new OpcUaConnector(server.url(), Twins.DEMO, Duration.ZERO)) {
            c.start(s -> {
            });
            assertThat(c.tags()).containsExactlyInAnyOrderElementsOf(Twins.DEMO.tagsByPath().keySet());
        }
    }

    @Test
    void samplesArriveWithTheSimulatorsTimesValuesAndGrowingSequences() {
        var received = new Collector();
        TagPath melt = Twins.tag(IMM + "melt-temperature");
        try (var c = new OpcUaConnector(server.url(), Twins.DEMO, Duration.ZERO)) {
            c.start(received);
            await().atMost(WAIT).until(() -> received.of(melt).size() >= 5 && received.of(Twins.tag(
                    "changwon/molding/line-1/press-cell/PRS-01/ram-position")).size() >= 20);
        }
        Map<String, Sample> truth = new HashMap<>();
        for (Sample s : produced.all()) truth.put(s.tag() + "@" + s.time(), s);
        var good = received.all().stream().filter(s -> s.quality() == Quality.GOOD).toList();
        assertThat(good).isNotEmpty();
        for (Sample s : good) {
            Sample t = truth.get(s.tag() + "@" + s.time());
            assertThat(t).as("a sample the simulator produced at %s for %s", s.time(), s.tag()).isNotNull();
            assertThat(s.value()).isEqualTo(t.value());
        }
        var m = received.of(melt);
        for (int i = 1; i < m.size(); i++) {
            assertThat(m.get(i).sequence()).isGreaterThan(m.get(i - 1).sequence());
            assertThat(m.get(i).time()).isAfter(m.get(i - 1).time());
        }
    }

    @Test
    void aSetpointWrittenOverOpcUaReachesTheSimulatorAndThePhysicsFollow() {
        var received = new Collector();
        TagPath setpoint = Twins.tag(IMM + "barrel-zone-1-setpoint");
        TagPath temperature = Twins.tag(IMM + "barrel-zone-1-temperature");
        try (var c = new OpcUaConnector(server.url(), Twins.DEMO, Duration.ZERO)) {
            c.start(received);
            await().atMost(WAIT).until(() -> !received.of(temperature).isEmpty());
            double before = received.of(temperature).getLast().value();
            Instant written = Instant.now();
            c.write(setpoint, 260);
            await().atMost(WAIT).untilAsserted(() -> assertThat(received.of(setpoint).stream().map(Sample::value).toList()).contains(260.0));
            await().atMost(WAIT).until(() -> received.of(temperature).getLast().value() > before + 3);
            assertThat(written).isNotNull();
            c.write(setpoint, 220);
        }
    }

    @Test
    void writesTheSimulatorRefusesComeBackWithTheirOpcUaStatus() {
        try (var c = new OpcUaConnector(server.url(), Twins.DEMO, Duration.ZERO)) {
            c.start(s -> {
            });
            assertThatThrownBy(() -> c.write(Twins.tag(IMM + "melt-temperature"), 230))
                    .isInstanceOf(MaxException.class)
                    .satisfies(e -> assertThat(((MaxException) e).code()).isEqualTo(FactoryError.WRITE_REFUSED))
                    .hasMessageContaining("Bad_NotWritable");
            assertThatThrownBy(() -> c.write(Twins.tag(IMM + "barrel-zone-1-setpoint"), 500))
                    .isInstanceOf(MaxException.class)
                    .hasMessageContaining("Bad_OutOfRange");
        }
    }

    @Test
    void afterAServerRestartTheConnectorResubscribesWithoutLeavingSessionsBehind() {
        var received = new Collector();
        TagPath ram = Twins.tag("changwon/molding/line-1/press-cell/PRS-01/ram-position");
        try (var c = new OpcUaConnector(server.url(), Twins.DEMO, Duration.ZERO)) {
            c.start(received);
            await().atMost(WAIT).until(() -> received.of(ram).size() >= 10);
            assertThat(server.sessionCount()).isEqualTo(1);
            assertThat(server.subscriptionCount()).isEqualTo(1);

            for (int restart = 1; restart <= 2; restart++) {
                server.close();
                server = OpcUaTwinServer.start(sim, driver, "127.0.0.1", port);
                Instant restarted = sim.now();
                await().atMost(WAIT).until(() -> received.of(ram).getLast().time().isAfter(restarted));
                assertThat(server.sessionCount()).isEqualTo(1);
                assertThat(server.subscriptionCount()).isEqualTo(1);
                assertThat(server.monitoredItemCount()).isEqualTo(Twins.DEMO.tags().size());
            }
            assertThat(c.resubscriptions()).isEqualTo(2);
        }
        await().atMost(WAIT).until(() -> server.sessionCount() == 0 && server.subscriptionCount() == 0);
    }
}
