package kr.max.library.query;

import kr.max.core.ErrorCode;

/** Errors of SQL queries over the library. */
public enum QueryError implements ErrorCode {
    /** The SQL does not parse. */
    SYNTAX("MAX-QUERY-001"),
    /** Only one SELECT statement (with WITH, UNION, …) may be run. */
    NOT_A_SELECT("MAX-QUERY-002"),
    /** A table named in the query is not a dataset of the library. */
    UNKNOWN_TABLE("MAX-QUERY-003"),
    /** DuckDB failed while running the query. */
    EXECUTION("MAX-QUERY-004"),
    /** The query tried to reach files, extensions or settings outside the library. */
    FORBIDDEN("MAX-QUERY-005"),
    /** Writing the export failed. */
    EXPORT("MAX-QUERY-006"),
    /** The safe zone releases aggregates over datasets only, never rows as they are stored. */
    SAFE_ZONE_NOT_AGGREGATE("MAX-QUERY-007");

    private final String code;

    QueryError(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }

    @Override
    public String bundle() {
        return "kr.max.library.query.messages";
    }
}
