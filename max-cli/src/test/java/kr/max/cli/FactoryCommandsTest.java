package kr.max.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The factory from the shell: the asset model stored in the library and browsed, and a twin started by one {@code
 * max} and commanded by others through the control address it leaves in the home.
 */
class FactoryCommandsTest {

    @TempDir
    Path dir;

    @Test
    void anAssetModelIsStoredInTheLibraryAndBrowsedAsAHierarchyInBothLanguages() throws Exception {
        var max = Cli.in(dir);
        var line = dir.resolve("line.yaml");
        try (var in = getClass().getClassLoader().getResourceAsStream("kr/max/factory/lines/demo-line.yaml")) {
            Files.copy(in, line);
        }
        var stored = max.run("assets", "import", line.toString());
        assertThat(stored.exit()).as(stored.toString()).isZero();
        assertThat(stored.out()).startsWith("Stored the asset model hanbit (4 equipment, ").contains(" as assets/hanbit@1 (internal).");

        var shown = max.run("assets");
        assertThat(shown.exit()).as(shown.toString()).isZero();
        assertThat(shown.out()).contains("Asset model assets/hanbit: ").contains("changwon/").contains("    line-1/")
                .contains("CNC-01  CNC machining centre 1  [cnc-machining-center]")
                .contains("vibration-velocity-rms  ").contains("HI 4.5 HIHI 7.1")
                .contains("barrel-zone-1-setpoint  Barrel zone 1 setpoint  (Cel, setpoint, normal 150–280, writable)");
        var korean = max.run("assets", "hanbit", "--lang", "ko");
        assertThat(korean.out()).contains("CNC-01  CNC 머시닝센터 1호기").contains("배럴 1존 설정 온도").contains("쓰기 가능");
        // the same tree from the file itself, without the library
        var fromFile = max.run("assets", "--line", line.toString());
        assertThat(fromFile.out().lines().skip(1).toList()).isEqualTo(shown.out().lines().skip(1).toList());
        // stored like any dataset: queryable, audited
        var query = max.run("query", "SELECT count(*) FROM \"assets/hanbit\" WHERE writable", "--format", "csv");
        assertThat(query.outLines().get(1)).matches("[1-9][0-9]*");
        assertThat(max.run("audit").out()).contains("assets/hanbit");

        Files.writeString(dir.resolve("broken.yaml"), "enterprise:\n  id: x\n  colour: blue\n", StandardCharsets.UTF_8);
        var broken = max.run("assets", "import", dir.resolve("broken.yaml").toString());
        assertThat(broken.exit()).isEqualTo(1);
        assertThat(broken.err()).contains("MAX-FACTORY-").contains("broken.yaml").contains("3");
        assertThat(max.run("datasets").out()).doesNotContain("assets/x");
    }

    @Test
    void aTwinStartedByOneCommandTakesFaultsFromAnother() throws Exception {
        var max = Cli.in(dir);
        var started = new AtomicReference<Cli.Run>();
        var twin = new Thread(() -> started.set(max.run("twin", "start", "--speed", "10x", "--seed", "3",
                "--opcua-port", "0", "--mqtt-port", "0", "--modbus-port", "0", "--mqtt-batches")));
        twin.start();
        Path control = max.home().resolve("twin.json");
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.isRegularFile(control));
            assertThat(Files.getPosixFilePermissions(control)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
                    PosixFilePermission.OWNER_WRITE);

            var fault = max.run("twin", "fault", "bearing-defect", "CNC-01", "--severity", "0.6");
            assertThat(fault.exit()).as(fault.toString()).isZero();
            assertThat(fault.out()).startsWith("Injected bearing-defect on changwon/molding/line-1/machining-cell/CNC-01 (fault ");
            var status = max.run("twin", "status");
            assertThat(status.out()).contains("Twin at simulated time ").contains("speed 10x, seed 3")
                    .contains("bearing-defect on changwon/molding/line-1/machining-cell/CNC-01 since ");
            assertThat(status.out()).containsPattern("(?m)^  OPC UA: +opc\\.tcp://127\\.0\\.0\\.1:\\d+/max");

            var wrong = max.run("twin", "fault", "bearing-defect", "PRS-01");
            assertThat(wrong.exit()).isEqualTo(1);
            assertThat(wrong.err()).contains("MAX-FACTORY-046");
            var unknown = max.run("twin", "fault", "stuck-sensor", "CNC-01/no-such-tag", "--lang", "ko");
            assertThat(unknown.err()).contains("MAX-FACTORY-040").containsPattern("[가-힣]");

            assertThat(max.run("twin", "set", "IMM-01/barrel-zone-1-setpoint", "235").out()).contains("235");
            var refused = max.run("twin", "set", "IMM-01/barrel-zone-1-temperature", "235");
            assertThat(refused.err()).contains("MAX-FACTORY-042");

            var cleared = max.run("twin", "clear", "bearing-defect");
            assertThat(cleared.out()).startsWith("Cleared bearing-defect on changwon/molding/line-1/machining-cell/CNC-01");
            assertThat(max.run("twin", "status").out()).contains("No faults in effect.");
        } finally {
            twin.interrupt();
            twin.join(30_000);
        }
        assertThat(started.get().out()).contains("Twin of 한빛정밀 (Hanbit Precision) running: 4 equipment, ").contains("Twin stopped.");
        assertThat(control).doesNotExist();
        var noServer = max.run("alarms", "--lang", "ko");
        assertThat(noServer.exit()).isEqualTo(1);
        assertThat(noServer.err()).contains("MAX-CLI-010").containsPattern("[가-힣]");
        var gone = max.run("twin", "status");
        assertThat(gone.exit()).isEqualTo(1);
        assertThat(gone.err()).contains("MAX-CLI-007");
    }

    @Test
    void connectReadsEquipmentOverOpcUaIntoAStreamDatasetOfTheHome() throws Exception {
        var max = Cli.in(dir);
        try (var plant = kr.max.factory.station.TwinStation.start(kr.max.factory.assets.AssetModel.demoLine(), 9,
                kr.max.factory.twin.Pace.times(10), kr.max.factory.station.TwinStation.Ports.anyFree())) {
            var connected = max.run("connect", plant.opcUaUrl(), "--dataset", "hanbit/opcua-line", "--period", "100ms", "--for", "8s");
            assertThat(connected.exit()).as(connected.toString()).isZero();
            assertThat(connected.out()).startsWith("Reading OPC UA at " + plant.opcUaUrl() + " into the stream dataset hanbit/opcua-line")
                    .containsPattern("Stopped: [1-9][0-9]* samples received, [1-9][0-9]* committed to hanbit/opcua-line\\.");
        }
        var counted = max.run("query", "SELECT count(DISTINCT asset) AS equipment, count(*) > 100 AS plenty FROM \"hanbit/opcua-line\"",
                "--format", "csv");
        assertThat(counted.outLines()).containsExactly("equipment,plenty", "4,true");
        var shown = max.run("datasets");
        assertThat(shown.out()).contains("hanbit/opcua-line");
        var unknown = max.run("connect", "ftp://127.0.0.1:21", "--dataset", "hanbit/x", "--for", "1s");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("MAX-FACTORY-060").contains("ftp");
    }
}
