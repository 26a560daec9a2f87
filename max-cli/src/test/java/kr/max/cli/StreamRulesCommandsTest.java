package kr.max.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;
import kr.max.core.Classification;
import kr.max.core.Principal;
import kr.max.core.Role;
import kr.max.factory.edge.EdgeStatus;
import kr.max.library.Library;
import kr.max.library.LibraryConfig;
import kr.max.library.audit.AuditRecord;
import kr.max.library.crypto.MasterKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code max streams rules}: a stream dataset's edge rules shown and set in the home's library and against a server,
 * in English and Korean; {@code max edge status} reading what the home's edge node reported.
 */
class StreamRulesCommandsTest {

    static final String STREAM = "hanbit/line-1";

    @TempDir
    Path dir;

    static Cli.Run ok(Cli.Run r) {
        assertThat(r.exit()).as(r.toString()).isZero();
        return r;
    }

    /** A home holding the stream dataset, created as the local operator the command acts as. */
    Cli homeWithStream() throws Exception {
        Cli cli = Cli.in(dir);
        try (Library lib = Library.open(LibraryConfig.embedded(cli.home(), MasterKey.fromFile(cli.keyFile())))) {
            lib.streams().create(Principal.localOperator(), STREAM, Classification.INTERNAL);
        }
        return cli;
    }

    @Test
    void theRulesAreShownSetAndChangedInTheHomesLibraryEachAVersion() throws Exception {
        Cli cli = homeWithStream();
        assertThat(ok(cli.run("streams", "rules", STREAM)).out())
                .contains("Edge rules of hanbit/line-1: never set (version 0); the defaults are in force, tags up to restricted leave the plant.")
                .contains("No tag has a rule.");

        var set = ok(cli.run("streams", "rules", STREAM, "--drop-tag", "cycle-time", "--round-tag", "spindle-speed=100",
                "--tag-class", "hold-pressure-setpoint=designated", "--tag-class", "melt-temperature=restricted"));
        assertThat(set.out()).containsPattern("Edge rules of hanbit/line-1, version 1 \\(set .* by .*\\): tags up to "
                + "restricted leave the plant\\.");
        assertThat(set.outLines()).contains("  cycle-time  dropped  -> stays in the plant", "  spindle-speed  rounded to 100  -> leaves the plant",
                "  hold-pressure-setpoint  designated  -> stays in the plant", "  melt-temperature  restricted  -> leaves the plant");

        // what is not given is kept; --remove-tag forgets a tag, --max-class moves the limit
        var changed = ok(cli.run("streams", "rules", STREAM, "--remove-tag", "cycle-time", "--max-class", "internal"));
        assertThat(changed.out()).contains("version 2").contains("tags up to internal leave the plant");
        assertThat(changed.outLines()).contains("  melt-temperature  restricted  -> stays in the plant", "  spindle-speed  rounded to 100  -> leaves the plant")
                .noneMatch(l -> l.contains("cycle-time"));

        var cleared = ok(cli.run("streams", "rules", STREAM, "--clear", "--drop-tag", "operator-id"));
        assertThat(cleared.out()).contains("version 3").contains("tags up to restricted leave the plant").contains("operator-id  dropped");
        assertThat(cleared.outLines()).noneMatch(l -> l.contains("spindle-speed"));

        var korean = ok(cli.run("--lang", "ko", "streams", "rules", STREAM));
        assertThat(korean.out()).contains("hanbit/line-1 의 엣지 반출 규칙, 버전 3").contains("operator-id  반출 제외  -> 공장에 남음");

        try (Library lib = Library.open(LibraryConfig.embedded(cli.home(), MasterKey.fromFile(cli.keyFile())))) {
            var records = new ArrayList<AuditRecord>();
            lib.audit(Principal.localOperator(), STREAM, records::add);
            assertThat(records).filteredOn(r -> r.action().equals("edge-rules") && r.outcome().equals("ok"))
                    .extracting(r -> r.detail().substring(0, r.detail().indexOf(' '))).containsExactly("version=1", "version=2", "version=3");
        }
    }

