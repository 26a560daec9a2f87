package kr.max.library.ingest;

import java.nio.file.Path;

/**
 * A streaming reader of the rows of one source file: delimited text (CSV, TSV, …), whitespace-separated text,
 * JSON Lines or Parquet. Memory stays bounded whatever the file size; the file is never read whole.
 *
 * <pre>{@code
 * try (var source = RowSource.open(path, SourceOptions.auto())) {
 *     var row = new RawRow();
 *     while (source.next(row)) {
 *         if (row.problem() != null) { ...count, list or skip it...; continue; }
 *         String first = row.get(0);
 *     }
 * }
 * }</pre>
 *
 * Not thread-safe.
 */
public interface RowSource extends AutoCloseable {

    /**
     * Detects format, text encoding, delimiter and header (each unless {@code options} gives it), then positions
     * before the first data row.
     *
     * @throws kr.max.core.MaxException located at the file: {@link IngestError#FILE_NOT_FOUND},
     *         {@link IngestError#UNKNOWN_FORMAT}, {@link IngestError#EMPTY_FILE}, {@link IngestError#DUPLICATE_COLUMN},
     *         {@link IngestError#BAD_ENCODING} (in the header), {@link IngestError#UNKNOWN_COLUMN} /
     *         {@link IngestError#MISSING_COLUMN} (given columns do not match the header's count)
     */
    static RowSource open(Path file, SourceOptions options) {
        return SourceDetector.open(file, options == null ? SourceOptions.auto() : options);
    }

    /** What was detected. */
    SourceInfo info();

    /**
     * Fills {@code row} with the next row; false at the end of the file. Structural problems of a row (extra or
     * missing fields, a cut-off row, undecodable bytes, a malformed JSON line, an unknown JSON key) are not thrown
     * but put in {@link RawRow#problem()}, so the caller can count, list or skip such rows.
     */
    boolean next(RawRow row);

    @Override
    void close();
}
