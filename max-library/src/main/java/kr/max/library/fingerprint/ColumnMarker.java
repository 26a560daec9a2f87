package kr.max.library.fingerprint;

import java.util.Arrays;

/**
 * Marks the values of one column. A value is rounded to the column's grid; then, within the tolerance,
 * the grid point is chosen that first carries the keyed mark (when the row's cell is selected), then agrees
 * with the virtual mark of its pair of grid points, then lies nearest to the original value.
 *
 * <p>The virtual mark: grid points {@code 2c} and {@code 2c+1} form pair {@code c}; a selected pair
 * carries its mark as the parity of every value in it. The tracer reads a value's pair from the value as
 * written, so a value may also move into a neighbouring pair whose mark it agrees with. A grid point of the
 * right parity for the keyed mark always lies within one step; one agreeing with the virtual mark lies
 * within one step of an on-grid value (its partner in the pair) and within one and a half of any value.
 * Where none fits the tolerance the cell keeps its rounded value: one noisy bit among many, which the
 * tracer's count absorbs.
 */
final class ColumnMarker {

    /** No keyed decision: the export has no key columns. */
    static final int UNKEYED = -1;

    /** No pair has these high bits (they would need |pair| >= 2^40). */
    private static final int EMPTY = Integer.MIN_VALUE;

    private static final int CACHE_BITS = 11;
    private static final int CACHE = 1 << CACHE_BITS;

    final ColumnGrid grid;
    private final MarkKeys keys;
    private final int index;
    /**
     * Virtual decisions of recently seen pairs, direct-mapped by the pair's low bits, each entry the
     * pair's other bits and its decision in one int (8 KiB a column, so a row's six columns stay in the
     * fastest caches): a column's values span a few thousand pairs at most in any stretch of rows, so
     * nearly every lookup hits.
     */
    private final int[] cache = new int[CACHE];

    /** Cells seen, cells moved off their rounded grid point by a mark, and cells whose value changed at all. */
    long seen;
    long moved;
    long changed;

    ColumnMarker(FingerprintColumn column, MarkKeys keys, int index) {
        this.grid = new ColumnGrid(column.resolution(), column.tolerance());
        this.keys = keys;
        this.index = index;
        Arrays.fill(cache, EMPTY);
    }

    /** 0 when pair {@code c} carries no virtual mark, else 2 + its mark. */
    private int pairDecision(long pair) {
        int slot = (int) pair & (CACHE - 1);
        int high = (int) (pair >> CACHE_BITS); // |pair| <= 2^39, so |high| < 2^28 and high << 2 fits
        int entry = cache[slot];
        if (entry >> 2 == high) return entry & 3;
        int lane = keys.virtualLane(index, pair);
        int decision = keys.selected(lane) ? 2 + MarkKeys.bit(lane) : 0;
        cache[slot] = high << 2 | decision;
        return decision;
    }

    /** Whether grid point {@code n} agrees with its pair's virtual mark (or the pair carries none). */
    private boolean virtualAgrees(long n) {
        int d = pairDecision(n >> 1);
        return d == 0 || (d & 1) == (n & 1);
    }

    /** The marked value of {@code v}; {@code lane} is the cell's keyed decision, or {@link #UNKEYED}. */
    double mark(double v, int lane) {
        seen++;
        double x = grid.steps(v);
        if (!ColumnGrid.markable(x)) return v;
        long n0 = (long) Math.rint(x);
        boolean selected = lane != UNKEYED && keys.selected(lane);
        int want = MarkKeys.bit(lane);
        long n = n0;
        if ((selected && (n0 & 1) != want) || !virtualAgrees(n0)) n = search(x, n0, selected, want);
        if (n == n0 && x == n0) return v;
        if (Math.abs(n - x) > grid.maxSteps) throw new IllegalStateException("a mark left the tolerance");
        double out = grid.value(n);
        if (n != n0) moved++;
        if (out != v) changed++;
        return out;
    }

    /**
     * The best of the two neighbours and the rounded point, within the tolerance: keyed mark first, then
     * virtual, then nearness. Both marks are always within reach of a neighbour (the keyed parity, the
     * partner in the pair), so no value ever moves two steps. Between two equally near neighbours (an
     * on-grid value's) the partner in its own pair wins: that goes up or down with the mark bit, a fair
     * coin, where a choice by position (say the lower first) would shift the column's mean.
     */
    private long search(double x, long n0, boolean selected, int want) {
        long best = n0;
        int bestScore = score(n0, selected, want);
        for (long n = n0 - 1; n <= n0 + 1; n += 2) {
            if (Math.abs(n - x) > grid.maxSteps) continue;
            int s = score(n, selected, want);
            if (s > bestScore || (s == bestScore && nearer(n, best, x, n0))) {
                best = n;
                bestScore = s;
            }
        }
        return best;
    }

    private static boolean nearer(long n, long best, double x, long n0) {
        double dn = Math.abs(n - x);
        double db = Math.abs(best - x);
        if (Math.abs(dn - db) > 1e-9) return dn < db;
        return n >> 1 == n0 >> 1;
    }

    private int score(long n, boolean selected, int want) {
        int s = virtualAgrees(n) ? 1 : 0;
        if (!selected || (n & 1) == want) s += 2;
        return s;
    }
}
