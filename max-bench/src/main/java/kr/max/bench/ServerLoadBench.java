package kr.max.bench;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import kr.max.core.Classification;
import kr.max.core.Principal;
import kr.max.core.Role;
import kr.max.library.IngestRequest;
import kr.max.library.Library;
import kr.max.library.LibraryConfig;
import kr.max.library.crypto.MasterKey;
import kr.max.library.sample.SampleData;
import kr.max.server.MaxServer;
import kr.max.server.ServerOptions;

/**
 * Load against the running server on loopback: many concurrent clients (virtual threads in a second JVM,
 * {@link LoadClients}) mixing catalog
 * reads, small queries and small exports, for a bounded time, plus a share of calls that the policy must
 * refuse. Each client waits a random think time (0.5 to 1.5 times {@code --think-ms}) between requests, as
 * people and dashboards do; {@code --think-ms 0} makes it a closed loop that measures saturation instead.
 * Prints throughput, p50/p99 per kind, errors and wrong decisions (a permit where a denial was due, or the
 * reverse). Usage: {@code max-bench/run server [--clients N] [--seconds S] [--think-ms T]
 * [--mix catalog=60,query=25,export=5,denied=10] [--work DIR]}.
 */
public final class ServerLoadBench {

    private ServerLoadBench() {
    }

    public static void main(String[] args) throws Exception {
        int clients = 300;
        double seconds = 20;
        long thinkMs = 1000;
        String mix = "catalog=60,query=25,export=5,denied=10";
        Path work = Path.of("target", "bench-server");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--think-ms" -> thinkMs = Long.parseLong(args[++i]);
                case "--work" -> work = Path.of(args[++i]);
                case "--mix" -> mix = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Files.createDirectories(work);
        Path home = Files.createTempDirectory(work, "home-");
        System.out.printf(Locale.ROOT, "machine: %d cores, JDK %s; %d clients for %.0f s, think time %d ms%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), clients, seconds, thinkMs);
        try (Library lib = Library.open(LibraryConfig.embedded(home, MasterKey.of("server load benchmark secret 0001")))) {
            String adminToken = lib.bootstrapAdmin("national-library", "KR", "admin").orElseThrow().token();
            Principal admin = lib.authenticate(adminToken).orElseThrow();
            lib.createOrganization(admin, "hanbit-press", null, "KR");
            lib.createOrganization(admin, "kaist-lab", null, "KR");
            lib.createUser(admin, "alice", "hanbit-press", Set.of(Role.PROVIDER, Role.CONSUMER));
            lib.createUser(admin, "minji", "kaist-lab", Set.of(Role.CONSUMER));
            String alice = lib.issueToken(admin, "alice", Set.of(), null, "bench").token();
            String minji = lib.issueToken(admin, "minji", Set.of(), null, "bench").token();
            Principal owner = lib.authenticate(alice).orElseThrow();
            Path files = Files.createDirectories(home.resolve("files"));
            lib.ingest(owner, IngestRequest.of(SampleData.injectionMolding(files, 2000, 1), "kamp/injection").withClassification(Classification.PUBLIC));
            lib.ingest(owner, IngestRequest.of(SampleData.sensors(files.resolve("sensors.csv"), 100_000, 10), "hanbit/sensors"));
            try (MaxServer server = MaxServer.start(ServerOptions.of(lib, lib::authenticate))) {
                int status = runClients(server.url(), alice, minji, clients, seconds, thinkMs, mix);
                if (status != 0) System.exit(status);
            }
        }
    }

    /**
     * The clients run in a JVM of their own, so that they do not take the server's heap, JIT and cores
     * from inside its process; the tokens travel in the child's environment, not on its command line.
     */
    private static int runClients(URI url, String alice, String minji, int clients, double seconds, long thinkMs, String mix)
            throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var command = new ArrayList<>(List.of(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"), LoadClients.class.getName(),
                url.toString(), String.valueOf(clients), String.valueOf(seconds), String.valueOf(thinkMs), mix));
        var pb = new ProcessBuilder(command).inheritIO();
        pb.environment().put("MAX_BENCH_ALICE", alice);
        pb.environment().put("MAX_BENCH_MINJI", minji);
        return pb.start().waitFor();
    }
}
