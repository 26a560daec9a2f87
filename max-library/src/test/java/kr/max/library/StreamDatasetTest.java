package kr.max.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import kr.max.core.Classification;
import kr.max.core.ErrorCode;
import kr.max.core.MaxException;
import kr.max.core.Principal;
import kr.max.core.Role;
import kr.max.core.dictionary.ColumnRole;
import kr.max.library.audit.AuditRecord;
import kr.max.library.catalog.CatalogError;
import kr.max.library.crypto.MasterKey;
import kr.max.library.policy.PolicyError;
import kr.max.library.query.QueryError;
import kr.max.library.sample.SampleData;
import kr.max.library.stream.StreamAppender;
import kr.max.library.stream.StreamError;
import kr.max.library.stream.StreamSample;
import kr.max.library.stream.Streams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stream datasets end to end: real H2 catalog, real object store, real keys, DuckDB and the audit chain. */
class StreamDatasetTest {

    static final Instant T0 = Instant.parse("2026-04-01T09:00:00Z");
    static final String STREAM = "gangnam/molding-stream";
    static final String IMM1 = "gangnam/molding/line-1/imm-1";
    static final String IMM2 = "gangnam/molding/line-1/imm-2";
    /** Values nobody writes by chance: the plaintext scan looks for them. */
    static final String SECRET_TAG = "barrel_temp_QZX9913";
    static final String SECRET_ASSET = "gangnam/molding/line-7/사출기-QJW4471";
    static final double SECRET_VALUE = 98765.4321987;

    @TempDir
    Path dir;
    Path home;
    Library lib;
    final Principal me = Principal.localOperator();

    @BeforeEach
    void open() {
        home = dir.resolve("home");
        lib = openLibrary();
    }

    Library openLibrary() {
        return Library.open(LibraryConfig.embedded(home, MasterKey.of("stream test master secret 0123")));
    }

    @AfterEach
    void close() {
        if (lib != null) lib.close();
    }

    /** {@code n} samples of one signal, sequences from {@code fromSeq}, one second apart from {@code start}. */
    static List<StreamSample> samples(long fromSeq, int n, Instant start, String asset, String tag) {
        var out = new ArrayList<StreamSample>(n);
        for (int i = 0; i < n; i++) {
            out.add(new StreamSample(fromSeq + i, start.plusSeconds(i), asset, tag, 200 + (fromSeq + i) % 50 * 0.5, "GOOD"));
        }
        return out;
    }

    long count(String sql) {
        return ((Number) LibraryTest.rows(lib, me, sql).getFirst()[0]).longValue();
    }

    static ErrorCode code(Throwable t) {
        return ((MaxException) t).code();
    }

    List<AuditRecord> audit(String dataset) {
        var out = new ArrayList<AuditRecord>();
        lib.audit(me, dataset, out::add);
        return out;
    }

