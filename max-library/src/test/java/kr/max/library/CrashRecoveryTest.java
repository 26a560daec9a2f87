package kr.max.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import kr.max.library.sample.SampleData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import kr.max.core.Principal;
import kr.max.library.crypto.MasterKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} in the middle of an ingest: no partial version is ever visible, the orphaned chunks
 * go at the next start, and the same ingest simply runs again.
 */
class CrashRecoveryTest {

    static final String SECRET = "crash test master secret 0123";

    @TempDir
    Path dir;

    @Test
    void killedIngestLeavesNoVersionAndCanBeRunAgain() throws Exception {
        Path home = dir.resolve("home");
        Path file = SampleData.sensors(dir.resolve("sensors.csv"), 300_000, 10);
        // first a committed dataset, which must survive untouched
        try (Library lib = Library.open(LibraryConfig.embedded(home, MasterKey.of(SECRET)))) {
            lib.ingest(Principal.localOperator(), IngestRequest.of(SampleData.injectionMolding(dir, 100, 1), "kamp/injection"));
        }

        Process child = ChildJvm.start(CrashIngestMain.class, dir.resolve("child.log"), home.toString(), file.toString(), SECRET, "20000");
        try {
            // wait until the child has durably staged a few encrypted chunks, then SIGKILL it
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(10))
                    .until(() -> !child.isAlive() || stagedChunks(home) >= 3);
            assertThat(child.isAlive()).as("child still ingesting; log: %s", log()).isTrue();
        } finally {
            child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no finally blocks
            child.waitFor();
        }
        assertThat(stagedChunks(home)).isGreaterThanOrEqualTo(3);

        try (Library lib = Library.open(LibraryConfig.embedded(home, MasterKey.of(SECRET)))) {
            assertThat(lib.datasets(Principal.localOperator())).extracting(DatasetSummary::name).containsExactly("kamp/injection");
            assertThat(stagedChunks(home)).isZero();
            assertThat(lib.query(Principal.localOperator(), "SELECT count(*) FROM \"kamp/injection\"", new LibraryTest.Discard()).rows())
                    .isEqualTo(1);
            IngestResult again = lib.ingest(Principal.localOperator(), IngestRequest.of(file, "plant/sensors"));
            assertThat(again.version()).isEqualTo(1);
            assertThat(again.rows()).isEqualTo(300_000);
            assertThat(lib.verifyAudit(Principal.localOperator()).intact()).isTrue();
        }
    }

    private String log() throws IOException {
        Path log = dir.resolve("child.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /**
     * Chunks in staging now. The child renames and removes files while this counts: an entry that vanishes
     * under the walk means "look again", so the walk is retried rather than failing the test.
     */
    private static long stagedChunks(Path home) throws IOException {
        Path staging = home.resolve("staging");
        for (int attempt = 1; ; attempt++) {
            if (!Files.exists(staging)) return 0;
            try (var walk = Files.walk(staging)) {
                return walk.filter(p -> p.getFileName().toString().matches("[0-9a-f]{64}")).count();
            } catch (java.io.UncheckedIOException | java.nio.file.NoSuchFileException e) {
                if (attempt >= 20) throw e;
            }
        }
    }
}
