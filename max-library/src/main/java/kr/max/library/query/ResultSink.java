package kr.max.library.query;

import java.util.List;

/** Receives a query result as it streams out of DuckDB. */
public interface ResultSink {

    /** Called once, before any row. */
    void columns(List<String> names, List<String> sqlTypes);

    /** One row; the array is not reused. Timestamps arrive as {@link java.time.OffsetDateTime}. */
    void row(Object[] values);
}
