package kr.max.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import kr.max.core.Classification;
import kr.max.core.MaxException;
import kr.max.core.Principal;
import kr.max.core.Role;
import kr.max.library.audit.AuditRecord;
import kr.max.library.crypto.MasterKey;
import kr.max.library.policy.PolicyError;
import kr.max.library.query.QueryEngine;
import kr.max.library.query.QueryError;
import kr.max.library.stream.CompactionSettings;
import kr.max.library.stream.StreamAppender;
import kr.max.library.stream.StreamCompaction;
import kr.max.library.stream.StreamError;
import kr.max.library.stream.StreamSample;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compaction of stream datasets (decision 0020) end to end: real H2 catalog, object store, keys, DuckDB and audit
 * chain. The rows of a stream are the same before and after, whatever is merged and whenever it is read.
 */
class StreamCompactionTest {

    static final String STREAM = "gangnam/molding-stream";
    static final String[] ASSETS = {"gangnam/molding/line-1/imm-1", "gangnam/molding/line-1/imm-2", "gangnam/molding/line-2/사출기-3"};
    /** A tag nobody writes by chance: the plaintext scan looks for it. */
    static final String SECRET_TAG = "mold_temp_QZX7741";
    /** Hours well past: sealed whenever the test runs. */
    static final Instant PAST = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(30));
    /** The start of the hour the test runs in: never sealed while it runs (samples in it stay within the hour). */
    static final Instant THIS_HOUR = Instant.now().truncatedTo(ChronoUnit.HOURS);
    static final String ALL = "SELECT source, sequence, time, asset, tag, value, quality FROM \"" + STREAM + "\" ORDER BY source, sequence";

    @TempDir
    Path dir;
    Path home;
    Library lib;
    final Principal me = Principal.localOperator();

    @BeforeEach
    void open() {
        home = dir.resolve("home");
        lib = openLibrary();
        // The background stays off unless a test turns it on: each test compacts when it says so.
        lib.streams().configureCompaction(CompactionSettings.DEFAULT.withEvery(Duration.ZERO).withMinChunks(4));
    }

    Library openLibrary() {
        return Library.open(LibraryConfig.embedded(home, MasterKey.of("compaction test master secret 0123")));
    }

    @AfterEach
    void close() {
        if (lib != null) lib.close();
    }

    /** Sample {@code seq}: in hour {@code seq % hours} after {@code start}, three assets, two tags, a missing value now and then. */
    static StreamSample sample(long seq, Instant start, int hours) {
        Instant t = start.plus(Duration.ofHours(seq % hours)).plusSeconds(seq / hours % 3600).plusMillis(seq % 1000);
        double value = seq % 97 == 0 ? Double.NaN : seq * 0.25;
        return new StreamSample(seq, t, ASSETS[(int) (seq % ASSETS.length)], seq % 2 == 0 ? "barrel_temp" : SECRET_TAG, value,
                seq % 97 == 0 ? "BAD" : seq % 5 == 0 ? null : "GOOD");
    }

    /** {@code flushes} flushes of {@code perFlush} samples of one source, spread over {@code hours} hours from {@code start}. */
    static long fill(StreamAppender a, long fromSeq, int flushes, int perFlush, Instant start, int hours) {
        long seq = fromSeq;
        for (int f = 0; f < flushes; f++) {
            var batch = new ArrayList<StreamSample>(perFlush);
            for (int i = 0; i < perFlush; i++) batch.add(sample(seq++, start, hours));
            a.append(batch);
            a.flush();
        }
        return seq;
    }

    long fill(String source, long fromSeq, int flushes, int perFlush, Instant start, int hours) {
        try (StreamAppender a = lib.streams().appender(me, STREAM, source)) {
            return fill(a, fromSeq, flushes, perFlush, start, hours);
        }
    }

    static List<List<Object>> rows(Library lib, Principal me, String sql) {
        return LibraryTest.rows(lib, me, sql).stream().map(r -> Arrays.asList(r)).toList();
    }

    List<List<Object>> all() {
        return rows(lib, me, ALL);
    }

    int chunks(String dataset) {
        return lib.show(me, dataset, 0).versions().getFirst().chunks();
    }

    long objectFiles() throws Exception {
        try (var walk = Files.walk(home.resolve("objects"))) {
            return walk.filter(Files::isRegularFile).count();
        }
    }

    List<AuditRecord> audit(String dataset) {
        var out = new ArrayList<AuditRecord>();
        lib.audit(me, dataset, out::add);
        return out;
    }

    @Test
    void compactionMergesSealedHoursKeepingEveryRowAndEveryMark() throws Exception {
        lib.streams().create(me, STREAM, Classification.INTERNAL);
        fill("edge-1", 0, 30, 60, PAST, 3);
        // the current hour is not sealed: its chunks stay as they are
        fill("edge-2", 0, 6, 10, THIS_HOUR, 1);
        assertThat(chunks(STREAM)).isEqualTo(30 * 3 + 6);
        var before = all();
        String hourly = "SELECT date_trunc('hour', time) AS h, asset, tag, count(*), count(value), sum(value), min(time), max(time)"
                + " FROM \"" + STREAM + "\" GROUP BY ALL ORDER BY ALL";
        var hourlyBefore = rows(lib, me, hourly);
        long rowsBefore = lib.show(me, STREAM, 0).versions().getFirst().rows();
        long edge1 = lib.streams().highWaterMark(STREAM, "edge-1");
        long edge2 = lib.streams().highWaterMark(STREAM, "edge-2");

        StreamCompaction done = lib.streams().compact(me, STREAM);

        assertThat(done.partitions()).isEqualTo(3);
        assertThat(done.chunksBefore()).isEqualTo(90);
        assertThat(done.chunksAfter()).isEqualTo(3);
        assertThat(done.rows()).isEqualTo(1800);
        assertThat(chunks(STREAM)).isEqualTo(3 + 6);
        assertThat(all()).hasSize(1800 + 60).containsExactlyElementsOf(before);
        assertThat(rows(lib, me, hourly)).containsExactlyElementsOf(hourlyBefore);
        assertThat(lib.show(me, STREAM, 0).versions().getFirst().rows()).isEqualTo(rowsBefore);
        assertThat(lib.streams().highWaterMark(STREAM, "edge-1")).isEqualTo(edge1);
        assertThat(lib.streams().highWaterMark(STREAM, "edge-2")).isEqualTo(edge2);
        // a query of one sealed hour opens that hour's one chunk
        Instant h = PAST.plus(Duration.ofHours(1));
        var stats = lib.query(me, "SELECT count(*) FROM \"" + STREAM + "\" WHERE time >= TIMESTAMPTZ '" + h + "' AND time < TIMESTAMPTZ '"
                + h.plus(Duration.ofHours(1)) + "'", new LibraryTest.Discard());
        assertThat(stats.chunksTotal()).isEqualTo(9);
        assertThat(stats.chunksRead()).isEqualTo(1);
        // replays are still replays: the marks decide, not the chunks
        try (StreamAppender a = lib.streams().appender(me, STREAM, "edge-1")) {
            var again = new ArrayList<StreamSample>();
            for (long seq = 100; seq < 200; seq++) again.add(sample(seq, PAST, 3));
            assertThat(a.append(again)).isZero();
            assertThat(a.flush()).isEqualTo(edge1);
        }
        assertThat(all()).containsExactlyElementsOf(before);
        // once merged, nothing is left to merge
        assertThat(lib.streams().compact(me, STREAM).partitions()).isZero();
        assertThat(audit(STREAM)).filteredOn(r -> r.action().equals("stream-compact") && r.outcome().equals("ok"))
                .extracting(AuditRecord::detail).containsExactly(
                        "partitions=3 chunks-before=90 chunks-after=3 rows=1800 bytes-before=" + done.bytesBefore() + " bytes-after=" + done.bytesAfter(),
                        "partitions=0 chunks-before=0 chunks-after=0 rows=0 bytes-before=0 bytes-after=0");
        assertThat(audit(STREAM)).filteredOn(r -> r.action().equals("stream-compact")).extracting(AuditRecord::outcome)
                .containsExactly("permit", "ok", "permit", "ok");
        // merging never put plaintext under the home
        assertThat(PlaintextScan.hits(home, List.of(SECRET_TAG, "사출기-3"))).isEmpty();
        assertThat(lib.verifyAudit(me).intact()).isTrue();
    }

    @Test
    void onlySealedPartitionsWithEnoughSmallChunksAreMergedAndMergedChunksStayWithinTheirBounds() {
        lib.streams().configureCompaction(lib.streams().compactionSettings().withMinChunks(5).withMaxRowsPerChunk(400));
        lib.streams().create(me, STREAM, Classification.INTERNAL);
        long seq = fill("edge-1", 0, 12, 100, PAST, 1);             // 12 chunks of 100 rows: three groups of 400
        seq = fill("edge-1", seq, 3, 100, PAST.plus(Duration.ofHours(2)), 1); // 3 chunks: too few to merge
        fill("edge-1", seq, 10, 10, THIS_HOUR, 1);              // the current hour: not sealed
        var before = all();
        StreamCompaction done = lib.streams().compact(me, STREAM);
        assertThat(done.partitions()).isEqualTo(1);
        assertThat(done.chunksBefore()).isEqualTo(12);
        assertThat(done.chunksAfter()).isEqualTo(3);
        assertThat(chunks(STREAM)).isEqualTo(3 + 3 + 10);
        assertThat(all()).containsExactlyElementsOf(before);
        // with a lower threshold the small partition goes too; merged chunks (400 rows, half the bound or more) stay
        lib.streams().configureCompaction(lib.streams().compactionSettings().withMinChunks(3));
        StreamCompaction next = lib.streams().compact(me, STREAM);
        assertThat(next.partitions()).isEqualTo(1);
        assertThat(next.chunksBefore()).isEqualTo(3);
        assertThat(next.chunksAfter()).isEqualTo(1);
        assertThat(chunks(STREAM)).isEqualTo(3 + 1 + 10);
        assertThat(all()).containsExactlyElementsOf(before);
    }

    /** A forwarder that was offline sends an old hour late: it lands in a new small chunk of that hour, merged later. */
    @Test
    void aLateSampleIntoACompactedHourIsStoredAndMergedAtTheNextCompaction() {
        lib.streams().create(me, STREAM, Classification.INTERNAL);
        lib.streams().create(me, "plant/reference", Classification.INTERNAL);
        long seq = fill("edge-1", 0, 10, 50, PAST, 1);
        assertThat(lib.streams().compact(me, STREAM).chunksAfter()).isEqualTo(1);
        assertThat(chunks(STREAM)).isEqualTo(1);
        // late: new sequences, times in the compacted hour
        try (StreamAppender late = lib.streams().appender(me, STREAM, "edge-late")) {
            fill(late, 0, 6, 5, PAST, 1);
        }
        assertThat(chunks(STREAM)).isEqualTo(7);
        // the same samples in a stream never compacted
        try (StreamAppender a = lib.streams().appender(me, "plant/reference", "edge-1");
             StreamAppender late = lib.streams().appender(me, "plant/reference", "edge-late")) {
            fill(a, 0, 1, (int) seq, PAST, 1);
            fill(late, 0, 6, 5, PAST, 1);
        }
        String cols = "SELECT source, sequence, time, asset, tag, value, quality FROM ";
        var reference = rows(lib, me, cols + "\"plant/reference\" ORDER BY source, sequence");
        assertThat(reference).hasSize(530);
        assertThat(rows(lib, me, cols + "\"" + STREAM + "\" ORDER BY source, sequence")).containsExactlyElementsOf(reference);
        StreamCompaction again = lib.streams().compact(me, STREAM);
        assertThat(again.chunksBefore()).isEqualTo(7);
        assertThat(again.chunksAfter()).isEqualTo(1);
        assertThat(chunks(STREAM)).isEqualTo(1);
        assertThat(rows(lib, me, cols + "\"" + STREAM + "\" ORDER BY source, sequence")).containsExactlyElementsOf(reference);
    }

    /**
     * The rule for old objects: a query lists the chunks, then opens them, possibly after waiting for its turn. A
     * compaction that commits in between leaves the listed objects readable for the grace period; a query that opens
     * them only after it is told so (MAX-STREAM-013), never given other rows.
     */
    @Test
    void aQueryThatListedChunksBeforeACompactionReadsThemDuringTheGracePeriod() throws Exception {
        lib.close();
        var clock = new MutableClock(Instant.now());
        lib = Library.open(LibraryConfig.embedded(home, MasterKey.of("compaction test master secret 0123")).withClock(clock));
        lib.streams().configureCompaction(CompactionSettings.DEFAULT.withEvery(Duration.ZERO).withMinChunks(4));
        lib.streams().create(me, STREAM, Classification.INTERNAL);
        fill("edge-1", 0, 8, 100, PAST, 2);
        QueryEngine.ResolvedTable listed = lib.resolve(STREAM);
        assertThat(listed.chunks()).hasSize(16);
        assertThat(lib.streams().compact(me, STREAM).chunksAfter()).isEqualTo(2);
        // read now, after the commit: every listed chunk is still there, with exactly its rows
        long rows = 0;
        long sequences = 0;
        // plaintext in memory only, as the library keeps it
        Path shm = Files.createTempDirectory(Path.of(System.getenv().getOrDefault(kr.max.library.store.Scratch.ENV, "/dev/shm")), "compaction-test-");
        try (var duck = DriverManager.getConnection("jdbc:duckdb:"); var st = duck.createStatement()) {
            for (QueryEngine.ChunkRef c : listed.chunks()) {
                var plain = new ByteArrayOutputStream();
                c.plaintext().writeTo(plain);
                Path file = shm.resolve("chunk-" + c.seq() + ".parquet");
                Files.write(file, plain.toByteArray());
                try (var rs = st.executeQuery("SELECT count(*), sum(sequence) FROM read_parquet('" + file + "')")) {
                    rs.next();
                    rows += rs.getLong(1);
                    sequences += rs.getLong(2);
                }
            }
        } finally {
            kr.max.library.store.Scratch.deleteTree(shm);
        }
        assertThat(rows).isEqualTo(800);
        assertThat(sequences).isEqualTo(799L * 800 / 2);
        // after the grace period the old objects go; a query that listed them before is told to run again
        clock.set(clock.instant().plus(CompactionSettings.DEFAULT.retireAfter()).plusSeconds(1));
        assertThat(lib.streams().compact(me, STREAM).partitions()).isZero();
        assertThatThrownBy(() -> listed.chunks().getFirst().plaintext().writeTo(new ByteArrayOutputStream()))
                .isInstanceOfSatisfying(MaxException.class, e -> {
                    assertThat(e.code()).isEqualTo(StreamError.COMPACTED);
                    assertThat(e.getMessage()).contains(STREAM);
                });
        assertThat(count("SELECT count(*) FROM \"" + STREAM + "\"")).isEqualTo(800);
    }

    long count(String sql) {
        return ((Number) LibraryTest.rows(lib, me, sql).getFirst()[0]).longValue();
    }

    @Test
    void queriesRunningWhileACompactionCommitsReturnTheSameRows() throws Exception {
        lib.streams().create(me, STREAM, Classification.INTERNAL);
        fill("edge-1", 0, 40, 50, PAST, 6);
        String sql = "SELECT count(*), count(DISTINCT sequence), sum(sequence), sum(value), min(time), max(time) FROM \"" + STREAM + "\"";
        var expected = rows(lib, me, sql);
        var compacting = new AtomicBoolean(true);
        var failure = new AtomicReference<Throwable>();
        var during = new AtomicInteger();
        var results = new java.util.concurrent.ConcurrentLinkedQueue<List<List<Object>>>();
        var started = new java.util.concurrent.CountDownLatch(1);
        Thread reader = Thread.ofPlatform().name("reader").start(() -> {
            started.countDown();
            try {
                // at least a few queries, and on until the compaction has finished
                for (int i = 0; i < 5 || compacting.get(); i++) {
                    boolean whileCompacting = compacting.get();
                    results.add(rows(lib, me, sql));
                    if (whileCompacting) during.incrementAndGet();
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        started.await();
        StreamCompaction done;
        try {
            done = lib.streams().compact(me, STREAM);
        } finally {
            compacting.set(false);
        }
        reader.join();
        assertThat(failure.get()).isNull();
        assertThat(done.chunksBefore()).isEqualTo(240);
        assertThat(done.chunksAfter()).isEqualTo(6);
        assertThat(during.get()).as("queries started while compacting").isPositive();
        assertThat(results).allSatisfy(r -> assertThat(r).containsExactlyElementsOf(expected));
        assertThat(rows(lib, me, sql)).containsExactlyElementsOf(expected);
    }

    @Test
    void replacedObjectsOutliveARestartForTheirGracePeriodAndGoAfterIt() throws Exception {
        lib.streams().create(me, STREAM, Classification.INTERNAL);
        fill("edge-1", 0, 10, 20, PAST, 2);
        var before = all();
        assertThat(objectFiles()).isEqualTo(20);
        lib.streams().compact(me, STREAM);
        assertThat(chunks(STREAM)).isEqualTo(2);
        // the 20 replaced objects wait out their grace period beside the 2 new ones
        assertThat(objectFiles()).isEqualTo(22);
        lib.close();
        lib = openLibrary();
        // the start's orphan clean-up counts them as referenced while their grace period lasts
        assertThat(objectFiles()).isEqualTo(22);
        assertThat(all()).containsExactlyElementsOf(before);
        lib.streams().configureCompaction(CompactionSettings.DEFAULT.withEvery(Duration.ZERO));
        assertThat(lib.streams().compact(me, STREAM).partitions()).isZero();
        assertThat(objectFiles()).isEqualTo(22);
        assertThat(all()).containsExactlyElementsOf(before);
    }

    @Test
    void replacedObjectsGoOnceTheirGracePeriodHasPassed() throws Exception {
        lib.close();
        var clock = new MutableClock(Instant.now());
        lib = Library.open(LibraryConfig.embedded(home, MasterKey.of("compaction test master secret 0123")).withClock(clock));
        lib.streams().configureCompaction(CompactionSettings.DEFAULT.withEvery(Duration.ZERO).withMinChunks(4));
        lib.streams().create(me, STREAM, Classification.INTERNAL);
        fill("edge-1", 0, 10, 20, PAST, 2);
        var before = all();
        lib.streams().compact(me, STREAM);
        assertThat(objectFiles()).isEqualTo(22);
        clock.set(clock.instant().plus(Duration.ofMinutes(14)));
        lib.streams().compact(me, STREAM);
        assertThat(objectFiles()).isEqualTo(22);
        // the next sweep after the grace period (a compaction, the background's run, the next start) deletes them
        clock.set(clock.instant().plus(Duration.ofMinutes(2)));
        lib.close();
        lib = Library.open(LibraryConfig.embedded(home, MasterKey.of("compaction test master secret 0123")).withClock(clock));
        assertThat(objectFiles()).isEqualTo(2);
        assertThat(all()).containsExactlyElementsOf(before);
    }

    @Test
    void deletingACompactedStreamShredsItsChunksAndTheReplacedOnes() throws Exception {
        lib.streams().create(me, STREAM, Classification.INTERNAL);
        fill("edge-1", 0, 10, 20, PAST, 2);
        lib.streams().compact(me, STREAM);
        assertThat(objectFiles()).isEqualTo(22);
        lib.delete(me, STREAM);
        assertThat(objectFiles()).isZero();
        assertThatThrownBy(() -> count("SELECT count(*) FROM \"" + STREAM + "\""))
                .satisfies(e -> assertThat(((MaxException) e).code()).isEqualTo(QueryError.UNKNOWN_TABLE));
        lib.close();
        lib = openLibrary();
        assertThat(objectFiles()).isZero();
        assertThat(lib.verifyAudit(me).intact()).isTrue();
    }

    @Test
    void compactionIsDecidedAsAWriteIntoTheDatasetAndRecorded() {
        Principal admin = lib.authenticate(lib.bootstrapAdmin("national-library", "KR", "admin").orElseThrow().token()).orElseThrow();
        lib.createOrganization(admin, "hanbit-press", "220-81-62517", "KR");
        lib.createOrganization(admin, "seoul-analytics", null, "KR");
        Principal alice = lib.createUser(admin, "alice", "hanbit-press", Set.of(Role.PROVIDER)).principal();
        Principal carol = lib.createUser(admin, "carol", "seoul-analytics", Set.of(Role.CONSUMER, Role.PROVIDER)).principal();
        Principal auditor = lib.createUser(admin, "audrey", "national-library", Set.of(Role.AUDITOR)).principal();
        lib.streams().create(alice, STREAM, Classification.PUBLIC);
        try (StreamAppender a = lib.streams().appender(alice, STREAM, "edge-1")) {
            fill(a, 0, 5, 10, PAST, 1);
        }
        // public data is open to every consumer's queries, but only its owner organization writes it
        assertThat(count("SELECT count(*) FROM \"" + STREAM + "\"")).isEqualTo(50);
        assertThatThrownBy(() -> lib.streams().compact(carol, STREAM))
                .satisfies(e -> assertThat(((MaxException) e).code()).isEqualTo(PolicyError.DENIED));
        assertThat(chunks(STREAM)).isEqualTo(5);
        assertThat(lib.streams().compact(alice, STREAM).chunksAfter()).isEqualTo(1);
        assertThatThrownBy(() -> lib.streams().compact(alice, "no/such"))
                .satisfies(e -> assertThat(((MaxException) e).code()).isEqualTo(kr.max.library.catalog.CatalogError.NO_SUCH_DATASET));
        var records = new ArrayList<AuditRecord>();
        lib.audit(auditor, STREAM, records::add);
        assertThat(records).filteredOn(r -> r.action().equals("stream-compact"))
                .extracting(AuditRecord::principal, AuditRecord::outcome).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("carol", "denied"), org.assertj.core.groups.Tuple.tuple("alice", "permit"),
                        org.assertj.core.groups.Tuple.tuple("alice", "ok"));
    }

    @Test
    void aDepositedDatasetIsNoStreamToCompact() throws Exception {
        Path file = kr.max.library.sample.SampleData.injectionMolding(dir, 50, 1);
        lib.ingest(me, IngestRequest.of(file, "kamp/injection"));
        assertThatThrownBy(() -> lib.streams().compact(me, "kamp/injection"))
                .satisfies(e -> assertThat(((MaxException) e).code()).isEqualTo(StreamError.NOT_A_STREAM));
        assertThat(audit("kamp/injection")).filteredOn(r -> r.action().equals("stream-compact")).extracting(AuditRecord::outcome)
                .containsExactly("permit", "failed");
    }

    /** Streams this process writes are compacted in the background, recorded as the system's work. */
    @Test
    void theBackgroundCompactsTheStreamsThisProcessWrites() {
        lib.streams().create(me, STREAM, Classification.INTERNAL);
        try (StreamAppender a = lib.streams().appender(me, STREAM, "edge-1")) {
            fill(a, 0, 12, 30, PAST, 3);
            var before = all();
            assertThat(chunks(STREAM)).isEqualTo(36);
            lib.streams().configureCompaction(lib.streams().compactionSettings().withEvery(Duration.ofSeconds(1)).withPartitionsPerRun(2));
            await().atMost(Duration.ofSeconds(60)).until(() -> chunks(STREAM) == 3);
            assertThat(all()).containsExactlyElementsOf(before);
            // two partitions a run at most: two runs, each on record
            assertThat(audit(STREAM)).filteredOn(r -> r.action().equals("stream-compact")).extracting(AuditRecord::principal,
                    r -> r.detail().substring(0, r.detail().indexOf(" rows="))).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("system", "partitions=2 chunks-before=24 chunks-after=2"),
                    org.assertj.core.groups.Tuple.tuple("system", "partitions=1 chunks-before=12 chunks-after=1"));
        }
    }
}
