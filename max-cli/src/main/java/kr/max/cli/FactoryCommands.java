package kr.max.cli;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import kr.max.core.Classification;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.factory.assets.AssetModel;
import kr.max.factory.assets.AssetTable;
import kr.max.factory.station.TwinStation;
import kr.max.factory.twin.Pace;
import kr.max.library.ingest.SourceOptions;
import kr.max.library.query.ResultSink;
import kr.max.library.store.Scratch;
import kr.max.server.SingleTokenAuthenticator;
import kr.max.server.TwinServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The factory from the shell: the asset registry ({@code max assets}) and the simulated line ({@code max twin start |
 * status | fault | clear | set}). A running twin is reached through the control address {@code max twin start} leaves
 * in the home ({@code twin.json}, readable by its owner only), or through {@code --server} when a library server runs
 * the line ({@code max demo}).
 */
final class FactoryCommands {

    private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder().build();

    private FactoryCommands() {
    }

    /** {@code 100ms}, {@code 30s}, {@code 5m}, {@code 2h} or ISO-8601 ({@code PT30S}). */
    static Duration duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.matches("\\d+ms")) return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            if (t.matches("\\d+[smh]")) {
                long n = Long.parseLong(t.substring(0, t.length() - 1));
                return switch (t.charAt(t.length() - 1)) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                };
            }
            return Duration.parse(t.toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw new MaxException(CliError.BAD_DURATION, Location.NOWHERE, text);
        }
    }

    /** Where {@code max twin start} leaves its control address and token. */
    static Path controlFile(MaxCli root) {
        return (root.home != null ? root.home : MaxCli.defaultHome()).resolve("twin.json");
    }

    /** The running twin's HTTP control: a server named with {@code --server}, else the home's {@code twin.json}. */
    static HttpBackend twin(MaxCli root) {
        String url = root.serverUrl();
        if (url != null) return new HttpBackend(url, root.token != null ? root.token : System.getenv("MAX_TOKEN"), root.locale());
        Path file = controlFile(root);
        if (!Files.isRegularFile(file)) throw new MaxException(CliError.NO_TWIN, Location.file(file.toString()), file);
        try {
            var control = JSON.readTree(Files.readString(file));
            return new HttpBackend(control.path("url").asString(), control.path("token").asString(), root.locale());
        } catch (IOException | RuntimeException e) {
            throw new MaxException(CliError.NO_TWIN, Location.file(file.toString()), file);
        }
    }

    @Command(name = "twin", mixinStandardHelpOptions = true,
            subcommands = {Start.class, Status.class, FaultCommand.class, Clear.class, SetPoint.class})
    static final class Twin {
        @ParentCommand MaxCli root;
    }

    @Command(name = "start", mixinStandardHelpOptions = true)
    static final class Start implements Callable<Integer> {
        @ParentCommand Twin twin;
        @Option(names = "--line", paramLabel = "FILE") Path line;
        @Option(names = "--speed", defaultValue = "1x", paramLabel = "1x|60x|max") String speed;
        @Option(names = "--seed", defaultValue = "1", paramLabel = "S") long seed;
        @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "HOST") String host;
        @Option(names = "--opcua-port", defaultValue = "4840", paramLabel = "PORT") int opcUaPort;
        @Option(names = "--mqtt-port", defaultValue = "1883", paramLabel = "PORT") int mqttPort;
        @Option(names = "--modbus-port", defaultValue = "5020", paramLabel = "PORT") int modbusPort;
        @Option(names = "--control-port", defaultValue = "0", paramLabel = "PORT") int controlPort;
        /** One MQTT message per equipment and batch (topic …/equipment/_samples) instead of one per tag: for high rates. */
        @Option(names = "--mqtt-batches") boolean mqttBatches;
        /** Tests and scripts: stop by themselves after this long (wall time), as Ctrl-C would. */
        @Option(names = "--for", paramLabel = "DURATION") String runFor;

        @Override
        public Integer call() throws Exception {
            MaxCli root = twin.root;
            root.refuseServer("max twin start");
            AssetModel model = line == null ? AssetModel.demoLine() : AssetModel.read(line);
            Pace pace = Pace.parse(speed);
            Duration limit = runFor == null ? null : duration(runFor);
            String token = SingleTokenAuthenticator.generateToken();
            Path control = controlFile(root);
            try (var station = TwinStation.start(model, seed, pace, new TwinStation.Ports(host, opcUaPort, mqttPort, modbusPort),
                    mqttBatches);
                    var server = TwinServer.start(station, host, controlPort, token)) {
                writeControl(control, server.url().toString(), token);
                try {
                    root.out.println(root.text("twin.started", model.enterpriseName().ko(), model.enterpriseName().en(),
                            model.equipment().size(), model.tags().size(), pace, seed));
                    root.out.println(root.text("twin.opcua", station.opcUaUrl()));
                    root.out.println(root.text("twin.mqtt", station.mqttUrl()));
                    root.out.println(root.text("twin.modbus", host, station.modbusPort()));
                    root.out.println(root.text("twin.control", server.url(), control));
                    root.out.flush();
                    Serve.awaitStop(limit);
                } finally {
                    Files.deleteIfExists(control);
                }
            }
            root.out.println(root.text("twin.stopped"));
            return 0;
        }

        /** The control address and token, owner-only, replaced whole so a reader never sees half of it. */
        private static void writeControl(Path file, String url, String token) throws IOException {
            Files.createDirectories(file.getParent());
            Path part = file.resolveSibling(file.getFileName() + ".part");
            Files.deleteIfExists(part);
            try {
                Files.createFile(part, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(part);
            }
            Files.writeString(part, "{\"url\":\"" + url + "\",\"token\":\"" + token + "\"}\n", StandardCharsets.UTF_8);
            Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true)
    static final class Status implements Callable<Integer> {
        @ParentCommand Twin twin;

        @Override
        public Integer call() {
            MaxCli root = twin.root;
            try (var control = twin(root)) {
                JsonNode s = control.get("/v1/twin");
                root.out.println(root.text("twin.status", s.path("time").asString(), s.path("pace").asString(), s.path("seed").asLong()));
                if (!s.path("opcUa").isNull()) root.out.println(root.text("twin.opcua", s.path("opcUa").asString()));
                if (!s.path("mqtt").isNull()) root.out.println(root.text("twin.mqtt", s.path("mqtt").asString()));
                var faults = s.path("faults");
                if (faults.isEmpty()) root.out.println(root.text("twin.no_faults"));
                for (JsonNode f : faults) printFault(root, "twin.fault.active", f);
            }
            return 0;
        }
    }

    static void printFault(MaxCli root, String key, JsonNode f) {
        root.out.println(root.text(key, f.path("kind").asString(), f.path("target").asString(), f.path("id").asLong(),
                f.path("since").asString()));
    }

    @Command(name = "fault", mixinStandardHelpOptions = true)
    static final class FaultCommand implements Callable<Integer> {
        @ParentCommand Twin twin;
        @Parameters(index = "0", paramLabel = "KIND") String kind;
        @Parameters(index = "1", paramLabel = "TARGET") String target;
        @Option(names = "--severity", paramLabel = "0..1") String severity;
        @Option(names = "--race", paramLabel = "outer|inner") String race;
        @Option(names = "--zone", paramLabel = "N") String zone;
        @Option(names = "--fraction", paramLabel = "0..1") String fraction;
        @Option(names = "--per-hour", paramLabel = "X") String perHour;
        @Option(names = "--duration", paramLabel = "DURATION") String duration;
        @Option(names = "--mode", paramLabel = "silent|bad-quality") String mode;

        @Override
        public Integer call() {
            MaxCli root = twin.root;
            var options = new LinkedHashMap<String, String>();
            put(options, "severity", severity);
            put(options, "race", race);
            put(options, "zone", zone);
            put(options, "fraction", fraction);
            put(options, "per-hour", perHour);
            put(options, "duration", duration);
            put(options, "mode", mode);
            try (var control = twin(root)) {
                ObjectNode body = JSON.createObjectNode().put("kind", kind).put("target", target);
                var o = body.putObject("options");
                options.forEach(o::put);
                printFault(root, "twin.fault.injected", control.call("POST", "/v1/twin/faults", body, 201));
            }
            return 0;
        }

        private static void put(Map<String, String> options, String name, String value) {
            if (value != null) options.put(name, value);
        }
    }

    @Command(name = "clear", mixinStandardHelpOptions = true)
    static final class Clear implements Callable<Integer> {
        @ParentCommand Twin twin;
        @Parameters(index = "0", arity = "0..1", paramLabel = "KIND") String kind;
        @Parameters(index = "1", arity = "0..1", paramLabel = "TARGET") String target;

        @Override
        public Integer call() {
            MaxCli root = twin.root;
            var query = new StringBuilder("/v1/twin/faults");
            if (kind != null) query.append("?kind=").append(java.net.URLEncoder.encode(kind, StandardCharsets.UTF_8));
            if (target != null) query.append(kind != null ? "&" : "?").append("target=")
                    .append(java.net.URLEncoder.encode(target, StandardCharsets.UTF_8));
            try (var control = twin(root)) {
                var cleared = control.call("DELETE", query.toString(), null, 200).path("cleared");
                if (cleared.isEmpty()) root.out.println(root.text("twin.no_faults"));
                for (JsonNode f : cleared) printFault(root, "twin.fault.cleared", f);
            }
            return 0;
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true)
    static final class SetPoint implements Callable<Integer> {
        @ParentCommand Twin twin;
        @Parameters(index = "0", paramLabel = "TAG") String tag;
        @Parameters(index = "1", paramLabel = "VALUE") double value;

        @Override
        public Integer call() {
            MaxCli root = twin.root;
            try (var control = twin(root)) {
                ObjectNode body = JSON.createObjectNode().put("tag", tag).put("value", value);
                control.call("POST", "/v1/twin/setpoints", body, 204);
                root.out.println(root.text("twin.set", tag, value));
            }
            return 0;
        }
    }

    /**
     * {@code max assets [NAME]}: the asset hierarchy stored in the library ({@code assets/NAME}), or of a file with
     * {@code --line}; {@code max assets import FILE} stores one.
     */
    @Command(name = "assets", mixinStandardHelpOptions = true, subcommands = ImportAssets.class)
    static final class Assets implements Callable<Integer> {
        @ParentCommand MaxCli root;
        @Parameters(index = "0", arity = "0..1", paramLabel = "NAME") String name;
        @Option(names = "--line", paramLabel = "FILE") Path line;

        @Override
        public Integer call() throws Exception {
            List<Map<String, Object>> rows;
            String title;
            if (line != null) {
                rows = new ArrayList<>();
                for (List<String> cells : AssetTable.rows(AssetModel.read(line))) {
                    var row = new LinkedHashMap<String, Object>();
                    for (int i = 0; i < cells.size(); i++) row.put(AssetTable.COLUMNS.get(i), cells.get(i).isEmpty() ? null : cells.get(i));
                    rows.add(row);
                }
                title = line.getFileName().toString();
            } else {
                try (Backend lib = root.backend()) {
                    String dataset = name != null ? (name.startsWith("assets/") ? name : "assets/" + name) : onlyAssetDataset(root, lib);
                    rows = new ArrayList<>();
                    var sink = new RowCollector(rows);
                    lib.query("SELECT * FROM \"" + dataset.replace("\"", "\"\"") + "\" ORDER BY position", null, sink);
                    title = dataset;
                }
            }
            printTree(root, title, rows);
            return 0;
        }
    }

    private static String onlyAssetDataset(MaxCli root, Backend lib) {
        var names = lib.datasets().stream().map(d -> d.name()).filter(n -> n.startsWith("assets/")).toList();
        if (names.size() == 1) return names.getFirst();
        throw new MaxException(CliError.WHICH_ASSETS, Location.NOWHERE, names.isEmpty() ? "-" : String.join(", ", names));
    }

    @Command(name = "import", mixinStandardHelpOptions = true)
    static final class ImportAssets implements Callable<Integer> {
        @ParentCommand Assets assets;
        @Parameters(index = "0", paramLabel = "FILE") Path file;
        @Option(names = "--as", paramLabel = "NAME") String name;
        @Option(names = "--classification", defaultValue = "internal", paramLabel = "public|internal|restricted|designated")
        String classification;

        @Override
        public Integer call() throws Exception {
            MaxCli root = assets.root;
            // read and checked here first, so a mistake in the YAML is named with its line and column
            AssetModel model = AssetModel.read(file);
            String dataset = "assets/" + (name != null ? name : model.enterpriseId());
            try (var scratch = Scratch.open(null)) {
                Path table = scratch.newFile(".csv");
                try (Writer w = Files.newBufferedWriter(table, StandardCharsets.UTF_8)) {
                    AssetTable.writeCsv(model, w);
                }
                var request = new Backend.DepositRequest(table, dataset, SourceOptions.auto(), null, false, 20,
                        Classification.parse(classification), null);
                try (Backend lib = root.backend()) {
                    var done = lib.ingest(request, kr.max.library.IngestProgress.NONE);
                    root.out.println(root.text("assets.stored", model.enterpriseId(), model.equipment().size(), model.tags().size(),
                            done.dataset(), done.version(), classification.toLowerCase(Locale.ROOT)));
                }
            }
            return 0;
        }
    }

    /** Rows of a query as maps by column name. */
    private record RowCollector(List<Map<String, Object>> rows, List<String> names) implements ResultSink {
        RowCollector(List<Map<String, Object>> rows) {
            this(rows, new ArrayList<>());
        }

        @Override
        public void columns(List<String> columnNames, List<String> sqlTypes) {
            names.addAll(columnNames);
        }

        @Override
        public void row(Object[] values) {
            var row = new LinkedHashMap<String, Object>();
            for (int i = 0; i < values.length; i++) row.put(names.get(i), values[i]);
            rows.add(row);
        }
    }

    /** site / area / line / cell / equipment, then the equipment's tags with unit, normal range and limits. */
    private static void printTree(MaxCli root, String title, List<Map<String, Object>> rows) {
        boolean korean = root.locale().getLanguage().equals("ko");
        root.out.println(root.text("assets.title", title, rows.size()));
        List<String> printed = new ArrayList<>();
        for (var row : rows) {
            var levels = new ArrayList<String>();
            for (String level : List.of("site", "area", "line", "cell")) {
                Object v = row.get(level);
                if (v != null && !v.toString().isBlank()) levels.add(v.toString());
            }
            for (int depth = 0; depth < levels.size(); depth++) {
                String path = String.join("/", levels.subList(0, depth + 1));
                if (printed.contains(path)) continue;
                printed.add(path);
                root.out.println("  ".repeat(depth) + levels.get(depth) + "/");
            }
            String equipment = String.join("/", levels) + "/" + row.get("equipment");
            if (!printed.contains(equipment)) {
                printed.add(equipment);
                Object n = row.get(korean ? "equipment_name_ko" : "equipment_name_en");
                root.out.println("  ".repeat(levels.size()) + row.get("equipment") + "  " + n + "  [" + row.get("equipment_type") + "]");
            }
            Object tagName = row.get(korean ? "tag_name_ko" : "tag_name_en");
            var detail = new StringBuilder();
            detail.append(row.get("tag")).append("  ").append(tagName).append("  (").append(row.get("unit")).append(", ")
                    .append(row.get("tag_role"));
            if (row.get("normal_low") != null) {
                detail.append(", ").append(root.text("assets.normal", plain(row.get("normal_low")), plain(row.get("normal_high"))));
            }
            var limits = new ArrayList<String>();
            for (String l : List.of("alarm_lo_lo", "alarm_lo", "alarm_hi", "alarm_hi_hi")) {
                if (row.get(l) != null) limits.add(l.substring(6).toUpperCase(Locale.ROOT).replace("_", "") + " " + plain(row.get(l)));
            }
            if (!limits.isEmpty()) detail.append(", ").append(String.join(" ", limits));
            if (Boolean.parseBoolean(String.valueOf(row.get("writable")))) detail.append(", ").append(root.text("assets.writable"));
            root.out.println("  ".repeat(levels.size() + 1) + detail.append(')'));
        }
    }

    /** The server running the factory ({@code --server}, or {@code MAX_SERVER}): alarms live there, not in a home. */
    static HttpBackend factoryServer(MaxCli root) {
        String url = root.serverUrl();
        if (url == null) throw new MaxException(CliError.NEEDS_SERVER, Location.NOWHERE, "max alarms");
        return new HttpBackend(url, root.token != null ? root.token : System.getenv("MAX_TOKEN"), root.locale());
    }

    /**
     * {@code max alarms}: the alarms of the line a server runs — active and shelved ones (or {@code --all}), their
     * state and message in the user's language; {@code ack}, {@code shelve} and {@code unshelve} change them.
     */
    @Command(name = "alarms", mixinStandardHelpOptions = true, subcommands = {Acknowledge.class, Shelve.class, Unshelve.class})
    static final class Alarms implements Callable<Integer> {
        @ParentCommand MaxCli root;
        @Option(names = "--all") boolean all;
        @Option(names = "--history") boolean history;
        @picocli.CommandLine.Mixin MaxCli.FormatOption fmt = new MaxCli.FormatOption();

        @Override
        public Integer call() {
            var format = fmt.parsed(root);
            try (var server = factoryServer(root)) {
                JsonNode answer = server.get("/v1/alarms?all=" + all + "&history=" + history);
                boolean korean = root.locale().getLanguage().equals("ko");
                var out = new Output(root.out, format, java.time.ZoneId.of("Asia/Seoul"));
                out.columns(root.columns(format, "alarm", "state", "priority", "raised", "message"));
                for (JsonNode a : answer.path("alarms")) {
                    out.row(a.path("id").asString(), a.path("state").asString(), a.path("priority").asString(),
                            a.path("raisedAt").isNull() ? "" : a.path("raisedAt").asString(),
                            a.path(korean ? "messageKo" : "messageEn").asString());
                }
                out.end();
                if (history) {
                    var events = new Output(root.out, format, java.time.ZoneId.of("Asia/Seoul"));
                    events.columns(root.columns(format, "time", "alarm", "change", "state", "who", "note"));
                    for (JsonNode e : answer.path("history")) {
                        events.row(e.path("time").asString(), e.path("id").asString(), e.path("change").asString(),
                                e.path("to").asString(), e.path("who").isNull() ? "" : e.path("who").asString(),
                                e.path("note").isNull() ? "" : e.path("note").asString());
                    }
                    events.end();
                }
            }
            return 0;
        }
    }

    private static void alarmCommand(MaxCli root, String route, ObjectNode body, String doneKey) {
        try (var server = factoryServer(root)) {
            JsonNode a = server.call("POST", "/v1/alarms/" + route, body, 200);
            boolean korean = root.locale().getLanguage().equals("ko");
            root.out.println(root.text(doneKey, a.path("id").asString(), a.path("state").asString(),
                    a.path(korean ? "messageKo" : "messageEn").asString()));
        }
    }

    @Command(name = "ack", mixinStandardHelpOptions = true)
    static final class Acknowledge implements Callable<Integer> {
        @ParentCommand Alarms alarms;
        @Parameters(index = "0", paramLabel = "ALARM") String id;
        @Option(names = "--note", paramLabel = "TEXT") String note;

        @Override
        public Integer call() {
            var body = JSON.createObjectNode().put("id", id);
            if (note != null) body.put("note", note);
            alarmCommand(alarms.root, "acknowledge", body, "alarms.done");
            return 0;
        }
    }

    @Command(name = "shelve", mixinStandardHelpOptions = true)
    static final class Shelve implements Callable<Integer> {
        @ParentCommand Alarms alarms;
        @Parameters(index = "0", paramLabel = "ALARM") String id;
        @Option(names = "--for", defaultValue = "1h", paramLabel = "DURATION") String duration;
        @Option(names = "--reason", required = true, paramLabel = "TEXT") String reason;

        @Override
        public Integer call() {
            var body = JSON.createObjectNode().put("id", id)
                    .put("duration", duration(duration).toString()).put("reason", reason);
            alarmCommand(alarms.root, "shelve", body, "alarms.done");
            return 0;
        }
    }

    @Command(name = "unshelve", mixinStandardHelpOptions = true)
    static final class Unshelve implements Callable<Integer> {
        @ParentCommand Alarms alarms;
        @Parameters(index = "0", paramLabel = "ALARM") String id;

        @Override
        public Integer call() {
            var body = JSON.createObjectNode().put("id", id);
            alarmCommand(alarms.root, "unshelve", body, "alarms.done");
            return 0;
        }
    }

    /**
     * {@code max connect URL --assets FILE --dataset D}: reads equipment over its protocol (OPC UA, MQTT, Modbus) into a
     * stream dataset of this home's library, with the asset model's limit alarms printed as they change, until Ctrl-C
     * (or {@code --for}).
     */
    @Command(name = "connect", mixinStandardHelpOptions = true)
    static final class Connect implements Callable<Integer> {
        @ParentCommand MaxCli root;
        @Parameters(index = "0", paramLabel = "URL") String url;
        @Option(names = "--assets", paramLabel = "FILE") Path assets;
        @Option(names = "--dataset", required = true, paramLabel = "NAME") String dataset;
        @Option(names = "--classification", defaultValue = "internal", paramLabel = "public|internal|restricted|designated")
        String classification;
        @Option(names = "--period", defaultValue = "0s", paramLabel = "DURATION") String period;
        @Option(names = "--for", paramLabel = "DURATION") String runFor;

        @Override
        public Integer call() throws Exception {
            root.refuseServer("max connect");
            AssetModel model = assets == null ? AssetModel.demoLine() : AssetModel.read(assets);
            Duration limit = runFor == null ? null : duration(runFor);
            var received = new java.util.concurrent.atomic.AtomicLong();
            try (var lib = root.open()) {
                var who = kr.max.core.Principal.localOperator();
                if (!lib.streams().isStream(dataset)) lib.streams().create(who, dataset, Classification.parse(classification));
                String run = Long.toString(java.time.Instant.now().getEpochSecond(), 36);
                var appenders = new java.util.concurrent.ConcurrentHashMap<kr.max.core.AssetPath, kr.max.library.stream.StreamAppender>();
                var alarms = kr.max.factory.alarms.AlarmService.create(model);
                alarms.addListener(e -> {
                    if (e.change() == kr.max.factory.alarms.AlarmEvent.Change.RAISED
                            || e.change() == kr.max.factory.alarms.AlarmEvent.Change.RETURNED_TO_NORMAL) {
                        root.out.println(root.text("connect.alarm", e.time(), e.change().word(), e.alarm().message(root.locale())));
                        root.out.flush();
                    }
                });
                try (var connector = kr.max.factory.Connectors.forUrl(url, model, "max-connect-" + run, duration(period))) {
                    for (var e : model.equipment()) {
                        appenders.put(e.path(), lib.streams().appender(who, dataset, "connect-" + run + ":" + e.path()));
                    }
                    connector.start(sample -> {
                        received.incrementAndGet();
                        alarms.onSample(sample);
                        var appender = appenders.get(sample.tag().equipment());
                        if (appender != null) {
                            appender.append(new kr.max.library.stream.StreamSample(sample.sequence(), sample.time(),
                                    sample.tag().equipment().toString(), sample.tag().tag(), sample.value(), sample.quality().name()));
                        }
                    });
                    root.out.println(root.text("connect.started", connector.protocol(), url, dataset, model.tags().size()));
                    root.out.flush();
                    Serve.awaitStop(limit);
                } finally {
                    appenders.values().forEach(kr.max.library.stream.StreamAppender::close);
                }
                long committed = appenders.values().stream().mapToLong(a -> a.counts().committed()).sum();
                root.out.println(root.text("connect.stopped", received.get(), committed, dataset));
            }
            return 0;
        }
    }

    /**
     * {@code max edge --hub URL --dataset D (--twin | --mqtt URL | --opcua URL)}: the edge node next to the equipment —
     * an encrypted durable buffer in the home ({@code edge-buffer}) and a forwarder to the hub, until Ctrl-C. The
     * buffer's key is the home's master key; the hub token comes from {@code --token} or {@code MAX_TOKEN}. The hub's
     * edge rules for the dataset are fetched before anything is sent; {@code --drop-tag} and {@code --round-tag} add to
     * them. The node's status is kept in the home ({@code edge-status.properties}) for {@code max edge status}.
     */
    @Command(name = "edge", mixinStandardHelpOptions = true, subcommands = EdgeStatusCommand.class)
    static final class Edge implements Callable<Integer> {
        @ParentCommand MaxCli root;
        @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;
        // required, but checked here: "max edge status" names neither
        @Option(names = "--hub", paramLabel = "URL") String hub;
        @Option(names = "--dataset", paramLabel = "NAME") String dataset;
        @Option(names = "--edge-id", defaultValue = "edge-1", paramLabel = "ID") String edgeId;
        @Option(names = "--twin", description = "Run the simulated line here as the equipment.") boolean twin;
        @Option(names = "--speed", defaultValue = "1x", paramLabel = "1x|10x") String speed;
        @Option(names = "--mqtt", paramLabel = "URL") List<String> mqtt;
        @Option(names = "--opcua", paramLabel = "URL") List<String> opcua;
        @Option(names = "--assets", paramLabel = "FILE") Path assets;
        @Option(names = "--buffer", paramLabel = "DIR") Path buffer;
        @Option(names = "--drop-tag", paramLabel = "TAG") List<String> dropTags;
        @Option(names = "--round-tag", paramLabel = "TAG=STEP") List<String> roundTags;

        @Override
        public Integer call() throws Exception {
            for (var required : List.of(java.util.Map.entry("--hub", hub == null ? "" : hub), java.util.Map.entry("--dataset",
                    dataset == null ? "" : dataset))) {
                if (required.getValue().isBlank()) {
                    throw new picocli.CommandLine.ParameterException(spec.commandLine(), root.text("edge.needs", required.getKey()));
                }
            }
            Path home = root.home != null ? root.home : MaxCli.defaultHome();
            Files.createDirectories(home);
            var args = new ArrayList<>(List.of("--buffer", (buffer != null ? buffer : home.resolve("edge-buffer")).toString(),
                    "--hub", hub, "--dataset", dataset, "--edge-id", edgeId, "--status-file", edgeStatusFile(root).toString()));
            Path keyFile = root.keyFile != null ? root.keyFile : home.resolve("master.key");
            if (System.getenv(kr.max.library.crypto.MasterKey.ENV) == null || root.keyFile != null) {
                args.addAll(List.of("--key-file", keyFile.toString()));
            }
            String t = root.token != null ? root.token : System.getenv("MAX_TOKEN");
            Path tokenFile = null;
            if (t != null) {
                // the token goes to the node through an owner-only file, never through the process's arguments
                tokenFile = Files.createTempFile(home, "edge-token-", "");
                try {
                    Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException ignored) {
                    // not POSIX: the home's own permissions protect it
                }
                Files.writeString(tokenFile, t, StandardCharsets.UTF_8);
                tokenFile.toFile().deleteOnExit();
                args.addAll(List.of("--token-file", tokenFile.toString()));
            }
            if (twin) args.addAll(List.of("--twin", "--speed", speed));
            if (mqtt != null) for (String u : mqtt) args.addAll(List.of("--mqtt", u));
            if (opcua != null) for (String u : opcua) args.addAll(List.of("--opcua", u));
            if (assets != null) args.addAll(List.of("--assets", assets.toString()));
            if (dropTags != null) for (String d : dropTags) args.addAll(List.of("--drop-tag", d));
            if (roundTags != null) for (String r : roundTags) args.addAll(List.of("--round-tag", r));
            root.out.println(root.text("edge.started", edgeId, hub, dataset, args.get(1)));
            root.out.flush();
            kr.max.factory.edge.EdgeNode.main(args.toArray(String[]::new));
            return 0;
        }
    }

    /** Where {@code max edge} keeps its node's status: rewritten twice a second while it runs. */
    static Path edgeStatusFile(MaxCli root) {
        return (root.home != null ? root.home : MaxCli.defaultHome()).resolve("edge-status.properties");
    }

    /**
     * {@code max edge status}: what the edge node of this home last reported — the hub's rules version in force (or why
     * there is none, and so nothing is forwarded), samples captured, waiting and forwarded, the hub's reachability.
     */
    @Command(name = "status", mixinStandardHelpOptions = true)
    static final class EdgeStatusCommand implements Callable<Integer> {
        @ParentCommand Edge edge;

        @Override
        public Integer call() throws IOException {
            MaxCli root = edge.root;
            Path file = edgeStatusFile(root);
            if (!Files.isRegularFile(file)) throw new MaxException(CliError.NO_EDGE, Location.file(file.toString()), file);
            var p = new java.util.Properties();
            try (var in = Files.newInputStream(file)) {
                p.load(in);
            }
            String written = java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                    Files.getLastModifiedTime(file).toInstant().atZone(java.time.ZoneId.of("Asia/Seoul")).withNano(0));
            root.out.println(root.text("edge.status", written));
            String rules = p.getProperty("rulesVersion", "none");
            if ("none".equals(rules)) {
                root.out.println(root.text("edge.status.no-rules", p.getProperty("rulesProblem", "-")));
            } else {
                root.out.println(root.text("edge.status.rules", rules));
            }
            root.out.println(root.text("edge.status.counts", p.getProperty("captured", "0"), p.getProperty("buffered", "0"),
                    p.getProperty("forwarded", "0"), root.text(Boolean.parseBoolean(p.getProperty("hubReachable")) ? "edge.status.reachable"
                            : "edge.status.unreachable")));
            if (p.getProperty("lastProblem") != null) root.out.println(root.text("edge.status.problem", p.getProperty("lastProblem")));
            for (String key : new java.util.TreeSet<>(p.stringPropertyNames())) {
                if (key.startsWith("stopped.")) root.out.println(root.text("edge.status.stopped", key.substring(8), p.getProperty(key)));
            }
            return 0;
        }
    }

    private static String plain(Object v) {
        if (v instanceof Number n) {
            double d = n.doubleValue();
            return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
        }
        try {
            double d = Double.parseDouble(String.valueOf(v));
            return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
        } catch (NumberFormatException e) {
            return String.valueOf(v);
        }
    }
}
