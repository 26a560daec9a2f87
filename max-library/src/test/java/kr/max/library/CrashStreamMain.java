package kr.max.library;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import kr.max.core.Classification;
import kr.max.core.Principal;
import kr.max.library.crypto.MasterKey;
import kr.max.library.stream.StreamAppender;
import kr.max.library.stream.StreamSample;

/** Run in a child JVM by {@link StreamCrashRecoveryTest}, which kills it with SIGKILL in the middle of a flush. */
public final class CrashStreamMain {

    private CrashStreamMain() {
    }

    /** One row per sequence from 0 on, spread over a day of hours so that every flush writes many chunks. */
    static StreamSample sample(long seq) {
        return new StreamSample(seq, Instant.parse("2026-04-01T00:00:00Z").plusSeconds(seq % 24 * 3600).plusMillis(seq),
                "gangnam/molding/line-1/imm-" + (seq % 3), "barrel_temp", seq * 0.5, "GOOD");
    }

    public static void main(String[] args) {
        try (Library lib = Library.open(LibraryConfig.embedded(Path.of(args[0]), MasterKey.of(args[1])))) {
            Principal me = Principal.localOperator();
            lib.streams().create(me, "plant/stream", Classification.INTERNAL);
            try (StreamAppender a = lib.streams().appender(me, "plant/stream", "edge-1")) {
                for (long seq = 0; ; ) {
                    var batch = new ArrayList<StreamSample>();
                    for (int i = 0; i < 2_000; i++) batch.add(sample(seq++));
                    a.append(batch);
                    System.out.println("committed " + a.flush());
                }
            }
        }
    }
}
