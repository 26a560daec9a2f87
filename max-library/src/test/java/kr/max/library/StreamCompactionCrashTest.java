package kr.max.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import kr.max.core.Principal;
import kr.max.library.crypto.MasterKey;
import kr.max.library.stream.StreamSample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} in the middle of a stream compaction: the dataset shows either the old chunks or the new ones for
 * each partition, never both and never neither, so every row is there exactly once; the next start removes the
 * uncommitted staging area (or publishes a committed one), and replaced objects go once their grace period ends.
 */
class StreamCompactionCrashTest {

    static final String SECRET = "compaction crash master secret 01";

    @TempDir
    Path dir;

    @Test
    void aKilledCompactionLeavesEveryRowOnceAndTheNextStartCleansUp() throws Exception {
        Path home = dir.resolve("home");
        Process child = ChildJvm.start(CrashCompactMain.class, dir.resolve("child.log"), home.toString(), SECRET);
        try {
            // one compaction done (its replaced objects retired), then SIGKILL while the next one has staged chunks
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(5))
                    .until(() -> !child.isAlive() || (log().contains("compacted partitions=6") && lastLine().equals("compacting")
                            && stagedChunks(home) >= 1));
            assertThat(child.isAlive()).as("child still running; log: %s", log()).isTrue();
        } finally {
            child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no finally blocks
            child.waitFor();
        }
        Principal me = Principal.localOperator();
        // Opened an hour on: the start deletes the replaced objects whose grace period has passed as well.
        var later = new MutableClock(Instant.now().plus(Duration.ofHours(1)));
        try (Library lib = Library.open(LibraryConfig.embedded(home, MasterKey.of(SECRET)).withClock(later))) {
            lib.streams().configureCompaction(CrashCompactMain.SETTINGS);
            assertThat(stagedChunks(home)).isZero();
            long mark = lib.streams().highWaterMark("plant/stream", "edge-1");
            assertThat(mark).isGreaterThanOrEqualTo(2 * 20 * CrashCompactMain.PER_FLUSH - 1);
            // every committed sample exactly once, exactly as it was sent
            var expected = new ArrayList<List<Object>>();
            for (long seq = 0; seq <= mark; seq++) {
                StreamSample s = CrashCompactMain.sample(seq);
                expected.add(Arrays.asList(seq, kr.max.library.catalog.Catalog.micros(s.time()), s.asset(), s.tag(), s.value(), s.quality()));
            }
            String all = "SELECT sequence, epoch_us(time), asset, tag, value, quality FROM \"plant/stream\" ORDER BY sequence";
            assertThat(rows(lib, me, all)).containsExactlyElementsOf(expected);
            // no object but the chunks' own is left
            int chunks = lib.show(me, "plant/stream", 0).versions().getFirst().chunks();
            assertThat(objectFiles(home)).as("log: %s", log()).isEqualTo(chunks);
            // the killed compaction's partitions are merged by the next one, and the rows stay
            var done = lib.streams().compact(me, "plant/stream");
            assertThat(lib.show(me, "plant/stream", 0).versions().getFirst().chunks()).isEqualTo(chunks - done.chunksBefore() + done.chunksAfter());
            assertThat(rows(lib, me, all)).containsExactlyElementsOf(expected);
            assertThat(lib.verifyAudit(me).intact()).isTrue();
        }
    }

    static List<List<Object>> rows(Library lib, Principal me, String sql) {
        return LibraryTest.rows(lib, me, sql).stream().map(r -> Arrays.<Object>asList(((Number) r[0]).longValue(), ((Number) r[1]).longValue(),
                r[2], r[3], ((Number) r[4]).doubleValue(), r[5])).toList();
    }

    private String log() throws IOException {
        Path log = dir.resolve("child.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private String lastLine() throws IOException {
        String[] lines = log().strip().split("\n");
        return lines[lines.length - 1].strip();
    }

    private static long objectFiles(Path home) throws IOException {
        try (var walk = Files.walk(home.resolve("objects"))) {
            return walk.filter(Files::isRegularFile).count();
        }
    }

    /** Objects in staging now; an entry that vanishes under the walk means "look again". */
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
