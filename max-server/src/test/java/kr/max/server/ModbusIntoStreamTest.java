package kr.max.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kr.max.core.Principal;
import kr.max.factory.assets.AssetModel;
import kr.max.factory.assets.Equipment;
import kr.max.factory.station.TwinStation;
import kr.max.factory.twin.Pace;
import kr.max.library.Library;
import kr.max.library.LibraryConfig;
import kr.max.library.crypto.MasterKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The factory runtime reading the twin's Modbus TCP slave (j2mod, on loopback) into a stream dataset: every tag of every
 * poll is a row. Modbus has no sequence numbers of its own; the connector numbers the samples, and a number per poll
 * instead of per sample once kept a single tag of each poll, the rest dropped as replays.
 */
class ModbusIntoStreamTest {

    @TempDir
    Path dir;

    @Test
    void everyRegisterOfEveryPollLandsInTheStreamDataset() {
        Principal me = Principal.localOperator();
        AssetModel model = AssetModel.demoLine();
        Map<String, Long> registersPerEquipment = new HashMap<>();
        for (Equipment e : model.equipment()) {
            if (e.modbusUnit() == null) continue;
            long n = model.tags(e.path()).stream().filter(t -> t.spec().modbus() != null).count();
            if (n > 0) registersPerEquipment.put(e.path().toString(), n);
        }
        assertThat(registersPerEquipment).isNotEmpty();
        try (Library library = Library.open(LibraryConfig.embedded(dir.resolve("home"), MasterKey.of("modbus stream test")))) {
            var options = FactoryRuntime.Options.demo("hanbit/modbus").withProtocol("modbus").withPace(Pace.times(10))
                    .withNormalTraining(Duration.ZERO).withPollEvery(Duration.ofMillis(20)).withFlushEvery(Duration.ofMillis(100))
                    .withPorts(new TwinStation.Ports("127.0.0.1", -1, -1, 0));
            try (FactoryRuntime factory = FactoryRuntime.start(library, me, options)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> factory.committed() >= 200);
            }
            // per equipment and poll (one time stamp per poll): as many rows as the equipment has registers
            List<Object[]> polls = QueryRows.of(library, me, "SELECT asset, time, count(*), count(DISTINCT tag) FROM \"hanbit/modbus\" GROUP BY 1, 2");
            assertThat(polls).hasSizeGreaterThan(registersPerEquipment.size() * 5);
            for (Object[] poll : polls) {
                long expected = registersPerEquipment.get((String) poll[0]);
                assertThat(((Number) poll[2]).longValue()).as("rows of %s at %s", poll[0], poll[1]).isEqualTo(expected);
                assertThat(((Number) poll[3]).longValue()).as("tags of %s at %s", poll[0], poll[1]).isEqualTo(expected);
            }
        }
    }
}
