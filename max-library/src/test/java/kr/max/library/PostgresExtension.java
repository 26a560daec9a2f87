package kr.max.library;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A PostgreSQL database for one test class: {@code @RegisterExtension static final PostgresExtension PG = new PostgresExtension();}.
 * Skips the class, saying why, where no PostgreSQL can be had ({@link TestPostgres}).
 */
public final class PostgresExtension implements BeforeAllCallback, AfterAllCallback {

    private TestPostgres pg;
    private int schemas;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        pg = TestPostgres.startOrSkip();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        TestPostgres.stop(pg);
        pg = null;
    }

    /** JDBC URL of the class's own database. */
    public String url() {
        return pg.url();
    }

    /** JDBC URL of a new, empty schema in the class's database: one per test, so tests never see each other. */
    public String freshSchemaUrl() throws java.sql.SQLException {
        String schema = "t" + (++schemas);
        try (var c = java.sql.DriverManager.getConnection(url()); var st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        }
        return url() + (url().contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }
}
