package kr.max.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import kr.max.library.sample.SampleData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Organizations in Korea and Germany, a steward and an auditor, each at their own shell with their
 * own token against one server — every step a {@code max} command, the identities included: the
 * library's policy engine decides for the token's principal, exactly as it does in-process.
 */
class ServerGovernanceTest {

    @TempDir
    static Path dir;

    static RemoteLibrary server;

    @BeforeAll
    static void start() {
        server = RemoteLibrary.start(dir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Cli.Run ok(Cli.Run r) {
        assertThat(r.exit()).as(r.toString()).isZero();
        return r;
    }

    /** Issues a token for {@code user} with {@code max token issue}: the secret alone on standard output. */
    static String token(Cli admin, String user) {
        var issued = ok(admin.run("token", "issue", "--user", user, "--days", "7", "--label", "governance test"));
        assertThat(issued.err()).contains("Issued token ", " for " + user + " ", "shown only now");
        return issued.out().strip();
    }

    @Test
    void aDesignatedDatasetAcrossTwoOrganizationsFromDepositToRevocation() throws Exception {
        Cli admin = server.cli(server.adminToken);
        assertThat(ok(admin.run("org", "create", "hanbit-press", "--jurisdiction", "KR", "--business-number", "220-81-62517")).out())
                .isEqualTo("Registered organization hanbit-press (jurisdiction KR).\n");
        ok(admin.run("org", "create", "bavaria-ai", "--jurisdiction", "de"));
        assertThat(ok(admin.run("--lang", "ko", "user", "create", "alice", "--org", "hanbit-press", "--roles", "provider,consumer")).out())
                .contains("사용자 alice", "provider,consumer");
        ok(admin.run("user", "create", "bob", "--org", "hanbit-press", "--roles", "provider"));
        ok(admin.run("user", "create", "hans", "--org", "bavaria-ai", "--roles", "consumer"));
        ok(admin.run("user", "create", "sejong", "--org", "national-library", "--roles", "steward"));
        ok(admin.run("user", "create", "audrey", "--org", "national-library", "--roles", "auditor"));
        assertThat(ok(admin.run("org", "list", "--format", "csv")).out()).contains("bavaria-ai,DE,", "hanbit-press,KR,220-81-62517,");
        assertThat(ok(admin.run("user", "list", "--org", "hanbit-press", "--format", "csv")).outLines())
                .hasSize(3).anySatisfy(l -> assertThat(l).startsWith("alice,hanbit-press,KR,\""));
        var badRole = admin.run("user", "create", "eve", "--org", "hanbit-press", "--roles", "root");
        assertThat(badRole.err()).startsWith("error MAX-ID-010");

        String aliceSecret = token(admin, "alice");
        String aliceToken = aliceSecret.substring(4, 20);
        assertThat(ok(admin.run("token", "list", "--user", "alice", "--format", "csv")).out()).contains(aliceToken + ",alice,")
                .doesNotContain(aliceSecret.substring(21));
        Cli alice = server.cli(aliceSecret);
        Cli bob = server.cli(token(admin, "bob"));
        Cli hans = server.cli(token(admin, "hans"));
        Cli sejong = server.cli(token(admin, "sejong"));
        Cli audrey = server.cli(token(admin, "audrey"));
        assertThat(alice.run("org", "create", "x-corp", "--jurisdiction", "KR").err()).startsWith("error MAX-POLICY-001");

        // alice deposits; only the steward designates it (보안과제 지정)
        Path file = SampleData.injectionMolding(Files.createDirectories(dir.resolve("files")), 240, 5);
        assertThat(ok(alice.run("ingest", file.toString(), "--dataset", "hanbit/injection")).out())
                .startsWith("Deposited hanbit/injection version 1: 240 rows");
        assertThat(alice.run("describe", "hanbit/injection", "--classification", "designated").err()).startsWith("error MAX-POLICY-001");
        assertThat(ok(sejong.run("describe", "hanbit/injection", "--classification", "designated")).out())
                .isEqualTo("Described hanbit/injection (classification designated).\n");

        // a consumer abroad is refused, in either language
        var foreign = hans.run("query", "SELECT count(*) FROM \"hanbit/injection\"");
        assertThat(foreign.exit()).isEqualTo(1);
        assertThat(foreign.errLines()).singleElement().asString().startsWith("error MAX-POLICY-001")
                .contains("residency-designated-domestic-only");
        assertThat(hans.run("--lang", "ko", "query", "SELECT count(*) FROM \"hanbit/injection\"").err())
                .startsWith("오류 MAX-POLICY-001").contains("residency-designated-domestic-only");

        // alice's aggregate is held in the safe zone (HTTP 202), not delivered
        var held = ok(alice.run("query", "SELECT EQUIP_NAME, avg(Cycle_Time) AS cycle FROM \"hanbit/injection\" GROUP BY 1 ORDER BY 1",
                "--format", "csv"));
        assertThat(held.out()).isEmpty();
        var m = Pattern.compile("held in the safe zone as output ([a-z0-9]{12}) \\(3 rows; 0 rows held back because fewer than 5 ")
                .matcher(held.err());
        assertThat(m.find()).as(held.err()).isTrue();
        String output = m.group(1);
        assertThat(held.err()).contains("max output " + output);
        assertThat(alice.run("--lang", "ko", "output", output).err()).startsWith("오류 MAX-SAFE-003").contains("반출 승인된 결과만");
        assertThat(alice.run("review", "approve", output).err()).startsWith("error MAX-POLICY-001").contains("review-not-own-output");

        // bob, of alice's organization, reviews and releases it
        assertThat(ok(bob.run("review", "list", "--format", "csv")).out()).startsWith("output,state,").contains(output + ",pending,alice,");
        assertThat(ok(bob.run("review", "approve", output, "--note", "per-machine means only")).out())
                .isEqualTo("Released output " + output + " to its analyst alice.\n");
        var result = ok(alice.run("output", output, "--format", "csv"));
        assertThat(result.outLines()).hasSize(4).first().isEqualTo("EQUIP_NAME,cycle");
        assertThat(bob.run("output", output).err()).startsWith("error MAX-POLICY-001").contains("output-analyst-only");
        assertThat(alice.run("export", "hanbit/injection", "--to", dir.resolve("raw.csv").toString()).err())
                .contains("designated-no-raw-export");
        assertThat(dir.resolve("raw.csv")).doesNotExist();

        // the admin revokes alice's token: her next command is refused
        assertThat(ok(admin.run("token", "revoke", aliceToken)).out()).isEqualTo("Revoked token " + aliceToken + " of alice; "
                + "it is refused from the next call on.\n");
        var refused = alice.run("datasets");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.errLines()).singleElement().asString().startsWith("error MAX-SERVER-001");

        // the auditor reads every step on the record, and the chain is intact
        var audit = ok(audrey.run("audit", "--dataset", "hanbit/injection", "--format", "csv"));
        assertThat(audit.out()).contains(",alice,ingest,hanbit/injection,1,ok,", ",sejong,describe,hanbit/injection,,ok,",
                ",hans,query,hanbit/injection,,denied,residency-designated-domestic-only", ",alice,query,hanbit/injection,1,held,",
                ",bob,review-release,hanbit/injection,,ok,", ",alice,output-read,hanbit/injection,,ok,",
                ",alice,export,hanbit/injection,,denied,designated-no-raw-export");
        assertThat(ok(audrey.run("audit", "verify")).out()).startsWith("Audit chain intact: ");
        assertThat(hans.run("audit").err()).startsWith("error MAX-POLICY-001");
    }
}
