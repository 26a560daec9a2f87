package kr.max.factory.station;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import kr.max.core.MaxException;
import kr.max.factory.Twins;
import kr.max.factory.Twins.Collector;
import kr.max.factory.mqtt.MqttConnector;
import kr.max.factory.opcua.OpcUaConnector;
import kr.max.factory.twin.ActiveFault;
import kr.max.factory.twin.Fault;
import kr.max.factory.twin.Pace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The twin with its three protocol servers on loopback, commanded in words as the CLI and the HTTP API do. */
class TwinStationTest {

    static TwinStation station;

    @BeforeAll
    static void start() {
        station = TwinStation.start(Twins.DEMO, 7, Pace.times(20), TwinStation.Ports.anyFree());
    }

    @AfterAll
    static void stop() {
        station.close();
    }

    @Test
    void theTwinIsReachableOverOpcUaAndMqttAndCountsAModbusPort() {
        assertThat(station.opcUaUrl()).startsWith("opc.tcp://127.0.0.1:");
        assertThat(station.mqttUrl()).startsWith("tcp://127.0.0.1:");
        assertThat(station.modbusPort()).isPositive();
        var overMqtt = new Collector();
        var overOpcUa = new Collector();
        try (var mqtt = new MqttConnector(station.mqttUrl(), "station-test", Twins.DEMO);
                var opcUa = new OpcUaConnector(station.opcUaUrl(), Twins.DEMO, Duration.ofMillis(100))) {
            mqtt.start(overMqtt);
            opcUa.start(overOpcUa);
            await().atMost(Duration.ofSeconds(30)).until(() -> overMqtt.size() > 100 && overOpcUa.size() > 100);
        }
    }

    @Test
    void aFaultWrittenInWordsReachesTheSimulatorAndIsClearedByKindAndTarget() {
        ActiveFault bearing = station.inject("bearing-defect", "CNC-01", Map.of("severity", "0.7", "race", "inner"));
        assertThat(bearing.fault()).isEqualTo(new Fault.BearingDefect(
                Twins.tag("changwon/molding/line-1/machining-cell/CNC-01/spindle-speed").equipment(), 0.7, Fault.BearingDefect.Race.INNER));
        ActiveFault stuck = station.inject("stuck-sensor", "IMM-01/melt-temperature", Map.of());
        assertThat(station.faults()).extracting(ActiveFault::id).contains(bearing.id(), stuck.id());

        assertThat(station.clear("bearing-defect", "changwon/molding/line-1/machining-cell/CNC-01")).containsExactly(bearing);
        assertThat(station.faults()).extracting(ActiveFault::id).containsExactly(stuck.id());
        assertThat(station.clear(null, null)).containsExactly(stuck);
        assertThat(station.faults()).isEmpty();
    }

    @Test
    void wrongWordsAreNamedWithTheirCode() {
        assertThatThrownBy(() -> station.inject("bearing-defect", "CNC-99", Map.of()))
                .isInstanceOf(MaxException.class).hasMessageContaining("MAX-FACTORY-041").hasMessageContaining("CNC-99");
        assertThatThrownBy(() -> station.inject("melted-bearing", "CNC-01", Map.of()))
                .isInstanceOf(MaxException.class).hasMessageContaining("MAX-FACTORY-047").hasMessageContaining("bearing-defect");
        assertThatThrownBy(() -> station.inject("bearing-defect", "CNC-01", Map.of("severity", "lots")))
                .isInstanceOf(MaxException.class).hasMessageContaining("MAX-FACTORY-047").hasMessageContaining("lots");
        assertThatThrownBy(() -> station.inject("bearing-defect", "CNC-01", Map.of("zone", "2")))
                .isInstanceOf(MaxException.class).hasMessageContaining("MAX-FACTORY-047").hasMessageContaining("zone");
        // the simulator's own checks reach the caller too: a bearing defect on a press does not apply
        assertThatThrownBy(() -> station.inject("bearing-defect", "PRS-01", Map.of()))
                .isInstanceOf(MaxException.class).hasMessageContaining("MAX-FACTORY-046");
        assertThatThrownBy(() -> station.inject("sensor-drift", "IMM-01/no-such-tag", Map.of("per-hour", "1")))
                .isInstanceOf(MaxException.class).hasMessageContaining("MAX-FACTORY-040");
        assertThatThrownBy(() -> station.inject("communication-loss", "PRS-01", Map.of("duration", "soon")))
                .isInstanceOf(MaxException.class).hasMessageContaining("MAX-FACTORY-047").hasMessageContaining("30s");
    }
}
