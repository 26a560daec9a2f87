package kr.max.factory.modbus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import kr.max.core.MaxException;
import kr.max.factory.FactoryError;
import kr.max.factory.Twins;
import kr.max.factory.Twins.Collector;
import kr.max.factory.assets.DataType;
import kr.max.factory.assets.ModbusRegister;
import kr.max.factory.assets.RegisterTable;
import kr.max.factory.assets.TagPath;
import kr.max.factory.twin.LineSimulator;
import kr.max.factory.twin.Pace;
import kr.max.factory.twin.Quality;
import kr.max.factory.twin.RealTimeDriver;
import kr.max.factory.twin.Sample;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A real j2mod slave on loopback over a running twin, once for the class; a real j2mod master per test. */
class ModbusProtocolTest {

    static final String IMM = "changwon/molding/line-1/molding-cell/IMM-01/";
    static final Duration WAIT = Duration.ofSeconds(30);

    static LineSimulator sim;
    static RealTimeDriver driver;
    static Collector produced = new Collector();
    static ModbusTwinSlave slave;

    @BeforeAll
    static void start() throws IOException {
        sim = Twins.demo(13);
        sim.addListener(produced);
        driver = RealTimeDriver.start(sim, Pace.times(20));
        int port;
        try (var s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            port = s.getLocalPort();
        }
        slave = ModbusTwinSlave.start(sim, driver, "127.0.0.1", port);
        // every tag has been sampled once since the slave listens (the slowest tags every simulated second)
        int seen = produced.size();
        await().atMost(WAIT).until(() -> produced.size() > seen + 400);
    }

    @AfterAll
    static void stop() {
        slave.close();
        driver.close();
    }

    @Test
    void theRegisterMapDecodesWhatItEncodes() {
        record Case(double value, DataType type, double scale) {
        }
        for (Case c : new Case[] {new Case(-12.3, DataType.INT16, 0.1), new Case(230.4, DataType.INT16, 0.1),
                new Case(1600, DataType.UINT16, 1), new Case(655.35, DataType.UINT16, 0.01),
                new Case(-70_000, DataType.INT32, 1), new Case(4_000_000_000.0, DataType.UINT32, 1),
                new Case(3.25, DataType.FLOAT, 1), new Case(Math.PI, DataType.DOUBLE, 1), new Case(1, DataType.BOOL, 1)}) {
            var reg = new ModbusRegister(RegisterTable.INPUT, 0, c.scale());
            int[] words = RegisterCodec.encode(c.value(), c.type(), reg);
            assertThat(words).hasSize(c.type().registers());
            assertThat(java.util.Arrays.stream(words).allMatch(w -> w >= 0 && w <= 0xFFFF)).isTrue();
            assertThat(RegisterCodec.decode(words, 0, c.type(), reg)).as("%s", c).isEqualTo(c.value());
        }
        // high word first, two's complement for negative int16
        assertThat(RegisterCodec.encode(-1, DataType.INT16, new ModbusRegister(RegisterTable.INPUT, 0, 1))).containsExactly(0xFFFF);
        assertThat(RegisterCodec.encode(65_536 + 2, DataType.UINT32, new ModbusRegister(RegisterTable.INPUT, 0, 1)))
                .containsExactly(1, 2);
    }

    @Test
    void polledValuesAreValuesTheSimulatorProducedWithGrowingSequences() {
        var received = new Collector();
        try (var c = new ModbusConnector("127.0.0.1", slave.port(), Twins.DEMO, Duration.ofMillis(50))) {
            c.start(received);
            await().atMost(WAIT).until(() -> received.of(Twins.tag(IMM + "melt-temperature")).size() >= 5);
        }
        Map<TagPath, Set<Double>> truth = produced.all().stream().collect(
                Collectors.groupingBy(Sample::tag, Collectors.mapping(Sample::value, Collectors.toCollection(HashSet::new))));
        var modbusTags = Twins.DEMO.tags().stream().filter(t -> t.spec().modbus() != null).count();
        assertThat(received.all().stream().map(Sample::tag).distinct().count()).isEqualTo(modbusTags);
        for (Sample s : received.all()) {
            assertThat(s.quality()).isEqualTo(Quality.GOOD);
            assertThat(truth.get(s.tag())).as("%s = %s", s.tag(), s.value()).contains(s.value());
        }
        var melt = received.of(Twins.tag(IMM + "melt-temperature"));
        for (int i = 1; i < melt.size(); i++) assertThat(melt.get(i).sequence()).isGreaterThan(melt.get(i - 1).sequence());
    }

    @Test
    void aSetpointWrittenToItsHoldingRegisterReachesTheSimulator() {
        var received = new Collector();
        TagPath spm = Twins.tag("changwon/molding/line-1/press-cell/PRS-01/strokes-per-minute-setpoint");
        TagPath actual = Twins.tag("changwon/molding/line-1/press-cell/PRS-01/strokes-per-minute");
        try (var c = new ModbusConnector("127.0.0.1", slave.port(), Twins.DEMO, Duration.ofMillis(50))) {
            c.start(received);
            c.write(spm, 25.5);
            await().atMost(WAIT).until(() -> sim.latest(spm).map(s -> s.value() == 25.5).orElse(false)
                    && received.of(spm).stream().anyMatch(s -> s.value() == 25.5));
            // the press runs at the new rate once its flywheel has followed
            await().atMost(WAIT).until(() -> Math.abs(received.of(actual).getLast().value() - 25.5) <= 0.5);
            assertThatThrownBy(() -> c.write(spm, 99))
                    .isInstanceOf(MaxException.class)
                    .satisfies(e -> assertThat(((MaxException) e).code()).isEqualTo(FactoryError.WRITE_REFUSED));
            assertThatThrownBy(() -> c.write(Twins.tag(IMM + "melt-temperature"), 230))
                    .isInstanceOf(MaxException.class)
                    .satisfies(e -> assertThat(((MaxException) e).code()).isEqualTo(FactoryError.WRITE_REFUSED));
        }
    }
}
