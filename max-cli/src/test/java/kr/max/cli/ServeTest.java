package kr.max.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code max serve} in its own JVM: first start prints the admin token once, the token works, SIGTERM stops cleanly. */
class ServeTest {

    @TempDir
    Path dir;

    @Test
    void theFirstStartPrintsTheAdminTokenOnceAndTheServerAnswersWithIt() throws Exception {
        Path key = dir.resolve("master.key");
        Files.writeString(key, "serve test master secret 00000001");
        var out = new ArrayList<String>();
        Process p = start(key, out);
        try {
            String token = out.stream().filter(l -> l.startsWith("max_")).findFirst().orElseThrow();
            String url = out.getLast().replaceFirst("^.*serving at (http://[^ ]+).*$", "$1");
            var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            var orgs = http.send(HttpRequest.newBuilder(URI.create(url + "/v1/organizations"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(orgs.statusCode()).as(orgs.body()).isEqualTo(200);
            assertThat(orgs.body()).contains("\"name\":\"library\"").contains("KR");
            var anonymous = http.send(HttpRequest.newBuilder(URI.create(url + "/v1/organizations")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).isEqualTo(401);
        } finally {
            p.destroy(); // SIGTERM: serve closes the server, then the library with its audit checkpoint
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(p.exitValue()).isZero();
        // the second start finds the admin and prints no token
        var again = new ArrayList<String>();
        Process second = start(key, again);
        try {
            assertThat(again).noneMatch(l -> l.startsWith("max_"));
            assertThat(again.getLast()).contains("serving at");
        } finally {
            second.destroy();
            assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
    }

    /** Starts {@code max serve --port 0} and reads its standard output up to the line saying where it serves. */
    private Process start(Path key, List<String> lines) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "kr.max.cli.MaxCli", "--home", dir.resolve("home").toString(), "--key-file", key.toString(), "--lang", "en",
                "serve", "--port", "0");
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        var reader = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = reader.readLine()) != null; ) {
            lines.add(line);
            if (line.contains("serving at")) return p;
        }
        p.destroyForcibly();
        throw new AssertionError("max serve ended without serving: " + lines);
    }
}
