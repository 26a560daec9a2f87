package kr.max.models;

import java.util.List;

/**
 * The output of a batch prediction as a small table, written to CSV by {@code max predict}.
 *
 * @param columns column names
 * @param rows    one array per row, values are {@link String}, {@link Number} or {@link Boolean}
 */
public record Predictions(List<String> columns, List<Object[]> rows) {

    public Predictions {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
        for (var r : rows) {
            if (r.length != columns.size()) throw new IllegalArgumentException("row of " + r.length + " for " + columns);
        }
    }
}
