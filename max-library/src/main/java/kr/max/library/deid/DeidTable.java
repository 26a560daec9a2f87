package kr.max.library.deid;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A table in memory, column by column, for the {@link Deidentifier}: typed arrays with no boxing, so a million rows
 * of ten columns take about a hundred megabytes. Arrays are not copied: the caller must not change them while the
 * table is in use.
 *
 * <p>Which column kind a dictionary type needs: {@code timestamp} → {@link Timestamps}, {@code integer} and
 * {@code decimal} → {@link Numbers} (integers are exact up to 2<sup>53</sup>), {@code string} and {@code boolean} →
 * {@link Texts} ({@code "true"}, {@code "false"}).
 */
public final class DeidTable {

    /** One column. */
    public sealed interface Column permits Timestamps, Numbers, Texts {
        String name();

        int size();

        boolean isNull(int row);

        /** The kind in words, for error messages: {@code timestamps}, {@code numbers}, {@code texts}. */
        String kind();
    }

    /** Instants as microseconds since 1970-01-01T00:00Z; {@link #NULL} for a missing value. */
    public record Timestamps(String name, long[] micros) implements Column {
        public static final long NULL = Long.MIN_VALUE;

        public Timestamps {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(micros, "micros");
        }

        @Override
        public int size() {
            return micros.length;
        }

        @Override
        public boolean isNull(int row) {
            return micros[row] == NULL;
        }

        @Override
        public String kind() {
            return "timestamps";
        }
    }

    /** Numbers; {@code NaN} for a missing value. */
    public record Numbers(String name, double[] values) implements Column {
        public Numbers {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(values, "values");
        }

        @Override
        public int size() {
            return values.length;
        }

        @Override
        public boolean isNull(int row) {
            return Double.isNaN(values[row]);
        }

        @Override
        public String kind() {
            return "numbers";
        }
    }

    /** Text; {@code null} for a missing value. */
    public record Texts(String name, String[] values) implements Column {
        public Texts {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(values, "values");
        }

        @Override
        public int size() {
            return values.length;
        }

        @Override
        public boolean isNull(int row) {
            return values[row] == null;
        }

        @Override
        public String kind() {
            return "texts";
        }
    }

    private final int rowCount;
    private final Map<String, Column> columns;

    private DeidTable(int rowCount, Map<String, Column> columns) {
        this.rowCount = rowCount;
        this.columns = columns;
    }

    /**
     * A table of the given columns, all of {@code rowCount} values, names unique.
     *
     * @throws IllegalArgumentException for a column of another length or a repeated name
     */
    public static DeidTable of(int rowCount, List<? extends Column> columns) {
        var map = new LinkedHashMap<String, Column>();
        for (Column c : columns) {
            if (c.size() != rowCount) {
                throw new IllegalArgumentException("column " + c.name() + " has " + c.size() + " values, not " + rowCount);
            }
            if (map.putIfAbsent(c.name(), c) != null) throw new IllegalArgumentException("duplicate column " + c.name());
        }
        return new DeidTable(rowCount, map);
    }

    public int rowCount() {
        return rowCount;
    }

    /** The columns in order. */
    public List<Column> columns() {
        return List.copyOf(columns.values());
    }

    /** The column named {@code name}, or {@code null}. */
    public Column column(String name) {
        return columns.get(name);
    }

    public List<String> names() {
        return List.copyOf(columns.keySet());
    }

    @Override
    public String toString() {
        return "DeidTable[" + rowCount + " rows, " + columns.keySet() + "]";
    }
}
