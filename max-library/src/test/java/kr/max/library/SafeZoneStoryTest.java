package kr.max.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import kr.max.core.Classification;
import kr.max.core.MaxException;
import kr.max.core.Principal;
import kr.max.core.Role;
import kr.max.library.audit.AuditRecord;
import kr.max.library.crypto.MasterKey;
import kr.max.library.policy.PolicyError;
import kr.max.library.query.QueryError;
import kr.max.library.query.ResultSink;
import kr.max.library.safezone.SafeZoneError;
import kr.max.library.safezone.SafeZoneOutputs;
import kr.max.library.sample.SampleData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The safe-zone procedure (데이터안심구역) for designated data: analysis inside, results held, reviewed by
 * someone else, released to the analyst only; no raw rows and no export ever.
 */
class SafeZoneStoryTest {

    @TempDir
    Path dir;

    Library lib;
    Principal alice;   // provider and analyst of hanbit-press, which owns the data
    Principal bob;     // another provider of hanbit-press
    Principal steward; // the library's steward
    final List<Object[]> delivered = new ArrayList<>();

    @BeforeEach
    void designatedDataset() throws Exception {
        lib = Library.open(LibraryConfig.embedded(dir.resolve("home"), MasterKey.of("safe zone test master secret 0001")));
        Principal admin = Principal.localOperator();
        lib.createOrganization(admin, "hanbit-press", "220-81-62517", "KR");
        lib.createOrganization(admin, "national-library", null, "KR");
        lib.createUser(admin, "alice", "hanbit-press", Set.of(Role.PROVIDER, Role.CONSUMER));
        lib.createUser(admin, "bob", "hanbit-press", Set.of(Role.PROVIDER));
        lib.createUser(admin, "sejong", "national-library", Set.of(Role.STEWARD));
        alice = lib.authenticate(lib.issueToken(admin, "alice", Set.of(), null, null).token()).orElseThrow();
        bob = lib.authenticate(lib.issueToken(admin, "bob", Set.of(), null, null).token()).orElseThrow();
        steward = lib.authenticate(lib.issueToken(admin, "sejong", Set.of(), null, null).token()).orElseThrow();
        lib.ingest(alice, IngestRequest.of(SampleData.injectionMolding(dir, 300, 11), "kamp/injection"));
        lib.describe(steward, "kamp/injection", new Library.Description(null, null, null, null, null, Classification.DESIGNATED));
    }

    @AfterEach
    void close() {
        lib.close();
    }

    ResultSink collect() {
        return new ResultSink() {
            @Override
            public void columns(List<String> names, List<String> sqlTypes) {
            }

            @Override
            public void row(Object[] values) {
                delivered.add(values);
            }
        };
    }

    @Test
    void aResultIsHeldReviewedByAnotherAndReleasedToItsAnalystOnly() {
        var stats = lib.query(alice, "SELECT EQUIP_NAME, count(*) AS shots, avg(Cycle_Time) AS cycle FROM \"kamp/injection\" "
                + "GROUP BY EQUIP_NAME ORDER BY EQUIP_NAME", collect());
        assertThat(delivered).isEmpty(); // nothing leaves before review
        assertThat(stats.heldOutput()).isNotNull();
        String id = stats.heldOutput();

        // the analyst cannot review her own result; a colleague of the provider can
        assertThatThrownBy(() -> lib.review(alice, id, true, null))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(PolicyError.DENIED));
        assertThat(lib.outputs(bob)).extracting(SafeZoneOutputs.Output::id).contains(id);
        var released = lib.review(bob, id, true, "aggregates per machine; no worker named");
        assertThat(released.state()).isEqualTo(SafeZoneOutputs.State.RELEASED);
        assertThatThrownBy(() -> lib.review(steward, id, false, null))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(SafeZoneError.ALREADY_REVIEWED));

        // only the analyst reads it, and gets the machines with their counts
        assertThatThrownBy(() -> lib.releasedOutput(bob, id, collect()))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(PolicyError.DENIED));
        lib.releasedOutput(alice, id, collect());
        assertThat(delivered).hasSize(3);
        assertThat(delivered).extracting(r -> ((Number) r[1]).longValue()).containsExactly(100L, 100L, 100L);

        var records = new ArrayList<AuditRecord>();
        lib.audit(Principal.localOperator(), "kamp/injection", records::add);
        assertThat(records).extracting(r -> r.action() + ":" + r.outcome())
                .contains("query:permit", "query:held", "review-release:denied", "review-release:permit", "review-release:ok",
                        "output-read:denied", "output-read:ok");
    }

    @Test
    void rawRowsSmallGroupsExportAndUnreleasedResultsNeverReachTheAnalyst() {
        assertThatThrownBy(() -> lib.query(alice, "SELECT * FROM \"kamp/injection\"", collect()))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(QueryError.SAFE_ZONE_NOT_AGGREGATE));
        // grouping by the shot id makes groups of one stored row each: all held back, none even reaches review
        var perShot = lib.query(alice, "SELECT _id, avg(Cycle_Time) FROM \"kamp/injection\" GROUP BY _id", collect());
        assertThat(perShot.rows()).isZero();
        assertThat(perShot.heldBackRows()).isEqualTo(300);
        lib.review(steward, perShot.heldOutput(), false, "nothing to release");
        assertThatThrownBy(() -> lib.releasedOutput(alice, perShot.heldOutput(), collect()))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(SafeZoneError.NOT_RELEASED));
        assertThatThrownBy(() -> lib.export(alice, "kamp/injection", dir.resolve("out.csv"), "csv"))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(PolicyError.DENIED));
        assertThat(dir.resolve("out.csv")).doesNotExist();
        assertThat(delivered).isEmpty();

        // deleting the dataset takes its held results with it
        lib.delete(bob, "kamp/injection");
        assertThat(lib.outputs(steward)).isEmpty();
    }

    @Test
    void theSafeZonesThresholdIsConfigured() {
        assertThat(lib.safeZoneMinContributors()).isEqualTo(5);
        lib.close();
        lib = Library.open(LibraryConfig.embedded(dir.resolve("home"), MasterKey.of("safe zone test master secret 0001"))
                .withSafeZoneMinContributors(150));
        // three machines of 100 shots each: under a threshold of 150 every group is held back
        var stats = lib.query(alice, "SELECT EQUIP_NAME, count(*) FROM \"kamp/injection\" GROUP BY 1", collect());
        assertThat(stats.rows()).isZero();
        assertThat(stats.heldBackRows()).isEqualTo(3);
        var whole = lib.query(alice, "SELECT count(*) FROM \"kamp/injection\"", collect());
        assertThat(whole.rows()).isEqualTo(1);
    }
}
