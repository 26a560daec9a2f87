package kr.max.library.agreement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import kr.max.core.Classification;
import kr.max.core.MaxException;
import kr.max.library.agreement.AccessState.Transition;
import kr.max.library.catalog.Catalog;
import kr.max.library.catalog.Dataset;
import kr.max.library.catalog.NewVersion;
import kr.max.library.policy.Action;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The stored access requests and agreements, run against every catalog database (H2 and PostgreSQL). */
public abstract class AgreementsContractTest {

    static final Instant FROM = Instant.parse("2026-03-01T00:00:00Z");
    static final Instant UNTIL = Instant.parse("2026-09-01T00:00:00Z");
    static final Instant NOW = Instant.parse("2026-04-01T00:00:00Z");

    protected Catalog catalog;
    Agreements agreements;
    Dataset press;

    /** A catalog on an empty database. */
    protected abstract Catalog newCatalog() throws Exception;

    @BeforeEach
    void open() throws Exception {
        catalog = newCatalog();
        agreements = new Agreements(catalog.jdbi());
        press = dataset("hanbit/press");
    }

    @AfterEach
    void closeCatalog() {
        catalog.close();
    }

    Dataset dataset(String name) {
        catalog.commit(new NewVersion(null, name, "alice", "hanbit-press", Classification.RESTRICTED, "dataset:" + name,
                UUID.randomUUID().toString(), "alice", 10, 100, "press.csv", null, "csv", "UTF-8", "columns: []\n", 0,
                null, null, new byte[]{1}, List.of()));
        return catalog.require(name);
    }

    static Terms terms(Set<Action> actions, String... analysts) {
        return new Terms(actions, Set.of("quality-research"), FROM, UNTIL, Set.of(analysts));
    }

    Agreements.Entry file(Dataset ds, String consumer) {
        return agreements.file(ds.id(), ds.name(), "hanbit-press", consumer, "bob", terms(Set.of(Action.QUERY, Action.EXPORT),
                "bob", "carol"), NOW);
    }

    Agreements.Entry approved(Agreements.Entry e, List<Duty> duties) {
        return agreements.move(e, Transition.APPROVE, e.agreement().approve(duties), "alice", NOW, null).orElseThrow();
    }

    @Test
    void aFiledRequestReadsBackAsFiledWithNoUses() {
        var filed = file(press, "bavaria-ai");
        assertThat(filed.id()).matches("agr-[a-z0-9]{12}");
        var read = agreements.require(filed.id());
        assertThat(read).isEqualTo(filed);
        Agreement a = read.agreement();
        assertThat(a.state()).isEqualTo(AccessState.REQUESTED);
        assertThat(a.requested()).isEqualTo(terms(Set.of(Action.QUERY, Action.EXPORT), "bob", "carol"));
        assertThat(a.analysts()).containsExactlyInAnyOrder("bob", "carol");
        assertThat(a.provider()).isEqualTo("hanbit-press");
        assertThat(a.consumer()).isEqualTo("bavaria-ai");
        assertThat(a.dataset()).isEqualTo("hanbit/press");
        assertThat(a.usesOf(Action.QUERY)).isZero();
        assertThat(read.datasetId()).isEqualTo(press.id());
        assertThat(read.requestedBy()).isEqualTo("bob");
        assertThat(read.requestedAt()).isEqualTo(NOW);
        assertThat(read.validUntil()).isEqualTo(UNTIL);
        assertThat(read.decidedBy()).isNull();
    }

    @Test
    void aRequestedUseLimitReadsBack() {
        var limited = new Terms(Set.of(Action.TRAIN), Set.of("품질-연구"), new Constraint.TimeWindow(FROM, UNTIL), Set.of(), 3L);
        var filed = agreements.file(press.id(), press.name(), "hanbit-press", "bavaria-ai", "bob", limited, NOW);
        assertThat(agreements.require(filed.id()).agreement().requested()).isEqualTo(limited);
        assertThat(agreements.require(filed.id()).agreement().policy()).isEqualTo(limited.policy(List.of()));
    }

    @Test
    void unknownAndMalformedIdsAreNotFound() {
        assertThat(agreements.find("agr-000000000000")).isEmpty();
        assertThat(agreements.find("'; DROP TABLE access_agreement; --")).isEmpty();
        assertThatThrownBy(() -> agreements.require("agr-000000000000")).isInstanceOfSatisfying(MaxException.class,
                e -> assertThat(e.code()).isEqualTo(AgreementError.NO_SUCH_REQUEST));
    }

    @Test
    void anApprovalIsStoredOnceAndTheGrantedPolicyReadsBack() {
        var filed = file(press, "bavaria-ai");
        var active = approved(filed, List.of(Duty.ATTRIBUTE));
        assertThat(active.state()).isEqualTo(AccessState.ACTIVE);
        assertThat(active.agreement().policy()).isEqualTo(filed.agreement().requested().policy(List.of(Duty.ATTRIBUTE)));
        assertThat(active.decidedBy()).isEqualTo("alice");
        assertThat(active.decidedAt()).isEqualTo(NOW);
        // a second decider working from the same reading finds it moved
        assertThat(agreements.move(filed, Transition.REFUSE, filed.agreement().refuse(), "dave", NOW, "no")).isEmpty();
        assertThat(agreements.require(filed.id()).state()).isEqualTo(AccessState.ACTIVE);
    }

