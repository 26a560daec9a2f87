package kr.max.cli;

import static kr.max.cli.Cli.csv;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import kr.max.core.MaxException;
import kr.max.core.Principal;
import kr.max.core.Role;
import kr.max.library.IngestRequest;
import kr.max.library.Library;
import kr.max.library.LibraryConfig;
import kr.max.library.agreement.Constraint;
import kr.max.library.crypto.MasterKey;
import kr.max.library.policy.Action;
import kr.max.library.policy.PolicyError;
import kr.max.library.query.ResultSink;
import kr.max.library.sample.SampleData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code max request|requests|approve|narrow|refuse|withdraw|revoke|usage|cite} and {@code --purpose}, in English
 * and Korean. The command line acts as the local operator (organization {@code local}); the other organizations
 * act through the library directly, on the same home.
 */
class AgreementCommandsTest {

    static final Pattern ID = Pattern.compile("agr-[a-z0-9]{12}");
    static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");

    @TempDir
    Path dir;

    final Principal operator = Principal.localOperator();

    Library open(Cli max) {
        return Library.open(LibraryConfig.embedded(max.home(), MasterKey.fromFile(max.keyFile())));
    }

    static String id(String text) {
        var m = ID.matcher(text);
        assertThat(m.find()).as(text).isTrue();
        return m.group();
    }

    static long count(Library lib, Principal who, String dataset, String purpose) {
        var rows = new ArrayList<Object[]>();
        lib.query(who, "SELECT count(*) FROM \"" + dataset + "\"", purpose, new ResultSink() {
            @Override
            public void columns(List<String> names, List<String> sqlTypes) {
            }

            @Override
            public void row(Object[] values) {
                rows.add(values);
            }
        });
        return (Long) rows.getFirst()[0];
    }

    @Test
    void theProviderNarrowsRevokesAndSeesWhoUsedItsDataForWhichPurpose() throws Exception {
        Cli max = Cli.in(dir);
        var ingest = max.run("ingest", SampleData.injectionMolding(dir, 120, 5).toString(), "--dataset", "local/press",
                "--classification", "restricted");
        assertThat(ingest.exit()).as(ingest.toString()).isZero();
        LocalDate today = LocalDate.now(SEOUL);
        Principal carol;
        String id;
        try (Library lib = open(max)) {
            lib.createOrganization(operator, "seoul-analytics", null, "KR");
            carol = lib.createUser(operator, "carol", "seoul-analytics", Set.of(Role.CONSUMER)).principal();
            var period = new Constraint.TimeWindow(today.atStartOfDay(SEOUL).toInstant(),
                    today.plusDays(90).atStartOfDay(SEOUL).toInstant());
            id = lib.requestAccess(carol, "local/press", "quality-research", Set.of(Action.QUERY, Action.EXPORT), period,
                    Set.of()).id();
        }

        var listed = max.run("requests", "--format", "csv");
        assertThat(listed.exit()).as(listed.toString()).isZero();
        assertThat(csv(listed.outLines().getFirst())).containsExactly("id", "dataset", "state", "consumer", "provider", "actions",
                "purposes", "from", "until", "analysts", "uses", "requested_by", "decided_by");
        assertThat(csv(listed.outLines().get(1))).startsWith(id, "local/press", "requested", "seoul-analytics", "local",
                "query,export", "quality-research");

        var narrowed = max.run("narrow", id, "--actions", "query", "--until", today.plusDays(30).toString(), "--max-uses", "1",
                "--duties", "attribute");
        assertThat(narrowed.exit()).as(narrowed.toString()).isZero();
        assertThat(narrowed.out()).startsWith("Approved " + id + " narrowed: an agreement of seoul-analytics for local/press, "
                + "actions query, in force until before " + today.plusDays(31) + " 00:00, use limit 1.");

        try (Library lib = open(max)) {
            assertThat(count(lib, carol, "local/press", "quality-research")).isEqualTo(120L);
            var second = org.assertj.core.api.Assertions.catchThrowableOfType(MaxException.class,
                    () -> count(lib, carol, "local/press", "quality-research"));
            assertThat(second.code()).isEqualTo(PolicyError.DENIED);
            assertThat(second.args()[2]).isEqualTo("agreement-count-exhausted");
        }

        var usage = max.run("usage", "local/press", "--format", "csv");
        assertThat(usage.exit()).as(usage.toString()).isZero();
        assertThat(csv(usage.outLines().getFirst())).containsExactly("principal", "organization", "action", "purpose", "uses",
                "refused", "last");
        assertThat(usage.outLines()).anySatisfy(l -> assertThat(csv(l)).startsWith("carol", "seoul-analytics", "query",
                "quality-research", "1", "1"));
        var usageKo = max.run("--lang", "ko", "usage", "local/press");
        assertThat(usageKo.outLines().getFirst()).contains("주체", "기관", "목적", "이용 횟수", "거부", "마지막");

        var revoked = max.run("revoke", id);
        assertThat(revoked.exit()).as(revoked.toString()).isZero();
        assertThat(revoked.out()).contains("Revoked agreement " + id + " of seoul-analytics for local/press");
        assertThat(csv(max.run("requests", "--format", "csv").outLines().get(1))).startsWith(id, "local/press", "revoked");
        try (Library lib = open(max)) {
            var after = org.assertj.core.api.Assertions.catchThrowableOfType(MaxException.class,
                    () -> count(lib, carol, "local/press", "quality-research"));
            assertThat(after.args()[2]).isEqualTo("restricted-agreement-required");
        }
        var again = max.run("--lang", "ko", "revoke", id);
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).startsWith("오류 MAX-AGREE-011").contains("revoked");

