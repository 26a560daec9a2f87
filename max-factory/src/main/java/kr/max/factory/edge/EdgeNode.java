package kr.max.factory.edge;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.factory.Connector;
import kr.max.factory.assets.AssetModel;
import kr.max.factory.mqtt.MqttConnector;
import kr.max.factory.opcua.OpcUaConnector;
import kr.max.factory.twin.LineSimulator;
import kr.max.factory.twin.Pace;
import kr.max.factory.twin.SimulationSettings;
import kr.max.library.crypto.MasterKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An edge node: connectors next to the equipment deliver into an {@link EdgeBuffer} (durable, encrypted) and an
 * {@link EdgeForwarder} sends what is captured to the hub, through the hub's edge rules (fetched from the hub before
 * anything is sent; {@code --drop-tag} and {@code --round-tag} only add to them), whenever the hub is reachable.
 *
 * <p>As a process ({@link #main}):
 * <pre>
 * java -cp … kr.max.factory.edge.EdgeNode --buffer DIR --hub URL --dataset NAME
 *     (--twin [--speed 10x] [--seed N] [--vibration-rate HZ] | --mqtt tcp://host:port | --opcua opc.tcp://host:port/path)
 *     [--assets FILE] [--edge-id ID] [--key-file FILE] [--token-file FILE]
 *     [--drop-tag TAG]… [--round-tag TAG=STEP]… [--commit-ms N] [--segment-mb N] [--batch N]
 *     [--status-file FILE] [--control stdin]
 * </pre>
 * The master secret comes from {@code --key-file} (created, owner-only, if missing) or {@code MAX_MASTER_KEY}; the
 * hub's bearer token from {@code --token-file} or {@code MAX_EDGE_TOKEN}. {@code --status-file} is rewritten
 * atomically twice a second with {@link EdgeStatus#toProperties()}. With {@code --control stdin} the node reads
 * commands: {@code stop-sources} (close the connectors and commit what they delivered), {@code exit} (shut down
 * cleanly; also on end of input). Without it the node runs until terminated; SIGTERM shuts it down cleanly,
 * SIGKILL loses only the last commit interval (see {@link EdgeBuffer}).
 */
public final class EdgeNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeNode.class);

    private final EdgeBuffer buffer;
    private final List<Connector> connectors;
    private final EdgeForwarder forwarder;
    private final long capturedBefore;
    private volatile boolean sourcesRunning;
    private boolean closed;

    private EdgeNode(EdgeBuffer buffer, List<Connector> connectors, EdgeForwarder forwarder) {
        this.buffer = buffer;
        this.connectors = List.copyOf(connectors);
        this.forwarder = forwarder;
        this.capturedBefore = buffer.captured();
    }

    /**
     * Starts forwarding, then the connectors (each delivering into the buffer). The node owns the buffer and the
     * connectors from here on and closes them.
     *
     * @param filter the node's own rules, applied before the hub's ({@link SampleFilter#none()} for none)
     */
    public static EdgeNode start(EdgeBuffer buffer, List<Connector> connectors, HubClient hub, String edgeId,
            String dataset, SampleFilter filter, EdgeForwarder.Options options) {
        var forwarder = new EdgeForwarder(buffer, hub, edgeId, dataset, filter, options);
        var node = new EdgeNode(buffer, connectors, forwarder);
        forwarder.start();
        for (Connector c : connectors) c.start(buffer);
        node.sourcesRunning = !connectors.isEmpty();
        return node;
    }

    /** Stops the connectors and returns once everything they delivered is captured; forwarding goes on. */
    public synchronized void stopSources() {
        for (Connector c : connectors) {
            try {
                c.close();
            } catch (RuntimeException e) {
                LOG.warn("{} connector did not close cleanly: {}", c.protocol(), e.toString());
            }
        }
        sourcesRunning = false;
        buffer.flush();
    }

    public EdgeStatus status() {
        var stopped = new HashMap<String, String>();
        forwarder.stoppedSources().forEach((s, e) -> stopped.put(s, e.getMessage()));
        return new EdgeStatus(buffer.captured() - capturedBefore, buffer.buffered(), forwarder.forwarded(),
                buffer.lastSequences(), buffer.acknowledged(), forwarder.hubReachable(),
                forwarder.lastProblem().orElse(null), stopped, sourcesRunning,
                forwarder.rules().map(r -> r.version()).orElse(-1L), forwarder.rulesProblem().map(MaxException::getMessage).orElse(null));
    }

    public EdgeBuffer buffer() {
        return buffer;
    }

    /** Stops the connectors, commits what they delivered, stops forwarding and closes the buffer. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        stopSources();
        forwarder.close();
        buffer.close();
    }

    // ---------------------------------------------------------------- the process

    public static void main(String[] args) throws Exception {
        Map<String, List<String>> opts = parse(args);
        Path bufferDir = Path.of(required(opts, "--buffer"));
        URI hubUrl = URI.create(required(opts, "--hub"));
        String dataset = required(opts, "--dataset");
        String edgeId = one(opts, "--edge-id", "edge-1");
        MasterKey masterKey = masterKey(opts);
        String token = token(opts);
        AssetModel model = opts.containsKey("--assets")
                ? AssetModel.parse(Files.readString(Path.of(one(opts, "--assets", null))), one(opts, "--assets", null))
                : AssetModel.demoLine();

        var bufferOptions = EdgeBuffer.Options.defaults()
                .withCommitInterval(Duration.ofMillis(number(opts, "--commit-ms", 20)))
                .withSegmentBytes(number(opts, "--segment-mb", 64) << 20);
        var buffer = EdgeBuffer.open(bufferDir, masterKey, bufferOptions);

        var connectors = new ArrayList<Connector>();
        if (opts.containsKey("--twin")) {
            // continue the twin's clock after what the buffer holds, so times stay in order across restarts
            Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            Instant after = buffer.lastTime().map(t -> t.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1)).orElse(start);
            if (after.isAfter(start)) start = after;
            var settings = SimulationSettings.defaults().withStart(start)
                    .withVibrationSampleRate((int) number(opts, "--vibration-rate", 1000));
            var sim = LineSimulator.create(model, number(opts, "--seed", 42), settings);
            connectors.add(new TwinConnector(sim, Pace.parse(one(opts, "--speed", "1x"))));
        }
        for (String url : opts.getOrDefault("--mqtt", List.of())) {
            connectors.add(new MqttConnector(url, "max-edge-" + edgeId, model));
        }
        for (String url : opts.getOrDefault("--opcua", List.of())) {
            connectors.add(new OpcUaConnector(url, model, Duration.ofMillis(100)));
        }
        if (connectors.isEmpty()) {
            throw new MaxException(EdgeError.MISSING_ARGUMENT, Location.NOWHERE, "--twin, --mqtt or --opcua");
        }

        SampleFilter filter = SampleFilter.none();
        Set<String> drop = new HashSet<>(opts.getOrDefault("--drop-tag", List.of()));
        if (!drop.isEmpty()) filter = filter.andThen(SampleFilter.dropTags(drop));
        var round = new HashMap<String, Double>();
        for (String r : opts.getOrDefault("--round-tag", List.of())) {
            int eq = r.indexOf('=');
            double step = eq < 0 ? Double.NaN : parseDouble(r.substring(eq + 1));
            if (!(step > 0)) throw new MaxException(EdgeError.BAD_ARGUMENT, Location.NOWHERE, "--round-tag", r, "TAG=STEP with STEP > 0");
            round.put(r.substring(0, eq), step);
        }
        if (!round.isEmpty()) filter = filter.andThen(SampleFilter.roundTags(round));

        var hub = new HttpHubClient(hubUrl, token, Duration.ofSeconds(10));
        var forwardOptions = new EdgeForwarder.Options((int) number(opts, "--batch", 5000), Duration.ofMillis(100),
                Duration.ofSeconds(5));
        EdgeNode node = start(buffer, connectors, hub, edgeId, dataset, filter, forwardOptions);
        LOG.info("edge {} forwarding to {} (dataset {}), buffer {}", edgeId, hub.endpoint(), dataset, bufferDir);

        ScheduledExecutorService statusWriter = null;
        if (opts.containsKey("--status-file")) {
            Path statusFile = Path.of(one(opts, "--status-file", null));
            statusWriter = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("max-edge-status").unstarted(r));
            statusWriter.scheduleWithFixedDelay(() -> writeStatus(node, statusFile), 0, 500, TimeUnit.MILLISECONDS);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(node::close, "max-edge-shutdown"));

        if ("stdin".equals(one(opts, "--control", ""))) {
            var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                switch (line.strip()) {
                    case "stop-sources" -> node.stopSources();
                    case "exit" -> {
                        node.close();
                        if (statusWriter != null) writeStatus(node, Path.of(one(opts, "--status-file", null)));
                        System.exit(0);
                    }
                    default -> {
                        if (!line.isBlank()) LOG.warn("unknown edge command {}", line.strip());
                    }
                }
            }
            node.close();
            System.exit(0);
        } else {
            Thread.currentThread().join();
        }
    }

    private static void writeStatus(EdgeNode node, Path file) {
        try {
            var out = new ByteArrayOutputStream();
            node.status().toProperties().store(out, null);
            Durable.writeAtomically(file, out.toByteArray());
        } catch (IOException | RuntimeException e) {
            LOG.warn("edge status file {} not written: {}", file, e.toString());
        }
    }

    private static MasterKey masterKey(Map<String, List<String>> opts) {
        if (opts.containsKey("--key-file")) {
            Path f = Path.of(one(opts, "--key-file", null));
            return Files.exists(f) ? MasterKey.fromFile(f) : MasterKey.createFile(f);
        }
        String env = System.getenv(MasterKey.ENV);
        if (env == null || env.isBlank()) {
            throw new MaxException(EdgeError.MISSING_ARGUMENT, Location.NOWHERE, "--key-file (or " + MasterKey.ENV + ")");
        }
        return MasterKey.of(env);
    }

    private static String token(Map<String, List<String>> opts) throws IOException {
        if (opts.containsKey("--token-file")) return Files.readString(Path.of(one(opts, "--token-file", null))).strip();
        return System.getenv("MAX_EDGE_TOKEN");
    }

    private static final Set<String> FLAGS = Set.of("--twin");
    private static final Set<String> OPTIONS = Set.of("--buffer", "--hub", "--dataset", "--edge-id", "--key-file",
            "--token-file", "--speed", "--seed", "--vibration-rate", "--mqtt", "--opcua", "--assets", "--drop-tag",
            "--round-tag", "--commit-ms", "--segment-mb", "--batch", "--status-file", "--control");

    static Map<String, List<String>> parse(String[] args) {
        var opts = new HashMap<String, List<String>>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (FLAGS.contains(a)) {
                opts.computeIfAbsent(a, k -> new ArrayList<>());
            } else if (OPTIONS.contains(a)) {
                if (i + 1 >= args.length) throw new MaxException(EdgeError.BAD_ARGUMENT, Location.NOWHERE, a, "(nothing)", "a value after it");
                opts.computeIfAbsent(a, k -> new ArrayList<>()).add(args[++i]);
            } else {
                throw new MaxException(EdgeError.BAD_ARGUMENT, Location.NOWHERE, a, a, "one of " + new java.util.TreeSet<>(OPTIONS) + " or --twin");
            }
        }
        return opts;
    }

    private static String required(Map<String, List<String>> opts, String name) {
        String v = one(opts, name, null);
        if (v == null) throw new MaxException(EdgeError.MISSING_ARGUMENT, Location.NOWHERE, name);
        return v;
    }

    private static String one(Map<String, List<String>> opts, String name, String fallback) {
        List<String> v = opts.get(name);
        return v == null || v.isEmpty() ? fallback : v.getLast();
    }

    private static long number(Map<String, List<String>> opts, String name, long fallback) {
        String v = one(opts, name, null);
        if (v == null) return fallback;
        try {
            long n = Long.parseLong(v);
            if (n > 0) return n;
        } catch (NumberFormatException e) {
            // the user's error below
        }
        throw new MaxException(EdgeError.BAD_ARGUMENT, Location.NOWHERE, name, v, "a whole number > 0");
    }

    private static double parseDouble(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
