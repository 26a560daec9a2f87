package kr.max.library.query;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A DuckDB instance in memory for the library's own work on plaintext (conversion, stream flushes, compaction,
 * queries): it never spills to disk (an out-of-memory statement fails instead of writing plaintext to a temporary
 * directory) and never installs or loads an extension of its own accord (nothing is downloaded at run time).
 */
public final class InMemoryDuckDb {

    private InMemoryDuckDb() {
    }

    /** A new instance with those settings, on all cores. */
    public static Connection open() throws SQLException {
        return open(0);
    }

    /**
     * A new instance with those settings, on {@code threads} threads (0: DuckDB's default, all cores), after which the
     * statements of {@code setup} run (a table to fill, a setting of the caller's); closed again if any fails.
     */
    public static Connection open(int threads, String... setup) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:duckdb:");
        try (Statement st = c.createStatement()) {
            st.execute("SET temp_directory = ''");
            st.execute("SET autoinstall_known_extensions = false");
            st.execute("SET autoload_known_extensions = false");
            if (threads > 0) st.execute("SET threads = " + threads);
            for (String sql : setup) st.execute(sql);
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }
}
