package kr.max.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kr.max.core.Classification;
import kr.max.core.Principal;
import kr.max.factory.edge.EdgeNode;
import kr.max.library.Library;
import kr.max.library.LibraryConfig;
import kr.max.library.crypto.MasterKey;
import kr.max.library.query.ResultSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edge outage test against the real hub: the library server's stream endpoint stores what an edge (a child JVM
 * running the twin) forwards. The hub server is stopped for a while and started again on the same port; the edge is
 * killed with SIGKILL during the outage and restarted. At the end, per source, the stream dataset holds the sequence
 * numbers 1..N exactly once each, N being the last number the edge captured: no sample lost, none twice.
 */
class EdgeToHubTest {

    @TempDir
    Path dir;

    static final String DATASET = "hanbit/edge-line";

    @Test
    void anEdgeLosesNothingAndDuplicatesNothingAcrossAHubOutageAndAKill() throws Exception {
        String token = SingleTokenAuthenticator.generateToken();
        Files.writeString(dir.resolve("token"), token + "\n");
        Principal hubOperator = Principal.localOperator();
        Path status = dir.resolve("status.properties");
        try (Library library = Library.open(LibraryConfig.embedded(dir.resolve("hub"), MasterKey.of("edge to hub test master secret")))) {
            library.streams().create(hubOperator, DATASET, Classification.INTERNAL);
            ServerOptions options = ServerOptions.of(library, new SingleTokenAuthenticator(token, hubOperator));
            MaxServer hub = MaxServer.start(options);
            int port = hub.port();
            List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                    EdgeNode.class.getName(), "--buffer", dir.resolve("buffer").toString(), "--hub", hub.url().toString(),
                    "--dataset", DATASET, "--edge-id", "edge-changwon", "--key-file", dir.resolve("edge.key").toString(),
                    "--token-file", dir.resolve("token").toString(), "--twin", "--speed", "20x", "--segment-mb", "1",
                    "--status-file", status.toString(), "--control", "stdin");
            Process edge = start(cmd, "edge-1.log");
            Properties last;
            try {
                await("live forwarding").atMost(Duration.ofSeconds(120)).until(() -> rows(library, hubOperator) >= 500);

                hub.close();
                await("capture during the outage").atMost(Duration.ofSeconds(120)).until(() -> number(read(status), "buffered") >= 3000);
                edge.destroyForcibly(); // SIGKILL: no shutdown hook, no last commit
                assertThat(edge.waitFor(30, TimeUnit.SECONDS)).isTrue();
                Files.deleteIfExists(status);
                edge = start(cmd, "edge-2.log");
                await("the edge back, the hub away").atMost(Duration.ofSeconds(120)).until(() -> number(read(status), "captured") >= 1000);

                hub = MaxServer.start(options.withPort(port));
                long before = rows(library, hubOperator);
                await("the backlog forwarded").atMost(Duration.ofSeconds(180)).until(() -> rows(library, hubOperator) > before + 3000);
                command(edge, "stop-sources");
                await("drained").atMost(Duration.ofSeconds(180)).until(() -> {
                    Properties p = read(status);
                    return "false".equals(p.getProperty("sourcesRunning")) && number(p, "buffered") == 0;
                });
                last = read(status);
                command(edge, "exit");
                assertThat(edge.waitFor(60, TimeUnit.SECONDS)).isTrue();
            } catch (Throwable t) {
                throw new AssertionError(t.getMessage() + "\n--- edge 1 ---\n" + tail("edge-1.log") + "\n--- edge 2 ---\n" + tail("edge-2.log"), t);
            } finally {
                edge.destroyForcibly();
                hub.close();
            }

            Map<String, Long> captured = new HashMap<>();
            for (String key : last.stringPropertyNames()) {
                if (key.startsWith("last.")) captured.put("edge-changwon/" + key.substring(5), Long.parseLong(last.getProperty(key)));
            }
            assertThat(captured).hasSize(4);
            var perSource = new HashMap<String, long[]>();
            library.query(hubOperator, "SELECT source, count(*), count(DISTINCT sequence), min(sequence), max(sequence) FROM \""
                    + DATASET + "\" GROUP BY source", new ResultSink() {
                        @Override
                        public void columns(List<String> names, List<String> sqlTypes) {
                        }

                        @Override
                        public void row(Object[] v) {
                            perSource.put((String) v[0], new long[]{n(v[1]), n(v[2]), n(v[3]), n(v[4])});
                        }
                    });
            assertThat(perSource.keySet()).isEqualTo(captured.keySet());
            captured.forEach((source, n) -> {
                long[] s = perSource.get(source);
                assertThat(s).as("rows, distinct sequences, first, last of %s", source).containsExactly(n, n, 1, n);
            });
        }
    }

    private static long n(Object o) {
        return ((Number) o).longValue();
    }

    private static long rows(Library library, Principal who) {
        var count = new long[1];
        library.query(who, "SELECT count(*) FROM \"" + DATASET + "\"", new ResultSink() {
            @Override
            public void columns(List<String> names, List<String> sqlTypes) {
            }

            @Override
            public void row(Object[] values) {
                count[0] = n(values[0]);
            }
        });
        return count[0];
    }

    private Process start(List<String> cmd, String log) throws IOException {
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(log).toFile()).start();
    }

    private static void command(Process p, String line) throws IOException {
        OutputStream in = p.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    private static Properties read(Path file) {
        var p = new Properties();
        if (!Files.isRegularFile(file)) return p;
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            // being rewritten: the next look reads it
        }
        return p;
    }

    private static long number(Properties p, String key) {
        String v = p.getProperty(key);
        return v == null ? -1 : Long.parseLong(v.trim());
    }

    private String tail(String log) {
        try {
            String s = Files.readString(dir.resolve(log));
            return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
