package kr.max.cli;

import java.nio.charset.Charset;
import java.util.Locale;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.library.ingest.IngestError;

/** Maps the CLI's encoding and delimiter words to values. */
final class Encodings {

    private Encodings() {
    }

    /** {@code auto} → null (detect); {@code cp949}/{@code euc-kr} → windows-949, a superset of both. */
    static Charset parse(String word) {
        String w = word.toLowerCase(Locale.ROOT).trim();
        return switch (w) {
            case "auto" -> null;
            case "cp949", "ms949", "windows-949", "x-windows-949", "euc-kr", "euckr" -> Charset.forName("x-windows-949");
            case "utf-8", "utf8" -> java.nio.charset.StandardCharsets.UTF_8;
            default -> {
                try {
                    yield Charset.forName(word);
                } catch (IllegalArgumentException e) {
                    throw new MaxException(IngestError.UNKNOWN_ENCODING, Location.NOWHERE, word);
                }
            }
        };
    }

    /** The name a user knows: {@code CP949} rather than Java's {@code x-windows-949}; {@code -} for none. */
    static String display(Charset charset) {
        return charset == null ? "-" : display(charset.name());
    }

    static String display(String charsetName) {
        if (charsetName == null) return "-";
        return switch (charsetName.toLowerCase(Locale.ROOT)) {
            case "x-windows-949", "windows-949", "ms949", "cp949" -> "CP949";
            default -> charsetName;
        };
    }

    static Character delimiter(String word) {
        return switch (word) {
            case "\\t", "tab", "TAB" -> '\t';
            default -> word.charAt(0);
        };
    }
}
