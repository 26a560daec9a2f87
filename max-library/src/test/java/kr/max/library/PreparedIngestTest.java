package kr.max.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Set;
import kr.max.core.MaxException;
import kr.max.core.Principal;
import kr.max.core.Role;
import kr.max.library.audit.AuditRecord;
import kr.max.library.crypto.MasterKey;
import kr.max.library.ingest.IngestError;
import kr.max.library.sample.SampleData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deposit whose file was read while the library opened ({@link Library#prepare}) ends exactly as one read
 * afterwards: the same version, and a refusal or a missing file decided and reported after the library opens.
 */
class PreparedIngestTest {

    @TempDir
    Path dir;

    final Principal me = Principal.localOperator();

    @Test
    void aFileReadBeforeTheLibraryOpensIsDepositedAsOneReadAfterwards() throws Exception {
        Path file = SampleData.injectionMolding(dir, 2_000, 5);
        var prepared = Library.prepare(IngestRequest.of(file, "kamp/early"));
        try (var lib = Library.open(LibraryConfig.embedded(dir.resolve("home"), MasterKey.of("prepared ingest test secret 01")))) {
            var early = lib.ingest(me, prepared, IngestProgress.NONE);
            var late = lib.ingest(me, IngestRequest.of(file, "kamp/late"));
            assertThat(early.rows()).isEqualTo(late.rows()).isEqualTo(2_000);
            assertThat(lib.dictionary(me, "kamp/early")).isEqualTo(lib.dictionary(me, "kamp/late"));
            assertThat(early.source().format()).isEqualTo(late.source().format());
        }
    }

    @Test
    void aRefusedPreparedDepositIsDecidedAuditedAndStoresNothing() throws Exception {
        Path file = SampleData.injectionMolding(dir, 500, 5);
        try (var lib = Library.open(LibraryConfig.embedded(dir.resolve("home"), MasterKey.of("prepared ingest test secret 01")))) {
            Principal admin = lib.authenticate(lib.bootstrapAdmin("national-library", "KR", "admin").orElseThrow().token()).orElseThrow();
            lib.createOrganization(admin, "seoul-analytics", null, "KR");
            Principal carol = lib.createUser(admin, "carol", "seoul-analytics", Set.of(Role.CONSUMER)).principal();
            var prepared = Library.prepare(IngestRequest.of(file, "kamp/refused"));
            assertThatThrownBy(() -> lib.ingest(carol, prepared, IngestProgress.NONE)).isInstanceOf(MaxException.class);
            assertThat(lib.datasets(admin)).noneMatch(d -> d.name().equals("kamp/refused"));
            var records = new ArrayList<AuditRecord>();
            Principal auditor = lib.createUser(admin, "auditor", "national-library", Set.of(Role.AUDITOR)).principal();
            lib.audit(auditor, "kamp/refused", records::add);
            assertThat(records).anyMatch(r -> r.principal().equals("carol") && r.action().equals("ingest") && r.outcome().equals("denied"));
        }
    }

    @Test
    void aMissingFileIsReportedWhenTheDepositRunsNotWhenItIsPrepared() {
        Path missing = dir.resolve("없는-파일.csv");
        var prepared = Library.prepare(IngestRequest.of(missing, "kamp/missing"));
        try (var lib = Library.open(LibraryConfig.embedded(dir.resolve("home"), MasterKey.of("prepared ingest test secret 01")))) {
            assertThatThrownBy(() -> lib.ingest(me, prepared, IngestProgress.NONE))
                    .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(IngestError.FILE_NOT_FOUND));
            assertThat(lib.datasets(me)).isEmpty();
        }
    }
}
