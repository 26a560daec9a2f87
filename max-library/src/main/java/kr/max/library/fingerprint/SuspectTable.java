package kr.max.library.fingerprint;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A suspected leaked copy, column by column, as read from a file. Columns may be missing, renamed ones
 * count as missing, rows may be a reordered subset of an export, values rounded. The library fills it from
 * a CSV or Parquet file; the tracer matches columns to a candidate's scheme by name.
 *
 * <p>Column values are held as given:
 * <ul>
 *   <li>{@code double[]} — numbers, {@code NaN} for a missing value;</li>
 *   <li>{@code long[]} — integral numbers, or points in time as epoch microseconds;</li>
 *   <li>{@code Object[]} (so also {@code String[]}) — numbers, text, {@code java.time} values, nulls.
 *       Text in a marked column is parsed as a number; text in a key column stays text, so a timestamp
 *       column read from CSV must be parsed into {@code java.time} values (or epoch microseconds) first, at
 *       the precision the file shows.</li>
 * </ul>
 */
public final class SuspectTable {

    private final int rowCount;
    private final Map<String, Object> columns;

    private SuspectTable(int rowCount, Map<String, Object> columns) {
        this.rowCount = rowCount;
        this.columns = Collections.unmodifiableMap(columns);
    }

    /** A builder for a table of {@code rowCount} rows. */
    public static Builder builder(int rowCount) {
        return new Builder(rowCount);
    }

    public int rowCount() {
        return rowCount;
    }

    public Set<String> columnNames() {
        return columns.keySet();
    }

    Object column(String name) {
        return columns.get(name);
    }

    /** Collects the columns of a {@link SuspectTable}; arrays are kept, not copied. */
    public static final class Builder {

        private final int rowCount;
        private final Map<String, Object> columns = new LinkedHashMap<>();

        private Builder(int rowCount) {
            if (rowCount < 0) throw new IllegalArgumentException("rowCount " + rowCount);
            this.rowCount = rowCount;
        }

        public Builder column(String name, double[] values) {
            return put(name, values, values.length);
        }

        public Builder column(String name, long[] values) {
            return put(name, values, values.length);
        }

        public Builder column(String name, Object[] values) {
            return put(name, values, values.length);
        }

        private Builder put(String name, Object values, int length) {
            if (length != rowCount) {
                throw new IllegalArgumentException("column " + name + " has " + length + " values for " + rowCount + " rows");
            }
            if (columns.putIfAbsent(name, values) != null) throw new IllegalArgumentException("column " + name + " twice");
            return this;
        }

        public SuspectTable build() {
            return new SuspectTable(rowCount, new LinkedHashMap<>(columns));
        }
    }
}
