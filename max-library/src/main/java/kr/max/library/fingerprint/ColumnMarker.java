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

    private static final int CACHE = 1024;

    final ColumnGrid grid;
    private final long keyed0;
    private final long keyed1;
    private final long virtual0;
    private final long virtual1;
    private final int gamma;
    /** Virtual decisions of recently seen pairs: sensor values move slowly, so most lookups hit. */
    private final long[] cachedPair = new long[CACHE];
    private final long[] cachedHash = new long[CACHE];

    /** Cells moved off their rounded grid point by a mark, and cells whose value changed at all. */
    long moved;
    long changed;

    ColumnMarker(FingerprintColumn column, MarkKeys keys, int index, int gamma) {
        this.grid = new ColumnGrid(column.resolution(), column.tolerance());
        this.keyed0 = keys.keyed()[2 * index];
        this.keyed1 = keys.keyed()[2 * index + 1];
        this.virtual0 = keys.virtual()[2 * index];
        this.virtual1 = keys.virtual()[2 * index + 1];
        this.gamma = gamma;
        Arrays.fill(cachedPair, Long.MIN_VALUE);
    }

    /** The cell's keyed decision, from the row's identity hash. */
    long keyedHash(long rowHash) {
        return SipHash.hash(keyed0, keyed1, rowHash);
    }

    private long pairHash(long pair) {
        int slot = (int) (pair & (CACHE - 1));
        if (cachedPair[slot] == pair) return cachedHash[slot];
        long h = SipHash.hash(virtual0, virtual1, pair);
        cachedPair[slot] = pair;
        cachedHash[slot] = h;
        return h;
    }

    /** Whether grid point {@code n} agrees with its pair's virtual mark (or the pair carries none). */
    private boolean virtualAgrees(long n) {
        long h = pairHash(n >> 1);
        return !MarkKeys.selected(h, gamma) || MarkKeys.bit(h) == (int) (n & 1);
    }

    /**
     * The marked value of {@code v}; {@code keyedHash} is the cell's keyed decision, or {@code 0} with
     * {@code keyed == false} when the export has no key columns.
     */
    double mark(double v, boolean keyed, long keyedHash) {
        double x = grid.steps(v);
        if (!ColumnGrid.markable(x)) return v;
        long n0 = Math.round(x);
        boolean selected = keyed && MarkKeys.selected(keyedHash, gamma);
        int want = MarkKeys.bit(keyedHash);
        long n = n0;
        if ((selected && (n0 & 1) != want) || !virtualAgrees(n0)) n = search(x, n0, selected, want);
        double out = n == n0 && x == n0 ? v : grid.value(n);
        if (Math.abs(n - x) > grid.maxSteps) throw new IllegalStateException("a mark left the tolerance");
        if (n != n0) moved++;
        if (out != v) changed++;
        return out;
    }

    /** The best grid point within the tolerance: keyed mark first, then virtual, then nearness. */
    private long search(double x, long n0, boolean selected, int want) {
        long best = n0;
        int bestScore = score(n0, selected, want);
        for (long n = n0 - 2; n <= n0 + 2; n++) {
            if (n == n0 || Math.abs(n - x) > grid.maxSteps) continue;
            int s = score(n, selected, want);
            if (s > bestScore || (s == bestScore && Math.abs(n - x) < Math.abs(best - x))) {
                best = n;
                bestScore = s;
            }
        }
        return best;
    }

    private int score(long n, boolean selected, int want) {
        int s = virtualAgrees(n) ? 1 : 0;
        if (!selected || (n & 1) == want) s += 2;
        return s;
    }
}
