package kr.max.library;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A fresh PostgreSQL database for a test class: on the server named by {@code MAX_TEST_PG_URL}
 * (CI starts Debian's PostgreSQL on 127.0.0.1), else an embedded PostgreSQL started here.
 * PostgreSQL refuses to run as root, so as root without {@code MAX_TEST_PG_URL} there is none:
 * {@link #available()} says why.
 */
public final class TestPostgres implements AutoCloseable {

    public static final String ENV = "MAX_TEST_PG_URL";

    private final EmbeddedPostgres embedded;
    private final String adminUrl;
    private final String database;

    private TestPostgres(EmbeddedPostgres embedded, String adminUrl, String database) {
        this.embedded = embedded;
        this.adminUrl = adminUrl;
        this.database = database;
    }

    /** Null when PostgreSQL can be had, else the reason it cannot. */
    public static String unavailableReason() {
        if (System.getenv(ENV) != null) return null;
        if ("root".equals(System.getProperty("user.name"))) {
            return "running as root without " + ENV + ": embedded PostgreSQL refuses root; .ci/run provides a server";
        }
        return null;
    }

    /** Starts one for a test class, or skips the class (JUnit assumption) saying why there is none. */
    public static TestPostgres startOrSkip() throws IOException, SQLException {
        String reason = unavailableReason();
        org.junit.jupiter.api.Assumptions.assumeTrue(reason == null, reason);
        return start();
    }

    /** Stops what {@link #startOrSkip()} started, if anything. */
    public static void stop(TestPostgres pg) throws IOException, SQLException {
        if (pg != null) pg.close();
    }

    public static TestPostgres start() throws IOException, SQLException {
        String external = System.getenv(ENV);
        EmbeddedPostgres embedded = null;
        String admin;
        if (external != null) {
            admin = external;
        } else {
            embedded = EmbeddedPostgres.builder().start();
            admin = embedded.getJdbcUrl("postgres", "postgres");
        }
        String db = "max_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(admin); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + db);
        }
        return new TestPostgres(embedded, admin, db);
    }

    /** JDBC URL of this test's own database. */
    public String url() {
        int q = adminUrl.indexOf('?');
        String base = q < 0 ? adminUrl : adminUrl.substring(0, q);
        String params = q < 0 ? "" : adminUrl.substring(q);
        return base.substring(0, base.lastIndexOf('/') + 1) + database + params;
    }

    @Override
    public void close() throws IOException, SQLException {
        try (Connection c = DriverManager.getConnection(adminUrl); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        } finally {
            if (embedded != null) embedded.close();
        }
    }
}
