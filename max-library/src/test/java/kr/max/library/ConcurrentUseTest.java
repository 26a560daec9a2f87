package kr.max.library;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import kr.max.core.MaxException;
import kr.max.core.Principal;
import kr.max.library.catalog.CatalogError;
import kr.max.library.crypto.MasterKey;
import kr.max.library.sample.SampleData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two libraries on one home at once, as a CLI command next to a running server. */
class ConcurrentUseTest {

    static final MasterKey KEY = MasterKey.of("concurrent use secret 0123456");

    @TempDir
    Path dir;

    @Test
    void openingTheLibraryWhileAnotherDepositsNeverLosesAVersion() throws Exception {
        Path home = dir.resolve("home");
        Path file = SampleData.injectionMolding(dir, 300, 1);
        Principal me = Principal.localOperator();
        var stop = new AtomicBoolean();
        try (Library writer = Library.open(LibraryConfig.embedded(home, KEY)); var pool = Executors.newFixedThreadPool(1)) {
            var opener = pool.submit(() -> {
                int opens = 0;
                while (!stop.get()) {
                    try (Library other = Library.open(LibraryConfig.embedded(home, KEY))) {
                        opens++;
                    }
                }
                return opens;
            });
            for (int i = 0; i < 12; i++) writer.ingest(me, IngestRequest.of(file, "kamp/injection"));
            stop.set(true);
            assertThat(opener.get()).isPositive();
            for (int v = 1; v <= 12; v++) {
                assertThat(LibraryTest.rows(writer, me, "SELECT count(*) FROM \"kamp/injection@" + v + "\"").getFirst()[0])
                        .as("version %d", v).isEqualTo(300L);
            }
        }
    }

    @Test
    void twoFirstDepositsOfOneNameGiveOneVersionAndAClearConflict() throws Exception {
        Path home = dir.resolve("home");
        Path file = SampleData.injectionMolding(dir, 2000, 2);
        Principal me = Principal.localOperator();
        try (Library a = Library.open(LibraryConfig.embedded(home, KEY)); Library b = Library.open(LibraryConfig.embedded(home, KEY));
             var pool = Executors.newFixedThreadPool(2)) {
            List<Callable<IngestResult>> both = List.of(() -> a.ingest(me, IngestRequest.of(file, "race/x")),
                    () -> b.ingest(me, IngestRequest.of(file, "race/x")));
            var outcomes = new ArrayList<String>();
            for (var f : pool.invokeAll(both)) {
                try {
                    outcomes.add("v" + f.get().version());
                } catch (ExecutionException e) {
                    outcomes.add(e.getCause() instanceof MaxException me2 ? me2.code().code() : e.getCause().toString());
                }
            }
            // either they ran one after the other (versions 1 and 2) or one lost the race with a clear error
            var sorted = outcomes.stream().sorted().toList();
            assertThat(sorted).isIn(List.of("v1", "v2"), List.of(CatalogError.CONFLICT.code(), "v1"));
            for (var v : a.show(me, "race/x", 0).versions()) {
                assertThat(LibraryTest.rows(a, me, "SELECT count(*) FROM \"race/x@" + v.number() + "\"").getFirst()[0]).isEqualTo(2000L);
            }
            // no key is left over from the losing deposit: one key for the dataset, one for audit signing
            try (var keys = Files.list(home.resolve("keys"))) {
                assertThat(keys.filter(p -> p.toString().endsWith(".kek")).count()).isEqualTo(2);
            }
        }
    }

    @Test
    void aColumnNamedFilenameIsDeposited() throws Exception {
        Path file = dir.resolve("files.csv");
        Files.writeString(file, "filename,size\na.csv,10\nb.csv,20\n", StandardCharsets.UTF_8);
        try (Library lib = Library.open(LibraryConfig.embedded(dir.resolve("h"), KEY))) {
            lib.ingest(Principal.localOperator(), IngestRequest.of(file, "t/files"));
            assertThat(LibraryTest.rows(lib, Principal.localOperator(), "SELECT sum(size)::BIGINT FROM \"t/files\"").getFirst()[0])
                    .isEqualTo(30L);
        }
    }

    @Test
    void datasetsInDifferentTimeZonesPruneLikeTheyQuery() throws Exception {
        Path seoul = dir.resolve("seoul.csv");
        Path utc = dir.resolve("utc.csv");
        var a = new StringBuilder("ts,machine,value\n");
        for (int i = 0; i < 48; i++) a.append(String.format("2024-01-01 %02d:00:00,m1,%d%n", i / 2, i));
        Files.writeString(seoul, a.toString(), StandardCharsets.UTF_8);
        Files.writeString(utc, a.toString(), StandardCharsets.UTF_8);
        Principal me = Principal.localOperator();
        try (Library lib = Library.open(LibraryConfig.embedded(dir.resolve("h"), KEY).withChunkBytes(1))) {
            lib.ingest(me, IngestRequest.of(seoul, "tz/seoul"));
            lib.ingest(me, new IngestRequest(utc, "tz/utc", null, null, false, 20, null, "UTC"));
            String where = " WHERE ts >= '2024-01-01 12:00:00'";
            long pruned = (Long) LibraryTest.rows(lib, me, "SELECT (SELECT count(*) FROM \"tz/seoul\"" + where
                    + ") + (SELECT count(*) FROM \"tz/utc\"" + where + ")").getFirst()[0];
            // the same count computed without any chunk skipping: OR defeats pruning
            long full = (Long) LibraryTest.rows(lib, me, "SELECT (SELECT count(*) FROM \"tz/seoul\" WHERE ts >= '2024-01-01 12:00:00' OR false"
                    + ") + (SELECT count(*) FROM \"tz/utc\" WHERE ts >= '2024-01-01 12:00:00' OR false)").getFirst()[0];
            assertThat(pruned).isEqualTo(full);
        }
    }
}
