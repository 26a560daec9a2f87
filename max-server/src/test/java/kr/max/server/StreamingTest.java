package kr.max.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kr.max.library.audit.AuditChain;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Streams stay streams: a server in its own JVM with a heap far smaller than the upload takes a
 * deposit it could never hold in memory, and a client that walks away from a result leaves nothing
 * running behind it.
 */
class StreamingTest {

    /** Heap of the server's JVM: the library, Jetty and DuckDB's Java side fit; the upload does not. */
    static final int HEAP_MB = 96;
    static final long UPLOAD_BYTES = 3L * HEAP_MB << 20;

    @TempDir
    static Path dir;

    static Process child;
    static URI url;
    static final String TOKEN = SingleTokenAuthenticator.generateToken();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void startServerInItsOwnJvm() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx" + HEAP_MB + "m",
                "-cp", System.getProperty("java.class.path"), ServerMain.class.getName(), dir.resolve("home").toString(), TOKEN));
        if (Runtime.version().feature() >= 23) cmd.add(1, "--sun-misc-unsafe-memory-access=allow");
        child = new ProcessBuilder(cmd).redirectError(dir.resolve("server.log").toFile()).start();
        var out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertThat(line).as("the child server starts; see %s", dir.resolve("server.log")).startsWith("LISTENING ");
        url = URI.create("http://127.0.0.1:" + line.substring("LISTENING ".length()).strip());
    }

    @AfterAll
    static void stop() throws Exception {
        if (child == null) return;
        child.getOutputStream().close();
        if (!child.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) child.destroyForcibly();
    }

    static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(url.resolve(path)).header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofMinutes(5));
    }

    static String metric(String name) throws Exception {
        String text = HTTP.send(HttpRequest.newBuilder(url.resolve("/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        return text.lines().filter(l -> l.startsWith(name + " ")).findFirst().orElseThrow().substring(name.length() + 1);
    }

    @Test
    void anUploadThreeTimesTheServersHeapIsStreamedToScratch() throws Exception {
        assertThat(Long.parseLong(metric("jvm_memory_heap_max_bytes"))).isLessThanOrEqualTo((long) HEAP_MB << 20);

        // A zip header and then zeros: the library receives the whole file, then refuses it as a workbook or
        // archive. Had the server held the body in memory, it would have run out of heap long before.
        HttpResponse<String> r = HTTP.send(request("/v1/ingest/kamp/huge?sourceName=huge.xlsx")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ZipThenZeros(UPLOAD_BYTES))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
        JsonNode e = TestServer.JSON.readTree(r.body());
        assertThat(e.get("code").asString()).isEqualTo("MAX-INGEST-002");
        assertThat(e.get("location").asString()).isEqualTo("huge.xlsx");

        // The server is still well, and the deposit attempt is on record as failed.
        assertThat(HTTP.send(HttpRequest.newBuilder(url.resolve("/health")).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(200);
        String audit = HTTP.send(request("/v1/audit?dataset=kamp/huge").build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(audit).contains("\"action\":\"ingest\"").contains("\"outcome\":\"failed\"").contains("MAX-INGEST-002");
    }

    @Test
    void aClientThatLeavesDuringAResultLeavesNothingRunning() throws Exception {
        String sql = "SELECT i, i * 2 AS twice, 'row ' || i AS label FROM range(2000000) t(i)";
        HttpResponse<InputStream> r = HTTP.send(request("/v1/query")
                .POST(HttpRequest.BodyPublishers.ofString(TestServer.JSON.writeValueAsString(Map.of("sql", sql)))).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        try (InputStream in = r.body()) {
            byte[] first = in.readNBytes(64 * 1024);
            assertThat(new String(first, StandardCharsets.UTF_8)).startsWith("{\"columns\":[{\"name\":\"i\"");
        }
        // Closing the body mid-stream drops the connection: the server's writes fail, the query ends.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(metric("max_http_requests_in_flight")).isEqualTo("1"));
        String hash = AuditChain.sha256(sql);
        String audit = HTTP.send(request("/v1/audit").build(), HttpResponse.BodyHandlers.ofString()).body();
        List<JsonNode> records = new ArrayList<>();
        TestServer.JSON.readTree(audit).forEach(n -> {
            if (hash.equals(n.get("queryHash").asString(null))) records.add(n);
        });
        assertThat(records).singleElement().satisfies(n -> assertThat(n.get("outcome").asString()).isEqualTo("failed"));
    }

    /** {@code PK\3\4} and then zeros up to {@code size} bytes, made as they are read. */
    static final class ZipThenZeros extends InputStream {
        private final long size;
        private long position;

        ZipThenZeros(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            if (position >= size) return -1;
            int b = position < 4 ? new int[] {0x50, 0x4B, 0x03, 0x04}[(int) position] : 0;
            position++;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= size) return -1;
            int n = (int) Math.min(len, size - position);
            for (int i = 0; i < n; i++) {
                long p = position + i;
                b[off + i] = p < 4 ? (byte) new int[] {0x50, 0x4B, 0x03, 0x04}[(int) p] : 0;
            }
            position += n;
            return n;
        }
    }
}
