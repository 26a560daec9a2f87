package kr.max.library.query;

/** Small helpers for SQL text handed to DuckDB and for the first line of its error messages. */
public final class SqlText {

    private SqlText() {
    }

    /** The first line of a (DuckDB) error message, which is the part fit to show a user. */
    public static String firstLine(String message) {
        if (message == null) return "";
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /** A string literal: {@code 'it''s'}. */
    public static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    /** A quoted identifier: {@code "kamp/press@2"}. */
    public static String identifier(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }
}
