package kr.max.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import kr.max.library.sample.SampleData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import kr.max.core.MaxException;
import kr.max.core.Principal;
import kr.max.core.dictionary.DataDictionary;
import kr.max.core.dictionary.ColumnRole;
import kr.max.core.dictionary.ColumnType;
import kr.max.library.catalog.CatalogError;
import kr.max.library.crypto.CryptoError;
import kr.max.library.crypto.MasterKey;
import kr.max.library.ingest.IngestError;
import kr.max.library.query.QueryError;
import kr.max.library.query.ResultSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library end to end: real H2 catalog, real DuckDB, real Tink, real files. */
class LibraryTest {

    @TempDir
    Path dir;

    Path home;
    Library lib;
    final Principal me = Principal.localOperator();

    @BeforeEach
    void open() {
        home = dir.resolve("home");
        lib = Library.open(LibraryConfig.embedded(home, MasterKey.of("library test master secret 01")));
    }

    @AfterEach
    void close() {
        if (lib != null) lib.close();
    }

    static List<Object[]> rows(Library lib, Principal p, String sql) {
        var out = new ArrayList<Object[]>();
        lib.query(p, sql, new ResultSink() {
            @Override
            public void columns(List<String> names, List<String> sqlTypes) {
            }

            @Override
            public void row(Object[] values) {
                out.add(values);
            }
        });
        return out;
    }

    @Test
    void depositedKampShapedFileIsQueryableByVersion() throws IOException {
        Path file = SampleData.injectionMolding(dir, 3000, 1);
        IngestResult r1 = lib.ingest(me, IngestRequest.of(file, "kamp/injection"));
        assertThat(r1.version()).isEqualTo(1);
        assertThat(r1.rows()).isEqualTo(3000);
        IngestResult r2 = lib.ingest(me, IngestRequest.of(file, "kamp/injection"));
        assertThat(r2.version()).isEqualTo(2);

        assertThat(rows(lib, me, "SELECT count(*) FROM \"kamp/injection@1\"").getFirst()[0]).isEqualTo(3000L);
        var perMachine = rows(lib, me, "SELECT EQUIP_NAME, count(*) FROM \"kamp/injection\" GROUP BY 1 ORDER BY 1");
        assertThat(perMachine).hasSize(3);
        assertThat(perMachine.stream().mapToLong(r -> (Long) r[1]).sum()).isEqualTo(3000L);
        var fails = rows(lib, me, "SELECT count(*) FROM \"kamp/injection\" WHERE PassOrFail = 'N'");
        assertThat((Long) fails.getFirst()[0]).isBetween(1L, 100L);
    }

    @Test
    void inferredDictionaryHasRolesAndTypes() throws IOException {
        lib.ingest(me, IngestRequest.of(SampleData.injectionMolding(dir, 500, 2), "kamp/injection"));
        var d = lib.dictionary(me, "kamp/injection");
        assertThat(d.column("TimeStamp").orElseThrow().type()).isEqualTo(ColumnType.TIMESTAMP);
        assertThat(d.column("TimeStamp").orElseThrow().role()).isEqualTo(ColumnRole.TIMESTAMP);
        assertThat(d.column("EQUIP_NAME").orElseThrow().role()).isEqualTo(ColumnRole.ASSET);
        assertThat(d.column("PassOrFail").orElseThrow().role()).isEqualTo(ColumnRole.LABEL);
        assertThat(d.column("Worker").orElseThrow().role()).isEqualTo(ColumnRole.PERSON);
        assertThat(d.column("Barrel_Temperature_1").orElseThrow().type()).isEqualTo(ColumnType.DECIMAL);
        assertThat(d.column("Barrel_Temperature_1").orElseThrow().role()).isEqualTo(ColumnRole.MEASUREMENT);
    }

    @Test
    void cp949FileWithKoreanHeadersIsDetectedAndRead() throws IOException {
        IngestResult r = lib.ingest(me, IngestRequest.of(SampleData.meltingTankCp949(dir, 200), "kamp/melting"));
        assertThat(r.source().charset().name()).containsIgnoringCase("949");
        var rows = rows(lib, me, "SELECT 설비, count(*) FROM \"kamp/melting\" GROUP BY 1 ORDER BY 1");
        assertThat(rows).extracting(x -> x[0]).containsExactly("용해탱크1", "용해탱크2");
        var first = rows(lib, me, "SELECT strftime(min(일시), '%Y-%m-%d %H:%M') FROM \"kamp/melting\"");
        assertThat(first.getFirst()[0]).isEqualTo("2020-03-04 00:00"); // shown in Asia/Seoul, as written
    }

