package kr.max.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.regex.Pattern;
import kr.max.core.Role;
import kr.max.library.sample.SampleData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code max protect}, {@code max deid} and {@code max narrow --deidentified-only} against a server: the
 * provider shares KAMP-shaped molding shots with operator and supplier names only as a k-anonymous,
 * pseudonymized release, and a consumer reaches the release and not the source.
 */
class ServerProtectionTest {

    static final Pattern ID = Pattern.compile("agr-[a-z0-9]{12}");

    @TempDir
    static Path dir;

    static RemoteLibrary server;
    static Cli alice;
    static Cli carol;
    static Path profile;

    @BeforeAll
    static void start() throws Exception {
        server = RemoteLibrary.start(dir);
        server.organization("hanbit-press", "KR");
        server.organization("seoul-analytics", "KR");
        alice = server.cli(server.user("alice", "hanbit-press", Role.PROVIDER));
        carol = server.cli(server.user("carol", "seoul-analytics", Role.CONSUMER));
        Path files = Files.createDirectories(dir.resolve("files"));
        ok(alice.run("ingest", SampleData.injectionMoldingWithPeople(files, 2000, 3).toString(), "--dataset", "hanbit/molding",
                "--classification", "restricted"));
        // the profile the demo ships, as a provider would keep it beside the data
        try (var in = ServerProtectionTest.class.getResourceAsStream("demo/injection-share.yaml")) {
            profile = Files.write(files.resolve("injection-share.yaml"), in.readAllBytes());
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Cli.Run ok(Cli.Run r) {
        assertThat(r.exit()).as(r.toString()).isZero();
        return r;
    }

    @Test
    void theProviderReleasesOnlyADeidentifiedVersionAndTheConsumerReachesOnlyThat() {
        var set = ok(alice.run("protect", "hanbit/molding", "--never-leave", "Inspector", "--deid-for", "query,export"));
        assertThat(set.out()).contains("hanbit/molding: de-identified release required for: query, export; columns that never "
                + "leave: Inspector.");

        var dry = ok(alice.run("deid", "hanbit/molding", "--profile", profile.toString(), "--dry-run"));
        assertThat(dry.out()).contains("De-identification report: profile \"injection-share\"").contains("Rows: 2,000 in")
                .contains("Dry run of hanbit/molding: nothing was released.");

        var released = ok(alice.run("deid", "hanbit/molding", "--profile", profile.toString(), "--as", "hanbit/molding-share"));
        assertThat(released.out()).contains("Released hanbit/molding-share version 1 from hanbit/molding with profile "
                + "injection-share version 1");
        assertThat(ok(alice.run("protect", "hanbit/molding-share")).out()).contains("It is a de-identified release of hanbit/molding.");
        assertThat(ok(alice.run("usage", "hanbit/molding")).out()).contains("De-identified releases: 1").contains("hanbit/molding-share")
                .contains("injection-share@1");
        var columns = ok(alice.run("query", "SELECT * FROM \"hanbit/molding-share\" LIMIT 1", "--format", "csv")).out();
        assertThat(columns.lines().findFirst().orElseThrow()).doesNotContain("Inspector").contains("Operator");
        assertThat(columns).contains("p_");

        LocalDate today = LocalDate.now(ZoneId.of("Asia/Seoul"));
        var filed = ok(carol.run("request", "hanbit/molding", "--purpose", "quality-research", "--actions", "query",
                "--until", today.plusDays(30).toString()));
        var m = ID.matcher(filed.out());
        assertThat(m.find()).isTrue();
        ok(alice.run("narrow", m.group(), "--deidentified-only"));

        var fromRelease = ok(carol.run("query", "SELECT count(*) AS n FROM \"hanbit/molding-share\"", "--purpose",
                "quality-research", "--format", "csv"));
        assertThat(fromRelease.out()).startsWith("n\n");
        var fromSource = carol.run("query", "SELECT count(*) FROM \"hanbit/molding\"", "--purpose", "quality-research");
        assertThat(fromSource.exit()).isNotZero();
        assertThat(fromSource.err()).contains("MAX-POLICY-001").contains("deid-release-required");
    }

    @Test
    void aConsumersExportCarriesItsFingerprintAndTraceNamesTheRecipientOfALeakedCopy() throws Exception {
        Path files = Files.createDirectories(dir.resolve("public"));
        ok(alice.run("ingest", SampleData.injectionMoldingWithPeople(files, 3000, 9).toString(), "--dataset", "hanbit/shots",
                "--classification", "public"));
        Path copy = dir.resolve("carol-shots.csv");
        var exported = ok(carol.run("export", "hanbit/shots", "--to", copy.toString()));
        assertThat(exported.out()).contains("Export exp-").contains("fingerprint");
        // the leaker keeps a fifth of the rows, in another order
        var lines = new java.util.ArrayList<>(Files.readAllLines(copy));
        String header = lines.removeFirst();
        java.util.Collections.shuffle(lines, new java.util.Random(4));
        Path leaked = dir.resolve("found-on-a-forum.csv");
        var kept = new java.util.ArrayList<String>();
        kept.add(header);
        kept.addAll(lines.subList(0, lines.size() / 5));
        Files.write(leaked, kept);

        var traced = ok(alice.run("trace", leaked.toString()));
        assertThat(traced.out()).contains("The copy found-on-a-forum.csv carries the fingerprint of export exp-")
                .contains(" to carol on ").contains("confidence 1 - 10^");
        var korean = ok(alice.run("trace", leaked.toString(), "--lang", "ko"));
        assertThat(korean.out()).contains("carol 에게 반출된");
        var usage = ok(alice.run("usage", "hanbit/shots"));
        assertThat(usage.out()).contains("Exports: 1").contains("carol").contains("seoul-analytics").contains("yes");
        var own = ok(carol.run("trace", leaked.toString()));
        assertThat(own.out()).contains("cannot be traced: there is no fingerprinted export you may trace against");
    }

    @Test
    void aBrokenProfileIsReportedWithItsLineBeforeAnythingIsSent() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "profile: x\nk: five\nrules: []\n");
        var r = alice.run("deid", "hanbit/molding", "--profile", bad.toString(), "--dry-run");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("MAX-DEID-").contains("bad.yaml:2");
        var both = alice.run("deid", "hanbit/molding", "--profile", bad.toString());
        assertThat(both.exit()).isNotZero();
        assertThat(both.err()).contains("--dry-run");
    }

    @Test
    void aWordThatIsNotAUseOfDataIsRefusedWithItsCode() {
        var r = alice.run("protect", "hanbit/molding", "--deid-for", "sell");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("MAX-SHARE-002").contains("\"sell\"");
        var ko = alice.run("--lang", "ko", "protect", "hanbit/molding", "--deid-for", "delete");
        assertThat(ko.err()).contains("MAX-SHARE-002").contains("데이터 이용 행위가 아닙니다");
    }

    @Test
    void anotherOrganizationCannotSetControlsNorDeidentify() {
        var r = carol.run("protect", "hanbit/molding", "--never-leave", "Operator");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("MAX-POLICY-001");
        var d = carol.run("deid", "hanbit/molding", "--profile", profile.toString(), "--dry-run");
        assertThat(d.exit()).isNotZero();
        assertThat(d.err()).contains("MAX-POLICY-001");
    }
}
