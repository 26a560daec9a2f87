package kr.max.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import kr.max.core.Principal;
import kr.max.library.crypto.MasterKey;
import kr.max.library.stream.StreamAppender;
import kr.max.library.stream.StreamSample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} in the middle of a stream flush: no partial chunk is ever visible, what was committed is exactly
 * what the mark says, the orphaned staging area goes at the next start, and the source resumes from its mark.
 */
class StreamCrashRecoveryTest {

    static final String SECRET = "stream crash master secret 0123";

    @TempDir
    Path dir;

    @Test
    void aKilledFlushLeavesNoPartialChunkAndTheSourceResumesFromItsMark() throws Exception {
        Path home = dir.resolve("home");
        Process child = ChildJvm.start(CrashStreamMain.class, dir.resolve("child.log"), home.toString(), SECRET);
        try {
            // a few flushes committed, then SIGKILL while the next one has staged chunks but not committed them
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(5))
                    .until(() -> !child.isAlive() || (reported() >= 3 * 2_000 - 1 && stagedChunks(home) >= 2));
            assertThat(child.isAlive()).as("child still appending; log: %s", log()).isTrue();
        } finally {
            child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no finally blocks
            child.waitFor();
        }
        Principal me = Principal.localOperator();
        try (Library lib = Library.open(LibraryConfig.embedded(home, MasterKey.of(SECRET)))) {
            assertThat(stagedChunks(home)).isZero();
            long mark = lib.streams().highWaterMark("plant/stream", "edge-1");
            // what the child was told is committed is durable
            assertThat(mark).as("log: %s", log()).isGreaterThanOrEqualTo(reported()).isGreaterThanOrEqualTo(3 * 2_000 - 1);
            // exactly the committed sequences, each once: nothing of the killed flush shows
            var counts = LibraryTest.rows(lib, me, "SELECT count(*), count(DISTINCT sequence), max(sequence) FROM \"plant/stream\"").getFirst();
            assertThat(((Number) counts[0]).longValue()).isEqualTo(mark + 1);
            assertThat(((Number) counts[1]).longValue()).isEqualTo(mark + 1);
            assertThat(((Number) counts[2]).longValue()).isEqualTo(mark);
            // the forwarder resends from a bit before its mark: the overlap is dropped, the rest lands
            try (StreamAppender a = lib.streams().appender(me, "plant/stream", "edge-1")) {
                var resend = new ArrayList<StreamSample>();
                for (long seq = Math.max(0, mark - 500); seq <= mark + 1_000; seq++) resend.add(CrashStreamMain.sample(seq));
                assertThat(a.append(resend)).isEqualTo(1_000);
                assertThat(a.flush()).isEqualTo(mark + 1_000);
            }
            var after = LibraryTest.rows(lib, me, "SELECT count(*), count(DISTINCT sequence) FROM \"plant/stream\"").getFirst();
            assertThat(((Number) after[0]).longValue()).isEqualTo(mark + 1_001);
            assertThat(((Number) after[1]).longValue()).isEqualTo(mark + 1_001);
            assertThat(lib.verifyAudit(me).intact()).isTrue();
        }
    }

    /** The last mark the child printed as committed, or -1. */
    private long reported() throws IOException {
        var m = java.util.regex.Pattern.compile("(?m)^committed (\\d+)$").matcher(log());
        long last = -1;
        while (m.find()) last = Long.parseLong(m.group(1));
        return last;
    }

    private String log() throws IOException {
        Path log = dir.resolve("child.log");
        return Files.exists(log) ? Files.readString(log) : "";
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
