package kr.max.library.ingest;

import kr.max.core.Location;
import kr.max.core.MaxException;

/**
 * A problem at a place in a source file.
 *
 * @param error      what is wrong
 * @param line       1-based physical line where the row starts (the line of the bad byte for {@link IngestError#BAD_ENCODING})
 * @param column     1-based field number, 0 for a problem of the whole row
 * @param columnName the column's name where known, else {@code null}
 * @param value      the offending text, may be {@code null}
 */
public record IngestProblem(IngestError error, long line, int column, String columnName, String value) {

    /** The problem as an error a user can read, located at {@code fileName:line:column (columnName)}. */
    public MaxException toException(String fileName) {
        return new MaxException(error, Location.cell(fileName, line, column, columnName), value == null ? "" : value);
    }
}
