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
 * (CI starts Debian's PostgreSQL on 127.0.0.1), else an embedded PostgreSQL started here. PostgreSQL
 * refuses to run as root, so as root the test starts the machine's own PostgreSQL binaries as the
 * {@code postgres} user instead, and without any it skips, saying why ({@link #unavailableReason()}).
 */
public final class TestPostgres implements AutoCloseable {

    public static final String ENV = "MAX_TEST_PG_URL";

    private final EmbeddedPostgres embedded;
    private final LocalServer local;
    private final String adminUrl;
    private final String database;

    private TestPostgres(EmbeddedPostgres embedded, LocalServer local, String adminUrl, String database) {
        this.embedded = embedded;
        this.local = local;
        this.adminUrl = adminUrl;
        this.database = database;
    }

    /** Null when PostgreSQL can be had, else the reason it cannot. */
    public static String unavailableReason() {
        if (System.getenv(ENV) != null) return null;
        if ("root".equals(System.getProperty("user.name")) && LocalServer.binaries() == null) {
            return "running as root without " + ENV + " and without PostgreSQL binaries in /usr/lib/postgresql: "
                    + "embedded PostgreSQL refuses root; .ci/run installs and starts a server";
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
        LocalServer local = null;
        String admin;
        if (external != null) {
            admin = external;
        } else if ("root".equals(System.getProperty("user.name"))) {
            local = LocalServer.start();
            admin = "jdbc:postgresql://127.0.0.1:" + local.port + "/postgres?user=postgres";
        } else {
            embedded = EmbeddedPostgres.builder().start();
            admin = embedded.getJdbcUrl("postgres", "postgres");
        }
        String db = "max_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(admin); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + db);
        }
        return new TestPostgres(embedded, local, admin, db);
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
            if (local != null) local.stop();
        }
    }

    /** The machine's PostgreSQL, run as the unprivileged {@code postgres} user in a temporary data directory. */
    private static final class LocalServer {
        final java.nio.file.Path bin;
        final java.nio.file.Path data;
        final int port;

        private LocalServer(java.nio.file.Path bin, java.nio.file.Path data, int port) {
            this.bin = bin;
            this.data = data;
            this.port = port;
        }

        static java.nio.file.Path binaries() {
            var root = java.nio.file.Path.of("/usr/lib/postgresql");
            if (!java.nio.file.Files.isDirectory(root) || !java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/sbin/runuser"))) {
                return null;
            }
            try (var versions = java.nio.file.Files.list(root)) {
                return versions.map(v -> v.resolve("bin")).filter(b -> java.nio.file.Files.isExecutable(b.resolve("initdb")))
                        .max(java.util.Comparator.comparing(java.nio.file.Path::toString)).orElse(null);
            } catch (IOException e) {
                return null;
            }
        }

        static LocalServer start() throws IOException {
            java.nio.file.Path bin = binaries();
            java.nio.file.Path data = java.nio.file.Files.createTempDirectory("max-test-pg-");
            int port;
            try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            }
            run("chown", "postgres", data.toString());
            run("/usr/sbin/runuser", "-u", "postgres", "--", bin.resolve("initdb").toString(), "-D", data.toString(),
                    "-A", "trust", "-U", "postgres", "-E", "UTF8");
            run("/usr/sbin/runuser", "-u", "postgres", "--", bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w",
                    "-l", data.resolve("log").toString(), "-o",
                    "-c listen_addresses=127.0.0.1 -p " + port + " -k " + data, "start");
            return new LocalServer(bin, data, port);
        }

        void stop() throws IOException {
            run("/usr/sbin/runuser", "-u", "postgres", "--", bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m",
                    "fast", "stop");
            run("rm", "-rf", data.toString());
        }

        private static void run(String... command) throws IOException {
            try {
                Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                if (p.waitFor() != 0) throw new IOException(String.join(" ", command) + " failed: " + out);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
    }
}
