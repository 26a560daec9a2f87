package kr.max.factory.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import kr.max.factory.Twins;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edge outage test: the edge runs as a child JVM with the twin as its source and forwards to the test hub over
 * loopback; the hub is stopped for a while (capture goes on), the edge is killed with SIGKILL while samples wait in
 * its buffer and started again, the hub returns; at the end the source is stopped and the buffer drained. Every
 * source's committed sequence numbers must be exactly 1..N, each once, with N the last number the edge captured.
 */
class EdgeOutageTest {

    static final String TOKEN = "outage-test-token";

    @TempDir
    Path dir;

    @Test
    void aHubOutageAndAKilledEdgeLoseNoSampleAndCommitNoneTwice() throws Exception {
        Files.writeString(dir.resolve("token"), TOKEN + "\n");
        Path statusFile = dir.resolve("status.properties");
        try (TestHub hub = TestHub.start(TOKEN, true)) {
            List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                    EdgeNode.class.getName(), "--buffer", dir.resolve("buffer").toString(), "--hub", hub.url().toString(),
                    "--dataset", "line-1-stream", "--edge-id", "edge-7", "--key-file", dir.resolve("master.key").toString(),
                    "--token-file", dir.resolve("token").toString(), "--twin", "--speed", "20x", "--segment-mb", "1",
                    "--status-file", statusFile.toString(), "--control", "stdin");

            Process edge = start(cmd, "edge-1.log");
            Properties atKill;
            Properties last;
            long committedBeforeOutage;
            try {
                await("live forwarding").atMost(Duration.ofSeconds(120)).until(() -> hub.committedCount() >= 500);

                hub.stop();
                committedBeforeOutage = hub.committedCount();
                await("capture during the outage").atMost(Duration.ofSeconds(120))
                        .until(() -> number(status(statusFile), "buffered") >= 5000);

                atKill = status(statusFile);
                edge.destroyForcibly(); // SIGKILL: no shutdown hook, no final commit
                assertThat(edge.waitFor(30, TimeUnit.SECONDS)).isTrue();
                Files.deleteIfExists(statusFile);

                edge = start(cmd, "edge-2.log");
                await("the edge back, the hub still away").atMost(Duration.ofSeconds(120)).until(() -> {
                    Properties p = status(statusFile);
                    return number(p, "captured") >= 3000 && "false".equals(p.getProperty("hubReachable"));
                });
                Properties afterRestart = status(statusFile);
                lastSequences(atKill).forEach((source, n) ->
                        assertThat(number(afterRestart, "last." + source)).as("numbering continues for %s", source).isGreaterThan(n));

                hub.start();
                await("forwarding the backlog").atMost(Duration.ofSeconds(120))
                        .until(() -> hub.committedCount() > committedBeforeOutage + 10000);

                command(edge, "stop-sources");
                await("drained").atMost(Duration.ofSeconds(180)).until(() -> {
                    Properties p = status(statusFile);
                    return "false".equals(p.getProperty("sourcesRunning")) && number(p, "buffered") == 0;
                });
                last = status(statusFile);
                command(edge, "exit");
                assertThat(edge.waitFor(60, TimeUnit.SECONDS)).as("clean exit; log: %s", log("edge-2.log")).isTrue();
                assertThat(edge.exitValue()).isZero();
            } catch (Throwable t) {
                throw new AssertionError(t.getMessage() + "\n--- first edge process ---\n" + tail(log("edge-1.log"))
                        + "\n--- second edge process ---\n" + tail(log("edge-2.log")), t);
            } finally {
                edge.destroyForcibly();
            }

            assertThat(number(atKill, "buffered")).as("samples were waiting in the buffer when the edge was killed").isPositive();
            Map<String, Long> captured = lastSequences(last);
            assertThat(captured).hasSize(Twins.DEMO.equipment().size());
            Map<String, List<Long>> committed = hub.committed();
            assertThat(committed.keySet()).isEqualTo(captured.keySet().stream().map(s -> "edge-7/" + s).collect(Collectors.toSet()));
            captured.forEach((source, n) -> {
                assertThat(n).isGreaterThan(lastSequences(atKill).get(source));
                assertThat(committed.get("edge-7/" + source)).as("committed sequence of %s", source)
                        .isEqualTo(LongStream.rangeClosed(1, n).boxed().toList());
                assertThat(hub.mark("edge-7/" + source)).isEqualTo(n);
                // one clock across the restart: time never goes back along the sequence
                Instant previous = Instant.MIN;
                for (TestHub.HubSample s : hub.samples("edge-7/" + source)) {
                    Instant t = Instant.parse(s.time());
                    assertThat(t).isAfterOrEqualTo(previous);
                    previous = t;
                    assertThat(s.asset()).isEqualTo(source);
                }
            });
            System.out.printf("edge outage test: %d samples committed over %d sources, %d duplicate deliveries deduped by the hub%n",
                    hub.committedCount(), captured.size(), hub.duplicates());
        }
    }

    private Process start(List<String> cmd, String log) throws IOException {
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(log).toFile()).start();
    }

    private static void command(Process p, String line) throws IOException {
        OutputStream in = p.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    private String log(String name) {
        try {
            return Files.readString(dir.resolve(name));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static String tail(String log) {
        return log.length() > 4000 ? log.substring(log.length() - 4000) : log;
    }

    private static Properties status(Path file) {
        var p = new Properties();
        if (!Files.exists(file)) return p;
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            // replaced while opening: the next poll reads the new one
        }
        return p;
    }

    private static long number(Properties p, String key) {
        String v = p.getProperty(key);
        return v == null ? -1 : Long.parseLong(v);
    }

    private static Map<String, Long> lastSequences(Properties p) {
        var out = new TreeMap<String, Long>();
        for (String key : p.stringPropertyNames()) {
            if (key.startsWith("last.")) out.put(key.substring(5), Long.parseLong(p.getProperty(key)));
        }
        return out;
    }
}