    @Test
    void unusableOptionsAreRefusedWithTheirCodeAndNothingChanges() throws Exception {
        Cli cli = homeWithStream();
        var notANumber = cli.run("streams", "rules", STREAM, "--round-tag", "spindle-speed=fast");
        assertThat(notANumber.exit()).isNotZero();
        assertThat(notANumber.err()).contains("MAX-STREAM-010").contains("--round-tag spindle-speed=fast");
        var zero = cli.run("streams", "rules", STREAM, "--round-tag", "spindle-speed=0");
        assertThat(zero.err()).contains("MAX-STREAM-010").contains("tags.spindle-speed.round");
        var unknownClass = cli.run("--lang", "ko", "streams", "rules", STREAM, "--max-class", "secret");
        assertThat(unknownClass.err()).contains("MAX-STREAM-010").contains("엣지 반출 규칙");
        var deposited = cli.run("streams", "rules", "hanbit/none");
        assertThat(deposited.err()).contains("MAX-CATALOG-001");
        assertThat(ok(cli.run("streams", "rules", STREAM)).out()).contains("version 0");
    }

    @Test
    void againstAServerTheOwnersProviderSetsTheRulesAndAnOutsiderIsRefused() throws Exception {
        try (RemoteLibrary server = RemoteLibrary.start(dir)) {
            server.organization("hanbit", "KR");
            server.organization("seoul-analytics", "KR");
            String aliceToken = server.user("alice", "hanbit", Role.PROVIDER);
            Cli alice = server.cli(aliceToken);
            Cli carol = server.cli(server.user("carol", "seoul-analytics", Role.CONSUMER));
            server.library.streams().create(server.library.authenticate(aliceToken).orElseThrow(), STREAM, Classification.INTERNAL);

            var set = ok(alice.run("streams", "rules", STREAM, "--drop-tag", "operator-id", "--round-tag", "spindle-speed=0.5"));
            assertThat(set.out()).contains("version 1").contains("by alice").contains("spindle-speed  rounded to 0.5  -> leaves the plant");
            // letting designated tags out is a steward's decision
            var designated = alice.run("streams", "rules", STREAM, "--max-class", "designated");
            assertThat(designated.exit()).isNotZero();
            assertThat(designated.err()).contains("MAX-POLICY-001").contains("designation-steward-only");

            var outsider = carol.run("streams", "rules", STREAM);
            assertThat(outsider.exit()).isNotZero();
            assertThat(outsider.err()).contains("MAX-POLICY-001");
            var outsiderSets = carol.run("streams", "rules", STREAM, "--clear");
            assertThat(outsiderSets.err()).contains("MAX-POLICY-001");
            assertThat(ok(alice.run("streams", "rules", STREAM)).out()).contains("version 1").contains("operator-id  dropped");
        }
    }

    @Test
    void edgeStatusShowsTheRulesVersionInForceOrWhyNothingIsForwarded() throws Exception {
        Cli cli = Cli.in(dir);
        var none = cli.run("edge", "status");
        assertThat(none.exit()).isNotZero();
        assertThat(none.err()).contains("MAX-CLI-011");

        Path file = Files.createDirectories(cli.home()).resolve("edge-status.properties");
        write(file, new EdgeStatus(120, 20, 100, Map.of(), Map.of(), true, null, Map.of(), true, 4, null));
        assertThat(ok(cli.run("edge", "status")).out()).contains("hub's edge rules in force: version 4")
                .contains("120 captured, 20 waiting in the buffer, 100 forwarded; hub reachable");

        write(file, new EdgeStatus(50, 50, 0, Map.of(), Map.of(), true, null, Map.of(), true, -1,
                "MAX-EDGE-014: The hub refused the edge rules of hanbit/line-1 (HTTP 403): denied."));
        assertThat(ok(cli.run("edge", "status")).out()).contains("no edge rules from the hub, nothing is forwarded: MAX-EDGE-014")
                .contains("50 captured, 50 waiting in the buffer, 0 forwarded");
        assertThat(ok(cli.run("--lang", "ko", "edge", "status")).out()).contains("허브의 엣지 반출 규칙이 없어 아무것도 보내지 않습니다");

        var noHub = cli.run("edge", "--dataset", STREAM, "--twin");
        assertThat(noHub.exit()).isNotZero();
        assertThat(noHub.err()).contains("max edge needs --hub.");
    }

    private static void write(Path file, EdgeStatus status) throws Exception {
        try (var out = Files.newOutputStream(file)) {
            status.toProperties().store(out, null);
        }
    }
}
