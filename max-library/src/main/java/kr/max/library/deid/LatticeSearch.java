package kr.max.library.deid;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import kr.max.core.Location;
import kr.max.core.MaxException;

/**
 * Optimal full-domain generalization with record suppression over the lattice of generalization levels of the
 * quasi-identifiers.
 *
 * <p>A node gives each quasi-identifier a level between its lowest allowed level and {@code *}. A node is
 * <em>acceptable</em> when the rows in equivalence classes smaller than k, which are suppressed, are at most the
 * suppression limit; acceptability is monotone: a generalization of an acceptable node is acceptable (classes only
 * merge), and a specialization of an unacceptable node is unacceptable.
 *
 * <p>The equivalence-class histogram is computed from the rows once, at the bottom node; every other node's
 * histogram is rolled up from a computed histogram of a node below it (the roll-up property of Incognito), never from
 * the rows. Nodes are visited best-first by a lower bound of their information loss that needs no histogram, and the
 * search stops when the bound exceeds the best acceptable loss found. Two monotonicity properties prune nodes without
 * evaluating them: a node one of whose single-column projections already suppresses more than the limit is
 * unacceptable (Incognito's subset property: a projection only merges classes), and a node below a node found
 * unacceptable is unacceptable (generalization monotonicity; Flash's predictive tagging). The result is the acceptable
 * node of least information loss, exactly (losses within 10⁻⁹ of the largest possible loss are a tie, broken by the
 * lower height, then by the lexicographically smaller levels).
 *
 * <p>Information loss is the non-uniform entropy of the release (Gionis and Tassa): over the quasi-identifier cells
 * of all rows, −log₂ P(original value | released value), with the probabilities taken from the data and suppressed
 * rows counted as {@code *} in every quasi-identifier. Without suppression it is a sum of per-quasi-identifier terms,
 * {@code Σ_g F(g) log₂ F(g) − Σ_v f(v) log₂ f(v)} over released groups g and original values v; suppression adds
 * {@code log₂(n / F(g))} per suppressed cell. The lower bound adds to the first sum, per quasi-identifier, the cost of
 * the cells its own projection must suppress (groups smaller than k): those rows are suppressed in every node with
 * that level, and each such cell is counted once. The measure is not monotone with suppression (generalizing can
 * release suppressed rows), which is why the bound, not monotonicity, ends the search.
 *
 * <p>References: K. LeFevre, D. J. DeWitt, R. Ramakrishnan, "Incognito: Efficient Full-Domain K-Anonymity", SIGMOD
 * 2005; F. Kohlmayer, F. Prasser, C. Eckert, A. Kemper, K. A. Kuhn, "Flash: Efficient, Stable and Optimal
 * K-Anonymity", IEEE PASSAT 2012; L. Sweeney, "Achieving k-anonymity privacy protection using generalization and
 * suppression", IJUFKS 10(5), 2002; A. Gionis, T. Tassa, "k-Anonymization with Minimal Loss of Information", IEEE
 * TKDE 21(2), 2009; R. J. Bayardo, R. Agrawal, "Data Privacy through Optimal k-Anonymization", ICDE 2005
 * (discernibility); F. Prasser, F. Kohlmayer, "Putting Statistical Disclosure Control into Practice: The ARX Data
 * Anonymization Tool", 2015 (lower bounds in the search).
 */
final class LatticeSearch {

    /** The most lattice nodes searched; more means too many quasi-identifiers or too fine lowest levels. */
    static final int MAX_NODES = 1 << 20;
    private static final double LN2 = Math.log(2);

    final CodedColumn[] qi;
    final int q;
    final int n;
    final int k;
    final long maxSuppressed;
    final int[] min;
    final int[] top;
    private final int[] stride;
    final int nodes;
    /** [i][level] = the lower-bound term of quasi-identifier i at level. */
    private final double[][] entropy;
    /** [i][level][code] = log₂(n / F(code)), the cost of suppressing a cell. */
    private final double[][][] suppressionCost;
    /** [i][level] = rows the single-column projection suppresses: every node with that level suppresses them. */
    private final long[][] projectionSuppressed;
    /** [i][level] = the cost of those rows' cells of column i. */
    private final double[][] projectionCost;
    /** Where the codes of each quasi-identifier sit in a class's key; codes only shrink going up, so one fits all. */
    final ClassTable.Layout layout;
    final ClassTable bottom;
    /** Row to bottom class. */
    final int[] rowClass;
    private final LinkedHashMap<Integer, ClassTable> cache = new LinkedHashMap<>();
    private final long budget;
    private long cached;
    int evaluated;
    int pruned;

