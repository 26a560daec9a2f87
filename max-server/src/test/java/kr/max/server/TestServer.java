package kr.max.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import kr.max.core.Principal;
import kr.max.core.Role;
import kr.max.library.Library;
import kr.max.library.LibraryConfig;
import kr.max.library.crypto.MasterKey;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real library in a temporary home and a real server on a free port, started once per test class
 * (the pattern of Eclipse Milo's TestServer), with an HTTP/1.1 client. Two tokens: the operator, who
 * holds every role, and an outsider of another organization who may only consume.
 */
final class TestServer implements AutoCloseable {

    static final String OPERATOR_TOKEN = SingleTokenAuthenticator.generateToken();
    static final String OUTSIDER_TOKEN = SingleTokenAuthenticator.generateToken();
    static final Principal OPERATOR = Principal.localOperator();
    static final Principal OUTSIDER = new Principal("outsider@other", "other", "KR", Set.of(Role.CONSUMER));

    /** A token whose authentication fails inside the authenticator, with a message that must not leak. */
    static final String EXPLODING_TOKEN = SingleTokenAuthenticator.generateToken();
    static final String EXPLODING_SECRET = "hunter2-db-password";

    static final JsonMapper JSON = JsonMapper.builder().build();

    final Path dir;
    final Library library;
    final MaxServer server;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private TestServer(Path dir, Library library, MaxServer server) {
        this.dir = dir;
        this.library = library;
        this.server = server;
    }

    static TestServer start(Path dir) {
        return start(dir, UnaryOperator.identity());
    }

    static TestServer start(Path dir, UnaryOperator<ServerOptions> options) {
        Library library = Library.open(LibraryConfig.embedded(dir.resolve("home"), MasterKey.of("server test master secret 01")));
        try {
            var operator = new SingleTokenAuthenticator(OPERATOR_TOKEN, OPERATOR);
            var outsider = new SingleTokenAuthenticator(OUTSIDER_TOKEN, OUTSIDER);
            Authenticator both = token -> {
                if (token.equals(EXPLODING_TOKEN)) throw new IllegalStateException("identity store down: " + EXPLODING_SECRET);
                return operator.authenticate(token).or(() -> outsider.authenticate(token));
            };
            return new TestServer(dir, library, MaxServer.start(options.apply(ServerOptions.of(library, both))));
        } catch (RuntimeException e) {
            library.close();
            throw e;
        }
    }

    URI uri(String pathAndQuery) {
        return URI.create(server.url() + pathAndQuery);
    }

    HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(120));
    }

    HttpRequest.Builder operator(String pathAndQuery) {
        return request(pathAndQuery).header("Authorization", "Bearer " + OPERATOR_TOKEN);
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> get(String pathAndQuery) {
        return send(operator(pathAndQuery).GET().build());
    }

    static JsonNode json(HttpResponse<String> r) {
        return JSON.readTree(r.body());
    }

    /** Deposits a file by streaming it, as a client with a file on disk would. */
    HttpResponse<String> upload(String dataset, Path file, String query) {
        return send(operator("/v1/ingest/" + dataset + "?sourceName=" + file.getFileName() + (query == null ? "" : "&" + query))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> {
                    try {
                        return Files.newInputStream(file);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                })).build());
    }

    /** Files the server holds in its scratch space now (uploads and exports in transit). */
    long filesInScratch() {
        try (Stream<Path> walk = Files.walk(server.scratchDir())) {
            return walk.filter(Files::isRegularFile).count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            library.close();
        }
    }
}