    @Test
    void aNarrowingKeepsTheRequestAndStoresTheGrantedTermsAndPeriod() {
        var filed = file(press, "bavaria-ai");
        var granted = new Terms(Set.of(Action.QUERY), Set.of("quality-research"),
                new Constraint.TimeWindow(FROM, Instant.parse("2026-05-01T00:00:00Z")), Set.of("bob"), 5L);
        var narrowed = agreements.move(filed, Transition.NARROW, filed.agreement().narrow(granted, List.of()), "alice", NOW, null)
                .orElseThrow();
        assertThat(narrowed.agreement().requested()).isEqualTo(filed.agreement().requested());
        assertThat(narrowed.agreement().policy()).isEqualTo(granted.policy(List.of()));
        assertThat(narrowed.agreement().analysts()).containsExactly("bob");
        assertThat(narrowed.validUntil()).isEqualTo(Instant.parse("2026-05-01T00:00:00Z"));
    }

    @Test
    void aRefusalKeepsItsReasonAndAnEndKeepsWhoEndedIt() {
        var filed = file(press, "bavaria-ai");
        var r = agreements.move(filed, Transition.REFUSE, filed.agreement().refuse(), "alice", NOW, "이용 목적이 불분명함").orElseThrow();
        assertThat(r.reason()).isEqualTo("이용 목적이 불분명함");
        var active = approved(file(press, "bavaria-ai"), List.of());
        var revoked = agreements.move(active, Transition.REVOKE, active.agreement().revoke(), "steward", NOW, null).orElseThrow();
        assertThat(revoked.state()).isEqualTo(AccessState.REVOKED);
        assertThat(revoked.endedBy()).isEqualTo("steward");
        assertThat(revoked.decidedBy()).isEqualTo("alice");
        // the value handed over must be the one the transition leads to
        var other = file(press, "bavaria-ai");
        assertThatThrownBy(() -> agreements.move(other, Transition.REFUSE, other.agreement(), "alice", NOW, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyActiveAgreementsOfTheConsumerForThatDatasetAreInForce() {
        var mine = approved(file(press, "bavaria-ai"), List.of());
        file(press, "bavaria-ai"); // still requested
        approved(file(press, "seoul-analytics"), List.of());
        approved(file(dataset("hanbit/paint"), "bavaria-ai"), List.of());
        var revoked = approved(file(press, "bavaria-ai"), List.of());
        agreements.move(revoked, Transition.REVOKE, revoked.agreement().revoke(), "alice", NOW, null).orElseThrow();
        assertThat(agreements.active(press.id(), "bavaria-ai")).extracting(Agreements.Entry::id).containsExactly(mine.id());
        assertThat(agreements.all()).hasSize(5);
    }

    @Test
    void usesAreCountedPerActionOnlyWhileActiveAndOnlyOnTheCountSeen() {
        var filed = file(press, "bavaria-ai");
        assertThat(agreements.countUse(filed.id(), Action.QUERY, null, NOW)).as("not yet active").isFalse();
        var active = approved(filed, List.of());
        assertThat(agreements.countUse(active.id(), Action.QUERY, 0L, NOW)).isTrue();
        assertThat(agreements.countUse(active.id(), Action.QUERY, 0L, NOW)).as("decided on a stale count").isFalse();
        assertThat(agreements.countUse(active.id(), Action.QUERY, null, NOW)).isTrue();
        assertThat(agreements.countUse(active.id(), Action.EXPORT, null, NOW)).isTrue();
        var read = agreements.require(active.id()).agreement();
        assertThat(read.usesOf(Action.QUERY)).isEqualTo(2);
        assertThat(read.usesOf(Action.EXPORT)).isEqualTo(1);
        assertThat(read.usesOf(Action.TRAIN)).isZero();
        agreements.move(agreements.require(active.id()), Transition.REVOKE, read.revoke(), "alice", NOW, null).orElseThrow();
        assertThat(agreements.countUse(active.id(), Action.QUERY, null, NOW)).as("revoked").isFalse();
        assertThat(agreements.require(active.id()).agreement().usesOf(Action.QUERY)).isEqualTo(2);
    }

    @Test
    void concurrentCallersCountEachUseOnceAndNoMoreThanALimitAllows() throws Exception {
        var active = approved(file(press, "bavaria-ai"), List.of());
        int threads = 8;
        var counted = new AtomicInteger();
        var pool = Executors.newFixedThreadPool(threads);
        try {
            var tasks = new ArrayList<Callable<Void>>();
            for (int t = 0; t < threads; t++) {
                tasks.add(() -> {
                    for (int i = 0; i < 10; i++) assertThat(agreements.countUse(active.id(), Action.EXPORT, null, NOW)).isTrue();
                    // compare-and-count against a limit of 12, as the library does for a count constraint
                    while (true) {
                        long seen = agreements.require(active.id()).agreement().usesOf(Action.QUERY);
                        if (seen >= 12) return null;
                        if (agreements.countUse(active.id(), Action.QUERY, seen, NOW)) counted.incrementAndGet();
                    }
                });
            }
            for (Future<Void> f : pool.invokeAll(tasks)) f.get();
        } finally {
            pool.shutdownNow();
        }
        var read = agreements.require(active.id()).agreement();
        assertThat(read.usesOf(Action.EXPORT)).isEqualTo(threads * 10L);
        assertThat(read.usesOf(Action.QUERY)).isEqualTo(12);
        assertThat(counted).hasValue(12);
    }
}
