package kr.max.library.fingerprint;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kr.max.core.Location;
import kr.max.core.MaxException;

/**
 * Marks the rows of one export as they stream out. Created once per export with that export's secret and
 * scheme and the export's column layout; then fed every row, one by one ({@link #markRow}) or as column
 * batches ({@link #markColumns}), in any order and any batch size: a cell's mark depends only on its row's
 * key values, its column and its own value, never on its position or on other rows.
 *
 * <p>Marked columns come out on their grid, each value within its column's tolerance of the original.
 * Nulls, NaN, infinities and values beyond 2^40 resolution steps pass through unchanged and unmarked. Key
 * values are identified by their canonical form: integral numbers as such, points in time by their epoch
 * microseconds (a {@code LocalDateTime} or {@code java.sql.Timestamp} as UTC wall-clock time), text as
 * text. So a timestamp streamed as a {@code java.sql.Timestamp} and read back from the file as a
 * {@code LocalDateTime} is the same key; the integrator must give keys to the tracer at the precision
 * they were written to the file.
 *
 * <p>Not thread-safe: one instance per export stream (or per thread of one, see {@link #markValue}).
 */
public final class Fingerprinter {

    private final List<String> columnNames;
    private final int[] markedIndex;
    private final ColumnMarker[] markers;
    private final int[] keyIndex;
    private final MarkKeys keys;
    private final KeyWords key = new KeyWords();
    private final int blocks;
    private long rows;

    private Fingerprinter(List<String> columnNames, int[] markedIndex, ColumnMarker[] markers, int[] keyIndex,
                          MarkKeys keys) {
        this.columnNames = columnNames;
        this.markedIndex = markedIndex;
        this.markers = markers;
        this.keyIndex = keyIndex;
        this.keys = keys;
        this.blocks = (markers.length + MarkKeys.LANES - 1) / MarkKeys.LANES;
    }