    @Test
    void whitespaceSeparatedCmapssWithGivenColumnNames() throws IOException {
        var names = new ArrayList<String>(List.of("unit", "cycle", "setting1", "setting2", "setting3"));
        for (int s = 1; s <= 21; s++) names.add("s" + s);
        var req = IngestRequest.of(SampleData.cmapss(dir, 3, 50), "nasa/cmapss-fd001")
                .withSource(new kr.max.library.ingest.SourceOptions(null, null, null, false, names));
        IngestResult r = lib.ingest(me, req);
        assertThat(r.rows()).isEqualTo(150);
        assertThat(r.source().format()).isEqualTo("text");
        assertThat(rows(lib, me, "SELECT max(cycle) FROM \"nasa/cmapss-fd001\" WHERE unit = 2").getFirst()[0]).isEqualTo(50L);
        // the engine is the asset and its cycle count the time axis, so models bind without an edited dictionary
        var d = lib.dictionary(me, "nasa/cmapss-fd001");
        assertThat(d.column("unit").orElseThrow().role()).isEqualTo(kr.max.core.dictionary.ColumnRole.ASSET);
        assertThat(d.column("cycle").orElseThrow().role()).isEqualTo(kr.max.core.dictionary.ColumnRole.TIMESTAMP);
        assertThat(d.column("cycle").orElseThrow().type()).isEqualTo(kr.max.core.dictionary.ColumnType.INTEGER);
        assertThat(d.column("s11").orElseThrow().role()).isEqualTo(kr.max.core.dictionary.ColumnRole.MEASUREMENT);
    }

    @Test
    void badValueRefusesTheFileNamesLineAndColumnAndCommitsNothing() throws IOException {
        Path file = SampleData.injectionMolding(dir, 400, 3);
        var lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        lines.set(300, lines.get(300).replaceFirst(",([0-9]+\\.[0-9])$", ",27O")); // line 301, last column
        Files.write(file, lines, StandardCharsets.UTF_8);
        assertThatThrownBy(() -> lib.ingest(me, IngestRequest.of(file, "kamp/injection")))
                .isInstanceOfSatisfying(IngestRejected.class, e -> {
                    assertThat(e.code()).isEqualTo(IngestError.BAD_VALUE);
                    assertThat(e.location().line()).isEqualTo(301);
                    assertThat(e.location().columnName()).isEqualTo("Mold_Temperature_1");
                    assertThat(e.getMessage()).contains("27O");
                });
        assertThat(lib.datasets(me)).isEmpty();
        assertThat(storedObjects()).isEmpty();
    }

    @Test
    void skipBadRowsCommitsTheRestAndRecordsTheRejected() throws IOException {
        Path file = SampleData.injectionMolding(dir, 100, 4);
        var lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        lines.set(10, lines.get(10) + ",extra");
        lines.set(20, lines.get(20).replaceFirst(",([0-9]+\\.[0-9])$", ",n/a"));
        Files.write(file, lines, StandardCharsets.UTF_8);
        IngestResult r = lib.ingest(me, IngestRequest.of(file, "kamp/injection").skippingBadRows());
        assertThat(r.rows()).isEqualTo(98);
        assertThat(r.rejectedRows()).isEqualTo(2);
        DatasetDetails d = lib.show(me, "kamp/injection", 3);
        assertThat(d.rejected()).extracting(p -> p.line()).containsExactly(11L, 21L);
        assertThat(d.rejected()).extracting(p -> p.error()).containsExactly(IngestError.EXTRA_FIELD, IngestError.BAD_VALUE);
        assertThat(d.versions().getFirst().rejectedRows()).isEqualTo(2);
        assertThat(d.sampleRows()).hasSize(3);
    }

