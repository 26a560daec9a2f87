package kr.max.cli;

import static kr.max.cli.Cli.csv;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import kr.max.library.sample.SampleData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tampering, a wrong key and a wrong command line are refused, and refusing changes nothing. */
class SafeguardsTest {

    @TempDir
    Path dir;

    Cli max;
    Path sensors;

    @BeforeEach
    void libraryWithOneDataset() throws IOException {
        max = Cli.in(dir);
        sensors = SampleData.sensors(dir.resolve("press_line.csv"), 500, 5);
        var ingest = max.run("ingest", sensors.toString(), "--dataset", "plant/press-line");
        assertThat(ingest.exit()).as(ingest.toString()).isZero();
    }

    @Test
    void auditVerifyNamesTheRecordChangedDirectlyInTheCatalog() throws SQLException {
        assertThat(max.run("datasets").exit()).isZero();
        assertThat(max.run("query", "SELECT asset, avg(temperature) FROM \"plant/press-line\" GROUP BY 1").exit()).isZero();
        var before = max.run("audit", "verify");
        assertThat(before.exit()).as(before.toString()).isZero();
        assertThat(before.out()).startsWith("Audit chain intact: ");

        String url = "jdbc:h2:file:" + max.home().resolve("catalog").resolve("catalog").toAbsolutePath() + ";AUTO_SERVER=TRUE";
        // an attacker who has the master key (and so the catalog's password) but not the audit signing key
        String password = kr.max.library.crypto.LocalKeyManagementService.open(max.home().resolve("keys"),
                kr.max.library.crypto.MasterKey.fromFile(max.keyFile())).secret("embedded-catalog");
        try (var c = DriverManager.getConnection(url, "max", "")) {
            org.junit.jupiter.api.Assertions.fail("the catalog opened without its password");
        } catch (SQLException expected) {
            // refused: without the password nobody reaches the catalog, not even through the local port
        }
        try (var c = DriverManager.getConnection(url, "max", password); var s = c.createStatement()) {
            assertThat(s.executeUpdate("UPDATE audit_record SET principal = 'x' WHERE seq = 2")).isEqualTo(1);
        }

        var broken = max.run("audit", "verify");
        var brokenKo = max.run("--lang", "ko", "audit", "verify");
        assertThat(broken.exit()).as(broken.toString()).isEqualTo(3);
        assertThat(broken.outLines()).containsExactly("Audit chain BROKEN at record 2: the record was changed.");
        assertThat(broken.err()).isEmpty();
        assertThat(brokenKo.exit()).isEqualTo(3);
        assertThat(brokenKo.outLines()).containsExactly("감사 체인이 기록 2 에서 깨졌습니다: 기록이 변경되었습니다.");
        // the changed record is what audit shows now
        var records = max.run("audit", "--format", "csv").outLines();
        List<String> second = csv(records.get(2));
        assertThat(List.of(second.get(0), second.get(2), second.get(3), second.get(6))).containsExactly("2", "x", "ingest", "ok");
    }

    @Test
    void wrongMasterKeyIsRefusedWithCryptoCodeAndPrintsNothing() throws IOException {
        Path otherKey = Files.writeString(dir.resolve("other.key"), "another secret of enough length", StandardCharsets.UTF_8);
        Cli intruder = max.withKeyFile(otherKey);

        var list = intruder.run("datasets");
        var ingest = intruder.run("ingest", sensors.toString(), "--dataset", "plant/press-line");
        var listKo = intruder.run("--lang", "ko", "datasets");

        for (var refused : List.of(list, ingest, listKo)) {
            assertThat(refused.exit()).as(refused.toString()).isEqualTo(1);
            assertThat(refused.out()).isEmpty();
            assertThat(refused.errLines()).singleElement().asString().contains("MAX-CRYPTO-001");
        }
        assertThat(list.err()).contains("The master key does not open this library's key store.");
        assertThat(listKo.err()).startsWith("오류 MAX-CRYPTO-001").contains("마스터 키로 이 라이브러리의 키 저장소를 열 수 없습니다.");
        // the right key still opens it, unchanged
        List<String> listed = max.run("datasets", "--format", "csv").outLines();
        assertThat(listed).hasSize(2);
        assertThat(csv(listed.get(1)).subList(0, 3)).containsExactly("plant/press-line", "1", "500");
    }

    @Test
    void exportToUnknownExtensionIsAUsageErrorAndWritesNothing() throws IOException {
        Path target = dir.resolve("press.xlsx");

        var refused = max.run("export", "plant/press-line", "--to", target.toString());

        assertThat(refused.exit()).as(refused.toString()).isNotZero().isNotEqualTo(3);
        assertThat(refused.out()).isEmpty();
        assertThat(refused.errLines().getFirst()).isEqualTo("--to must end in .parquet or .csv");
        assertThat(refused.err()).contains("Usage: max export ");
        assertThat(target).doesNotExist();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).doesNotContain("press.xlsx");
        }
        var actions = max.run("audit", "--format", "csv").outLines().stream().map(l -> csv(l).get(3)).toList();
        assertThat(actions).doesNotContain("export");
    }

    @Test
    void unknownOutputFormatIsAUsageErrorInTheUsersLanguage() {
        var en = max.run("datasets", "--format", "xml");
        var ko = max.run("--lang", "ko", "query", "SELECT 1", "--format", "xml");

        assertThat(en.exit()).as(en.toString()).isEqualTo(ko.exit()).isNotZero();
        assertThat(en.out()).isEmpty();
        assertThat(en.errLines().getFirst()).isEqualTo("Unknown output format \"xml\"; use table, csv or json.");
        assertThat(en.err()).contains("Usage: max datasets ");
        assertThat(ko.errLines().getFirst()).isEqualTo("알 수 없는 출력 형식 \"xml\" 입니다. table, csv, json 중 하나를 쓰십시오.");
        assertThat(ko.err()).contains("사용법: max query ");
    }
}
