package kr.max.library.ingest;

import java.nio.charset.Charset;
import java.util.List;
import java.util.Locale;
import kr.max.core.Location;
import kr.max.core.MaxException;

/**
 * How to read a source file, as given on the command line. Every field {@code null} means: detect it.
 *
 * @param format    {@code csv} (any delimiter), {@code text} (whitespace-separated), {@code jsonl} or {@code parquet}
 * @param encoding  the text encoding; a byte-order mark matching it is still skipped
 * @param delimiter the field delimiter of {@code csv}
 * @param header    whether the first row holds column names
 * @param columns   column names; with a header they replace the header's names (same count required)
 */
public record SourceOptions(String format, Charset encoding, Character delimiter, Boolean header, List<String> columns) {

    public SourceOptions {
        columns = columns == null ? null : List.copyOf(columns);
    }

    /** Detect everything. */
    public static SourceOptions auto() {
        return new SourceOptions(null, null, null, null, null);
    }

    /**
     * The charset for a CLI encoding word: {@code auto} (or blank) gives {@code null}; {@code utf-8}, {@code cp949}
     * (Korean Windows, a superset of EUC-KR), {@code euc-kr}, {@code utf-16le}, {@code utf-16be} and any other Java charset
     * name are accepted.
     *
     * @throws MaxException {@link IngestError#UNKNOWN_ENCODING} for a name Java does not know
     */
    public static Charset encodingNamed(String word) {
        if (word == null || word.isBlank() || word.trim().equalsIgnoreCase("auto")) return null;
        String w = word.trim().toLowerCase(Locale.ROOT);
        String javaName = switch (w) {
            case "utf8", "utf-8" -> "UTF-8";
            case "cp949", "ms949", "windows-949", "uhc" -> "x-windows-949";
            // EUC-KR files are read as CP949, its superset: Excel's "EUC-KR" exports often hold CP949-only syllables.
            case "euc-kr", "euckr", "ksc5601" -> "x-windows-949";
            default -> word.trim();
        };
        try {
            return Charset.forName(javaName);
        } catch (IllegalArgumentException e) {
            throw new MaxException(IngestError.UNKNOWN_ENCODING, Location.NOWHERE, e, word);
        }
    }
}
