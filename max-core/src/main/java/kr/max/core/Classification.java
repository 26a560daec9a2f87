package kr.max.core;

import java.util.Locale;

/**
 * How far a dataset may travel. Ordered from least to most protected.
 */
public enum Classification {
    /** Anyone may read. */
    PUBLIC,
    /** The owner organization only. */
    INTERNAL,
    /** By agreement with the provider. */
    RESTRICTED,
    /**
     * 보안과제 지정 (security-designated): named accessors only, domestic jurisdiction only, no raw
     * export, analysis inside the library only.
     */
    DESIGNATED;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Classification parse(String word) {
        for (var c : values()) {
            if (c.word().equalsIgnoreCase(word == null ? "" : word.trim())) return c;
        }
        throw new MaxException(CoreError.UNKNOWN_VALUE, Location.NOWHERE, word, "public|internal|restricted|designated");
    }
}