    /**
     * A fingerprinter for one export.
     *
     * @param secret      the export's secret
     * @param scheme      which columns to mark and which identify a row
     * @param columnNames the export's columns, in the order of the values in a row
     * @throws MaxException {@code MAX-FP-007} when the scheme names a column not among {@code columnNames}
     */
    public static Fingerprinter create(FingerprintSecret secret, FingerprintScheme scheme, List<String> columnNames) {
        var names = List.copyOf(columnNames);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < names.size(); i++) index.putIfAbsent(names.get(i), i);
        var keys = MarkKeys.derive(secret, scheme);
        int n = scheme.marked().size();
        var markedIndex = new int[n];
        var markers = new ColumnMarker[n];
        for (int i = 0; i < n; i++) {
            var column = scheme.marked().get(i);
            markedIndex[i] = require(index, column.name(), names);
            markers[i] = new ColumnMarker(column, keys, i);
        }
        var keyIndex = new int[scheme.keyColumns().size()];
        for (int i = 0; i < keyIndex.length; i++) keyIndex[i] = require(index, scheme.keyColumns().get(i), names);
        return new Fingerprinter(names, markedIndex, markers, keyIndex, keys);
    }

    private static int require(Map<String, Integer> index, String name, List<String> names) {
        Integer i = index.get(name);
        if (i == null) throw new MaxException(FingerprintError.NO_SUCH_COLUMN, Location.NOWHERE, name, String.join(", ", names));
        return i;
    }

    /** The export's columns, in row order. */
    public List<String> columnNames() {
        return columnNames;
    }

    /**
     * Marks one row in place: each marked column's value, when a number, is replaced by its marked value as
     * a {@link Double}; {@code null} stays {@code null}.
     *
     * @param row the row's values in the order of {@link #columnNames()}
     * @throws MaxException {@code MAX-FP-008} when a marked column holds something other than a number
     */
    public void markRow(Object[] row) {
        rows++;
        long rowHash = 0;
        if (keyIndex.length > 0) {
            key.reset();
            for (int k : keyIndex) key.add(row[k]);
            rowHash = keys.rowHash(key.words(), 0, key.size());
        }
        long block = 0;
        for (int i = 0; i < markers.length; i++) {
            int c = markedIndex[i];
            if (keyIndex.length > 0 && i % MarkKeys.LANES == 0) block = keys.block(rowHash, i / MarkKeys.LANES);
            int lane = keyIndex.length > 0 ? MarkKeys.lane(block, i) : ColumnMarker.UNKEYED;
            Object value = row[c];
            if (value instanceof Double d) { // what JDBC gives for DOUBLE, first
                double v = d;
                double out = markers[i].mark(v, lane);
                if (out != v) row[c] = out;
            } else if (value instanceof Number n) {
                row[c] = markers[i].mark(n.doubleValue(), lane);
            } else if (value != null) {
                throw new MaxException(FingerprintError.NOT_A_NUMBER, Location.NOWHERE, rows, columnNames.get(c),
                        value.getClass().getSimpleName());
            }
        }
    }

    /**
     * Marks a batch of rows held column by column, in place. {@code columns[i]} holds the values of
     * column {@code i} of {@link #columnNames()} for rows {@code 0 .. rowCount-1}:
     * <ul>
     *   <li>a marked column: a {@code double[]} ({@code NaN} for null), marked in place, or an
     *       {@code Object[]} of numbers and nulls, whose numbers are replaced by marked {@code Double}s;</li>
     *   <li>a key column: a {@code long[]} or {@code int[]} (integral values, or points in time as epoch
     *       microseconds), a {@code double[]}, or an {@code Object[]} (text, points in time, numbers);</li>
     *   <li>any other column: anything, even {@code null}; it is not read.</li>
     * </ul>
     *
     * @throws IllegalArgumentException when a marked or key column is of another shape
     * @throws MaxException              {@code MAX-FP-008} when a marked column holds something other than a number
     */
    public void markColumns(int rowCount, Object[] columns) {
        if (columns.length != columnNames.size()) {
            throw new IllegalArgumentException(columns.length + " columns for a layout of " + columnNames.size());
        }
        boolean keyed = keyIndex.length > 0;
        var keyColumns = new Object[keyIndex.length];
        var keyKinds = new int[keyIndex.length];
        for (int k = 0; k < keyIndex.length; k++) {
            keyColumns[k] = columns[keyIndex[k]];
            keyKinds[k] = KeyWords.kind(keyColumns[k]);
        }
        // per row, the decision words of its blocks of four columns
        var decisions = new long[keyed ? rowCount * blocks : 0];
        for (int r = 0; keyed && r < rowCount; r++) {
            key.reset();
            for (int k = 0; k < keyColumns.length; k++) key.add(keyKinds[k], keyColumns[k], r);
            long rowHash = keys.rowHash(key.words(), 0, key.size());
            for (int b = 0; b < blocks; b++) decisions[r * blocks + b] = keys.block(rowHash, b);
        }
        for (int i = 0; i < markers.length; i++) {
            var m = markers[i];
            int c = markedIndex[i];
            int b = i / MarkKeys.LANES;
            switch (columns[c]) {
                case double[] values -> {
                    for (int r = 0; r < rowCount; r++) {
                        values[r] = m.mark(values[r], keyed ? MarkKeys.lane(decisions[r * blocks + b], i) : ColumnMarker.UNKEYED);
                    }
                }
                case Object[] values -> {
                    for (int r = 0; r < rowCount; r++) {
                        switch (values[r]) {
                            case null -> { }
                            case Number value -> {
                                double v = value.doubleValue();
                                double out = m.mark(v, keyed ? MarkKeys.lane(decisions[r * blocks + b], i) : ColumnMarker.UNKEYED);
                                if (out != v || !(value instanceof Double)) values[r] = out;
                            }
                            default -> throw new MaxException(FingerprintError.NOT_A_NUMBER, Location.NOWHERE, rows + r + 1,
                                    columnNames.get(c), values[r].getClass().getSimpleName());
                        }
                    }
                }
                case null, default -> throw new IllegalArgumentException("marked column " + columnNames.get(c)
                        + " must be a double[] or an Object[]");
            }
        }
        rows += rowCount;
    }

    /**
     * The identity hash of a row, from its key values in the order of the scheme's key columns, for an
     * engine that evaluates one column at a time (a DuckDB vectorized scalar function per marked column,
     * fed this hash as a column of its own). {@code 0} when the scheme has no key columns.
     */
    /**
     * The identity hash of a row keyed by a point in time (epoch microseconds) and a text, in that order:
     * the same as {@code rowHash(Long.valueOf(micros), text)}, without boxing, for the export's hot path.
     */
    public long rowHash(long micros, String text) {
        if (keyIndex.length != 2) throw new IllegalArgumentException("2 key values for " + keyIndex.length + " key columns");
        key.reset();
        key.addLong(micros);
        if (text == null) key.add((Object) null);
        else key.addText(text);
        return keys.rowHash(key.words(), 0, key.size());
    }

    public long rowHash(Object... keyValues) {
        if (keyValues.length != keyIndex.length) {
            throw new IllegalArgumentException(keyValues.length + " key values for " + keyIndex.length + " key columns");
        }
        if (keyIndex.length == 0) return 0;
        key.reset();
        for (Object v : keyValues) key.add(v);
        return keys.rowHash(key.words(), 0, key.size());
    }

    /**
     * The marked value of one cell: {@code value} of the scheme's marked column {@code markedColumn} (its
     * index in {@link FingerprintScheme#marked()}) in the row whose {@link #rowHash} is given. The same as
     * {@link #markRow} would write. Fingerprinters made from the same secret and scheme mark alike, so an
     * engine running on several threads uses one per thread.
     */
    public double markValue(int markedColumn, double value, long rowHash) {
        int lane = keyIndex.length == 0 ? ColumnMarker.UNKEYED
                : MarkKeys.lane(keys.block(rowHash, markedColumn / MarkKeys.LANES), markedColumn);
        return markers[markedColumn].mark(value, lane);
    }

    /** What this fingerprinter did so far. */
    public Stats stats() {
        long seen = 0;
        long moved = 0;
        long changed = 0;
        for (var m : markers) {
            seen += m.seen;
            moved += m.moved;
            changed += m.changed;
        }
        return new Stats(rows, seen, moved, changed);
    }

    /**
     * Counts of a fingerprinted export, for its record and for a quality report.
     *
     * @param rows         rows given to {@link #markRow} and {@link #markColumns} so far
     * @param cells        non-null cells of marked columns seen, through any of the three methods
     * @param cellsMoved   cells a mark moved off their rounded grid point (each by one step)
     * @param cellsChanged cells whose written value differs from the original at all (rounding included)
     */
    public record Stats(long rows, long cells, long cellsMoved, long cellsChanged) {
    }
}
