package kr.max.library.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.function.BiFunction;
import kr.max.library.fingerprint.SensorTables.Table;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fifty recipients, each receiving three datasets of 20,000 rows (150 exports, each with its own secret):
 * a leaked copy names its export and recipient after each kind of handling the issue lists, and after all
 * of them together. Each copy is traced against all 50 exports of its dataset.
 */
class FingerprintRobustnessTest {

    static final int RECIPIENTS = 50;
    static final int DATASETS = 3;
    static final int ROWS = 20_000;

    static Table[] datasets;
    /** candidates[d][r]: the export of dataset d to recipient r. */
    static Candidate[][] candidates;

    @BeforeAll
    static void export() {
        var random = new Random(4);
        datasets = new Table[DATASETS];
        candidates = new Candidate[DATASETS][RECIPIENTS];
        Instant t = Instant.parse("2025-04-01T09:00:00Z");
        for (int d = 0; d < DATASETS; d++) {
            datasets[d] = SensorTables.generate(ROWS, 100 + d);
            for (int r = 0; r < RECIPIENTS; r++) {
                t = t.plusSeconds(3600 + random.nextInt(86_400));
                candidates[d][r] = new Candidate("exp-" + d + "-" + r, "org-" + r, t, SensorTables.secret(random), SensorTables.SCHEME);
            }
        }
    }

    static Table leak(int dataset, int recipient) {
        return SensorTables.mark(datasets[dataset], candidates[dataset][recipient].secret(), SensorTables.SCHEME);
    }

    /** For every recipient, one of its exports leaked after {@code handling}; all must be named, alone. */
    private void namesEveryRecipientAfter(String handling, BiFunction<Table, Random, Table> transform) {
        var random = new Random(handling.hashCode());
        var tracer = new Tracer();
        var weakest = Double.NEGATIVE_INFINITY;
        var bits = new long[RECIPIENTS];
        var rates = new double[RECIPIENTS];
        int rows = 0;
        for (int r = 0; r < RECIPIENTS; r++) {
            int d = random.nextInt(DATASETS);
            var copy = transform.apply(leak(d, r), random);
            rows = copy.rows();
            var report = tracer.trace(copy.suspect(), List.of(candidates[d]));
            var expected = candidates[d][r];
            assertThat(report).as("%s, recipient %d", handling, r).isInstanceOfSatisfying(TraceReport.Identified.class, id -> {
                assertThat(id.matches()).extracting(Evidence::exportId).containsExactly(expected.exportId());
                var e = id.matches().getFirst();
                assertThat(e.recipient()).isEqualTo(expected.recipient());
                assertThat(e.exportedAt()).isEqualTo(expected.exportedAt());
                assertThat(e.confidence()).isGreaterThan(1 - 1e-9);
            });
            var e = report.evidence().getFirst();
            weakest = Math.max(weakest, e.log10CorrectedPValue());
            bits[r] = e.bits();
            rates[r] = e.matchRate();
        }
        Arrays.sort(bits);
        Arrays.sort(rates);
        System.out.printf(Locale.ROOT, "%-44s %6d rows: %d/%d named; bits read min %,d median %,d; match rate min %.3f;"
                + " weakest corrected p 1e%.0f%n", handling, rows, RECIPIENTS, RECIPIENTS, bits[0], bits[RECIPIENTS / 2], rates[0], weakest);
    }

    @Test
    void namesTheRecipientOfAnUntouchedCopy() {
        namesEveryRecipientAfter("untouched", (t, random) -> t);
    }

    @Test
    void namesTheRecipientAfterShufflingRows() {
        namesEveryRecipientAfter("rows shuffled", SensorTables::shuffle);
    }

    @Test
    void namesTheRecipientAfterDroppingHalfTheMeasurementColumns() {
        namesEveryRecipientAfter("half the measurement columns dropped", (t, random) -> SensorTables.dropMeasurements(t, 3, random));
    }

    @Test
    void namesTheRecipientAfterRoundingToTheResolution() {
        namesEveryRecipientAfter("rounded to resolution (round(v/r)*r)", (t, random) -> SensorTables.roundToResolution(t));
    }

