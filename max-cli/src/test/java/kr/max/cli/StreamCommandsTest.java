package kr.max.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import kr.max.core.Classification;
import kr.max.core.Principal;
import kr.max.library.Library;
import kr.max.library.LibraryConfig;
import kr.max.library.crypto.MasterKey;
import kr.max.library.stream.StreamAppender;
import kr.max.library.stream.StreamSample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamCommandsTest {

    @TempDir
    Path dir;

    /** A stream of the home with 8 flushes into each of two long sealed hours: 16 small chunks. */
    void streamWithSmallChunks(Cli max) {
        Instant past = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(2));
        Principal me = Principal.localOperator();
        try (Library lib = Library.open(LibraryConfig.embedded(max.home(), MasterKey.fromFile(max.keyFile())))) {
            lib.streams().create(me, "hanbit/line-stream", Classification.INTERNAL);
            try (StreamAppender a = lib.streams().appender(me, "hanbit/line-stream", "edge-1")) {
                long seq = 0;
                for (int f = 0; f < 8; f++) {
                    var batch = new ArrayList<StreamSample>();
                    for (int i = 0; i < 50; i++, seq++) {
                        batch.add(new StreamSample(seq, past.plus(Duration.ofHours(seq % 2)).plusSeconds(seq), "hanbit/press/line-1/cell-1/press-1",
                                "force", seq * 1.5, "GOOD"));
                    }
                    a.append(batch);
                    a.flush();
                }
            }
        }
    }

    @Test
    void compactMergesTheSealedHoursOfAStreamAndSaysWhatItDidInBothLanguages() throws Exception {
        Cli max = Cli.in(dir);
        streamWithSmallChunks(max);
        String sum = "SELECT count(*), sum(sequence), sum(value) FROM \"hanbit/line-stream\"";
        var before = max.run("query", sum, "--format", "csv");
        assertThat(before.exit()).as(before.toString()).isZero();

        var compacted = max.run("streams", "compact", "hanbit/line-stream");
        assertThat(compacted.exit()).as(compacted.toString()).isZero();
        assertThat(compacted.out()).startsWith("Compacted hanbit/line-stream: 2 sealed hour partitions, 16 chunks merged into 2 (400 rows, ");
        assertThat(max.run("query", sum, "--format", "csv").out()).isEqualTo(before.out());

        var again = max.run("--lang", "ko", "streams", "compact", "hanbit/line-stream");
        assertThat(again.exit()).as(again.toString()).isZero();
        assertThat(again.out()).startsWith("hanbit/line-stream 에는 압축할 것이 없습니다: 작은 청크가 8개 이상인");
        var audit = max.run("audit", "--dataset", "hanbit/line-stream", "--format", "csv");
        assertThat(audit.out()).contains("stream-compact", "partitions=2 chunks-before=16 chunks-after=2");
    }

    @Test
    void compactRefusesWhatIsNoStream() throws Exception {
        Cli max = Cli.in(dir);
        var missing = max.run("streams", "compact", "no/such");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("MAX-CATALOG-");
    }

    @Test
    void againstAServerTheStreamsProviderCompactsAndAnOutsiderIsRefused() throws Exception {
        try (RemoteLibrary server = RemoteLibrary.start(dir)) {
            server.organization("hanbit", "KR");
            server.organization("seoul-analytics", "KR");
            String aliceToken = server.user("alice", "hanbit", kr.max.core.Role.PROVIDER);
            Principal alice = server.library.authenticate(aliceToken).orElseThrow();
            server.library.streams().create(alice, "hanbit/line-stream", Classification.INTERNAL);
            Instant past = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(2));
            try (StreamAppender a = server.library.streams().appender(alice, "hanbit/line-stream", "edge-1")) {
                for (int f = 0; f < 8; f++) {
                    var batch = new ArrayList<StreamSample>();
                    for (int i = 0; i < 10; i++) {
                        long seq = f * 10L + i;
                        batch.add(new StreamSample(seq, past.plusSeconds(seq), "hanbit/press/line-1/cell-1/press-1", "force", seq, "GOOD"));
                    }
                    a.append(batch);
                    a.flush();
                }
            }
            var outsider = server.cli(server.user("carol", "seoul-analytics", kr.max.core.Role.CONSUMER))
                    .run("streams", "compact", "hanbit/line-stream");
            assertThat(outsider.exit()).isEqualTo(1);
            assertThat(outsider.err()).contains("MAX-");

            var done = server.cli(aliceToken).run("streams", "compact", "hanbit/line-stream");
            assertThat(done.exit()).as(done.toString()).isZero();
            assertThat(done.out()).startsWith("Compacted hanbit/line-stream: 1 sealed hour partitions, 8 chunks merged into 1 (80 rows, ");
            var again = server.cli(aliceToken).run("streams", "compact", "hanbit/line-stream");
            assertThat(again.out()).startsWith("Nothing to compact in hanbit/line-stream: no sealed hour partition holds 8 or more");
        }
    }
}
