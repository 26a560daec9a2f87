package kr.max.library.agreement;

import java.util.Locale;
import java.util.Optional;

/** What a consumer must do in return for a permission: the ODRL obligations the library can enforce. */
public enum Duty {
    /** Cite the provider wherever results appear. */
    ATTRIBUTE,
    /** Results are held for review before release (데이터안심구역). */
    REVIEW_OUTPUT,
    /** Delete what left the library once the agreement ends. */
    DELETE_AT_END;

    public String word() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Optional<Duty> fromWord(String word) {
        for (var d : values()) {
            if (d.word().equals(word)) return Optional.of(d);
        }
        return Optional.empty();
    }
}
