package kr.max.core;

/**
 * Where a problem happened, as precisely as known: a file position and/or a dataset version.
 *
 * <p>Any component may be absent ({@code null}, or {@code 0} for line and column).
 *
 * @param file       file name as the user gave it
 * @param line       1-based line number in the file, 0 if unknown
 * @param column     1-based field number in the row, 0 if unknown
 * @param columnName the column's name where known
 * @param dataset    dataset name where known
 * @param version    dataset version number where known
 */
public record Location(String file, long line, int column, String columnName, String dataset, Integer version) {

    public static final Location NOWHERE = new Location(null, 0, 0, null, null, null);

    public static Location file(String file) {
        return new Location(file, 0, 0, null, null, null);
    }

    public static Location line(String file, long line) {
        return new Location(file, line, 0, null, null, null);
    }

    public static Location cell(String file, long line, int column, String columnName) {
        return new Location(file, line, column, columnName, null, null);
    }

    public static Location dataset(String dataset, Integer version) {
        return new Location(null, 0, 0, null, dataset, version);
    }

    public boolean isKnown() {
        return file != null || dataset != null;
    }

    /** A compact, language-neutral rendering: {@code press.csv:40001:3 (pressure_1)} or {@code kamp/press@2}. */
    @Override
    public String toString() {
        var sb = new StringBuilder();
        if (file != null) {
            sb.append(file);
            if (line > 0) sb.append(':').append(line);
            if (column > 0) sb.append(':').append(column);
            if (columnName != null) sb.append(" (").append(columnName).append(')');
        }
        if (dataset != null) {
            if (!sb.isEmpty()) sb.append(' ');
            sb.append(dataset);
            if (version != null) sb.append('@').append(version);
        }
        return sb.toString();
    }
}
