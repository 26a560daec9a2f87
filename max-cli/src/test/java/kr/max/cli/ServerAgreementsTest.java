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
 * {@code max request|requests|approve|narrow|refuse|withdraw|revoke|usage|cite} and {@code --purpose}
 * against a server, each organization at its own shell: the routes {@code /v1/requests},
 * {@code /v1/usage} and {@code /v1/citation}, and {@code purpose} on query and export.
 */
class ServerAgreementsTest {

    static final Pattern ID = Pattern.compile("agr-[a-z0-9]{12}");
    static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");

    @TempDir
    static Path dir;

    static RemoteLibrary server;
    static Cli alice;
    static Cli carol;
    static Cli hans;
    static Cli audrey;

    @BeforeAll
    static void start() throws Exception {
        server = RemoteLibrary.start(dir);
        server.organization("hanbit-press", "KR");
        server.organization("seoul-analytics", "KR");
        server.organization("bavaria-ai", "DE");
        alice = server.cli(server.user("alice", "hanbit-press", Role.PROVIDER, Role.CONSUMER));
        carol = server.cli(server.user("carol", "seoul-analytics", Role.CONSUMER));
        hans = server.cli(server.user("hans", "bavaria-ai", Role.CONSUMER));
        audrey = server.cli(server.user("audrey", "national-library", Role.AUDITOR));
        var ingest = alice.run("ingest", SampleData.injectionMolding(Files.createDirectories(dir.resolve("files")), 120, 5).toString(),
                "--dataset", "hanbit/press", "--classification", "restricted");
        assertThat(ingest.exit()).as(ingest.toString()).isZero();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Cli.Run ok(Cli.Run r) {
        assertThat(r.exit()).as(r.toString()).isZero();
        return r;
    }

    static String id(String text) {
        var m = ID.matcher(text);
        assertThat(m.find()).as(text).isTrue();
        return m.group();
    }

    static String request(Cli who, String purpose, String actions, LocalDate until) {
        var filed = ok(who.run("request", "hanbit/press", "--purpose", purpose, "--actions", actions, "--until", until.toString()));
        return id(filed.out());
    }

    @Test
    void theProviderNarrowsRevokesAndSeesWhoUsedItsDataForWhichPurpose() {
        LocalDate today = LocalDate.now(SEOUL);
        var filed = ok(carol.run("request", "hanbit/press", "--purpose", "quality-research", "--actions", "query,export",
                "--until", today.plusDays(90).toString()));
        assertThat(filed.out()).startsWith("Filed access request agr-").contains("for hanbit/press: purpose quality-research, "
                + "actions query,export, from " + today + " 00:00 to before " + today.plusDays(91) + " 00:00. The provider "
                + "organization hanbit-press decides it");
        String id = id(filed.out());
        assertThat(Cli.csv(ok(carol.run("requests", "--format", "csv")).outLines().get(1)))
                .startsWith(id, "hanbit/press", "requested", "seoul-analytics", "hanbit-press", "query,export", "quality-research");

        assertThat(ok(alice.run("narrow", id, "--actions", "query", "--until", today.plusDays(30).toString(), "--max-uses", "1",
                "--duties", "attribute")).out()).isEqualTo("Approved " + id + " narrowed: an agreement of seoul-analytics for "
                + "hanbit/press, actions query, in force until before " + today.plusDays(31) + " 00:00, use limit 1.\n");

        String count = "SELECT count(*) FROM \"hanbit/press\"";
        assertThat(ok(carol.run("query", "--purpose", "quality-research", count, "--format", "csv")).outLines())
                .containsExactly("count_star()", "120");
        assertThat(carol.run("query", "--purpose", "quality-research", count).err())
                .startsWith("error MAX-POLICY-001").contains("agreement-count-exhausted");
        assertThat(carol.run("query", "--purpose", "marketing", count).err()).startsWith("error MAX-POLICY-001");
        assertThat(carol.run("export", "hanbit/press", "--to", dir.resolve("press.csv").toString(), "--purpose", "quality-research")
                .err()).startsWith("error MAX-POLICY-001");
        assertThat(dir.resolve("press.csv")).doesNotExist();

        var usage = ok(alice.run("usage", "hanbit/press", "--format", "csv"));
        assertThat(Cli.csv(usage.outLines().getFirst())).containsExactly("principal", "organization", "action", "purpose", "uses",
                "refused", "last");
        assertThat(usage.outLines()).anySatisfy(l -> assertThat(Cli.csv(l)).startsWith("carol", "seoul-analytics", "query",
                "quality-research", "1", "1"));
        assertThat(ok(alice.run("--lang", "ko", "usage", "hanbit/press")).outLines().getFirst()).contains("주체", "기관", "목적");

        assertThat(ok(alice.run("revoke", id)).out()).startsWith("Revoked agreement " + id + " of seoul-analytics for hanbit/press");
        assertThat(Cli.csv(ok(carol.run("requests", "--format", "csv")).outLines().get(1))).startsWith(id, "hanbit/press", "revoked");
        assertThat(carol.run("query", "--purpose", "quality-research", count).err()).contains("restricted-agreement-required");
        assertThat(alice.run("--lang", "ko", "revoke", id).err()).startsWith("오류 MAX-AGREE-011");

        var cite = ok(carol.run("cite", "hanbit/press"));
        assertThat(cite.outLines()).hasSize(2);
        assertThat(cite.outLines().get(0)).startsWith("M.AX Manufacturing AI Data Library, hanbit/press (hanbit/press@1, version 1), "
                + "hanbit-press, ");
        assertThat(cite.outLines().get(1)).startsWith("제조AX 데이터 라이브러리(M.AX), hanbit/press (hanbit/press@1, 버전 1), hanbit-press, ");
        assertThat(ok(carol.run("--lang", "ko", "cite", "hanbit/press@1")).outLines()).containsExactly(cite.outLines().get(1),
                cite.outLines().get(0));
    }

    @Test
    void requestsAreWithdrawnAndRefusedAndACopyAbroadIsRefused() {
        LocalDate until = LocalDate.now(SEOUL).plusDays(10);
        String withdrawn = request(carol, "energy-saving", "query", until);
        assertThat(alice.run("withdraw", withdrawn).err()).startsWith("error MAX-POLICY-001");
        assertThat(ok(carol.run("--lang", "ko", "withdraw", withdrawn)).out()).contains(withdrawn, "철회했습니다");

        String refused = request(carol, "energy-saving", "query", until);
        assertThat(carol.run("approve", refused).err()).startsWith("error MAX-POLICY-001").contains("role-provider-required");
        assertThat(ok(alice.run("refuse", refused, "--reason", "not this quarter")).out())
                .isEqualTo("Refused request " + refused + " of seoul-analytics for hanbit/press.\n");
        assertThat(alice.run("approve", refused).err()).startsWith("error MAX-AGREE-011");

        String abroad = request(hans, "predictive-maintenance", "query,export", until);
        assertThat(ok(alice.run("approve", abroad)).out()).startsWith("Approved " + abroad + ": an agreement of bavaria-ai for "
                + "hanbit/press, in force until before " + until.plusDays(1) + " 00:00.");
        assertThat(ok(hans.run("query", "--purpose", "predictive-maintenance", "SELECT count(*) FROM \"hanbit/press\"", "--format",
                "csv")).outLines()).containsExactly("count_star()", "120");
        // a download goes to the caller's jurisdiction, outside the library's
        var export = hans.run("export", "hanbit/press", "--to", dir.resolve("abroad.csv").toString(), "--purpose", "predictive-maintenance");
        assertThat(export.err()).startsWith("error MAX-POLICY-001");
        assertThat(dir.resolve("abroad.csv")).doesNotExist();

        var audit = ok(audrey.run("audit", "--dataset", "hanbit/press", "--format", "csv"));
        assertThat(audit.out()).contains(",carol,withdraw,hanbit/press,,ok,", ",alice,refuse,hanbit/press,,ok,",
                ",alice,approve,hanbit/press,,ok,", ",hans,export,hanbit/press,,denied,");
    }
}
