package kr.max.core.dictionary;

import java.util.Locale;
import kr.max.core.CoreError;
import kr.max.core.Location;
import kr.max.core.MaxException;

/** Why a column needs care beyond the dataset's classification. */
public enum Sensitivity {
    NONE,
    /** Identifies a person (operator, inspector). */
    PERSONAL,
    /** A company's secret: recipes, setpoints, supplier names. */
    TRADE_SECRET;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Sensitivity parse(String word) {
        for (var s : values()) {
            if (s.word().equalsIgnoreCase(word == null ? "" : word.trim())) return s;
        }
        throw new MaxException(CoreError.UNKNOWN_VALUE, Location.NOWHERE, word, "none|personal|trade_secret");
    }
}
