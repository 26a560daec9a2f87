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
import kr.max.library.crypto.MasterKey;
import kr.max.library.policy.Action;
import kr.max.library.policy.PolicyError;
import kr.max.library.query.ResultSink;
import kr.max.library.sample.SampleData;
import kr.max.library.share.ShareError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A provider's controls: columns that never leave, and uses that need a de-identified release. */
class ProtectionControlsTest {

    static final String DATASET = "hanbit/injection";

    @TempDir
    Path dir;

    Library lib;
    Principal alice; // provider, hanbit-press
    Principal carol; // consumer, seoul-analytics

    @BeforeEach
    void open() throws Exception {
        lib = Library.open(LibraryConfig.embedded(dir.resolve("home"), MasterKey.of("protection controls master secret")));
        Principal admin = lib.authenticate(lib.bootstrapAdmin("national-library", "KR", "admin").orElseThrow().token())
                .orElseThrow();
        lib.createOrganization(admin, "hanbit-press", null, "KR");
        lib.createOrganization(admin, "seoul-analytics", null, "KR");
        alice = lib.createUser(admin, "alice", "hanbit-press", Set.of(Role.PROVIDER)).principal();
        carol = lib.createUser(admin, "carol", "seoul-analytics", Set.of(Role.CONSUMER)).principal();
        lib.ingest(alice, IngestRequest.of(SampleData.injectionMolding(dir, 100, 1), DATASET).withClassification(Classification.PUBLIC));
    }

    @AfterEach
    void close() {
        lib.close();
    }

    static List<String> columns(Library lib, Principal p, String sql) {
        var out = new ArrayList<String>();
        lib.query(p, sql, new ResultSink() {
            @Override
            public void columns(List<String> names, List<String> sqlTypes) {
                out.addAll(names);
            }

            @Override
            public void row(Object[] values) {
            }
        });
        return out;
    }

    @Test
    void neverLeaveColumnsAreInvisibleToOtherOrganizationsAndKeptForTheOwner() {
        lib.protect(alice, DATASET, Set.of(), Set.of("Worker"));
        assertThat(columns(lib, carol, "SELECT * FROM \"hanbit/injection\"")).doesNotContain("Worker").contains("EQUIP_NAME");
        assertThatThrownBy(() -> columns(lib, carol, "SELECT \"Worker\", count(*) FROM \"hanbit/injection\" GROUP BY 1"))
                .isInstanceOf(MaxException.class).hasMessageContaining("Worker");
        assertThat(columns(lib, alice, "SELECT * FROM \"hanbit/injection\"")).contains("Worker");
        assertThat(lib.controls(carol, DATASET).neverLeave()).containsExactly("Worker");
    }

    @Test
    void aUseThatNeedsAReleaseIsDeniedOnTheDatasetItselfForOthersOnly() throws Exception {
        lib.protect(alice, DATASET, Set.of(Action.EXPORT), Set.of());
        Path out = dir.resolve("copy.csv");
        assertThatThrownBy(() -> lib.export(carol, DATASET, out, "csv"))
                .isInstanceOfSatisfying(MaxException.class, e -> {
                    assertThat(e.code()).isEqualTo(PolicyError.DENIED);
                    assertThat(e.getMessage()).contains("deid-release-required");
                });
        assertThat(out).doesNotExist();
        assertThat(columns(lib, carol, "SELECT count(*) FROM \"hanbit/injection\"")).hasSize(1); // query stays open
        assertThat(lib.export(alice, DATASET, dir.resolve("own.csv"), "csv").rows()).isEqualTo(100);
    }

    @Test
    void onlyTheOwnerOrganizationSetsControlsAndOnlyOnRealColumnsAndUses() {
        assertThatThrownBy(() -> lib.protect(carol, DATASET, Set.of(), Set.of("Worker")))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(PolicyError.DENIED));
        assertThatThrownBy(() -> lib.protect(alice, DATASET, Set.of(), Set.of("Operator_Name")))
                .isInstanceOfSatisfying(MaxException.class, e -> {
                    assertThat(e.code()).isEqualTo(ShareError.UNKNOWN_COLUMN);
                    assertThat(e.getMessage()).contains("Operator_Name").contains("Worker");
                });
        assertThatThrownBy(() -> lib.protect(alice, DATASET, Set.of(Action.DELETE), Set.of()))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(ShareError.NOT_A_USE));
    }
}
