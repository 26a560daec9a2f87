package kr.max.library;

import static org.assertj.core.api.Assertions.assertThat;
import java.nio.file.Path;
import kr.max.core.Principal;
import kr.max.library.crypto.MasterKey;
import kr.max.library.sample.SampleData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library with its catalog and audit chain on PostgreSQL instead of the embedded H2. */
class PostgresLibraryTest {

    @org.junit.jupiter.api.extension.RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    @TempDir
    Path dir;


    @Test
    void depositQueryDeleteAndAuditWorkOnPostgres() throws Exception {
        Principal me = Principal.localOperator();
        var config = LibraryConfig.embedded(dir.resolve("home"), MasterKey.of("postgres library secret 012345"))
                .withCatalog(PG.url(), null, null);
        try (Library lib = Library.open(config)) {
            var r = lib.ingest(me, IngestRequest.of(SampleData.injectionMolding(dir, 1500, 3), "kamp/injection"));
            assertThat(r.version()).isEqualTo(1);
            assertThat(LibraryTest.rows(lib, me, "SELECT count(*) FROM \"kamp/injection@1\"").getFirst()[0]).isEqualTo(1500L);
            lib.delete(me, "kamp/injection");
            assertThat(lib.datasets(me)).isEmpty();
        }
        try (Library lib = Library.open(config)) {
            var v = lib.verifyAudit(me);
            assertThat(v.intact()).isTrue();
            assertThat(v.checkpoints()).isGreaterThanOrEqualTo(1);
            assertThat(v.records()).isGreaterThanOrEqualTo(4);
        }
    }
}
