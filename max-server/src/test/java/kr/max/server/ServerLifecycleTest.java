package kr.max.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import kr.max.core.MaxException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting, stopping, a taken port, and what /metrics tells. */
class ServerLifecycleTest {

    @TempDir
    static Path dir;

    /** Scratch base of this class's servers: a private directory on tmpfs, so its contents can be counted. */
    static Path scratchBase;

    static TestServer ts;

    @BeforeAll
    static void start() throws IOException {
        scratchBase = Files.createTempDirectory(Path.of("/dev/shm"), "max-server-test-");
        ts = TestServer.start(dir, o -> o.withScratchBase(scratchBase));
    }

    @AfterAll
    static void stop() throws IOException {
        if (ts != null) ts.close();
        try (Stream<Path> left = Files.list(scratchBase)) {
            assertThat(left).as("a closed server leaves no scratch behind").isEmpty();
        }
        Files.delete(scratchBase);
    }

    static long scratchDirectories() throws IOException {
        try (Stream<Path> s = Files.list(scratchBase)) {
            return s.count();
        }
    }

    @Test
    void listensOnTheLocalHostOnAFreePort() {
        assertThat(ts.server.port()).isPositive();
        assertThat(ts.server.url().toString()).isEqualTo("http://127.0.0.1:" + ts.server.port());
        HttpResponse<String> r = ts.send(ts.request("/health").GET().build());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"status\":\"UP\"}");
        assertThat(r.headers().firstValue("Server")).isEmpty();
    }

    @Test
    void aTakenPortIsAnErrorWithACodeAndLeavesNoScratchBehind() throws IOException {
        long before = scratchDirectories();
        assertThatThrownBy(() -> MaxServer.start(ServerOptions.of(ts.library, token -> java.util.Optional.empty())
                .withPort(ts.server.port()).withScratchBase(scratchBase)))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(ServerError.CANNOT_LISTEN));
        assertThat(scratchDirectories()).isEqualTo(before);
    }

    @Test
    void aStoppedServerFreesItsPortAndScratch() throws IOException {
        long before = scratchDirectories();
        MaxServer other = MaxServer.start(ServerOptions.of(ts.library, token -> java.util.Optional.empty()).withScratchBase(scratchBase));
        int port = other.port();
        assertThat(scratchDirectories()).isEqualTo(before + 1);
        other.close();
        assertThat(scratchDirectories()).isEqualTo(before);
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(IOException.class);
        assertThat(ts.get("/v1/datasets").statusCode()).as("the library stays open").isEqualTo(200);
    }

    @Test
    void metricsCountByRouteTemplateAndNeverNameADataset() {
        ts.get("/v1/datasets/plant-7/secret-recipe");
        ts.get("/v1/datasets/plant-7/secret-recipe");
        ts.send(ts.request("/v1/datasets").GET().build());
        HttpResponse<String> r = ts.send(ts.request("/metrics").GET().build());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue(Metrics.CONTENT_TYPE);
        String text = r.body();
        assertThat(text).doesNotContain("secret-recipe").doesNotContain("plant-7");
        List<String> lines = text.lines().toList();
        assertThat(lines).contains("max_http_requests_total{method=\"GET\",route=\"/v1/datasets/<name>\",status=\"404\"} 2");
        assertThat(lines).anyMatch(l -> l.startsWith("max_http_requests_total{method=\"GET\",route=\"/v1/datasets\",status=\"401\"} "));
        assertThat(lines).contains("max_http_requests_in_flight 1");
        assertThat(lines).anyMatch(l -> l.matches("jvm_memory_heap_used_bytes \\d+"));
        assertThat(lines).anyMatch(l -> l.matches("jvm_memory_heap_max_bytes -?\\d+"));

        // The histogram of one route: cumulative buckets, +Inf equal to the count.
        String route = "route=\"/v1/datasets/<name>\"";
        List<Long> buckets = lines.stream().filter(l -> l.startsWith("max_http_request_duration_seconds_bucket{" + route))
                .map(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1))).toList();
        assertThat(buckets).hasSizeGreaterThan(5).isSorted();
        String count = lines.stream().filter(l -> l.startsWith("max_http_request_duration_seconds_count{" + route + "}"))
                .findFirst().orElseThrow();
        assertThat(Long.parseLong(count.substring(count.lastIndexOf(' ') + 1))).isEqualTo(buckets.getLast()).isGreaterThanOrEqualTo(2);
        for (String line : lines) {
            assertThat(line).as("exposition format").matches("# (HELP|TYPE) .+|[a-z_]+(\\{.*})? -?[0-9.E+-]+");
        }
    }
}