    @Test
    void exportWritesParquetAndCsvThatDuckDbReadsBack() throws Exception {
        lib.ingest(me, IngestRequest.of(SampleData.injectionMolding(dir, 1000, 5), "kamp/injection"));
        Path parquet = dir.resolve("out/press.parquet");
        Files.createDirectories(parquet.getParent());
        Path csv = dir.resolve("out/press.csv");
        assertThat(lib.export(me, "kamp/injection", parquet, "parquet").rows()).isEqualTo(1000);
        assertThat(lib.export(me, "kamp/injection@1", csv, "csv").rows()).isEqualTo(1000);
        try (var c = DriverManager.getConnection("jdbc:duckdb:"); var st = c.createStatement()) {
            try (var rs = st.executeQuery("SELECT count(*), count(DISTINCT EQUIP_NAME) FROM read_parquet('" + parquet + "')")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(1000);
                assertThat(rs.getLong(2)).isEqualTo(3);
            }
            try (var rs = st.executeQuery("SELECT count(*) FROM read_csv('" + csv + "')")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(1000);
            }
        }
        assertThat(Files.list(parquet.getParent())).noneMatch(p -> p.toString().endsWith(".part"));
    }

    @Test
    void exportsOfDatasetsInDifferentZonesEachWriteTheirOwnZone() throws IOException {
        // Exports share one DuckDB; the zone is set per export and must not leak into the next one.
        Path file = Files.writeString(dir.resolve("shift.csv"), "ts,line,temperature\n2026-03-02 08:00:00,L1,211.5\n");
        lib.ingest(me, IngestRequest.of(file, "plant/seoul"));
        DataDictionary inferred = lib.dictionary(me, "plant/seoul");
        lib.ingest(me, IngestRequest.of(file, "plant/berlin").withDictionary(new DataDictionary(inferred.columns(), "Europe/Berlin")));
        Files.createDirectories(dir.resolve("out"));
        for (int round = 0; round < 2; round++) {
            Path seoul = dir.resolve("out/seoul-" + round + ".csv");
            Path berlin = dir.resolve("out/berlin-" + round + ".csv");
            lib.export(me, "plant/seoul", seoul, "csv");
            lib.export(me, "plant/berlin", berlin, "csv");
            assertThat(Files.readString(seoul)).contains("2026-03-02 08:00:00+09");
            assertThat(Files.readString(berlin)).contains("2026-03-02 08:00:00+01");
        }
    }

