package kr.max.server;

import java.util.ArrayList;
import java.util.List;
import kr.max.core.Principal;
import kr.max.library.Library;
import kr.max.library.query.ResultSink;

/** The rows of a query through the library, for tests that look at what landed in a dataset. */
final class QueryRows {

    private QueryRows() {
    }

    static List<Object[]> of(Library library, Principal who, String sql) {
        var out = new ArrayList<Object[]>();
        library.query(who, sql, new ResultSink() {
            @Override
            public void columns(List<String> names, List<String> sqlTypes) {
            }

            @Override
            public void row(Object[] values) {
                out.add(values.clone());
            }
        });
        return out;
    }

    /** The first column of the only row, as a number ({@code SELECT count(*) …}). */
    static long number(Library library, Principal who, String sql) {
        return ((Number) of(library, who, sql).getFirst()[0]).longValue();
    }
}
