package kr.max.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** A server whose operator capped uploads: the cap holds with and without a Content-Length. */
class UploadLimitsTest {

    static final int LIMIT = 256 * 1024;

    @TempDir
    static Path dir;

    static TestServer ts;

    @BeforeAll
    static void start() {
        ts = TestServer.start(dir, o -> o.withMaxUploadBytes(LIMIT));
    }

    @AfterAll
    static void stop() {
        if (ts != null) ts.close();
    }

    /** A CSV of about {@code bytes} bytes. */
    static byte[] csv(int bytes) {
        var sb = new StringBuilder("time,value\n");
        for (int i = 0; sb.length() < bytes; i++) sb.append("2024-01-01T00:00:").append(i % 60).append(',').append(i).append('\n');
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    static HttpRequest.Builder ingest(String dataset, String lang) {
        return ts.operator("/v1/ingest/" + dataset + "?format=csv").header("Accept-Language", lang);
    }

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedBeforeTheBodyIsSent() {
        byte[] body = csv(LIMIT + 1);
        for (String lang : new String[] {"en", "ko"}) {
            HttpResponse<String> r = ts.send(ingest("limits/declared", lang).expectContinue(true)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
            JsonNode e = TestServer.json(r);
            assertThat(e.get("code").asString()).isEqualTo("MAX-SERVER-004");
            assertThat(e.get("message").asString()).contains("en".equals(lang) ? "262,144 bytes" : "262,144바이트");
        }
        assertThat(ts.filesInScratch()).isZero();
    }

    @Test
    void anUploadWithoutLengthIsCutOffAtTheLimit() {
        byte[] body = csv(4 * LIMIT);
        HttpResponse<String> r = ts.send(ingest("limits/chunked", "en")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
        assertThat(TestServer.json(r).get("code").asString()).isEqualTo("MAX-SERVER-004");
        assertThat(ts.filesInScratch()).isZero();
        assertThat(ts.get("/v1/datasets/limits/chunked").statusCode()).isEqualTo(404);
    }

    @Test
    void anUploadUnderTheLimitIsDeposited() {
        HttpResponse<String> r = ts.send(ingest("limits/small", "en")
                .POST(HttpRequest.BodyPublishers.ofByteArray(csv(LIMIT / 2))).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(TestServer.json(r).get("rows").asLong()).isPositive();
        assertThat(ts.filesInScratch()).isZero();
    }
}
