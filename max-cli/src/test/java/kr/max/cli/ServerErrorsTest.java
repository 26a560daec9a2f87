package kr.max.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kr.max.core.Role;
import kr.max.library.sample.SampleData;
import kr.max.server.MaxServer;
import kr.max.server.ServerOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What goes wrong against a server, and how it is told: the server's own errors with their codes in
 * Korean and English, exactly as the embedded library prints them; a server that cannot be reached; a
 * wrong token; options without an HTTP route; and answers that are not the server's, or break off.
 */
class ServerErrorsTest {

    @TempDir
    static Path dir;

    static RemoteLibrary server;
    static String minji;

    @BeforeAll
    static void start() {
        server = RemoteLibrary.start(dir);
        server.organization("kamp-lab", "KR");
        minji = server.user("minji", "kamp-lab", Role.PROVIDER, Role.CONSUMER);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', textBlock = """
            show kamp/nothing                          | MAX-CATALOG-001 | No dataset named "kamp/nothing"       | "kamp/nothing" 데이터셋이 없습니다
            export kamp/nothing --to x.csv             | MAX-CATALOG-001 | No dataset named "kamp/nothing"       | "kamp/nothing" 데이터셋이 없습니다
            query SELECT * FROM "kamp/nothing"         | MAX-QUERY-003   | which is not a dataset of the library | 라이브러리의 데이터셋이 아닙니다
            ingest no-such-file.csv --dataset kamp/x   | MAX-INGEST-001  | does not exist or cannot be read      | 없거나 읽을 수 없습니다
            """)
    void theServersErrorIsPrintedAsTheEmbeddedLibraryPrintsItInEitherLanguage(String command, String code, String english,
                                                                             String korean) throws IOException {
        String[] args = command.startsWith("query ") ? new String[] {"query", command.substring("query ".length())} : command.split(" ");
        Cli local = Cli.in(Files.createDirectories(dir.resolve("local-" + code)));
        Cli remote = server.cli(minji);
        for (String lang : new String[] {"en", "ko"}) {
            var embedded = local.run(LanguageTest.prepend("--lang", lang, args));
            var overHttp = remote.run(LanguageTest.prepend("--lang", lang, args));
            assertThat(overHttp.exit()).as(overHttp.toString()).isEqualTo(1);
            assertThat(overHttp.out()).isEmpty();
            assertThat(overHttp.err()).isEqualTo(embedded.err());
            assertThat(overHttp.errLines()).singleElement().asString()
                    .startsWith((lang.equals("en") ? "error " : "오류 ") + code)
                    .contains(lang.equals("en") ? english : korean);
        }
    }

    @Test
    void aFileLargerThanTheServerTakesIsRefusedWithTheServersCode() throws IOException {
        Path file = SampleData.injectionMolding(Files.createDirectories(dir.resolve("large")), 200, 3);
        try (var small = MaxServer.start(ServerOptions.of(server.library, server.library::authenticate).withMaxUploadBytes(4096))) {
            var en = Cli.against(small.url().toString(), minji).run("ingest", file.toString(), "--dataset", "kamp/large");
            assertThat(en.exit()).as(en.toString()).isEqualTo(1);
            assertThat(en.errLines()).singleElement().asString()
                    .isEqualTo("error MAX-SERVER-004: The request body is too large: at most 4,096 bytes can be accepted here.");
            var ko = Cli.against(small.url().toString(), minji).run("--lang", "ko", "ingest", file.toString(), "--dataset", "kamp/large");
            assertThat(ko.errLines()).singleElement().asString().startsWith("오류 MAX-SERVER-004");
        }
        assertThat(server.cli(minji).run("datasets", "--format", "csv").out()).doesNotContain("kamp/large");
    }

    @Test
    void aNameTheServerWouldRefuseIsRefusedWithItsCodeBeforeItIsSent() {
        // The server checks names before the library sees them (decision 0005), so this one code differs from
        // the embedded library's, which looks the name up and finds nothing.
        for (String name : new String[] {"Kamp/Press", "kamp/../press", "kamp press", "kamp/press%2F1"}) {
            var r = server.cli(minji).run("show", name);
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.errLines()).singleElement().asString().isEqualTo("error MAX-CORE-001: Invalid name \"" + name
                    + "\": use 1 to 4 segments of lower-case letters, digits, _ - . separated by /");
        }
    }

    @Test
    void aServerThatCannotBeReachedIsMaxCli001InEitherLanguage() throws IOException {
        int closedPort;
        try (var socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Cli nowhere = Cli.against("http://127.0.0.1:" + closedPort, minji);
        var en = nowhere.run("datasets");
        var ko = nowhere.run("--lang", "ko", "datasets");
        assertThat(en.exit()).isEqualTo(1);
        assertThat(en.out()).isEmpty();
        assertThat(en.errLines()).containsExactly("error MAX-CLI-001: Cannot reach the server http://127.0.0.1:" + closedPort
                + ". Check the address (--server or MAX_SERVER) and that the server runs (max serve); nothing was sent.");
        assertThat(ko.exit()).isEqualTo(1);
        assertThat(ko.errLines()).singleElement().asString().startsWith("오류 MAX-CLI-001: 서버 http://127.0.0.1:" + closedPort
                + " 에 연결할 수 없습니다.");
        // user information in the address is never repeated
        var withPassword = Cli.against("http://operator:s3cret@127.0.0.1:" + closedPort, minji).run("datasets");
        assertThat(withPassword.err()).contains("MAX-CLI-001").doesNotContain("s3cret").doesNotContain("operator");
    }

    @Test
    void aWrongOrMissingTokenIsRefusedByTheServerWithMaxServer001() {
        String wrong = "max_0000000000000000_" + "A".repeat(43);
        var en = server.cli(wrong).run("datasets");
        assertThat(en.exit()).isEqualTo(1);
        assertThat(en.out()).isEmpty();
        assertThat(en.errLines()).singleElement().asString().startsWith("error MAX-SERVER-001: Authentication required");
        var ko = server.cli(wrong).run("--lang", "ko", "query", "SELECT 1");
        assertThat(ko.exit()).isEqualTo(1);
        assertThat(ko.errLines()).singleElement().asString().startsWith("오류 MAX-SERVER-001");
        var none = server.cli(null).run("datasets");
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.err()).startsWith("error MAX-SERVER-001");
        var malformed = server.cli("s3cret with spaces\r\nX-Injected: 1").run("datasets");
        assertThat(malformed.exit()).isEqualTo(1);
        assertThat(malformed.errLines()).singleElement().asString().startsWith("error MAX-SERVER-001");
        assertThat(en.err() + ko.err() + malformed.err()).doesNotContain(wrong).doesNotContain("A".repeat(43)).doesNotContain("s3cret");
    }

    @Test
    void whatHasNoHttpRouteYetIsRefusedBeforeAnythingIsSent() throws IOException {
        Path file = SampleData.injectionMolding(Files.createDirectories(dir.resolve("unsupported")), 20, 1);
        Cli remote = server.cli(minji);
        record Case(String option, String... args) {
        }
        for (Case c : new Case[] {
                new Case("--dictionary", "ingest", file.toString(), "--dataset", "kamp/u", "--dictionary", "press.yaml"),
                new Case("--delimiter", "ingest", file.toString(), "--dataset", "kamp/u", "--delimiter", ";"),
                new Case("--no-header", "ingest", file.toString(), "--dataset", "kamp/u", "--no-header", "--columns", "a,b"),
                new Case("--domestic-only", "describe", "kamp/u", "--domestic-only", "true"),
                new Case("max serve", "serve", "--port", "0"),
                new Case("max demo", "demo", "--once")}) {
            var en = remote.run(c.args());
            assertThat(en.exit()).as(en.toString()).isEqualTo(1);
            assertThat(en.errLines()).singleElement().asString().isEqualTo("error MAX-CLI-002: " + c.option()
                    + " is not available against a server yet. Run it on the library's own machine, without --server and MAX_SERVER.");
            var ko = remote.run(LanguageTest.prepend("--lang", "ko", c.args()));
            assertThat(ko.errLines()).singleElement().asString().startsWith("오류 MAX-CLI-002: " + c.option() + " 은(는) 아직 서버에");
        }
        // nothing reached the library
        var datasets = remote.run("datasets", "--format", "csv");
        assertThat(datasets.outLines()).doesNotContain("kamp/u");
    }

    @Test
    void theEnvironmentNamesTheServerAndTheTokenUnlessALocalLibraryIsNamed() throws Exception {
        var fromEnvironment = max(Map.of("MAX_SERVER", server.url(), "MAX_TOKEN", minji), "--lang", "en", "token", "list", "--user", "minji",
                "--format", "csv");
        assertThat(fromEnvironment.exit()).as(fromEnvironment.toString()).isZero();
        assertThat(fromEnvironment.out()).startsWith("token,user,").contains(",minji,").doesNotContain(minji.substring(21));

        // --home (or --key-file, --catalog) names a library on this machine: the inherited server is not used
        Path key = Files.writeString(Files.createDirectories(dir.resolve("env")).resolve("master.key"), Cli.SECRET);
        var local = max(Map.of("MAX_SERVER", "http://127.0.0.1:1", "MAX_TOKEN", minji), "--home", dir.resolve("env/home").toString(),
                "--key-file", key.toString(), "--lang", "en", "datasets", "--format", "csv");
        assertThat(local.exit()).as(local.toString()).isZero();
        assertThat(local.out()).isEqualTo("dataset,versions,rows,size,classification,owner,updated\n");
    }

    /** {@code max ARGS} in a JVM of its own with {@code env} added to its environment. */
    static Cli.Run max(Map<String, String> env, String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var command = new java.util.ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), "kr.max.cli.MaxCli"));
        command.addAll(List.of(args));
        var pb = new ProcessBuilder(command);
        pb.environment().keySet().removeIf(k -> k.startsWith("MAX_"));
        pb.environment().putAll(env);
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Cli.Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void aServerAddressThatIsNotAnHttpUrlIsRefused() {
        for (String address : new String[] {"127.0.0.1:8080", "ftp://127.0.0.1/", "http://", "http://host/?q=1"}) {
            var r = Cli.against(address, minji).run("datasets");
            assertThat(r.exit()).as(address).isEqualTo(1);
            assertThat(r.errLines()).singleElement().asString().startsWith("error MAX-CLI-005: The server address \"" + address + "\"");
        }
    }

    /**
     * A peer that is not a library server: a proxy's error page, and answers that break off midway.
     * Started here because a real library server never answers like that.
     */
    @Test
    void anAnswerThatIsNotTheServersOrBreaksOffIsNeverTakenForAWholeOne() throws Exception {
        HttpServer peer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        peer.createContext("/proxy/", exchange -> {
            byte[] page = "<html><body>502 Bad Gateway</body></html>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html");
            exchange.sendResponseHeaders(502, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        peer.createContext("/cut/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            String first = exchange.getRequestURI().getPath().contains("/v1/export/") ? "PAR1 the first bytes of a parquet file"
                    : "{\"columns\":[{\"name\":\"n\",\"type\":\"BIGINT\"}],\"rows\":[[1],[2],";
            exchange.sendResponseHeaders(200, 100_000); // promises more than it sends
            exchange.getResponseBody().write(first.getBytes(StandardCharsets.UTF_8));
            exchange.getResponseBody().flush();
            exchange.close(); // short of its Content-Length: the connection is dropped
        });
        peer.start();
        try {
            String base = "http://127.0.0.1:" + peer.getAddress().getPort();
            var proxy = Cli.against(base + "/proxy", minji).run("datasets");
            assertThat(proxy.exit()).isEqualTo(1);
            assertThat(proxy.errLines()).containsExactly("error MAX-CLI-004: The server " + base + "/proxy answered HTTP 502 with "
                    + "something that is not an M.AX answer. Check that --server names an M.AX library server (max serve).");

            var query = Cli.against(base + "/cut", minji).run("query", "SELECT n FROM \"kamp/n\"", "--format", "csv");
            assertThat(query.exit()).isEqualTo(1);
            assertThat(query.errLines()).last().asString().startsWith("error MAX-CLI-003: The connection to the server " + base
                    + "/cut broke off before its answer was complete");

            Path target = Files.createDirectories(dir.resolve("cut")).resolve("press.parquet");
            var export = Cli.against(base + "/cut", minji).run("export", "kamp/press", "--to", target.toString());
            assertThat(export.exit()).isEqualTo(1);
            assertThat(export.err()).startsWith("error MAX-CLI-003");
            try (Stream<Path> left = Files.list(target.getParent())) {
                assertThat(left).as("neither the file nor its .part").isEmpty();
            }
        } finally {
            peer.stop(0);
        }
    }
}