    @Test
    void appendedSamplesAreQueryableOnceFlushedWithTheStreamDictionary() {
        Streams streams = lib.streams();
        streams.create(me, STREAM, Classification.INTERNAL);
        assertThat(streams.isStream(STREAM)).isTrue();
        try (StreamAppender a = streams.appender(me, STREAM, "edge-1")) {
            assertThat(a.append(samples(1, 600, T0, IMM1, "barrel_temp"))).isEqualTo(600);
            assertThat(a.append(samples(601, 400, T0, IMM2, "barrel_temp"))).isEqualTo(400);
            assertThat(a.flush()).isEqualTo(1000);
            assertThat(count("SELECT count(*) FROM \"" + STREAM + "\"")).isEqualTo(1000);
            assertThat(count("SELECT count(*) FROM \"" + STREAM + "\" WHERE asset = '" + IMM2 + "'")).isEqualTo(400);
            var first = LibraryTest.rows(lib, me, "SELECT time, asset, tag, value, quality, source, sequence FROM \""
                    + STREAM + "\" ORDER BY sequence LIMIT 1").getFirst();
            assertThat(first[1]).isEqualTo(IMM1);
            assertThat(first[2]).isEqualTo("barrel_temp");
            assertThat(((Number) first[3]).doubleValue()).isEqualTo(200.5);
            assertThat(first[4]).isEqualTo("GOOD");
            assertThat(first[5]).isEqualTo("edge-1");
            assertThat(((Number) first[6]).longValue()).isEqualTo(1);
            // the next append is visible once its flush has run on its own, without anyone calling flush()
            a.append(samples(1001, 5, T0.plusSeconds(2000), IMM1, "barrel_temp"));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
                    .until(() -> count("SELECT count(*) FROM \"" + STREAM + "\"") == 1005);
            assertThat(a.committedThrough()).isEqualTo(1005);
        }
        assertThat(lib.dictionary(me, STREAM).withRole(ColumnRole.TIMESTAMP)).extracting(c -> c.name()).containsExactly("time");
        assertThat(lib.dictionary(me, STREAM).withRole(ColumnRole.ASSET)).extracting(c -> c.name()).containsExactly("asset");
        assertThat(lib.dictionary(me, STREAM).withRole(ColumnRole.MEASUREMENT)).extracting(c -> c.name()).containsExactly("value");
        // show and the listing see one living version that grew
        DatasetDetails d = lib.show(me, STREAM, 3);
        assertThat(d.versions()).hasSize(1);
        assertThat(d.versions().getFirst().rows()).isEqualTo(1005);
        assertThat(d.versions().getFirst().chunks()).isGreaterThanOrEqualTo(2);
        assertThat(d.sampleRows()).hasSize(3);
        assertThat(lib.datasets(me)).filteredOn(s -> s.name().equals(STREAM)).singleElement()
                .satisfies(s -> assertThat(s.rows()).isEqualTo(1005));
        assertThat(audit(STREAM)).extracting(AuditRecord::action, AuditRecord::outcome)
                .contains(org.assertj.core.groups.Tuple.tuple("stream-create", "ok"), org.assertj.core.groups.Tuple.tuple("stream-open", "ok"),
                        org.assertj.core.groups.Tuple.tuple("stream-close", "ok"));
    }

    @Test
    void replaysAreDroppedAndCountedAndTheCloseIsAudited() {
        lib.streams().create(me, STREAM, Classification.INTERNAL);
        StreamAppender.Counts counts;
        try (StreamAppender a = lib.streams().appender(me, STREAM, "edge-1")) {
            var batch = samples(1, 100, T0, IMM1, "barrel_temp");
            assertThat(a.append(batch)).isEqualTo(100);
            assertThat(a.append(batch)).as("the same batch again, before any flush").isZero();
            a.flush();
            assertThat(a.append(batch)).as("the same batch again, after it was committed").isZero();
            assertThat(a.append(samples(51, 100, T0.plusSeconds(50), IMM1, "barrel_temp"))).as("overlapping 51..150").isEqualTo(50);
            a.flush();
            counts = a.counts();
        }
        assertThat(counts).isEqualTo(new StreamAppender.Counts(150, 250, 150, 2));
        assertThat(count("SELECT count(*) FROM \"" + STREAM + "\"")).isEqualTo(150);
        assertThat(count("SELECT count(DISTINCT sequence) FROM \"" + STREAM + "\"")).isEqualTo(150);
        // a second appender of the same source meets the committed mark
        try (StreamAppender b = lib.streams().appender(me, STREAM, "edge-1")) {
            assertThat(b.committedThrough()).isEqualTo(150);
            assertThat(b.append(samples(140, 20, T0.plusSeconds(139), IMM1, "barrel_temp"))).isEqualTo(9);
        }
        assertThat(count("SELECT count(*) FROM \"" + STREAM + "\"")).isEqualTo(159);
        assertThat(audit(STREAM)).filteredOn(r -> r.action().equals("stream-close")).first()
                .satisfies(r -> assertThat(r.detail()).contains("appended=150", "duplicates=250", "chunks=2"));
    }

