package kr.max.library.fingerprint;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a suspect copy offers as evidence, worked out once for all candidates: per marked column, the grid
 * index of every value; the distinct rows by key (rows sharing a key are one unit, voting by majority);
 * and the distinct pairs of grid points per column (the virtual mark's units), each with the parity most
 * of its values show. Ties carry no evidence and are left out.
 *
 * <p>Counting each unit once is what makes the tracer's null hypothesis exact: the candidate's
 * pseudo-random bits over distinct units are independent fair coins, whatever the data. Counting cells
 * would not be: a constant column would put all its cells in one pair, and one coin would be counted
 * thousands of times.
 */
final class SuspectUnits {

    static final long UNREADABLE = Long.MIN_VALUE;

    record ColumnKey(String name, double resolution) {
    }

    /** The virtual mark's units of one column: distinct pairs, and their values' majority parity. */
    record Pairs(long[] pairs, byte[] parity) {
    }

    /**
     * Distinct key tuples: {@code groupOf[row]}, and each group's canonical words at
     * {@code words[offsets[g] .. offsets[g + 1])}.
     */
    record KeyGroups(int count, int[] groupOf, long[] words, int[] offsets) {
    }

    private record VoteKey(List<String> keys, ColumnKey column) {
    }

    private final SuspectTable table;
    private final Map<ColumnKey, long[]> readings = new HashMap<>();
    private final Map<ColumnKey, Pairs> pairs = new HashMap<>();
    private final Map<List<String>, KeyGroups> groups = new HashMap<>();
    private final Map<VoteKey, byte[]> votes = new HashMap<>();

    SuspectUnits(SuspectTable table) {
        this.table = table;
    }

    boolean hasAll(List<String> columns) {
        return table.columnNames().containsAll(columns);
    }

    boolean has(String column) {
        return table.column(column) != null;
    }

    /** Works out, ahead of the (parallel) evaluation, everything {@code scheme} will ask for. */
    void prepare(FingerprintScheme scheme) {
        boolean keyed = !scheme.keyColumns().isEmpty() && hasAll(scheme.keyColumns());
        for (var column : scheme.marked()) {
            if (!has(column.name())) continue;
            var ck = new ColumnKey(column.name(), column.resolution());
            pairs.computeIfAbsent(ck, k -> pairsOf(readings(k)));
            if (keyed) {
                var g = groups.computeIfAbsent(scheme.keyColumns(), this::groupsOf);
                votes.computeIfAbsent(new VoteKey(scheme.keyColumns(), ck), k -> votesOf(g, readings(ck)));
            }
        }
    }

    Pairs pairs(FingerprintColumn column) {
        return pairs.get(new ColumnKey(column.name(), column.resolution()));
    }

    KeyGroups groups(List<String> keyColumns) {
        return groups.get(keyColumns);
    }

    byte[] votes(List<String> keyColumns, FingerprintColumn column) {
        return votes.get(new VoteKey(keyColumns, new ColumnKey(column.name(), column.resolution())));
    }

    private long[] readings(ColumnKey key) {
        return readings.computeIfAbsent(key, k -> read(table.column(k.name()), k.resolution()));
    }

    /** The grid index of each value, or {@link #UNREADABLE}. */
    static long[] read(Object column, double resolution) {
        int n = switch (column) {
            case double[] a -> a.length;
            case long[] a -> a.length;
            case Object[] a -> a.length;
            default -> throw new IllegalArgumentException(column.getClass().getSimpleName());
        };
        var grid = new ColumnGrid(resolution, resolution);
        var out = new long[n];
        for (int r = 0; r < n; r++) {
            double v = switch (column) {
                case double[] a -> a[r];
                case long[] a -> a[r];
                case Object[] a -> number(a[r]);
                default -> Double.NaN;
            };
            double x = grid.steps(v);
            out[r] = ColumnGrid.markable(x) ? (long) Math.rint(x) : UNREADABLE;
        }
        return out;
    }

    private static double number(Object v) {
        return switch (v) {
            case Number n -> n.doubleValue();
            case CharSequence s -> parse(s.toString());
            case null, default -> Double.NaN;
        };
    }

    private static double parse(String s) {
        try {
            return Double.parseDouble(s.strip());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    static Pairs pairsOf(long[] readings) {
        long[] sorted = Arrays.stream(readings).filter(n -> n != UNREADABLE).sorted().toArray();
        var pairs = new long[sorted.length];
        var parity = new byte[sorted.length];
        int units = 0;
        for (int i = 0; i < sorted.length; ) {
            long pair = sorted[i] >> 1;
            int vote = 0;
            for (; i < sorted.length && sorted[i] >> 1 == pair; i++) vote += (sorted[i] & 1) == 1 ? 1 : -1;
            if (vote != 0) {
                pairs[units] = pair;
                parity[units] = (byte) (vote > 0 ? 1 : 0);
                units++;
            }
        }
        return new Pairs(Arrays.copyOf(pairs, units), Arrays.copyOf(parity, units));
    }

    private KeyGroups groupsOf(List<String> keyColumns) {
        int rows = table.rowCount();
        var columns = keyColumns.stream().map(table::column).toArray();
        var kinds = Arrays.stream(columns).mapToInt(KeyWords::kind).toArray();
        var key = new KeyWords();
        int capacity = Integer.highestOneBit(Math.max(2, rows) * 2 - 1) << 1;
        var slots = new int[capacity]; // group + 1, 0 when empty
        var groupOf = new int[rows];
        var hashes = new long[Math.max(16, rows)];
        var offsets = new int[Math.max(16, rows) + 1];
        var words = new long[Math.max(16, rows * 4)];
        int count = 0;
        for (int r = 0; r < rows; r++) {
            key.reset();
            for (int k = 0; k < columns.length; k++) key.add(kinds[k], columns[k], r);
            long h = SipHash.hash(0, 0, key.words(), 0, key.size()); // public key: only spreads the table
            int slot = (int) (h ^ (h >>> 32)) & (capacity - 1);
            int group = -1;
            while (slots[slot] != 0) {
                int g = slots[slot] - 1;
                if (hashes[g] == h && key.sameAs(words, offsets[g], offsets[g + 1] - offsets[g])) {
                    group = g;
                    break;
                }
                slot = (slot + 1) & (capacity - 1);
            }
            if (group < 0) {
                group = count++;
                slots[slot] = count;
                hashes[group] = h;
                int end = offsets[group] + key.size();
                if (end > words.length) words = Arrays.copyOf(words, Math.max(end, words.length * 2));
                System.arraycopy(key.words(), 0, words, offsets[group], key.size());
                offsets[group + 1] = end;
            }
            groupOf[r] = group;
        }
        return new KeyGroups(count, groupOf, words, Arrays.copyOf(offsets, count + 1));
    }

    /** Per key group, the majority parity of the column's values: 0, 1, or -1 for none or a tie. */
    private static byte[] votesOf(KeyGroups groups, long[] readings) {
        var sum = new int[groups.count()];
        var seen = new boolean[groups.count()];
        for (int r = 0; r < readings.length; r++) {
            if (readings[r] == UNREADABLE) continue;
            int g = groups.groupOf()[r];
            sum[g] += (readings[r] & 1) == 1 ? 1 : -1;
            seen[g] = true;
        }
        var out = new byte[groups.count()];
        for (int g = 0; g < out.length; g++) out[g] = (byte) (!seen[g] || sum[g] == 0 ? -1 : sum[g] > 0 ? 1 : 0);
        return out;
    }
}
