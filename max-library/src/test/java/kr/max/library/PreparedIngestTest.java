package kr.max.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Set;
import kr.max.core.MaxException;
import kr.max.core.Principal;
import kr.max.core.Role;
import kr.max.library.audit.AuditRecord;
import kr.max.library.crypto.MasterKey;
import kr.max.library.ingest.IngestError;
import kr.max.library.sample.SampleData;
import kr.max.library.store.Scratch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deposit whose file was read while the library opened ({@link Library#prepare}) ends exactly as one read
 * afterwards: the same version, and a refusal or a missing file decided and reported after the library opens.
 */
class PreparedIngestTest {

    @TempDir
    Path dir;

    final Principal me = Principal.localOperator();

    /** A memory-backed scratch base of this test's own, so what a conversion ahead leaves can be seen. */
    Path scratchBase;

    @AfterEach
    void removeScratch() {
        if (scratchBase != null) Scratch.deleteTree(scratchBase);
    }

    private LibraryConfig config(String home) throws IOException {
        scratchBase = Files.createTempDirectory(Path.of("/dev/shm"), "max-prepared-test-");
        return new LibraryConfig(dir.resolve(home), MasterKey.of("prepared ingest test secret 01"), null, null, null, scratchBase,
                null, 0, 0);
    }

    /** Plaintext Parquet anywhere under the scratch base. */
    private long parquetFilesInScratch() throws IOException {
        try (var walk = Files.walk(scratchBase)) {
            return walk.filter(p -> p.toString().endsWith(".parquet")).count();
        }
    }

    private long scratchDirectories() throws IOException {
        try (var list = Files.list(scratchBase)) {
            return list.count();
        }
    }

    @Test
    void aCleanCsvIsConvertedIntoScratchMemoryBeforeAnyLibraryOpensAndClosingRemovesIt() throws Exception {
        Path file = SampleData.sensors(dir.resolve("sensors.csv"), 20_000, 5);
        var prepared = Library.prepare(IngestRequest.of(file, "plant/sensors"), config("home"));
        try (var converted = prepared.converted()) {
            assertThat(converted).as("the DuckDB path applies to this file, so it converts ahead").isNotNull();
            assertThat(parquetFilesInScratch()).isPositive();
        }
        assertThat(parquetFilesInScratch()).isZero();
        assertThat(scratchDirectories()).isZero();
    }

    @Test
    void aDepositConvertedAheadIsTheSameVersionAsOneConvertedAfterwards() throws Exception {
        Path file = SampleData.sensors(dir.resolve("sensors.csv"), 20_000, 5);
        LibraryConfig config = config("home");
        var prepared = Library.prepare(IngestRequest.of(file, "plant/ahead"), config);
        try (var lib = Library.open(config)) {
            var ahead = lib.ingest(me, prepared, IngestProgress.NONE);
            var late = lib.ingest(me, IngestRequest.of(file, "plant/late"));
            // (before any query: queries keep decrypted chunks in the library's scratch memory)
            assertThat(parquetFilesInScratch()).as("the conversion's plaintext is gone once encrypted").isZero();
            assertThat(ahead.rows()).isEqualTo(late.rows()).isEqualTo(20_000);
            assertThat(ahead.chunks()).isEqualTo(late.chunks());
            assertThat(lib.dictionary(me, "plant/ahead")).isEqualTo(lib.dictionary(me, "plant/late"));
            // (the sum rounded: DuckDB adds in parallel, in no fixed order)
            var rows = new ArrayList<String>();
            lib.query(me, "SELECT count(*), count(DISTINCT asset), min(timestamp), max(timestamp), round(sum(temperature), 3) FROM \"plant/ahead\"", sink(rows));
            lib.query(me, "SELECT count(*), count(DISTINCT asset), min(timestamp), max(timestamp), round(sum(temperature), 3) FROM \"plant/late\"", sink(rows));
            assertThat(rows).hasSize(2);
            assertThat(rows.get(0)).isEqualTo(rows.get(1));
        }
    }

    @Test
    void aRefusedDepositConvertedAheadIsAuditedAndLeavesNoPlaintextInScratch() throws Exception {
        Path file = SampleData.sensors(dir.resolve("sensors.csv"), 20_000, 5);
        LibraryConfig config = config("home");
        try (var lib = Library.open(config)) {
            Principal admin = lib.authenticate(lib.bootstrapAdmin("national-library", "KR", "admin").orElseThrow().token()).orElseThrow();
            lib.createOrganization(admin, "seoul-analytics", null, "KR");
            Principal carol = lib.createUser(admin, "carol", "seoul-analytics", Set.of(Role.CONSUMER)).principal();
            var prepared = Library.prepare(IngestRequest.of(file, "plant/refused"), config);
            assertThatThrownBy(() -> lib.ingest(carol, prepared, IngestProgress.NONE)).isInstanceOf(MaxException.class);
            assertThat(parquetFilesInScratch()).isZero();
            assertThat(scratchDirectories()).as("only the library's own scratch directory").isEqualTo(1);
            assertThat(lib.datasets(admin)).noneMatch(d -> d.name().equals("plant/refused"));
            var records = new ArrayList<AuditRecord>();
            Principal auditor = lib.createUser(admin, "auditor", "national-library", Set.of(Role.AUDITOR)).principal();
            lib.audit(auditor, "plant/refused", records::add);
            assertThat(records).anyMatch(r -> r.principal().equals("carol") && r.action().equals("ingest") && r.outcome().equals("denied"));
        }
    }

    @Test
    void aFileWhoseChecksFailAfterTheCopyTakesTheJavaPathAndLeavesNoEncryptedCopyBehind() throws Exception {
        // Untrimmed asset names in the last rows only: DuckDB's COPY takes them, the checks after it do not, and the
        // chunks already encrypted beside the checks must go (the Java path trims and stores its own).
        Path file = dir.resolve("untrimmed.csv");
        var csv = new StringBuilder("timestamp,asset,temperature\n");
        for (int i = 0; i < 20_000; i++) {
            String asset = i >= 19_995 ? " press-" + (i % 5) + " " : "press-" + (i % 5);
            csv.append(java.time.Instant.parse("2026-03-02T00:00:00Z").plusSeconds(i)).append(',').append(asset).append(',')
                    .append(20 + (i % 100) / 10.0).append('\n');
        }
        Files.writeString(file, csv);
        var logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(PreparedIngest.class);
        var seen = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
        seen.start();
        ch.qos.logback.classic.Level level = logger.getLevel();
        logger.setLevel(ch.qos.logback.classic.Level.DEBUG);
        logger.addAppender(seen);
        LibraryConfig config = config("home");
        try (var lib = Library.open(config)) {
            var prepared = Library.prepare(IngestRequest.of(file, "plant/untrimmed"), config);
            var result = lib.ingest(me, prepared, IngestProgress.NONE);
            assertThat(seen.list).as("the conversion ahead copied, then its checks refused the file")
                    .anyMatch(e -> e.getFormattedMessage().contains("checks and zone maps do not hold"));
            assertThat(result.rows()).isEqualTo(20_000);
            // (before any query: queries keep decrypted chunks in the library's scratch memory)
            assertThat(parquetFilesInScratch()).as("the conversion's plaintext is gone").isZero();
            var rows = new ArrayList<String>();
            lib.query(me, "SELECT count(*) FILTER (WHERE asset <> trim(asset)), count(DISTINCT asset) FROM \"plant/untrimmed\"", sink(rows));
            assertThat(rows).containsExactly("[0, 5]");
            try (var objects = Files.walk(config.home().resolve("objects"))) {
                assertThat(objects.filter(Files::isRegularFile).count()).as("one stored object per chunk of the version, no more")
                        .isEqualTo(result.chunks());
            }
        } finally {
            logger.detachAppender(seen);
            logger.setLevel(level);
        }
    }

    @Test
    void closingBeforeTheLibraryOpensCancelsTheConversionAndLeavesNothing() throws Exception {
        Path file = SampleData.sensors(dir.resolve("sensors.csv"), 200_000, 5);
        var prepared = Library.prepare(IngestRequest.of(file, "plant/abandoned"), config("home"));
        prepared.close(); // as the command does when the library does not open (a wrong master key, say)
        assertThat(parquetFilesInScratch()).isZero();
        assertThat(scratchDirectories()).isZero();
        assertThat(prepared.converted()).as("nothing is left to hand to a deposit").isNull();
    }

    private static kr.max.library.query.ResultSink sink(java.util.List<String> rows) {
        return new kr.max.library.query.ResultSink() {
            @Override
            public void columns(java.util.List<String> names, java.util.List<String> sqlTypes) {
            }

            @Override
            public void row(Object[] values) {
                rows.add(java.util.Arrays.toString(values));
            }
        };
    }

    @Test
    void aFileReadBeforeTheLibraryOpensIsDepositedAsOneReadAfterwards() throws Exception {
        Path file = SampleData.injectionMolding(dir, 2_000, 5);
        var prepared = Library.prepare(IngestRequest.of(file, "kamp/early"));
        try (var lib = Library.open(LibraryConfig.embedded(dir.resolve("home"), MasterKey.of("prepared ingest test secret 01")))) {
            var early = lib.ingest(me, prepared, IngestProgress.NONE);
            var late = lib.ingest(me, IngestRequest.of(file, "kamp/late"));
            assertThat(early.rows()).isEqualTo(late.rows()).isEqualTo(2_000);
            assertThat(lib.dictionary(me, "kamp/early")).isEqualTo(lib.dictionary(me, "kamp/late"));
            assertThat(early.source().format()).isEqualTo(late.source().format());
        }
    }

    @Test
    void aRefusedPreparedDepositIsDecidedAuditedAndStoresNothing() throws Exception {
        Path file = SampleData.injectionMolding(dir, 500, 5);
        try (var lib = Library.open(LibraryConfig.embedded(dir.resolve("home"), MasterKey.of("prepared ingest test secret 01")))) {
            Principal admin = lib.authenticate(lib.bootstrapAdmin("national-library", "KR", "admin").orElseThrow().token()).orElseThrow();
            lib.createOrganization(admin, "seoul-analytics", null, "KR");
            Principal carol = lib.createUser(admin, "carol", "seoul-analytics", Set.of(Role.CONSUMER)).principal();
            var prepared = Library.prepare(IngestRequest.of(file, "kamp/refused"));
            assertThatThrownBy(() -> lib.ingest(carol, prepared, IngestProgress.NONE)).isInstanceOf(MaxException.class);
            assertThat(lib.datasets(admin)).noneMatch(d -> d.name().equals("kamp/refused"));
            var records = new ArrayList<AuditRecord>();
            Principal auditor = lib.createUser(admin, "auditor", "national-library", Set.of(Role.AUDITOR)).principal();
            lib.audit(auditor, "kamp/refused", records::add);
            assertThat(records).anyMatch(r -> r.principal().equals("carol") && r.action().equals("ingest") && r.outcome().equals("denied"));
        }
    }

    @Test
    void aMissingFileIsReportedWhenTheDepositRunsNotWhenItIsPrepared() {
        Path missing = dir.resolve("없는-파일.csv");
        var prepared = Library.prepare(IngestRequest.of(missing, "kamp/missing"));
        try (var lib = Library.open(LibraryConfig.embedded(dir.resolve("home"), MasterKey.of("prepared ingest test secret 01")))) {
            assertThatThrownBy(() -> lib.ingest(me, prepared, IngestProgress.NONE))
                    .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(IngestError.FILE_NOT_FOUND));
            assertThat(lib.datasets(me)).isEmpty();
        }
    }
}