    @Test
    void deleteShredsKeysSoOldCiphertextIsUnreadable() throws IOException {
        lib.ingest(me, IngestRequest.of(SampleData.injectionMolding(dir, 200, 6), "kamp/injection"));
        var before = storedObjects();
        assertThat(before).isNotEmpty();
        // keep a copy of the ciphertext, as a backup or a thief might
        Path copy = dir.resolve("stolen");
        Files.copy(before.getFirst(), copy);
        var dataset = lib.show(me, "kamp/injection", 0).dataset();
        lib.delete(me, "kamp/injection");
        assertThat(storedObjects()).isEmpty();
        assertThat(lib.datasets(me)).isEmpty();
        assertThatThrownBy(() -> lib.show(me, "kamp/injection", 1))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(CatalogError.NO_SUCH_DATASET));
        var kms = kr.max.library.crypto.LocalKeyManagementService.open(home.resolve("keys"),
                MasterKey.of("library test master secret 01"));
        assertThat(kms.exists(dataset.keyId())).isFalse();
        assertThatThrownBy(() -> kms.unwrap(dataset.keyId(), new byte[64], new byte[0]))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(CryptoError.KEY_DESTROYED));
    }

    @Test
    void queriesCannotReachFilesSettingsOrOtherStatements() throws IOException {
        lib.ingest(me, IngestRequest.of(SampleData.injectionMolding(dir, 50, 7), "kamp/injection"));
        assertThatThrownBy(() -> rows(lib, me, "SELECT * FROM read_csv('/etc/passwd')"))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(QueryError.FORBIDDEN));
        assertThatThrownBy(() -> rows(lib, me, "COPY (SELECT 1) TO '/tmp/x.csv'"))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(QueryError.NOT_A_SELECT));
        assertThatThrownBy(() -> rows(lib, me, "ATTACH '/tmp/x.db'"))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(QueryError.NOT_A_SELECT));
        assertThatThrownBy(() -> rows(lib, me, "SELECT 1; SELECT 2"))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(QueryError.NOT_A_SELECT));
        assertThatThrownBy(() -> rows(lib, me, "SELECT * FROM \"no/such\""))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(QueryError.UNKNOWN_TABLE));
        assertThatThrownBy(() -> rows(lib, me, "SELECT * FROM read_parquet('" + home + "/objects/*/*')"))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(QueryError.FORBIDDEN));
        // listing the scratch space, where other queries' decrypted chunks live, or running SQL from text
        for (String sql : List.of("SELECT * FROM glob('/dev/shm/*')", "SELECT * FROM query('SELECT 1')",
                "SELECT * FROM \"kamp/injection\" JOIN read_text('/etc/hostname') ON true")) {
            assertThatThrownBy(() -> rows(lib, me, sql)).as(sql)
                    .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(QueryError.FORBIDDEN));
        }
        assertThat(rows(lib, me, "SELECT count(*) FROM range(3) JOIN \"kamp/injection\" ON true").getFirst()[0]).isEqualTo(150L);
        // a file path where a table name goes (DuckDB's replacement scan) is no dataset
        assertThatThrownBy(() -> rows(lib, me, "SELECT * FROM '/dev/shm/x.parquet'"))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isIn(QueryError.UNKNOWN_TABLE, QueryError.FORBIDDEN));
    }

    @Test
    void deletingADatasetRemovesItsDecryptedChunksFromScratch() throws IOException {
        lib.close();
        Path scratch = Files.createTempDirectory(Path.of("/dev/shm"), "max-library-test-");
        try {
            lib = Library.open(new LibraryConfig(home, MasterKey.of("library test master secret 01"), null, null, null, scratch,
                    null, 0, 0));
            lib.ingest(me, IngestRequest.of(SampleData.injectionMolding(dir, 200, 7), "kamp/injection"));
            lib.ingest(me, IngestRequest.of(SampleData.cmapss(dir, 5, 30), "nasa/cmapss"));
            assertThat(rows(lib, me, "SELECT count(*) FROM \"kamp/injection\"").getFirst()[0]).isEqualTo(200L);
            var injectionChunks = parquetFilesUnder(scratch); // kept for the next query
            assertThat(injectionChunks).isNotEmpty();
            assertThat(rows(lib, me, "SELECT count(*) FROM \"nasa/cmapss\"").getFirst()[0]).isEqualTo(150L);
            var both = parquetFilesUnder(scratch);
            assertThat(both).hasSizeGreaterThan(injectionChunks.size());
            lib.delete(me, "kamp/injection");
            assertThat(parquetFilesUnder(scratch)).hasSize(both.size() - injectionChunks.size()).doesNotContainAnyElementsOf(injectionChunks);
            lib.close();
            lib = null;
            assertThat(parquetFilesUnder(scratch)).isEmpty();
        } finally {
            kr.max.library.store.Scratch.deleteTree(scratch);
        }
    }

    private static List<Path> parquetFilesUnder(Path root) throws IOException {
        try (var s = Files.walk(root)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".parquet")).toList();
        }
    }

    @Test
    void timeAndAssetPredicatesReadOnlyTheChunksThatCanMatch() throws IOException {
        lib.close();
        // small chunks, so that 200,000 rows of 4 presses over 5.8 days make many
        lib = Library.open(LibraryConfig.embedded(home, MasterKey.of("library test master secret 01")).withChunkBytes(256 << 10));
        Path file = SampleData.sensors(dir.resolve("sensors.csv"), 200_000, 4);
        lib.ingest(me, IngestRequest.of(file, "plant/sensors"));
        var all = lib.query(me, "SELECT count(*) FROM \"plant/sensors\"", new Discard());
        String hour = " timestamp >= '2026-01-01 02:00:00' AND timestamp < '2026-01-01 03:00:00'";
        var oneHour = lib.query(me, "SELECT count(*) FROM \"plant/sensors\" WHERE" + hour, new Discard());
        var oneAsset = lib.query(me, "SELECT count(*) FROM \"plant/sensors\" WHERE asset = 'press-2'", new Discard());
        var both = lib.query(me, "SELECT count(*) FROM \"plant/sensors\" WHERE asset = 'press-2' AND" + hour, new Discard());
        assertThat(all.chunksTotal()).isGreaterThanOrEqualTo(8);
        assertThat(all.chunksRead()).isEqualTo(all.chunksTotal());
        assertThat(oneHour.chunksRead()).isLessThan(all.chunksTotal() / 2);
        // The presses are interleaved row by row and the DuckDB path keeps file order (decision 0002): every chunk
        // holds every press, so an asset alone prunes nothing here; with the hour it reads the hour's chunks only.
        assertThat(oneAsset.chunksRead()).isEqualTo(all.chunksTotal());
        assertThat(both.chunksRead()).isBetween(1, 2);
        // A file grouped by press: its chunks list few presses, and the asset alone prunes.
        Path grouped = dir.resolve("sensors-by-press.csv");
        var lines = java.nio.file.Files.readAllLines(file);
        var body = new ArrayList<>(lines.subList(1, lines.size()));
        body.sort(java.util.Comparator.comparing((String l) -> l.split(",")[1]));
        body.addFirst(lines.getFirst());
        java.nio.file.Files.write(grouped, body);
        lib.ingest(me, IngestRequest.of(grouped, "plant/by-press"));
        var allGrouped = lib.query(me, "SELECT count(*) FROM \"plant/by-press\"", new Discard());
        var oneAssetGrouped = lib.query(me, "SELECT count(*) FROM \"plant/by-press\" WHERE asset = 'press-2'", new Discard());
        assertThat(oneAssetGrouped.chunksRead()).isLessThanOrEqualTo(allGrouped.chunksTotal() / 4 + 1);
        assertThat(rows(lib, me, "SELECT count(*) FROM \"plant/by-press\" WHERE asset = 'press-2'").getFirst()[0]).isEqualTo(50_000L);
        // pruning never loses a row
        assertThat(rows(lib, me, "SELECT count(*) FROM \"plant/sensors\" WHERE" + hour).getFirst()[0]).isEqualTo(360L * 4);
        assertThat(rows(lib, me, "SELECT count(*) FROM \"plant/sensors\" WHERE asset = 'press-2' AND" + hour).getFirst()[0])
                .isEqualTo(360L);
        assertThat(rows(lib, me, "SELECT count(*) FROM \"plant/sensors\" WHERE asset = 'press-2'").getFirst()[0])
                .isEqualTo(50_000L);
    }

    @Test
    void describeSetsTitlesAndOnlyAStewardDesignates() throws IOException {
        lib.ingest(me, IngestRequest.of(SampleData.injectionMolding(dir, 60, 9), "kamp/injection"));
        var described = lib.describe(me, "kamp/injection", new Library.Description("사출 성형 공정", "Injection molding",
                "650톤 사출기 쇼트 데이터", "Shots of 650 t machines", List.of("kamp", "injection"), null));
        assertThat(described.titleKo()).isEqualTo("사출 성형 공정");
        assertThat(described.tags()).containsExactly("kamp", "injection");
        // the owner without the steward role may not designate
        var provider = new Principal(me.name(), "local", "KR", java.util.Set.of(kr.max.core.Role.PROVIDER, kr.max.core.Role.CONSUMER));
        assertThatThrownBy(() -> lib.describe(provider, "kamp/injection",
                new Library.Description(null, null, null, null, null, kr.max.core.Classification.DESIGNATED)))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(kr.max.library.policy.PolicyError.DENIED));
        assertThat(lib.describe(me, "kamp/injection", new Library.Description(null, null, null, null, null,
                kr.max.core.Classification.DESIGNATED)).classification()).isEqualTo(kr.max.core.Classification.DESIGNATED);
        assertThat(lib.show(me, "kamp/injection", 0).dataset().titleEn()).isEqualTo("Injection molding");
        var outcomes = new ArrayList<String>();
        lib.audit(me, "kamp/injection", r -> outcomes.add(r.action() + ":" + r.outcome()));
        assertThat(outcomes).contains("describe:ok", "describe:denied");
    }

    @Test
    void auditRecordsEveryOperationAndVerifies() throws IOException {
        lib.ingest(me, IngestRequest.of(SampleData.injectionMolding(dir, 50, 8), "kamp/injection"));
        rows(lib, me, "SELECT count(*) FROM \"kamp/injection\"");
        assertThatThrownBy(() -> rows(lib, me, "SELECT * FROM read_csv('/etc/passwd')")).isInstanceOf(MaxException.class);
        var actions = new ArrayList<String>();
        lib.audit(me, null, r -> actions.add(r.action() + ":" + r.outcome()));
        assertThat(actions).contains("ingest:ok", "query:ok", "query:failed");
        assertThat(lib.verifyAudit(me).intact()).isTrue();
    }

    private List<Path> storedObjects() throws IOException {
        try (var walk = Files.walk(home.resolve("objects"))) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }

    static final class Discard implements ResultSink {
        @Override
        public void columns(List<String> names, List<String> sqlTypes) {
        }

        @Override
        public void row(Object[] values) {
        }
    }
}
