package kr.max.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kr.max.core.Classification;
import kr.max.core.MaxException;
import kr.max.core.Principal;
import kr.max.core.Role;
import kr.max.library.agreement.Terms;
import kr.max.library.crypto.MasterKey;
import kr.max.library.deid.DeidProfile;
import kr.max.library.deid.HierarchySource;
import kr.max.library.policy.Action;
import kr.max.library.policy.PolicyError;
import kr.max.library.query.ResultSink;
import kr.max.library.sample.SampleData;
import kr.max.library.share.ShareError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A provider shares KAMP-shaped molding shots with operator and supplier names: profile, risk report, a
 * k-anonymous pseudonymized release with lineage, and an agreement that admits only the release.
 */
class DeidReleaseStoryTest {

    static final String SOURCE = "hanbit/molding";
    static final String RELEASE = "hanbit/molding-share";
    static final Instant T0 = Instant.parse("2026-03-02T00:00:00Z");

    @TempDir
    Path dir;

    final MutableClock clock = new MutableClock(T0);
    Library lib;
    Principal alice; // provider, hanbit-press
    Principal carol; // consumer, seoul-analytics
    DeidProfile profile;

    @BeforeEach
    void open() throws Exception {
        lib = Library.open(LibraryConfig.embedded(dir.resolve("home"), MasterKey.of("deid release story master secret")).withClock(clock));
        Principal admin = lib.authenticate(lib.bootstrapAdmin("national-library", "KR", "admin").orElseThrow().token()).orElseThrow();
        lib.createOrganization(admin, "hanbit-press", null, "KR");
        lib.createOrganization(admin, "seoul-analytics", null, "KR");
        alice = lib.createUser(admin, "alice", "hanbit-press", Set.of(Role.PROVIDER)).principal();
        carol = lib.createUser(admin, "carol", "seoul-analytics", Set.of(Role.CONSUMER)).principal();
        lib.ingest(alice, IngestRequest.of(SampleData.injectionMoldingWithPeople(dir, 3000, 11), SOURCE)
                .withClassification(Classification.RESTRICTED));
        String yaml = new String(getClass().getResourceAsStream("injection-share.yaml").readAllBytes(), StandardCharsets.UTF_8);
        profile = DeidProfile.parse(yaml, "injection-share.yaml", HierarchySource.none());
    }

    @AfterEach
    void close() {
        lib.close();
    }

    static List<Map<String, Object>> rows(Library lib, Principal p, String sql) {
        return rows(lib, p, sql, null);
    }

    static List<Map<String, Object>> rows(Library lib, Principal p, String sql, String purpose) {
        var out = new ArrayList<Map<String, Object>>();
        lib.query(p, sql, purpose, new ResultSink() {
            List<String> names;

            @Override
            public void columns(List<String> n, List<String> sqlTypes) {
                names = n;
            }

            @Override
            public void row(Object[] values) {
                var m = new HashMap<String, Object>();
                for (int i = 0; i < values.length; i++) m.put(names.get(i), values[i]);
                out.add(m);
            }
        });
        return out;
    }

    @Test
    void aDryRunReportsRiskAndReleasesNothing() {
        var d = lib.deidentify(alice, SOURCE, profile, null);
        assertThat(d.release()).isNull();
        assertThat(d.report().rowsIn()).isEqualTo(3000);
        assertThat(d.report().kReached()).isGreaterThanOrEqualTo(5);
        assertThat(d.report().recordsAtRiskBefore()).isGreaterThan(d.report().recordsAtRiskAfter());
        assertThat(d.report().prosecutorRiskMax()).isLessThanOrEqualTo(1.0 / 5);
        assertThat(lib.datasets(alice)).extracting(DatasetSummary::name).containsExactly(SOURCE);
    }

    @Test
    void aReleaseIsKAnonymousPseudonymizedAndTracedToItsSourceAndProfile() {
        lib.protect(alice, SOURCE, Set.of(Action.QUERY, Action.EXPORT), Set.of("Inspector"));
        var d = lib.deidentify(alice, SOURCE, profile, RELEASE);
        assertThat(d.version()).isEqualTo(1);
        assertThat(d.profileVersion()).isEqualTo(1);
        assertThat(d.report().rowsOut() + d.report().rowsSuppressed()).isEqualTo(3000);

        var released = rows(lib, alice, "SELECT * FROM \"" + RELEASE + "\"");
        assertThat(released).hasSize((int) d.report().rowsOut());
        assertThat(released.getFirst()).doesNotContainKey("Inspector").doesNotContainKey("Resin_Lot");
        var names = new java.util.HashSet<String>();
        for (var r : released) {
            names.add((String) r.get("Operator"));
            names.add((String) r.get("Supplier"));
        }
        assertThat(names).allMatch(n -> n.startsWith("p_"));
        // every class over the quasi-identifiers holds at least k rows
        var classes = rows(lib, alice, "SELECT \"TimeStamp\", \"EQUIP_NAME\", \"PART_NAME\", count(*) AS n FROM \"" + RELEASE
                + "\" GROUP BY ALL");
        assertThat(classes).allMatch(c -> ((Number) c.get("n")).longValue() >= 5);
        // the same operator gets the same pseudonym within the release
        var perOperator = rows(lib, alice, "SELECT count(DISTINCT \"Operator\") AS n FROM \"" + RELEASE + "\"");
        assertThat(((Number) perOperator.getFirst().get("n")).longValue()).isLessThanOrEqualTo(12);

        // a perturbed setpoint still reads like a recorded one: one decimal, within the bound of 1.0
        var setpoints = rows(lib, alice, "SELECT s.\"Hold_Pressure_Setpoint\" AS released FROM \"" + RELEASE + "\" s");
        assertThat(setpoints).allSatisfy(r -> {
            double v = ((Number) r.get("released")).doubleValue();
            assertThat(Math.abs(v * 10 - Math.rint(v * 10))).isLessThan(1e-6);
        });

        var details = lib.show(alice, RELEASE, 0);
        assertThat(details.dataset().classification()).isEqualTo(Classification.RESTRICTED);
        assertThat(lib.controls(alice, RELEASE).releaseOf()).isNotNull();

        // a second release of the same data pseudonymizes with another key: the two cannot be joined
        lib.deidentify(alice, SOURCE, profile, RELEASE);
        var v1 = rows(lib, alice, "SELECT DISTINCT \"Operator\" FROM \"" + RELEASE + "@1\"");
        var v2 = rows(lib, alice, "SELECT DISTINCT \"Operator\" FROM \"" + RELEASE + "@2\"");
        assertThat(v1).doesNotContainAnyElementsOf(v2);
    }

