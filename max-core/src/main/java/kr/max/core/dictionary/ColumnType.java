package kr.max.core.dictionary;

import java.util.Locale;
import kr.max.core.CoreError;
import kr.max.core.Location;
import kr.max.core.MaxException;

/** A column's logical type, stored as the Parquet/SQL type given by {@link #sqlType()}. */
public enum ColumnType {
    BOOLEAN("BOOLEAN"),
    INTEGER("BIGINT"),
    DECIMAL("DOUBLE"),
    /** An instant; naive text is read in the dataset's time zone and stored as UTC. */
    TIMESTAMP("TIMESTAMPTZ"),
    STRING("VARCHAR");

    private final String sqlType;

    ColumnType(String sqlType) {
        this.sqlType = sqlType;
    }

    public String sqlType() {
        return sqlType;
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ColumnType parse(String word) {
        for (var t : values()) {
            if (t.word().equalsIgnoreCase(word == null ? "" : word.trim())) return t;
        }
        throw new MaxException(CoreError.UNKNOWN_VALUE, Location.NOWHERE, word, "boolean|integer|decimal|timestamp|string");
    }
}
