package kr.max.library;

import static kr.max.library.agreement.AccessState.ACTIVE;
import static kr.max.library.agreement.AccessState.EXPIRED;
import static kr.max.library.agreement.AccessState.REFUSED;
import static kr.max.library.agreement.AccessState.REQUESTED;
import static kr.max.library.agreement.AccessState.REVOKED;
import static kr.max.library.agreement.AccessState.WITHDRAWN;
import static kr.max.library.policy.Action.EXPORT;
import static kr.max.library.policy.Action.QUERY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import kr.max.core.Classification;
import kr.max.core.MaxException;
import kr.max.core.Principal;
import kr.max.core.Role;
import kr.max.library.agreement.AgreementError;
import kr.max.library.agreement.Agreements;
import kr.max.library.agreement.Constraint.TimeWindow;
import kr.max.library.agreement.Duty;
import kr.max.library.agreement.Terms;
import kr.max.library.audit.AuditRecord;
import kr.max.library.crypto.MasterKey;
import kr.max.library.policy.PolicyError;
import kr.max.library.query.ResultSink;
import kr.max.library.sample.SampleData;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Access requests and agreements through the library, end to end: a Korean provider's restricted dataset, a
 * German and a Korean consumer, a steward and an auditor of the library, real H2, DuckDB and audit chain.
 */
class AgreementStoryTest {

    static final Instant T0 = Instant.parse("2026-03-02T00:00:00Z");
    static final String DATASET = "hanbit/injection";
    static final String RESEARCH = "quality-research";
    static final String MAINTENANCE = "predictive-maintenance";

    @TempDir
    Path dir;

    final MutableClock clock = new MutableClock(T0);
    Library lib;
    Principal alice; // provider, hanbit-press (KR)
    Principal bob;   // consumer, bavaria-ai (DE)
    Principal carol; // consumer, seoul-analytics (KR)
    Principal dave;  // consumer, seoul-analytics (KR), never named
    Principal steward;
    Principal auditor;
    final TimeWindow halfYear = new TimeWindow(T0, T0.plus(Duration.ofDays(180)));

    @BeforeEach
    void open() throws Exception {
        lib = Library.open(LibraryConfig.embedded(dir.resolve("home"), MasterKey.of("agreement story master secret 01"))
                .withClock(clock));
        Principal admin = lib.authenticate(lib.bootstrapAdmin("national-library", "KR", "admin").orElseThrow().token())
                .orElseThrow();
        lib.createOrganization(admin, "hanbit-press", "220-81-62517", "KR");
        lib.createOrganization(admin, "bavaria-ai", null, "DE");
        lib.createOrganization(admin, "seoul-analytics", null, "KR");
        alice = lib.createUser(admin, "alice", "hanbit-press", Set.of(Role.PROVIDER)).principal();
        bob = lib.createUser(admin, "bob", "bavaria-ai", Set.of(Role.CONSUMER)).principal();
        carol = lib.createUser(admin, "carol", "seoul-analytics", Set.of(Role.CONSUMER)).principal();
        dave = lib.createUser(admin, "dave", "seoul-analytics", Set.of(Role.CONSUMER)).principal();
        steward = lib.createUser(admin, "sam", "national-library", Set.of(Role.STEWARD)).principal();
        auditor = lib.createUser(admin, "audrey", "national-library", Set.of(Role.AUDITOR)).principal();
        lib.ingest(alice, new IngestRequest(SampleData.injectionMolding(dir, 200, 1), DATASET, null, null, false, 20,
                Classification.RESTRICTED, null));
    }

    @AfterEach
    void close() {
        lib.close();
    }