    @Test
    void anAgreementLimitedToReleasesAdmitsTheReleaseAndNotTheSource() {
        lib.protect(alice, SOURCE, Set.of(Action.QUERY, Action.EXPORT), Set.of());
        lib.deidentify(alice, SOURCE, profile, RELEASE);
        var period = new kr.max.library.agreement.Constraint.TimeWindow(T0, T0.plus(Duration.ofDays(90)));
        var filed = lib.requestAccess(carol, SOURCE, "quality-research", Set.of(Action.QUERY), period, Set.of());
        var terms = new Terms(Set.of(Action.QUERY), Set.of("quality-research"), period, Set.of());
        lib.narrow(alice, filed.id(), terms.withDeidentifiedOnly(true), List.of());
        assertThat(rows(lib, carol, "SELECT count(*) AS n FROM \"" + RELEASE + "\"", "quality-research")).hasSize(1);
        assertThatThrownBy(() -> rows(lib, carol, "SELECT count(*) AS n FROM \"" + SOURCE + "\"", "quality-research"))
                .isInstanceOfSatisfying(MaxException.class, e -> {
                    assertThat(e.code()).isEqualTo(PolicyError.DENIED);
                    assertThat(e.getMessage()).contains("deid-release-required");
                });
    }

    @Test
    void withoutAProviderControlTheAgreementItselfKeepsTheConsumerToReleases() {
        lib.deidentify(alice, SOURCE, profile, RELEASE);
        var period = new kr.max.library.agreement.Constraint.TimeWindow(T0, T0.plus(Duration.ofDays(90)));
        var filed = lib.requestAccess(carol, SOURCE, "quality-research", Set.of(Action.QUERY), period, Set.of());
        lib.narrow(alice, filed.id(), new Terms(Set.of(Action.QUERY), Set.of("quality-research"), period, Set.of())
                .withDeidentifiedOnly(true), List.of());
        assertThat(rows(lib, carol, "SELECT count(*) AS n FROM \"" + RELEASE + "\"", "quality-research")).hasSize(1);
        assertThatThrownBy(() -> rows(lib, carol, "SELECT count(*) AS n FROM \"" + SOURCE + "\"", "quality-research"))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.getMessage()).contains("agreement-release-deidentified"));
    }

    @Test
    void aCopyOfAReleaseIsFingerprintedAndTracedThoughItsTimesAreGeneralized() throws Exception {
        lib.deidentify(alice, SOURCE, profile, RELEASE);
        var period = new kr.max.library.agreement.Constraint.TimeWindow(T0, T0.plus(Duration.ofDays(90)));
        var filed = lib.requestAccess(carol, SOURCE, "quality-research", Set.of(Action.EXPORT), period, Set.of());
        lib.narrow(alice, filed.id(), new Terms(Set.of(Action.EXPORT), Set.of("quality-research"), period, Set.of())
                .withDeidentifiedOnly(true), List.of());
        Path copy = dir.resolve("carol-share.csv");
        var stats = lib.export(carol, RELEASE, copy, "csv", "quality-research");
        assertThat(stats.fingerprinted()).isTrue();
        var traced = lib.trace(alice, copy);
        assertThat(traced.report()).isInstanceOfSatisfying(kr.max.library.fingerprint.TraceReport.Identified.class,
                id -> assertThat(id.matches().getFirst().recipient()).isEqualTo("carol"));
    }

    @Test
    void aReleaseNameOfAnotherDatasetIsRefusedAndOnlyTheOwnerDeidentifies() throws Exception {
        lib.ingest(alice, IngestRequest.of(SampleData.injectionMolding(dir, 50, 2), "hanbit/other"));
        assertThatThrownBy(() -> lib.deidentify(alice, SOURCE, profile, "hanbit/other"))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(ShareError.RELEASE_NAME_TAKEN));
        assertThatThrownBy(() -> lib.deidentify(carol, SOURCE, profile, null))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(PolicyError.DENIED));
        assertThat(Files.list(dir).toList()).isNotEmpty();
    }
}