    /** The outcome of one node. */
    record Evaluation(int node, int[] levels, int height, boolean acceptable, long suppressed, double lowerBound,
                      double loss, long rankedLoss, int classes, int keptClasses, int smallestKept, long discernibility) {
    }

    /**
     * @param suppressionLimit share 0..1 of rows that may be removed
     * @param where            for errors: the profile
     */
    LatticeSearch(CodedColumn[] qi, int n, int k, BigDecimal suppressionLimit, Location where) {
        this.qi = qi;
        this.q = qi.length;
        this.n = n;
        this.k = k;
        this.maxSuppressed = suppressionLimit.multiply(BigDecimal.valueOf(n)).setScale(0, RoundingMode.FLOOR)
                .longValueExact();
        min = new int[q];
        top = new int[q];
        stride = new int[q];
        long size = 1;
        for (int i = q - 1; i >= 0; i--) {
            min[i] = qi[i].minLevel;
            top[i] = qi[i].top;
            stride[i] = (int) Math.min(size, Integer.MAX_VALUE);
            size *= top[i] - min[i] + 1;
            if (size > MAX_NODES) throw new MaxException(DeidError.LATTICE_TOO_LARGE, where, size, MAX_NODES);
        }
        nodes = (int) size;
        entropy = new double[q][];
        suppressionCost = new double[q][][];
        projectionSuppressed = new long[q][];
        projectionCost = new double[q][];
        double log2n = log2(n);
        for (int i = 0; i < q; i++) {
            CodedColumn c = qi[i];
            double rawTerm = 0;
            for (int f : c.raw.frequency()) rawTerm += f * log2(f);
            entropy[i] = new double[top[i] + 1];
            suppressionCost[i] = new double[top[i] + 1][];
            projectionSuppressed[i] = new long[top[i] + 1];
            projectionCost[i] = new double[top[i] + 1];
            for (int l = min[i]; l <= top[i]; l++) {
                double groups = 0;
                double[] cost = new double[c.count[l]];
                for (int g = 0; g < c.count[l]; g++) {
                    int f = c.freq[l][g];
                    groups += f * log2(f);
                    cost[g] = log2n - log2(f);
                    if (f < k) {
                        projectionSuppressed[i][l] += f;
                        projectionCost[i][l] += f * cost[g];
                    }
                }
                entropy[i][l] = groups - rawTerm;
                suppressionCost[i][l] = cost;
            }
        }
        // the bottom histogram: the only pass over the rows
        int[] bottomCounts = new int[q];
        for (int i = 0; i < q; i++) bottomCounts[i] = qi[i].count[min[i]];
        layout = new ClassTable.Layout(bottomCounts);
        rowClass = new int[n];
        bottom = new ClassTable(layout, min, Math.min(n, 1 << 16));
        long[] key = new long[layout.words];
        int[][] codes = new int[q][];
        int[][] toBottom = new int[q][];
        for (int i = 0; i < q; i++) {
            codes[i] = qi[i].raw.codeOfRow();
            toBottom[i] = qi[i].rawToBottom;
        }
        for (int row = 0; row < n; row++) {
            Arrays.fill(key, 0);
            for (int i = 0; i < q; i++) layout.put(key, i, toBottom[i][codes[i][row]]);
            rowClass[row] = bottom.add(key, 1);
        }
        bottom.seal();
        budget = Math.max(1 << 22, Runtime.getRuntime().maxMemory() / 16);
        lossUnit = 1e-9 * Math.max(1, maximumLoss());
    }

    /** Losses closer than this are a tie: sums of the same terms in another order differ in the last bits. */
    private final double lossUnit;

    /** The loss in units of {@link #lossUnit}: equal for equal losses however they were summed, so ties are ties. */
    long rank(double loss) {
        return Math.round(loss / lossUnit);
    }

    private static double log2(double x) {
        return x <= 1 ? 0 : Math.log(x) / LN2;
    }

