package kr.max.library;

import java.nio.file.Path;
import kr.max.core.Principal;
import kr.max.library.crypto.MasterKey;

/** Run in a child JVM by {@link CrashRecoveryTest}, which kills it with SIGKILL in the middle of an ingest. */
public final class CrashIngestMain {

    private CrashIngestMain() {
    }

    public static void main(String[] args) {
        var config = LibraryConfig.embedded(Path.of(args[0]), MasterKey.of(args[2])).withValuesPerChunk(Long.parseLong(args[3]));
        try (Library lib = Library.open(config)) {
            lib.ingest(Principal.localOperator(), IngestRequest.of(Path.of(args[1]), "plant/sensors"));
        }
    }
}