    @Test
    void anAppendWithASequenceGoingBackOrABadSampleIsRefusedWholeNamingTheSample() {
        lib.streams().create(me, STREAM, Classification.INTERNAL);
        try (StreamAppender a = lib.streams().appender(me, STREAM, "edge-1")) {
            var backwards = new ArrayList<>(samples(1, 5, T0, IMM1, "t"));
            Collections.swap(backwards, 2, 3);
            assertThatThrownBy(() -> a.append(backwards)).satisfies(e -> {
                assertThat(code(e)).isEqualTo(StreamError.SEQUENCE_BACKWARDS);
                assertThat(e.getMessage()).contains("edge-1", "sample 3", "sequence 3", "4");
            });
            var repeated = List.of(new StreamSample(7, T0, IMM1, "t", 1, "GOOD"), new StreamSample(7, T0, IMM1, "t", 2, "GOOD"));
            assertThatThrownBy(() -> a.append(repeated)).satisfies(e -> assertThat(code(e)).isEqualTo(StreamError.SEQUENCE_BACKWARDS));
            for (var bad : List.of(new StreamSample(1, null, IMM1, "t", 1, "GOOD"), new StreamSample(1, T0, " ", "t", 1, "GOOD"),
                    new StreamSample(1, T0, IMM1, "", 1, "GOOD"), new StreamSample(-1, T0, IMM1, "t", 1, "GOOD"),
                    new StreamSample(1, T0, "a/b/c/d/e/f", "t", 1, "GOOD"), new StreamSample(1, Instant.MAX, IMM1, "t", 1, "GOOD"))) {
                var batch = List.of(new StreamSample(0, T0, IMM1, "t", 0, "GOOD"), bad);
                assertThatThrownBy(() -> a.append(batch)).satisfies(e -> {
                    assertThat(code(e)).isEqualTo(StreamError.BAD_SAMPLE);
                    assertThat(e.getMessage()).contains("Sample 1 of source \"edge-1\"");
                });
            }
            // a sensor's failure (NaN) is stored as a missing value with its quality
            a.append(new StreamSample(10, T0, IMM1, "t", Double.NaN, "BAD"));
            assertThat(a.flush()).isEqualTo(10);
        }
        assertThat(count("SELECT count(*) FROM \"" + STREAM + "\"")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM \"" + STREAM + "\" WHERE value IS NULL AND quality = 'BAD'")).isEqualTo(1);
        assertThatThrownBy(() -> lib.streams().appender(me, STREAM, "edge 1")).satisfies(e -> assertThat(code(e)).isEqualTo(StreamError.BAD_SOURCE));
        assertThatThrownBy(() -> lib.streams().appender(me, STREAM, "edge-1", Duration.ZERO))
                .satisfies(e -> assertThat(code(e)).isEqualTo(StreamError.BAD_INTERVAL));
    }

    /**
     * The same samples of three sources spread over three hours, given in two very different orders — all at once,
     * or in small interleaved pieces with late hours arriving after earlier flushes — give the same rows.
     */
    @Test
    void lateSamplesLandInTheirHourAndQueriesAreTheSameWhateverTheArrivalOrder() {
        var sources = List.of("edge-1", "edge-2", "edge-3");
        var random = new Random(7);
        var bySource = new java.util.LinkedHashMap<String, List<StreamSample>>();
        for (String s : sources) {
            var list = new ArrayList<StreamSample>();
            for (int i = 1; i <= 300; i++) {
                // sequences grow, times do not: a forwarder that was offline sends an earlier hour later
                Instant t = T0.plusSeconds(random.nextInt(3 * 3600));
                list.add(new StreamSample(i, t, random.nextBoolean() ? IMM1 : IMM2, "tag-" + random.nextInt(3), random.nextInt(1000) / 8.0, "GOOD"));
            }
            bySource.put(s, list);
        }
        lib.streams().create(me, "plant/once", Classification.INTERNAL);
        lib.streams().create(me, "plant/pieces", Classification.INTERNAL);
        for (String s : sources) {
            try (StreamAppender a = lib.streams().appender(me, "plant/once", s)) {
                a.append(bySource.get(s));
            }
        }
        var appenders = new ArrayList<StreamAppender>();
        for (String s : sources.reversed()) appenders.add(lib.streams().appender(me, "plant/pieces", s));
        for (int from = 0; from < 300; from += 37) {
            for (int k = 0; k < appenders.size(); k++) {
                var all = bySource.get(sources.reversed().get(k));
                // each piece is sent twice, as a forwarder resending after a timeout would
                var piece = all.subList(from, Math.min(300, from + 37));
                appenders.get(k).append(piece);
                appenders.get(k).append(all.subList(Math.max(0, from - 5), Math.min(300, from + 37)));
            }
            appenders.getFirst().flush();
        }
        appenders.forEach(StreamAppender::close);
        String cols = "SELECT source, sequence, time, asset, tag, value, quality FROM ";
        var once = LibraryTest.rows(lib, me, cols + "\"plant/once\" ORDER BY source, sequence");
        var pieces = LibraryTest.rows(lib, me, cols + "\"plant/pieces\" ORDER BY source, sequence");
        assertThat(once).hasSize(900);
        assertThat(pieces).hasSize(900);
        for (int i = 0; i < once.size(); i++) assertThat(pieces.get(i)).containsExactly(once.get(i));
        // later pieces added chunks to hours that had chunks already; a one-hour query reads only that hour's chunks
        var stats = lib.query(me, "SELECT count(*) FROM \"plant/pieces\" WHERE time >= TIMESTAMPTZ '2026-04-01 09:00:00+00'"
                + " AND time < TIMESTAMPTZ '2026-04-01 10:00:00+00'", new LibraryTest.Discard());
        assertThat(stats.chunksTotal()).isGreaterThan(3 * 3);
        assertThat(stats.chunksRead()).isLessThanOrEqualTo(stats.chunksTotal() / 2);
        long inHour = bySource.values().stream().flatMap(List::stream)
                .filter(x -> !x.time().isBefore(T0) && x.time().isBefore(T0.plusSeconds(3600))).count();
        assertThat(count("SELECT count(*) FROM \"plant/pieces\" WHERE time >= TIMESTAMPTZ '2026-04-01 09:00:00+00'"
                + " AND time < TIMESTAMPTZ '2026-04-01 10:00:00+00'")).isEqualTo(inHour);
    }

    @Test
    void theHighWaterMarkSurvivesAReopenAndResumesTheSource() {
        lib.streams().create(me, STREAM, Classification.INTERNAL);
        assertThat(lib.streams().highWaterMark(STREAM, "edge-1")).isEqualTo(-1);
        try (StreamAppender a = lib.streams().appender(me, STREAM, "edge-1")) {
            a.append(samples(1, 500, T0, IMM1, "t"));
        }
        try (StreamAppender a = lib.streams().appender(me, STREAM, "edge-2")) {
            a.append(samples(1000, 10, T0, IMM2, "t"));
            // closing the library commits what an open appender holds
            lib.close();
            lib = null;
        }
        lib = openLibrary();
        assertThat(lib.streams().highWaterMark(STREAM, "edge-1")).isEqualTo(500);
        assertThat(lib.streams().highWaterMark(STREAM, "edge-2")).isEqualTo(1009);
        try (StreamAppender a = lib.streams().appender(me, STREAM, "edge-1")) {
            assertThat(a.committedThrough()).isEqualTo(500);
            assertThat(a.append(samples(1, 600, T0, IMM1, "t"))).as("a forwarder resending everything").isEqualTo(100);
            assertThat(a.flush()).isEqualTo(600);
        }
        assertThat(count("SELECT count(*) FROM \"" + STREAM + "\"")).isEqualTo(610);
        assertThatThrownBy(() -> lib.streams().highWaterMark("no/such", "edge-1"))
                .satisfies(e -> assertThat(code(e)).isEqualTo(CatalogError.NO_SUCH_DATASET));
    }

    @Test
    void aPrincipalWithoutDepositRightsIsRefusedAndTheRefusalIsAudited() {
        Principal admin = lib.authenticate(lib.bootstrapAdmin("national-library", "KR", "admin").orElseThrow().token()).orElseThrow();
        lib.createOrganization(admin, "hanbit-press", "220-81-62517", "KR");
        lib.createOrganization(admin, "seoul-analytics", null, "KR");
        Principal alice = lib.createUser(admin, "alice", "hanbit-press", Set.of(Role.PROVIDER)).principal();
        Principal carol = lib.createUser(admin, "carol", "seoul-analytics", Set.of(Role.CONSUMER)).principal();
        Principal eve = lib.createUser(admin, "eve", "seoul-analytics", Set.of(Role.PROVIDER)).principal();
        Principal auditor = lib.createUser(admin, "audrey", "national-library", Set.of(Role.AUDITOR)).principal();
        assertThatThrownBy(() -> lib.streams().create(carol, "seoul/stream", Classification.INTERNAL))
                .satisfies(e -> assertThat(code(e)).isEqualTo(PolicyError.DENIED));
        assertThat(lib.streams().isStream("seoul/stream")).isFalse();
        lib.streams().create(alice, STREAM, Classification.INTERNAL);
        try (StreamAppender a = lib.streams().appender(alice, STREAM, "edge-1")) {
            a.append(samples(1, 10, T0, IMM1, "t"));
        }
        for (Principal stranger : List.of(carol, eve)) {
            assertThatThrownBy(() -> lib.streams().appender(stranger, STREAM, "edge-1"))
                    .satisfies(e -> assertThat(code(e)).isEqualTo(PolicyError.DENIED));
        }
        var records = new ArrayList<AuditRecord>();
        lib.audit(auditor, STREAM, records::add);
        assertThat(records).filteredOn(r -> r.action().equals("stream-open") && r.outcome().equals("denied"))
                .extracting(AuditRecord::principal).containsExactly("carol", "eve");
        assertThat(records).filteredOn(r -> r.action().equals("stream-open") && r.outcome().equals("permit"))
                .extracting(AuditRecord::principal).containsExactly("alice");
        // reads go through the query path unchanged: internal data stays in its organization
        assertThatThrownBy(() -> LibraryTest.rows(lib, carol, "SELECT count(*) FROM \"" + STREAM + "\""))
                .satisfies(e -> assertThat(code(e)).isEqualTo(PolicyError.DENIED));
        assertThat(((Number) LibraryTest.rows(lib, alice, "SELECT count(*) FROM \"" + STREAM + "\"").getFirst()[0]).longValue()).isEqualTo(10);
    }

    @Test
    void aFileDepositIntoAStreamAndAnAppenderToADepositedDatasetAreRefused() throws Exception {
        lib.streams().create(me, STREAM, Classification.INTERNAL);
        Path file = SampleData.injectionMolding(dir, 50, 1);
        assertThatThrownBy(() -> lib.ingest(me, IngestRequest.of(file, STREAM)))
                .satisfies(e -> assertThat(code(e)).isEqualTo(StreamError.DEPOSIT_INTO_STREAM));
        assertThatThrownBy(() -> lib.mayDeposit(me, STREAM)).satisfies(e -> assertThat(code(e)).isEqualTo(StreamError.DEPOSIT_INTO_STREAM));
        lib.ingest(me, IngestRequest.of(file, "kamp/injection"));
        assertThatThrownBy(() -> lib.streams().appender(me, "kamp/injection", "edge-1"))
                .satisfies(e -> assertThat(code(e)).isEqualTo(StreamError.NOT_A_STREAM));
        assertThatThrownBy(() -> lib.streams().create(me, "kamp/injection", Classification.INTERNAL))
                .satisfies(e -> assertThat(code(e)).isEqualTo(StreamError.ALREADY_EXISTS));
        assertThat(lib.streams().isStream("kamp/injection")).isFalse();
        // an operator's action is recorded only against a stream's equipment
        assertThatThrownBy(() -> lib.streams().recordOperation(me.name(), "kamp/injection", "alarm-acknowledged", "alarm=x"))
                .satisfies(e -> assertThat(code(e)).isEqualTo(StreamError.NOT_A_STREAM));
        lib.streams().recordOperation(me.name(), STREAM, "alarm-shelved", "alarm=line/CNC-01/kurtosis:hi note=정비 중");
        var trail = new java.util.ArrayList<kr.max.library.audit.AuditRecord>();
        lib.audit(me, STREAM, trail::add);
        assertThat(trail).anySatisfy(r -> {
            assertThat(r.action()).isEqualTo("alarm-shelved");
            assertThat(r.detail()).contains("정비 중");
        });
        assertThat(lib.verifyAudit(me).intact()).isTrue();
    }

    @Test
    void noTagAssetOrValueOfAStreamAppearsInPlaintextUnderTheHome() throws Exception {
        Path out = dir.resolve("exports");
        Files.createDirectories(out);
        lib.streams().create(me, STREAM, Classification.INTERNAL);
        try (StreamAppender a = lib.streams().appender(me, STREAM, "edge-1")) {
            for (int i = 0; i < 20; i++) {
                a.append(new StreamSample(i, T0.plusSeconds(i * 600L), SECRET_ASSET, SECRET_TAG, SECRET_VALUE + i, "GOOD"));
                if (i % 5 == 0) a.flush();
            }
        }
        assertThat(count("SELECT count(*) FROM \"" + STREAM + "\" WHERE tag = '" + SECRET_TAG + "' AND asset = '" + SECRET_ASSET + "'"))
                .isEqualTo(20);
        lib.show(me, STREAM, 10);
        lib.export(me, STREAM, out.resolve("s.csv"), "csv");
        lib.export(me, STREAM, out.resolve("s.parquet"), "parquet");
        byte[] value = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(SECRET_VALUE).array();
        List<String> needles = List.of(SECRET_TAG, "QJW4471", "98765.4321");
        assertThat(PlaintextScan.hits(home, needles)).isEmpty();
        assertThat(PlaintextScan.hitsOfBytes(home, value)).isEmpty();
        lib.close();
        lib = null;
        assertThat(PlaintextScan.hits(home, needles)).isEmpty();
        assertThat(PlaintextScan.hitsOfBytes(home, value)).isEmpty();
        // the scan can find them: the exports outside the home hold them
        assertThat(PlaintextScan.find(out.resolve("s.csv"), SECRET_TAG)).isTrue();
        assertThat(PlaintextScan.hitsOfBytes(out, value)).isNotEmpty();
    }

    @Test
    void deletingAStreamCryptoShredsItAndStopsItsAppenders() throws Exception {
        lib.streams().create(me, STREAM, Classification.INTERNAL);
        StreamAppender a = lib.streams().appender(me, STREAM, "edge-1");
        a.append(samples(1, 100, T0, IMM1, "t"));
        a.flush();
        a.append(samples(101, 100, T0.plusSeconds(7200), IMM1, "t"));
        a.flush();
        Path objects = home.resolve("objects");
        long before;
        try (var walk = Files.walk(objects)) {
            before = walk.filter(Files::isRegularFile).count();
        }
        assertThat(before).isGreaterThanOrEqualTo(2);
        a.append(samples(201, 10, T0, IMM1, "t"));
        lib.delete(me, STREAM);
        try (var walk = Files.walk(objects)) {
            assertThat(walk.filter(Files::isRegularFile).count()).isZero();
        }
        assertThatThrownBy(a::flush).satisfies(e -> assertThat(code(e)).isEqualTo(StreamError.DATASET_GONE));
        assertThatThrownBy(a::close).satisfies(e -> assertThat(code(e)).isEqualTo(StreamError.DATASET_GONE));
        assertThatThrownBy(() -> LibraryTest.rows(lib, me, "SELECT count(*) FROM \"" + STREAM + "\""))
                .satisfies(e -> assertThat(code(e)).isEqualTo(QueryError.UNKNOWN_TABLE));
        assertThat(lib.streams().isStream(STREAM)).isFalse();
        // the name is free again, for a new stream with a new key
        lib.streams().create(me, STREAM, Classification.INTERNAL);
        assertThat(count("SELECT count(*) FROM \"" + STREAM + "\"")).isZero();
        assertThat(lib.verifyAudit(me).intact()).isTrue();
    }
}
