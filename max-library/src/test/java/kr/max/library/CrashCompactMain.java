package kr.max.library;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import kr.max.core.Classification;
import kr.max.core.Principal;
import kr.max.library.crypto.MasterKey;
import kr.max.library.stream.CompactionSettings;
import kr.max.library.stream.StreamAppender;
import kr.max.library.stream.StreamSample;

/**
 * Run in a child JVM by {@link StreamCompactionCrashTest}, which kills it with SIGKILL in the middle of a compaction:
 * rounds of flushes into six sealed hours, each round followed by a compaction of them.
 */
public final class CrashCompactMain {

    static final Instant BASE = Instant.parse("2026-01-05T00:00:00Z");
    static final int HOURS = 6;
    static final int PER_FLUSH = 120;

    private CrashCompactMain() {
    }

    /** Small merged chunks (100 rows), so a partition's compaction stages several of them before it commits. */
    static final CompactionSettings SETTINGS = CompactionSettings.DEFAULT.withEvery(Duration.ZERO).withMinChunks(2).withMaxRowsPerChunk(100);

    /** One row per sequence from 0 on, spread over six hours long sealed. */
    static StreamSample sample(long seq) {
        return new StreamSample(seq, BASE.plus(Duration.ofHours(seq % HOURS)).plusSeconds(seq / HOURS % 3600).plusMillis(seq % 997),
                "gangnam/molding/line-1/imm-" + (seq % 3), seq % 2 == 0 ? "barrel_temp" : "mold_temp", seq * 0.5, "GOOD");
    }

    public static void main(String[] args) {
        try (Library lib = Library.open(LibraryConfig.embedded(Path.of(args[0]), MasterKey.of(args[1])))) {
            lib.streams().configureCompaction(SETTINGS);
            Principal me = Principal.localOperator();
            lib.streams().create(me, "plant/stream", Classification.INTERNAL);
            try (StreamAppender a = lib.streams().appender(me, "plant/stream", "edge-1")) {
                for (long seq = 0; ; ) {
                    for (int f = 0; f < 20; f++) {
                        var batch = new ArrayList<StreamSample>();
                        for (int i = 0; i < PER_FLUSH; i++) batch.add(sample(seq++));
                        a.append(batch);
                        System.out.println("committed " + a.flush());
                    }
                    System.out.println("compacting");
                    System.out.println("compacted " + lib.streams().compact(me, "plant/stream").detail());
                }
            }
        }
    }
}
