package kr.max.core.dictionary;

import java.util.Locale;
import kr.max.core.CoreError;
import kr.max.core.Location;
import kr.max.core.MaxException;

/**
 * What a column means in manufacturing terms. Models, de-identification, the agent and the console
 * bind to roles, never to column names.
 */
public enum ColumnRole {
    TIMESTAMP, ASSET, MEASUREMENT, SETPOINT, LABEL, BATCH, PRODUCT, PERSON, RECIPE, FREE_TEXT,
    /** Anything else: identifiers, counters, codes with no role yet. */
    ATTRIBUTE;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ColumnRole parse(String word) {
        for (var r : values()) {
            if (r.word().equalsIgnoreCase(word == null ? "" : word.trim())) return r;
        }
        throw new MaxException(CoreError.UNKNOWN_VALUE, Location.NOWHERE, word,
                "timestamp|asset|measurement|setpoint|label|batch|product|person|recipe|free_text|attribute");
    }
}
