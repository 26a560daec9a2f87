package kr.max.library.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import kr.max.library.fingerprint.SensorTables.Table;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The tracer never accuses a recipient whose export a copy was not made from: over thousands of trials
 * with unmarked copies and copies marked for someone else, each traced against 20 candidate exports of
 * the very same data, nobody is named wrongly; and the p-values of the innocent behave as p-values must
 * (at most 5 % below 0.05), which is what makes the threshold a bound on the false-accusation rate.
 */
class FingerprintFalseAccusationTest {

    static final int TRIALS = 1000;
    static final int CANDIDATES = 20;
    static final int ROWS = 2000;

    /** Every p-value of a candidate the copy was not made from, across both tests. */
    static final List<Double> innocentLog10P = new ArrayList<>();
    static int traces;
    static int accusations;

    private static List<Candidate> candidates(Random random, int count) {
        var list = new ArrayList<Candidate>();
        for (int i = 0; i < count; i++) {
            list.add(new Candidate("exp-" + i, "org-" + i, Instant.EPOCH.plusSeconds(i), SensorTables.secret(random), SensorTables.SCHEME));
        }
        return list;
    }

    /** One of the handlings a leaked copy goes through, or none. */
    private static Table handle(Table t, Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> t;
            case 1 -> SensorTables.subset(SensorTables.shuffle(t, random), 0.10, random);
            case 2 -> SensorTables.dropMeasurements(t, 3, random);
            case 3 -> SensorTables.drop(t, Set.of(SensorTables.TIME, SensorTables.ASSET));
            default -> SensorTables.roundToResolution(t);
        };
    }

    private static synchronized void record(TraceReport report, Set<String> guilty) {
        traces++;
        for (var e : report.evidence()) if (!guilty.contains(e.exportId())) innocentLog10P.add(e.log10PValue());
        if (report instanceof TraceReport.Identified id) {
            accusations += (int) id.matches().stream().filter(e -> !guilty.contains(e.exportId())).count();
        }
    }

    @Test
    void neverAccusesAnyoneOfAnUnmarkedCopyOfTheExportedData() {
        var random = new Random(11);
        var tracer = new Tracer();
        int before = accusations;
        for (int trial = 0; trial < TRIALS; trial++) {
            // the provider's own data, unmarked, against 20 exports of it
            var original = SensorTables.generate(ROWS, random.nextLong());
            var report = tracer.trace(handle(original, random).suspect(), candidates(random, CANDIDATES));
            record(report, Set.of());
            assertThat(report).isInstanceOf(TraceReport.Inconclusive.class);
        }
        assertThat(accusations - before).isZero();
    }

    @Test
    void neverAccusesAnotherRecipientOfACopyMarkedForSomeoneElse() {
        var random = new Random(12);
        var tracer = new Tracer();
        int before = accusations;
        int identified = 0;
        for (int trial = 0; trial < TRIALS; trial++) {
            var data = SensorTables.generate(ROWS, random.nextLong());
            var pool = candidates(random, CANDIDATES + 1);
            var leaker = pool.getFirst();
            var copy = handle(SensorTables.mark(data, leaker.secret(), leaker.scheme()), random);
            // the leaker's export is among the candidates every other trial: the others must stay unnamed either way
            var traced = trial % 2 == 0 ? pool.subList(1, pool.size()) : pool;
            var report = tracer.trace(copy.suspect(), traced);
            record(report, Set.of(leaker.exportId()));
            if (trial % 2 == 0) {
                assertThat(report).isInstanceOf(TraceReport.Inconclusive.class);
            } else if (report instanceof TraceReport.Identified id) {
                assertThat(id.matches()).extracting(Evidence::exportId).containsExactly(leaker.exportId());
                identified++;
            }
        }
        assertThat(accusations - before).isZero();
        System.out.printf(Locale.ROOT, "false accusation: the leaker named in %d of %d traces where it was a candidate%n",
                identified, TRIALS / 2);
    }

    @AfterAll
    static void report() {
        int n = innocentLog10P.size();
        if (n == 0) return;
        double smallest = innocentLog10P.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        long below5 = innocentLog10P.stream().filter(p -> p < Math.log10(0.05)).count();
        long below1 = innocentLog10P.stream().filter(p -> p < Math.log10(0.01)).count();
        System.out.printf(Locale.ROOT, "false accusation: %d traces, %d innocent candidates tested, %d accused (rate %.1e, bound %.0e);"
                        + " smallest innocent p-value %.2e (corrected x%d: %.2e); p < 0.05 in %.2f %%, p < 0.01 in %.2f %%%n",
                traces, n, accusations, (double) accusations / n, Tracer.DEFAULT_THRESHOLD, Math.pow(10, smallest), CANDIDATES,
                Math.pow(10, smallest) * CANDIDATES, 100.0 * below5 / n, 100.0 * below1 / n);
    }

    @Test
    void innocentPValuesAreValidPValues() {
        // on its own data: 400 unmarked traces, P(p < alpha) <= alpha (plus sampling noise) at several alphas
        var random = new Random(13);
        var tracer = new Tracer();
        var log10P = new ArrayList<Double>();
        for (int trial = 0; trial < 400; trial++) {
            var data = SensorTables.generate(ROWS, random.nextLong());
            tracer.trace(handle(data, random).suspect(), candidates(random, CANDIDATES)).evidence()
                    .forEach(e -> log10P.add(e.log10PValue()));
        }
        int n = log10P.size();
        for (double alpha : new double[] {0.5, 0.2, 0.05, 0.01}) {
            long below = log10P.stream().filter(p -> p <= Math.log10(alpha)).count();
            double sd = Math.sqrt(alpha * (1 - alpha) / n);
            assertThat((double) below / n).as("share of p <= %s", alpha).isLessThanOrEqualTo(alpha + 4 * sd);
        }
    }
}
