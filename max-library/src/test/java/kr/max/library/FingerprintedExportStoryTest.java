package kr.max.library;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import kr.max.core.Classification;
import kr.max.core.Principal;
import kr.max.core.Role;
import kr.max.library.crypto.MasterKey;
import kr.max.library.fingerprint.TraceReport;
import kr.max.library.sample.SampleData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every export to another organization carries its recipient's fingerprint within the dictionary's
 * tolerances, and {@code trace} names the recipient of a leaked copy after the usual handling.
 */
class FingerprintedExportStoryTest {

    static final String DATASET = "hanbit/molding";

    @TempDir
    Path dir;

    Library lib;
    Principal alice; // provider, hanbit-press
    Principal carol; // consumer, seoul-analytics
    Principal dave;  // consumer, busan-ai
    Principal audrey; // auditor

    @BeforeEach
    void open() throws Exception {
        lib = Library.open(LibraryConfig.embedded(dir.resolve("home"), MasterKey.of("fingerprinted export master secret")));
        Principal admin = lib.authenticate(lib.bootstrapAdmin("national-library", "KR", "admin").orElseThrow().token()).orElseThrow();
        lib.createOrganization(admin, "hanbit-press", null, "KR");
        lib.createOrganization(admin, "seoul-analytics", null, "KR");
        lib.createOrganization(admin, "busan-ai", null, "KR");
        alice = lib.createUser(admin, "alice", "hanbit-press", Set.of(Role.PROVIDER)).principal();
        carol = lib.createUser(admin, "carol", "seoul-analytics", Set.of(Role.CONSUMER)).principal();
        dave = lib.createUser(admin, "dave", "busan-ai", Set.of(Role.CONSUMER)).principal();
        audrey = lib.createUser(admin, "audrey", "national-library", Set.of(Role.AUDITOR)).principal();
        lib.ingest(alice, IngestRequest.of(SampleData.injectionMoldingWithPeople(dir, 6000, 5), DATASET)
                .withClassification(Classification.PUBLIC));
    }

    @AfterEach
    void close() {
        lib.close();
    }

    Path export(Principal who, String name, String format) {
        Path out = dir.resolve(name);
        lib.export(who, DATASET, out, format);
        return out;
    }

    /** A leaker's handling: a random tenth of the rows, shuffled, two measurement columns dropped. */
    Path handled(Path csv, long seed) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        String header = lines.getFirst();
        var body = new ArrayList<>(lines.subList(1, lines.size()));
        Collections.shuffle(body, new Random(seed));
        var kept = body.subList(0, body.size() / 10);
        List<String> names = List.of(header.split(","));
        int drop1 = names.indexOf("Cycle_Time");
        int drop2 = names.indexOf("Mold_Temperature_1");
        var out = new ArrayList<String>();
        for (String line : concat(header, kept)) {
            var f = new ArrayList<>(List.of(line.split(",", -1)));
            f.remove(Math.max(drop1, drop2));
            f.remove(Math.min(drop1, drop2));
            out.add(String.join(",", f));
        }
        Path leaked = csv.resolveSibling("leaked-" + seed + ".csv");
        Files.write(leaked, out);
        return leaked;
    }

    static List<String> concat(String first, List<String> rest) {
        var l = new ArrayList<String>();
        l.add(first);
        l.addAll(rest);
        return l;
    }

    @Test
    void aLeakedCopyIsTracedToItsRecipientAndValuesStayWithinTolerance() throws Exception {
        Path own = export(alice, "own.csv", "csv");
        Path carols = export(carol, "carol.csv", "csv");
        Path daves = export(dave, "dave.csv", "csv");

        // the owner's copy is the data itself; a consumer's differs, never by more than the tolerance (0.1)
        List<String> a = Files.readAllLines(own);
        List<String> c = Files.readAllLines(carols);
        assertThat(c).hasSameSizeAs(a);
        assertThat(c.getFirst()).isEqualTo(a.getFirst());
        List<String> names = List.of(a.getFirst().split(","));
        int pressure = names.indexOf("Max_Injection_Pressure");
        int changed = 0;
        for (int i = 1; i < a.size(); i++) {
            var x = new BigDecimal(a.get(i).split(",")[pressure]);
            var y = new BigDecimal(c.get(i).split(",")[pressure]);
            assertThat(x.subtract(y).abs()).isLessThanOrEqualTo(new BigDecimal("0.1"));
            if (x.compareTo(y) != 0) changed++;
        }
        assertThat(changed).isGreaterThan(0);

        var traced = lib.trace(alice, handled(carols, 1));
        assertThat(traced.candidates()).isEqualTo(2);
        assertThat(traced.report()).isInstanceOfSatisfying(TraceReport.Identified.class, id -> {
            assertThat(id.matches()).hasSize(1);
            assertThat(id.matches().getFirst().recipient()).isEqualTo("carol");
            assertThat(id.matches().getFirst().confidence()).isGreaterThan(0.999999);
        });
        assertThat(lib.trace(audrey, handled(daves, 2)).report()).isInstanceOfSatisfying(TraceReport.Identified.class,
                id -> assertThat(id.matches().getFirst().recipient()).isEqualTo("dave"));
        // the owner's own copy carries no one's mark: no one is accused
        assertThat(lib.trace(alice, own).report()).isInstanceOf(TraceReport.Inconclusive.class);
        // a consumer sees no one's exports, so can trace against none
        assertThat(lib.trace(carol, carols).candidates()).isZero();

        var exports = lib.exports(alice, DATASET);
        assertThat(exports).extracting(e -> e.recipient()).containsExactly("alice", "carol", "dave");
        assertThat(exports.get(0).wrappedSecret()).isNull();
        assertThat(exports.get(1).wrappedSecret()).isNotNull();
    }

    @Test
    void aFileThatIsNotATableIsRefusedWithItsNameAndAuditedAndAnUnmarkableDatasetIsExportedUnmarked() throws Exception {
        Path junk = Files.write(dir.resolve("junk.parquet"), new byte[] {1, 2, 3, 4, 5});
        export(carol, "carol.csv", "csv");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> lib.trace(alice, junk))
                .isInstanceOfSatisfying(kr.max.core.MaxException.class, e -> {
                    assertThat(e.code()).isEqualTo(kr.max.library.share.ShareError.SUSPECT_UNREADABLE);
                    assertThat(e.getMessage()).contains("junk.parquet");
                });
        var records = new ArrayList<String>();
        lib.audit(audrey, null, r -> records.add(r.action() + " " + r.outcome()));
        assertThat(records).contains("trace failed");

        // no measurement column declares a tolerance: the copy cannot be marked, and the record says so
        Path plain = Files.writeString(dir.resolve("codes.csv"), "code,label\nA1,ok\nA2,ng\n");
        lib.ingest(alice, IngestRequest.of(plain, "hanbit/codes").withClassification(Classification.PUBLIC));
        var stats = lib.export(carol, "hanbit/codes", dir.resolve("codes-copy.csv"), "csv");
        assertThat(stats.fingerprinted()).isFalse();
        assertThat(stats.exportId()).startsWith("exp-");
    }

    @Test
    void aParquetCopyIsMarkedAndTracedToo() {
        Path parquet = export(carol, "carol.parquet", "parquet");
        export(dave, "dave.parquet", "parquet");
        var traced = lib.trace(alice, parquet);
        assertThat(traced.report()).isInstanceOfSatisfying(TraceReport.Identified.class,
                id -> assertThat(id.matches().getFirst().recipient()).isEqualTo("carol"));
    }
}
