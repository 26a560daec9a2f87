package kr.max.library.ingest;

import java.nio.charset.Charset;
import java.util.List;

/**
 * What was detected about a source file.
 *
 * @param fileName  the file's name (without directories), as used in problem locations
 * @param format    {@code csv}, {@code text}, {@code jsonl} or {@code parquet}
 * @param charset   the text encoding (UTF-8 for Parquet)
 * @param delimiter the field delimiter of {@code csv}; {@code null} for the other formats
 * @param header    whether the column names came from the file (always true for Parquet and JSON Lines)
 * @param columns   the column names in file order, unique
 */
public record SourceInfo(String fileName, String format, Charset charset, Character delimiter, boolean header,
                         List<String> columns) {

    public SourceInfo {
        columns = List.copyOf(columns);
    }
}