    @Test
    void namesTheRecipientOfACopyReadBackFromCsvText() {
        namesEveryRecipientAfter("read back from CSV text", (t, random) -> SensorTables.asText(t));
    }

    @Test
    void namesTheRecipientFromARandomTenthOfTheRows() {
        namesEveryRecipientAfter("random 10 % of rows", (t, random) -> SensorTables.subset(t, 0.10, random));
    }

    @Test
    void namesTheRecipientWhenTheKeyColumnsAreDropped() {
        namesEveryRecipientAfter("timestamp and asset dropped (virtual mark)",
                (t, random) -> SensorTables.drop(t, Set.of(SensorTables.TIME, SensorTables.ASSET)));
    }

    @Test
    void namesTheRecipientAfterAllHandlingTogether() {
        namesEveryRecipientAfter("all: shuffle, 3 of 6 dropped, rounded, 10 %", (t, random) -> SensorTables.roundToResolution(
                SensorTables.subset(SensorTables.dropMeasurements(SensorTables.shuffle(t, random), 3, random), 0.10, random)));
    }

    /**
     * Beyond the list: without its key columns a copy carries only the virtual mark, whose
     * evidence grows with the number of distinct values rather than rows. A tenth of the rows with half the
     * columns gone leaves a few dozen to a few hundred bits: never a wrong name, and the right one in
     * (nearly) every case.
     */
    @Test
    void neverNamesAWrongRecipientAfterAllHandlingWithoutKeys() {
        var random = new Random(5);
        var tracer = new Tracer();
        int named = 0;
        var bits = new long[RECIPIENTS];
        for (int r = 0; r < RECIPIENTS; r++) {
            int d = random.nextInt(DATASETS);
            var copy = SensorTables.drop(SensorTables.roundToResolution(SensorTables.subset(
                    SensorTables.dropMeasurements(SensorTables.shuffle(leak(d, r), random), 3, random), 0.10, random)),
                    Set.of(SensorTables.TIME, SensorTables.ASSET));
            var report = tracer.trace(copy.suspect(), List.of(candidates[d]));
            bits[r] = report.evidence().getFirst().bits();
            if (report instanceof TraceReport.Identified id) {
                assertThat(id.matches()).extracting(Evidence::recipient).containsExactly("org-" + r);
                named++;
            }
        }
        Arrays.sort(bits);
        System.out.printf(Locale.ROOT, "%-44s: %d/%d named, none wrongly; bits read min %d median %d%n",
                "all, and timestamp and asset dropped too", named, RECIPIENTS, bits[0], bits[RECIPIENTS / 2]);
        assertThat(named).isGreaterThanOrEqualTo(RECIPIENTS * 9 / 10);
    }

    @Test
    void namesBothRecipientsOfACopyMergedFromTwoExports() {
        var random = new Random(99);
        var tracer = new Tracer();
        for (int trial = 0; trial < 10; trial++) {
            int d = random.nextInt(DATASETS);
            int a = random.nextInt(RECIPIENTS);
            int b = (a + 1 + random.nextInt(RECIPIENTS - 1)) % RECIPIENTS;
            var merged = SensorTables.shuffle(SensorTables.merge(leak(d, a), leak(d, b), 0.5, random), random);
            var report = tracer.trace(merged.suspect(), List.of(candidates[d]));
            assertThat(report).isInstanceOfSatisfying(TraceReport.Identified.class, id -> assertThat(id.matches())
                    .extracting(Evidence::recipient).containsExactlyInAnyOrder("org-" + a, "org-" + b));
            if (trial == 0) {
                var top = new ArrayList<>(report.evidence().subList(0, 3));
                top.forEach(e -> System.out.printf(Locale.ROOT, "merged copy of org-%d and org-%d: %s %,d of %,d bits match (%.3f), corrected p 1e%.0f%n",
                        a, b, e.recipient(), e.matches(), e.bits(), e.matchRate(), e.log10CorrectedPValue()));
            }
        }
    }
}