    long count(Principal who, String purpose) {
        var rows = new ArrayList<Object[]>();
        lib.query(who, "SELECT count(*) FROM \"" + DATASET + "\"", purpose, new ResultSink() {
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

    /** The rule that denied the call; fails unless the call was denied. */
    static String deniedRule(ThrowingCallable call) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).isInstanceOf(MaxException.class);
        var e = (MaxException) thrown;
        assertThat(e.code()).as(e.getMessage()).isEqualTo(PolicyError.DENIED);
        return (String) e.args()[2];
    }

    static void assertCode(ThrowingCallable call, AgreementError code, String... inMessage) {
        assertThatThrownBy(call).isInstanceOfSatisfying(MaxException.class, e -> {
            assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
            for (String part : inMessage) assertThat(e.getMessage()).contains(part);
            assertThat(e.message(Locale.KOREAN)).startsWith(code.code());
        });
    }

    @Test
    void restrictedDataIsUsedOnlyUnderAnAgreementInForceWithinItsTermsAndEveryStepIsAudited() {
        assertThat(deniedRule(() -> count(carol, RESEARCH))).isEqualTo("restricted-agreement-required");
        var carols = lib.requestAccess(carol, DATASET, RESEARCH, Set.of(QUERY, EXPORT), halfYear, Set.of("carol"));
        var bobs = lib.requestAccess(bob, DATASET, MAINTENANCE, Set.of(QUERY), halfYear, Set.of());
        assertThat(carols.state()).isEqualTo(REQUESTED);
        assertThat(carols.agreement().provider()).isEqualTo("hanbit-press");
        assertThat(carols.agreement().consumer()).isEqualTo("seoul-analytics");
        assertThat(deniedRule(() -> count(carol, RESEARCH))).as("a request is no agreement").isEqualTo("restricted-agreement-required");

        // only the provider organization decides: 30 days instead of 180, at most two uses of each action
        assertThat(deniedRule(() -> lib.approve(carol, carols.id(), List.of()))).isEqualTo("role-provider-required");
        var narrowed = lib.narrow(alice, carols.id(), new Terms(Set.of(QUERY, EXPORT), Set.of(RESEARCH),
                new TimeWindow(T0, T0.plus(Duration.ofDays(30))), Set.of("carol"), 2L), List.of(Duty.ATTRIBUTE));
        assertThat(narrowed.state()).isEqualTo(ACTIVE);
        assertThat(narrowed.validUntil()).isEqualTo(T0.plus(Duration.ofDays(30)));
        assertThat(narrowed.decidedBy()).isEqualTo("alice");
        assertThat(lib.approve(alice, bobs.id(), List.of()).state()).isEqualTo(ACTIVE);

        // within purpose, analysts and count
        clock.set(T0.plus(Duration.ofDays(1)));
        assertThat(count(carol, RESEARCH)).isEqualTo(200L);
        assertThat(deniedRule(() -> count(carol, "marketing"))).isEqualTo("agreement-purpose");
        assertThat(deniedRule(() -> count(carol, null))).isEqualTo("agreement-purpose");
        assertThat(deniedRule(() -> count(dave, RESEARCH))).isEqualTo("agreement-named-analysts-only");
        assertThat(count(carol, RESEARCH)).isEqualTo(200L);
        assertThat(deniedRule(() -> count(carol, RESEARCH))).isEqualTo("agreement-count-exhausted");
        assertThat(lib.requests(alice)).filteredOn(e -> e.id().equals(carols.id())).singleElement()
                .satisfies(e -> assertThat(e.agreement().usesOf(QUERY)).as("denied calls are not counted").isEqualTo(2));

        // copies stay in the library's jurisdiction
        Path copy = dir.resolve("carol.parquet");
        assertThat(deniedRule(() -> lib.export(carol, DATASET, copy, "parquet", RESEARCH, "DE")))
                .isEqualTo("residency-export-destination");
        assertThat(lib.export(carol, DATASET, copy, "parquet", RESEARCH).rows()).isEqualTo(200);
        Path bobsCopy = dir.resolve("bob.csv");
        assertThat(deniedRule(() -> lib.export(bob, DATASET, bobsCopy, "csv", MAINTENANCE, "DE")))
                .isEqualTo("residency-export-destination");
        assertThat(deniedRule(() -> lib.export(bob, DATASET, bobsCopy, "csv", MAINTENANCE)))
                .isEqualTo("agreement-action-not-permitted");

        // the foreign consumer queries under its agreement until a steward revokes it: the very next call is denied
        assertThat(count(bob, MAINTENANCE)).isEqualTo(200L);
        assertThat(deniedRule(() -> lib.revoke(carol, bobs.id()))).isEqualTo("revoke-owner-provider-or-steward-only");
        assertThat(lib.revoke(steward, bobs.id()).state()).isEqualTo(REVOKED);
        assertThat(deniedRule(() -> count(bob, MAINTENANCE))).isEqualTo("restricted-agreement-required");

        // the period ends: the agreement expires on the next call and is listed as expired
        clock.set(T0.plus(Duration.ofDays(30)));
        assertThat(deniedRule(() -> lib.export(carol, DATASET, copy, "parquet", RESEARCH)))
                .isEqualTo("restricted-agreement-required");
        assertThat(lib.requests(carol)).extracting(Agreements.Entry::id, Agreements.Entry::state)
                .containsExactly(tuple(carols.id(), EXPIRED));
        assertCode(() -> lib.revoke(alice, carols.id()), AgreementError.ILLEGAL_TRANSITION, "revoke", "expired");

        // the provider sees who used the data, for what and how often; consumers do not
        var usage = lib.usage(alice, DATASET);
        assertThat(usage).extracting(UsageSummary::principal, UsageSummary::organization, UsageSummary::action,
                UsageSummary::purpose, UsageSummary::uses, UsageSummary::refused).containsExactlyInAnyOrder(
                tuple("carol", "seoul-analytics", "query", RESEARCH, 2L, 3L),
                tuple("carol", "seoul-analytics", "query", "marketing", 0L, 1L),
                tuple("carol", "seoul-analytics", "query", null, 0L, 1L),
                tuple("dave", "seoul-analytics", "query", RESEARCH, 0L, 1L),
                tuple("carol", "seoul-analytics", "export", RESEARCH, 1L, 2L),
                tuple("bob", "bavaria-ai", "export", MAINTENANCE, 0L, 2L),
                tuple("bob", "bavaria-ai", "query", MAINTENANCE, 1L, 1L));
        assertThat(usage.getFirst().lastAt()).isEqualTo(T0.plus(Duration.ofDays(30)));
        assertThat(deniedRule(() -> lib.usage(carol, DATASET))).isEqualTo("usage-owner-auditor-or-steward-only");
        assertThat(lib.usage(auditor, DATASET)).isEqualTo(usage);

        var records = new ArrayList<AuditRecord>();
        lib.audit(auditor, DATASET, records::add);
        assertThat(records).extracting(r -> r.principal() + " " + r.action() + " " + r.outcome()).contains(
                "carol request-access permit", "carol request-access ok", "bob request-access ok", "carol approve denied",
                "alice narrow permit", "alice narrow ok", "alice approve ok", "carol query permit", "carol query denied",
                "dave query denied", "carol export denied", "carol export permit", "bob export denied", "bob query permit",
                "carol revoke denied", "sam revoke permit", "sam revoke ok", "bob query denied", "system expire ok",
                "alice revoke failed", "alice usage permit", "carol usage denied", "audrey usage permit");
        assertThat(records).filteredOn(r -> r.action().equals("export") && r.outcome().equals("denied")
                && r.principal().equals("carol")).extracting(AuditRecord::detail).contains(
                "residency-export-destination organization=seoul-analytics purpose=quality-research destination=DE");
        assertThat(records).filteredOn(r -> r.action().equals("query") && r.outcome().equals("permit")
                && r.principal().equals("carol")).allSatisfy(r -> assertThat(r.detail()).startsWith(
                "restricted-agreement organization=seoul-analytics purpose=quality-research agreement=" + carols.id()));
        assertThat(lib.verifyAudit(auditor).intact()).isTrue();
    }

    @Test
    void showGivesTheEntryToAnyoneAndSampleRowsOnlyForAPurposeAnAgreementPermits() {
        // no agreement: the catalog entry, and no data
        var before = lib.show(carol, DATASET, 3);
        assertThat(before.versions()).hasSize(1);
        assertThat(before.dictionary()).isNotNull();
        assertThat(before.sampleRows()).isEmpty();
        var carols = lib.requestAccess(carol, DATASET, RESEARCH, Set.of(QUERY), halfYear, Set.of("carol"));
        lib.approve(alice, carols.id(), List.of());
        // an agreement for quality research: samples for that purpose, none without one
        assertThat(lib.show(carol, DATASET, 3).sampleRows()).isEmpty();
        assertThat(lib.show(carol, DATASET, 3, RESEARCH).sampleRows()).hasSize(3);
        assertThat(lib.show(carol, DATASET, 3, MAINTENANCE).sampleRows()).isEmpty();
        // the owner sees samples without a purpose
        assertThat(lib.show(alice, DATASET, 2).sampleRows()).hasSize(2);
    }

    @Test
    void requestsMoveOnlyAlongTheStateMachineAndOnlyByTheirParties() {
        var first = lib.requestAccess(carol, DATASET, RESEARCH, Set.of(QUERY), halfYear, Set.of());
        assertThat(deniedRule(() -> lib.withdraw(bob, first.id()))).isEqualTo("withdraw-requesting-organization-only");
        assertThat(lib.withdraw(dave, first.id()).state()).as("anyone of the requesting organization").isEqualTo(WITHDRAWN);
        assertCode(() -> lib.approve(alice, first.id(), List.of()), AgreementError.ILLEGAL_TRANSITION, "approve", "withdrawn");

        var second = lib.requestAccess(bob, DATASET, MAINTENANCE, Set.of(QUERY, EXPORT), halfYear, Set.of("bob"));
        assertThat(deniedRule(() -> lib.approve(steward, second.id(), List.of()))).as("a steward never approves")
                .isEqualTo("role-provider-required");
        var refused = lib.refuse(alice, second.id(), "반출 목적이 불분명합니다");
        assertThat(refused.state()).isEqualTo(REFUSED);
        assertThat(refused.reason()).isEqualTo("반출 목적이 불분명합니다");
        assertCode(() -> lib.withdraw(bob, second.id()), AgreementError.ILLEGAL_TRANSITION, "withdraw", "refused");
        assertCode(() -> lib.revoke(alice, second.id()), AgreementError.ILLEGAL_TRANSITION, "revoke", "refused");

        var third = lib.requestAccess(carol, DATASET, RESEARCH, Set.of(QUERY), halfYear, Set.of("carol"));
        assertCode(() -> lib.narrow(alice, third.id(), new Terms(Set.of(QUERY, EXPORT), Set.of(RESEARCH), halfYear,
                Set.of("carol")), List.of()), AgreementError.NOT_A_NARROWING, "action");
        assertCode(() -> lib.narrow(alice, third.id(), new Terms(Set.of(QUERY), Set.of(RESEARCH), halfYear,
                Set.of("carol", "dave")), List.of()), AgreementError.NOT_A_NARROWING, "analysts");
        lib.approve(alice, third.id(), List.of());
        assertCode(() -> lib.approve(alice, third.id(), List.of()), AgreementError.ILLEGAL_TRANSITION, "approve", "active");
        assertCode(() -> lib.withdraw(carol, third.id()), AgreementError.ILLEGAL_TRANSITION, "withdraw", "active");

        // each party sees its own requests; the provider and the library's staff see the dataset's
        assertThat(lib.requests(bob)).extracting(Agreements.Entry::id).containsExactly(second.id());
        assertThat(lib.requests(carol)).extracting(Agreements.Entry::id).containsExactlyInAnyOrder(first.id(), third.id());
        assertThat(lib.requests(alice)).hasSize(3);
        assertThat(lib.requests(auditor)).hasSize(3);
        assertThat(lib.requests(steward)).hasSize(3);

        var records = new ArrayList<AuditRecord>();
        lib.audit(auditor, DATASET, records::add);
        assertThat(records).filteredOn(r -> r.outcome().equals("failed")).extracting(AuditRecord::action, AuditRecord::detail)
                .contains(tuple("approve", "MAX-AGREE-011"), tuple("narrow", "MAX-AGREE-012"), tuple("revoke", "MAX-AGREE-011"));
        assertThat(records).extracting(r -> r.principal() + " " + r.action() + " " + r.outcome())
                .contains("bob withdraw denied", "dave withdraw ok", "alice refuse ok", "sam approve denied");
    }

    @Test
    void badInputGetsItsOwnCode() {
        assertCode(() -> lib.requestAccess(carol, DATASET, "quality research", Set.of(QUERY), halfYear, Set.of()),
                AgreementError.BAD_PURPOSE, "quality research");
        assertCode(() -> lib.requestAccess(carol, DATASET, RESEARCH, Set.of(QUERY), halfYear, Set.of("bob")),
                AgreementError.ANALYST_OUTSIDE_CONSUMER, "bob", "bavaria-ai", "seoul-analytics");
        assertCode(() -> lib.requestAccess(carol, DATASET, RESEARCH, Set.of(QUERY), halfYear, Set.of("two words")),
                AgreementError.BAD_ANALYST);
        assertCode(() -> lib.requestAccess(carol, DATASET, RESEARCH, Set.of(), halfYear, Set.of()), AgreementError.EMPTY_VALUES);
        assertCode(() -> lib.approve(alice, "agr-000000000000", List.of()), AgreementError.NO_SUCH_REQUEST, "agr-000000000000");
        assertCode(() -> lib.refuse(alice, "agr-000000000000", "x".repeat(1001)), AgreementError.REASON_TOO_LONG, "1001");
        assertCode(() -> lib.export(alice, DATASET, dir.resolve("x.csv"), "csv", null, "XX"), AgreementError.INVALID_JURISDICTION);
        assertCode(() -> count(alice, "a b"), AgreementError.BAD_PURPOSE);
        assertThat(count(alice, "품질-연구")).as("the owner organization needs no agreement, and Korean purposes are words")
                .isEqualTo(200L);
    }

    @Test
    void aUseLimitHoldsUnderConcurrentCalls() throws Exception {
        var filed = lib.requestAccess(carol, DATASET, RESEARCH, Set.of(QUERY), halfYear, Set.of());
        lib.narrow(alice, filed.id(), new Terms(Set.of(QUERY), Set.of(RESEARCH), halfYear, Set.of(), 5L), List.of());
        int callers = 12;
        var outcomes = Collections.synchronizedList(new ArrayList<String>());
        var pool = Executors.newFixedThreadPool(callers);
        try {
            var calls = new ArrayList<Callable<Void>>();
            for (int i = 0; i < callers; i++) {
                Principal who = i % 2 == 0 ? carol : dave;
                calls.add(() -> {
                    try {
                        outcomes.add(count(who, RESEARCH) == 200L ? "permit" : "wrong count");
                    } catch (MaxException e) {
                        outcomes.add(e.code() == PolicyError.DENIED ? (String) e.args()[2] : e.code().code());
                    }
                    return null;
                });
            }
            for (var f : pool.invokeAll(calls)) f.get();
        } finally {
            pool.shutdownNow();
        }
        assertThat(outcomes).filteredOn("permit"::equals).hasSize(5);
        assertThat(outcomes).filteredOn(o -> !o.equals("permit")).hasSize(callers - 5).containsOnly("agreement-count-exhausted");
        assertThat(lib.requests(carol)).singleElement().satisfies(e -> assertThat(e.agreement().usesOf(QUERY)).isEqualTo(5));
        var usage = lib.usage(alice, DATASET);
        assertThat(usage.stream().mapToLong(UsageSummary::uses).sum()).isEqualTo(5);
        assertThat(usage.stream().mapToLong(UsageSummary::refused).sum()).isEqualTo(callers - 5);
    }

    @Test
    void aNamedAnalystOfAnotherOrganizationQueriesDesignatedDataOnlyThroughTheSafeZone() {
        lib.describe(steward, DATASET, new Library.Description(null, null, null, null, null, Classification.DESIGNATED));
        assertThat(deniedRule(() -> lib.requestAccess(bob, DATASET, MAINTENANCE, Set.of(QUERY), halfYear, Set.of("bob"))))
                .isEqualTo("residency-designated-domestic-only");
        var filed = lib.requestAccess(carol, DATASET, RESEARCH, Set.of(QUERY), halfYear, Set.of("carol"));
        lib.approve(alice, filed.id(), List.of());
        // the result is held for review, nothing is delivered, and the use is counted against the agreement
        var delivered = new ArrayList<Object[]>();
        var stats = lib.query(carol, "SELECT count(*) FROM \"" + DATASET + "\"", RESEARCH, new ResultSink() {
            @Override
            public void columns(List<String> names, List<String> sqlTypes) {
            }

            @Override
            public void row(Object[] values) {
                delivered.add(values);
            }
        });
        assertThat(stats.heldOutput()).isNotNull();
        assertThat(delivered).isEmpty();
        assertThat(deniedRule(() -> count(dave, RESEARCH))).isEqualTo("designated-named-analysts-only");
        assertThat(lib.requests(carol)).singleElement().satisfies(e -> assertThat(e.agreement().usesOf(QUERY)).isEqualTo(1));
        // the provider releases it; only carol reads it
        lib.review(alice, stats.heldOutput(), true, null);
        lib.releasedOutput(carol, stats.heldOutput(), new ResultSink() {
            @Override
            public void columns(List<String> names, List<String> sqlTypes) {
            }

            @Override
            public void row(Object[] values) {
                delivered.add(values);
            }
        });
        assertThat(delivered).hasSize(1);
        // exporting review-bound data stays refused for everyone
        assertThatThrownBy(() -> lib.export(carol, DATASET, dir.resolve("x.csv"), "csv", RESEARCH))
                .isInstanceOf(kr.max.core.MaxException.class);
    }

    @Test
    void aCitationNamesTheLibraryTitleVersionProviderAndDateInBothLanguages() {
        lib.describe(alice, DATASET, new Library.Description("사출 성형 공정", "Injection molding", null, null, null, null));
        Citation c = lib.citation(bob, DATASET);
        var day = lib.show(alice, DATASET, 0).versions().getFirst().createdAt().atZone(java.time.ZoneId.of("Asia/Seoul"))
                .toLocalDate();
        assertThat(c.version()).isEqualTo(1);
        assertThat(c.provider()).isEqualTo("hanbit-press");
        assertThat(c.korean()).isEqualTo("제조AX 데이터 라이브러리(M.AX), 사출 성형 공정 (hanbit/injection@1, 버전 1), hanbit-press, "
                + day.toString().replace('-', '.') + ".");
        assertThat(c.english()).isEqualTo("M.AX Manufacturing AI Data Library, Injection molding (hanbit/injection@1, version 1), "
                + "hanbit-press, " + day + ".");
        assertThat(c.in(Locale.KOREAN)).isEqualTo(c.korean());
        assertThat(lib.citation(bob, DATASET + "@1")).isEqualTo(c);
    }
}