        var cite = max.run("cite", "local/press");
        assertThat(cite.exit()).as(cite.toString()).isZero();
        assertThat(cite.outLines()).hasSize(2);
        assertThat(cite.outLines().get(0)).startsWith("M.AX Manufacturing AI Data Library, local/press (local/press@1, version 1), local, ");
        assertThat(cite.outLines().get(1)).startsWith("제조AX 데이터 라이브러리(M.AX), local/press (local/press@1, 버전 1), local, ");
        assertThat(max.run("--lang", "ko", "cite", "local/press@1").outLines()).containsExactly(cite.outLines().get(1),
                cite.outLines().get(0));
    }

    @Test
    void theLocalOperatorRequestsAnotherOrganizationsDataAndWithdrawsInKorean() throws Exception {
        Cli max = Cli.in(dir);
        try (Library lib = open(max)) {
            lib.createOrganization(operator, "hanbit-press", "220-81-62517", "KR");
            Principal alice = lib.createUser(operator, "alice", "hanbit-press", Set.of(Role.PROVIDER)).principal();
            lib.ingest(alice, new IngestRequest(SampleData.injectionMolding(dir, 50, 6), "hanbit/paint", null, null, false, 20,
                    kr.max.core.Classification.RESTRICTED, null));
        }
        LocalDate today = LocalDate.now(SEOUL);
        var filed = max.run("--lang", "ko", "request", "hanbit/paint", "--purpose", "에너지-절감", "--actions", "query,export",
                "--from", today.toString(), "--until", today.plusDays(10).toString(), "--analysts", "kim,lee");
        assertThat(filed.exit()).as(filed.toString()).isZero();
        assertThat(filed.out()).startsWith("이용 신청 agr-").contains("에너지-절감", "query,export", "hanbit-press",
                today + " 00:00 부터 " + today.plusDays(11) + " 00:00 전까지");
        String id = id(filed.out());

        var mine = max.run("--lang", "ko", "requests");
        assertThat(mine.outLines().getFirst()).contains("번호", "상태", "이용 기관", "제공 기관");
        assertThat(mine.outLines().get(2)).contains(id, "requested", "local", "hanbit-press", "kim,lee");

        var approve = max.run("approve", id);
        assertThat(approve.exit()).isEqualTo(1);
        assertThat(approve.err()).startsWith("error MAX-POLICY-001").contains("provider-owner-organization-only");

        var query = max.run("query", "--purpose", "에너지-절감", "SELECT count(*) FROM \"hanbit/paint\"");
        assertThat(query.err()).contains("MAX-POLICY-001", "restricted-agreement-required");
        var export = max.run("export", "hanbit/paint", "--to", dir.resolve("paint.csv").toString(), "--purpose", "에너지-절감");
        assertThat(export.err()).contains("MAX-POLICY-001", "restricted-agreement-required");

        var withdrawn = max.run("--lang", "ko", "withdraw", id);
        assertThat(withdrawn.exit()).as(withdrawn.toString()).isZero();
        assertThat(withdrawn.out()).contains(id, "철회했습니다");
        try (Library lib = open(max)) {
            assertThat(lib.accessRequest(operator, id).state()).isEqualTo(kr.max.library.agreement.AccessState.WITHDRAWN);
        }

        var audit = max.run("audit", "--dataset", "hanbit/paint", "--format", "csv");
        assertThat(audit.out()).contains(",request-access,hanbit/paint,,ok,", ",withdraw,hanbit/paint,,ok,",
                ",approve,hanbit/paint,,denied,provider-owner-organization-only", ",export,hanbit/paint,,denied,"
                        + "restricted-agreement-required organization=local purpose=에너지-절감 destination=KR");
    }

    @Test
    void badInputGetsTheSameCodeInEnglishAndKorean() throws Exception {
        Cli max = Cli.in(dir);
        assertThat(max.run("ingest", SampleData.injectionMolding(dir, 20, 7).toString(), "--dataset", "local/press",
                "--classification", "restricted").exit()).isZero();
        record Case(String code, String english, String korean, String... args) {
        }
        var cases = List.of(
                new Case("MAX-AGREE-018", "is not a date", "날짜가 아닙니다",
                        "request", "local/press", "--purpose", "p", "--actions", "query", "--until", "next friday"),
                new Case("MAX-AGREE-002", "Unknown action \"delete\"", "알 수 없는 행위 \"delete\"",
                        "request", "local/press", "--purpose", "p", "--actions", "query,delete", "--until", "2030-01-01"),
                new Case("MAX-AGREE-015", "is not a purpose", "이용 목적으로 쓸 수 없습니다",
                        "request", "local/press", "--purpose", "quality research", "--actions", "query", "--until", "2030-01-01"),
                new Case("MAX-AGREE-014", "No access request or agreement \"agr-000000000000\"", "agr-000000000000",
                        "approve", "agr-000000000000"),
                new Case("MAX-AGREE-009", "Unknown duty \"cite\"", "알 수 없는 의무 \"cite\"",
                        "approve", "agr-000000000000", "--duties", "cite"),
                new Case("MAX-AGREE-015", "is not a purpose", "이용 목적으로 쓸 수 없습니다",
                        "query", "--purpose", "a;b", "SELECT 1"));
        for (Case c : cases) {
            var en = max.run(LanguageTest.prepend("--lang", "en", c.args()));
            var ko = max.run(LanguageTest.prepend("--lang", "ko", c.args()));
            assertThat(en.exit()).as(en.toString()).isEqualTo(1);
            assertThat(en.errLines()).singleElement().asString().startsWith("error " + c.code()).contains(c.english());
            assertThat(ko.errLines()).singleElement().asString().startsWith("오류 " + c.code()).contains(c.korean());
        }
    }

    @Test
    void everyNewCommandHasHelpInBothLanguages() throws Exception {
        Cli max = Cli.in(dir);
        var en = max.run("--help");
        var ko = max.run("--lang", "ko", "--help");
        for (String command : List.of("request", "requests", "approve", "narrow", "refuse", "withdraw", "revoke", "usage", "cite")) {
            assertThat(en.out()).containsPattern("(?m)^  " + command + " +[A-Z]");
            assertThat(ko.out()).containsPattern("(?m)^  " + command + " +[가-힣A-Za-z]");
            var sub = max.run("--lang", "ko", command, "--help");
            assertThat(sub.exit()).as(sub.toString()).isZero();
            assertThat(sub.out()).contains("사용법: max " + command).doesNotContain("Usage:");
        }
        assertThat(max.run("narrow", "--help").out()).containsPattern("--max-uses=N\\s+How many times");
        assertThat(max.run("--lang", "ko", "query", "--help").out()).containsPattern("--purpose=PURPOSE\\s+데이터를 쓰는 목적");
    }
}