    int[] levels(int node) {
        int[] l = new int[q];
        for (int i = 0; i < q; i++) l[i] = min[i] + (node / stride[i]) % (top[i] - min[i] + 1);
        return l;
    }

    int node(int[] levels) {
        int node = 0;
        for (int i = 0; i < q; i++) node += (levels[i] - min[i]) * stride[i];
        return node;
    }

    int topNode() {
        return nodes - 1;
    }

    private static int height(int[] levels) {
        int h = 0;
        for (int l : levels) h += l;
        return h;
    }

    /** Loss without suppression: a sum over the quasi-identifiers, the same however the node was reached. */
    double generalizationLoss(int[] levels) {
        double e = 0;
        for (int i = 0; i < q; i++) e += entropy[i][levels[i]];
        return e;
    }

    /** A lower bound of the node's loss that needs no histogram. */
    double lowerBound(int[] levels) {
        double lb = 0;
        for (int i = 0; i < q; i++) lb += entropy[i][levels[i]] + projectionCost[i][levels[i]];
        return lb;
    }

    /** Whether a single-column projection already suppresses more rows than allowed (then the node does too). */
    boolean projectionUnacceptable(int[] levels) {
        for (int i = 0; i < q; i++) if (projectionSuppressed[i][levels[i]] > maxSuppressed) return true;
        return false;
    }

