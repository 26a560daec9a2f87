package kr.max.library.deid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The best-first, pruned lattice search finds the optimum that exhaustive evaluation and an independent oracle find. */
class DeidLatticeSearchTest {

    private static final String[] TIME = {"hour", "day", "week", "month"};
    private static final String[] WIDTH = {"0.5", "2", "5", "10", "25"};
    private static final String[] LIMIT = {"0", "0.02", "0.1", "0.3", "1"};

    private static DeidPlan randomPlan(Random rnd) {
        String yaml = DeidFixtures.profileYaml(2 + rnd.nextInt(7), LIMIT[rnd.nextInt(LIMIT.length)],
                TIME[rnd.nextInt(TIME.length)], rnd.nextInt(3), WIDTH[rnd.nextInt(WIDTH.length)], rnd.nextBoolean());
        return DeidProfile.parse(yaml, "p.yaml", DeidFixtures.assets()).plan(DeidFixtures.dictionary());
    }

    @Test
    void theSearchChoosesTheNodeThatExhaustiveEvaluationChooses() {
        var rnd = new Random(20260304);
        int pruned = 0;
        long evaluated = 0;
        long nodes = 0;
        for (int run = 0; run < 300; run++) {
            DeidPlan plan = randomPlan(rnd);
            DeidTable table = DeidFixtures.table(rnd, 5 + rnd.nextInt(200), 1 + rnd.nextInt(90), rnd.nextDouble() * 0.1);
            LatticeSearch search = Deidentifier.lattice(table, plan);
            LatticeSearch.Evaluation found = search.search();
            LatticeSearch.Evaluation exhaustive = Deidentifier.lattice(table, plan).bruteForce();
            if (exhaustive == null) {
                assertThat(found).as("run %d", run).isNull();
                continue;
            }
            assertThat(found).as("run %d", run).isNotNull();
            assertThat(found.levels()).as("run %d: loss %s vs %s", run, found.loss(), exhaustive.loss())
                    .containsExactly(exhaustive.levels());
            assertThat(found.rankedLoss()).isEqualTo(exhaustive.rankedLoss());
            pruned += search.pruned;
            evaluated += search.evaluated;
            nodes += search.nodes;
        }
        assertThat(pruned).as("monotonicity prunes nodes").isPositive();
        assertThat(evaluated).as("the bound ends the search early").isLessThan(nodes / 2);
    }

    /**
     * For every node, from the rows: group by the released codes, suppress classes smaller than k, and add up
     * −log₂(f(original) / F(released)) per cell, suppressed cells released as {@code *} (F = n).
     */
    private record Oracle(double loss, boolean acceptable, int height) {
    }

    private static Oracle oracle(LatticeSearch s, int[] levels) {
        int n = s.n;
        int q = s.q;
        Map<List<Integer>, Integer> classSize = new HashMap<>();
        List<List<Integer>> tuple = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            var t = new ArrayList<Integer>();
            for (int i = 0; i < q; i++) t.add(s.qi[i].codeOfRow(r, levels[i]));
            tuple.add(t);
            classSize.merge(t, 1, Integer::sum);
        }
        long suppressed = 0;
        double loss = 0;
        for (int i = 0; i < q; i++) {
            Map<Integer, Integer> f = new HashMap<>();
            Map<Integer, Integer> g = new HashMap<>();
            for (int r = 0; r < n; r++) {
                f.merge(s.qi[i].raw.codeOfRow()[r], 1, Integer::sum);
                g.merge(s.qi[i].codeOfRow(r, levels[i]), 1, Integer::sum);
            }
            for (int r = 0; r < n; r++) {
                boolean gone = classSize.get(tuple.get(r)) < s.k;
                double big = gone ? n : g.get(s.qi[i].codeOfRow(r, levels[i]));
                loss += Math.log(big / f.get(s.qi[i].raw.codeOfRow()[r])) / Math.log(2);
            }
        }
        for (int r = 0; r < n; r++) if (classSize.get(tuple.get(r)) < s.k) suppressed++;
        int height = 0;
        for (int l : levels) height += l;
        return new Oracle(loss, suppressed <= s.maxSuppressed, height);
    }

    @Test
    void theChosenNodeIsOptimalByAnIndependentCountOfTheLoss() {
        var rnd = new Random(42);
        for (int run = 0; run < 120; run++) {
            DeidPlan plan = randomPlan(rnd);
            DeidTable table = DeidFixtures.table(rnd, 5 + rnd.nextInt(120), 1 + rnd.nextInt(60), rnd.nextDouble() * 0.1);
            LatticeSearch s = Deidentifier.lattice(table, plan);
            LatticeSearch.Evaluation found = s.search();
            double best = Double.POSITIVE_INFINITY;
            var all = new ArrayList<Oracle>();
            for (int node = 0; node < s.nodes; node++) {
                Oracle o = oracle(s, s.levels(node));
                all.add(o);
                if (o.acceptable()) best = Math.min(best, o.loss());
            }
            if (found == null) {
                assertThat(best).as("run %d", run).isInfinite();
                continue;
            }
            Oracle chosen = oracle(s, found.levels());
            // the engine calls losses within 1e-9 of the largest loss a tie
            double tolerance = 2e-9 * Math.max(1, oracle(s, s.top).loss());
            assertThat(chosen.acceptable()).as("run %d", run).isTrue();
            assertThat(chosen.loss()).as("run %d", run).isCloseTo(best, within(tolerance));
            assertThat(found.loss()).as("run %d: the engine's own figure", run).isCloseTo(chosen.loss(), within(tolerance));
            final double optimum = best;
            int lowestTie = all.stream().filter(o -> o.acceptable() && o.loss() <= optimum + tolerance)
                    .mapToInt(Oracle::height).min().orElseThrow();
            assertThat(chosen.height()).as("run %d: ties go to the lower height", run).isEqualTo(lowestTie);
        }
    }

    @Test
    void whenTheLowestLevelsAreKAnonymousAlreadyOnlyTheTopAndTheBottomAreEvaluated() {
        String yaml = DeidFixtures.profileYaml(3, "0", "month", 2, "100", false);
        DeidPlan plan = DeidProfile.parse(yaml, "p.yaml", DeidFixtures.assets()).plan(DeidFixtures.dictionary());
        DeidTable table = DeidFixtures.table(new Random(3), 5000, 20, 0);
        LatticeSearch s = Deidentifier.lattice(table, plan);
        LatticeSearch.Evaluation found = s.search();
        assertThat(found.levels()).containsExactly(s.min);
        assertThat(found.suppressed()).isZero();
        assertThat(s.evaluated).isEqualTo(2);
    }
}
