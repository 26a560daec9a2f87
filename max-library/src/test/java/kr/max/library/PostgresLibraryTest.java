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

    @Test
    void aDesignatedModelIsHeldReleasedAndExportedOnceOnPostgres() throws Exception {
        Principal me = Principal.localOperator();
        var config = LibraryConfig.embedded(dir.resolve("home"), MasterKey.of("postgres library secret 012345"))
                .withCatalog(PG.url(), null, null);
        try (Library lib = Library.open(config)) {
            lib.createOrganization(me, "hanbit-press", null, "KR");
            Principal alice = lib.createUser(me, "alice", "hanbit-press", java.util.Set.of(kr.max.core.Role.PROVIDER)).principal();
            Principal bob = lib.createUser(me, "bob", "hanbit-press", java.util.Set.of(kr.max.core.Role.PROVIDER)).principal();
            lib.ingest(alice, IngestRequest.of(SampleData.sensors(dir.resolve("sensors.csv"), 300, 3), "hanbit/sensors"));
            lib.describe(me, "hanbit/sensors", new Library.Description(null, null, null, null, null,
                    kr.max.core.Classification.DESIGNATED));
            var means = new ModelAssetTest.Means();
            var read = lib.models().read(alice, "hanbit/sensors", kr.max.library.policy.Action.TRAIN, null, "train",
                    d -> new Models.Reading(java.util.List.of("temperature", "pressure"), means));
            lib.models().register(alice, new Models.Registration("sensor-means", "column-means", means.bytes(), null, null,
                    java.util.Map.of(), 1L, "test", java.util.List.of(read), null, null, null));

            Path file = dir.resolve("m.bin");
            var held = (Models.HeldModel) lib.models().export(alice, "sensor-means", file, null, "line-monitoring");
            assertThat(file).doesNotExist();
            lib.review(bob, held.output(), true, null);
            assertThat(lib.models().export(alice, "sensor-means", file, null)).isInstanceOf(Models.ExportedModel.class);
            assertThat(java.nio.file.Files.readAllBytes(file)).isEqualTo(means.bytes());
            assertThat(lib.outputs(bob)).singleElement().satisfies(o -> {
                assertThat(o.state()).isEqualTo(kr.max.library.safezone.SafeZoneOutputs.State.EXPORTED);
                assertThat(o.purpose()).isEqualTo("line-monitoring");
            });
            assertThat(lib.models().export(alice, "sensor-means", dir.resolve("again.bin"), null)).isInstanceOf(Models.HeldModel.class);
        }
    }
}
