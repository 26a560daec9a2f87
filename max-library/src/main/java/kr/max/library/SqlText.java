package kr.max.library;

/** Small helpers for SQL text handed to DuckDB. */
final class SqlText {

    private SqlText() {
    }

    static String firstLine(String message) {
        if (message == null) return "";
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