    /** The optimal acceptable node, or {@code null} when even {@code *} everywhere is not acceptable. */
    Evaluation search() {
        Evaluation topEval = evaluate(topNode());
        if (!topEval.acceptable()) return null;
        double[] lb = new double[nodes];
        int[] height = new int[nodes];
        byte[] unacceptable = new byte[nodes];
        Integer[] order = new Integer[nodes];
        for (int node = 0; node < nodes; node++) {
            int[] l = levels(node);
            lb[node] = lowerBound(l);
            height[node] = height(l);
            order[node] = node;
            if (projectionUnacceptable(l)) unacceptable[node] = 1;
        }
        Arrays.sort(order, (a, b) -> {
            int c = Double.compare(lb[a], lb[b]);
            if (c != 0) return c;
            c = Integer.compare(height[a], height[b]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        Evaluation best = topEval;
        for (int node : order) {
            long bound = rank(lb[node]);
            if (bound > best.rankedLoss()) break;
            if (node == topNode()) continue;
            if (unacceptable[node] != 0) {
                pruned++;
                continue;
            }
            // loss ≥ bound: at the best loss it can only tie, and a tie goes to the lower (height, levels)
            if (bound == best.rankedLoss() && !tieBreaksBefore(height[node], node, best)) continue;
            Evaluation e = evaluate(node);
            if (e.acceptable()) {
                if (better(e, best)) best = e;
            } else {
                tagSpecializationsUnacceptable(node, unacceptable);
            }
        }
        return best;
    }

    /** Every node from the bottom histogram, for tests: the same choice by exhaustive evaluation. */
    Evaluation bruteForce() {
        Evaluation best = null;
        for (int node = 0; node < nodes; node++) {
            Evaluation e = evaluateFrom(bottom, node);
            if (e.acceptable() && (best == null || better(e, best))) best = e;
        }
        return best;
    }

    static boolean better(Evaluation a, Evaluation b) {
        int c = Long.compare(a.rankedLoss(), b.rankedLoss());
        if (c != 0) return c < 0;
        return tieBreaksBefore(a.height(), a.node(), b);
    }

    private static boolean tieBreaksBefore(int height, int node, Evaluation b) {
        if (height != b.height()) return height < b.height();
        return node < b.node();
    }

    private void tagSpecializationsUnacceptable(int node, byte[] unacceptable) {
        var stack = new ArrayList<Integer>();
        stack.add(node);
        while (!stack.isEmpty()) {
            int x = stack.removeLast();
            int[] l = levels(x);
            for (int i = 0; i < q; i++) {
                if (l[i] == min[i]) continue;
                int below = x - stride[i];
                if (unacceptable[below] == 0) {
                    unacceptable[below] = 1;
                    stack.add(below);
                }
            }
        }
    }

    /** A node's histogram rolled up from the smallest computed histogram below it, then its figures. */
    Evaluation evaluate(int node) {
        int[] l = levels(node);
        ClassTable source = bottom;
        for (ClassTable t : cache.values()) {
            if (t.size() < source.size() && below(t.levels, l)) source = t;
        }
        return evaluateFrom(source, node);
    }

    private static boolean below(int[] a, int[] b) {
        for (int i = 0; i < a.length; i++) if (a[i] > b[i]) return false;
        return true;
    }

    private Evaluation evaluateFrom(ClassTable source, int node) {
        evaluated++;
        int[] l = levels(node);
        ClassTable t = rollUp(source, l, null);
        remember(node, t);
        return figures(node, l, t);
    }

    /** The classes of {@code levels} from {@code source}; {@code sourceToTarget} receives each source class's class. */
    ClassTable rollUp(ClassTable source, int[] levels, int[] sourceToTarget) {
        if (Arrays.equals(source.levels, levels) && sourceToTarget == null) return source;
        var stepped = new ArrayList<Integer>();
        var steps = new ArrayList<int[]>();
        long expected = 1;
        for (int i = 0; i < q; i++) {
            if (source.levels[i] != levels[i]) {
                stepped.add(i);
                steps.add(qi[i].step(source.levels[i], levels[i]));
            }
            expected = Math.min(expected * Math.max(1, qi[i].count[levels[i]]), source.size());
        }
        int m = stepped.size();
        int[] which = new int[m];
        int[][] step = new int[m][];
        for (int j = 0; j < m; j++) {
            which[j] = stepped.get(j);
            step[j] = steps.get(j);
        }
        int w = layout.words;
        var t = new ClassTable(layout, levels, (int) Math.max(16, expected));
        long[] keys = source.keys();
        long[] key = new long[w];
        for (int c = 0; c < source.size(); c++) {
            System.arraycopy(keys, c * w, key, 0, w);
            for (int j = 0; j < m; j++) {
                int i = which[j];
                int word = layout.word[i];
                int shift = layout.shift[i];
                long mask = layout.mask[i];
                int code = (int) ((key[word] >>> shift) & mask);
                key[word] = (key[word] & ~(mask << shift)) | ((long) step[j][code] << shift);
            }
            int target = t.add(key, source.count(c));
            if (sourceToTarget != null) sourceToTarget[c] = target;
        }
        t.seal();
        return t;
    }

    private void remember(int node, ClassTable t) {
        if (t == bottom || cache.containsKey(node)) return;
        long size = t.footprint();
        if (size > budget) return;
        cache.put(node, t);
        cached += size;
        Iterator<ClassTable> it = cache.values().iterator();
        while (cached > budget && it.hasNext()) {
            cached -= it.next().footprint();
            it.remove();
        }
    }

    Evaluation figures(int node, int[] l, ClassTable t) {
        long suppressed = 0;
        int kept = 0;
        int smallest = 0;
        long dm = 0;
        for (int c = 0; c < t.size(); c++) {
            int size = t.count(c);
            if (size < k) {
                suppressed += size;
            } else {
                kept++;
                smallest = smallest == 0 ? size : Math.min(smallest, size);
                dm += (long) size * size;
            }
        }
        dm += suppressed * n;
        double extra = 0;
        if (suppressed > 0) {
            // per quasi-identifier and released value, the suppressed cells: a sum independent of class order
            int[][] cells = new int[q][];
            for (int i = 0; i < q; i++) cells[i] = new int[qi[i].count[l[i]]];
            for (int c = 0; c < t.size(); c++) {
                int size = t.count(c);
                if (size < k) for (int i = 0; i < q; i++) cells[i][t.code(c, i)] += size;
            }
            for (int i = 0; i < q; i++) {
                double[] cost = suppressionCost[i][l[i]];
                for (int g = 0; g < cells[i].length; g++) if (cells[i][g] != 0) extra += cells[i][g] * cost[g];
            }
        }
        double loss = generalizationLoss(l) + extra;
        return new Evaluation(node, l, height(l), suppressed <= maxSuppressed, suppressed, lowerBound(l), loss,
                rank(loss), t.size(), kept, smallest, dm);
    }

    /** The largest possible loss: every row suppressed. */
    double maximumLoss() {
        int[] l = top.clone();
        return generalizationLoss(l);
    }

    List<Integer> cachedNodes() {
        return List.copyOf(cache.keySet());
    }
}
