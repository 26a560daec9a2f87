package kr.max.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import kr.max.core.Classification;
import kr.max.core.MaxException;
import kr.max.core.Principal;
import kr.max.core.Role;
import kr.max.library.DatasetSummary;
import kr.max.library.IngestRequest;
import kr.max.library.IngestResult;
import kr.max.library.Library;
import kr.max.library.ingest.SourceOptions;
import kr.max.library.query.ResultSink;
import kr.max.library.sample.SampleData;
import kr.max.server.MaxServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code max demo}: a national library on embedded defaults, with organizations in two jurisdictions, a
 * steward and an auditor, shipped public data (C-MAPSS, Tennessee Eastman) and KAMP-shaped synthetic
 * data made on the spot, one designated dataset whose analysis goes through the safe zone — then the
 * library served over HTTP with a token per demo user, until Ctrl-C.
 */
@Command(name = "demo", mixinStandardHelpOptions = true)
final class Demo implements Callable<Integer> {

    @ParentCommand
    MaxCli root;

    @Option(names = "--port", defaultValue = "8080", paramLabel = "PORT")
    int port;

    @Option(names = "--safe-zone-k", defaultValue = "5", paramLabel = "K") int safeZoneK;

    @Option(names = "--once", description = "Stop the server after checking that it answers (tests, CI).")
    boolean once;

    @Option(names = "--line-speed", defaultValue = "10x", paramLabel = "1x|10x|60x") String lineSpeed;

    @Option(names = "--no-line", description = "Leave the simulated line out.") boolean noLine;

    /** The stream dataset the demo line's samples land in. */
    static final String LINE_DATASET = "hanbit/line-1";

    /** The demo's people: organization, jurisdiction and roles. */
    private record Person(String user, String organization, Set<Role> roles) {
    }

    private static final List<Person> PEOPLE = List.of(
            new Person("sejong", "national-library", Set.of(Role.STEWARD)),
            new Person("audrey", "national-library", Set.of(Role.AUDITOR)),
            new Person("curator", "national-library", Set.of(Role.PROVIDER, Role.CONSUMER)),
            new Person("alice", "hanbit-press", Set.of(Role.PROVIDER, Role.CONSUMER)),
            new Person("bob", "hanbit-press", Set.of(Role.PROVIDER)),
            new Person("minji", "kaist-lab", Set.of(Role.CONSUMER)),
            new Person("hans", "bavaria-ai", Set.of(Role.CONSUMER)),
            new Person("jihoon", "hanbit-press", Set.of(Role.OPERATOR, Role.PROVIDER)));

    @Override
    public Integer call() throws Exception {
        root.refuseServer("max demo");
        if (root.home == null) root.home = Files.createTempDirectory("max-demo-");
        Path data = Files.createDirectories(root.home.resolve("sample-files"));
        var out = root.out;
        out.println(root.text("demo.start", root.home));
        Library lib = root.open(c -> c.withSafeZoneMinContributors(safeZoneK));
        MaxServer server;
        Map<String, String> tokens;
        kr.max.server.FactoryRuntime factory = null;
        try {
            String adminToken = lib.bootstrapAdmin("national-library", "KR", "admin").map(t -> t.token()).orElse(null);
            if (adminToken == null) throw new MaxException(kr.max.library.identity.IdentityError.ALREADY_EXISTS,
                    kr.max.core.Location.file(root.home.toString()), "library", root.home);
            Principal admin = lib.authenticate(adminToken).orElseThrow();
            tokens = people(lib, admin);
            tokens.put("admin", adminToken);
            Map<String, Principal> as = new LinkedHashMap<>();
            for (var e : tokens.entrySet()) as.put(e.getKey(), lib.authenticate(e.getValue()).orElseThrow());
            deposit(lib, as, data);
            walkThrough(lib, as);
            if (!noLine) factory = line(lib, as.get("jihoon"));
            var f = factory;
            server = MaxServer.start(kr.max.server.ServerOptions.of(lib, lib::authenticate).withHost("127.0.0.1")
                    .withPort(once ? 0 : port).withFactory(f));
        } catch (Exception | Error e) {
            if (factory != null) factory.close();
            lib.close();
            throw e;
        }
        out.println();
        out.println(root.text("demo.serving", server.url()));
        // Tokens in full, one a line: a table would shorten them.
        out.printf("  %-8s %-17s %-18s %s%n", "admin", "national-library", "admin", tokens.get("admin"));
        for (Person p : PEOPLE) {
            out.printf("  %-8s %-17s %-18s %s%n", p.user(), p.organization(), kr.max.library.identity.Identities.words(p.roles()),
                    tokens.get(p.user()));
        }
        out.println(root.text("demo.try", server.url(), tokens.get("minji")));
        if (factory != null) {
            out.println(root.text("demo.line.try", server.url(), tokens.get("jihoon"), LINE_DATASET));
        }
        out.flush();
        if (once) {
            try {
                out.println(root.text("demo.checked", selfCheck(server, tokens.get("minji"))));
                if (factory != null) lineCheck(lib, factory, server, tokens.get("jihoon"));
            } finally {
                server.close();
                if (factory != null) factory.close();
                lib.close();
            }
            return 0;
        }
        // the line stops before the library closes: its connector must not deliver into closed appenders
        try {
            Serve.stopSignal().await();
        } finally {
            try {
                server.close();
                if (factory != null) factory.close();
            } finally {
                lib.close();
            }
        }
        return 0;
    }

    /**
     * The simulated line of 한빛정밀 창원공장: its twin serving OPC UA, MQTT and Modbus, read over OPC UA into the stream
     * dataset {@link #LINE_DATASET} as jihoon (operator of hanbit-press), scored and alarmed.
     */
    private kr.max.server.FactoryRuntime line(Library lib, Principal operator) {
        var out = root.out;
        out.println();
        var options = kr.max.server.FactoryRuntime.Options.demo(LINE_DATASET)
                .withPace(kr.max.factory.twin.Pace.parse(once ? "20x" : lineSpeed));
        var f = kr.max.server.FactoryRuntime.start(lib, operator, options);
        var s = f.station();
        out.println(root.text("demo.line", s.model().enterpriseName().ko(), s.model().enterpriseName().en(),
                s.model().equipment().size(), s.model().tags().size(), s.driver().pace(), LINE_DATASET));
        out.println(root.text("twin.opcua", s.opcUaUrl()));
        out.println(root.text("twin.mqtt", s.mqttUrl()));
        out.println(root.text("twin.modbus", "127.0.0.1", s.modbusPort()));
        for (var w : f.watches()) {
            out.println(root.text("demo.line.watch", w.equipment(), w.model(), w.trainedIn().toMillis() / 1000.0));
        }
        return f;
    }

    /**
     * What {@code --once} proves of the line: samples are queryable in the stream dataset, and a bearing defect injected
     * over HTTP (as {@code max twin fault} does) raises the spindle's model alarm within seconds.
     */
    private void lineCheck(Library lib, kr.max.server.FactoryRuntime factory, MaxServer server, String token)
            throws IOException, InterruptedException {
        var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        Principal operator = lib.authenticate(token).orElseThrow();
        var counted = new long[1];
        while (counted[0] == 0 && System.nanoTime() < deadline) {
            Thread.sleep(250);
            lib.query(operator, "SELECT count(*) FROM \"" + LINE_DATASET + "\"", new ResultSink() {
                @Override
                public void columns(List<String> names, List<String> sqlTypes) {
                }

                @Override
                public void row(Object[] values) {
                    counted[0] = ((Number) values[0]).longValue();
                }
            });
        }
        long rows = counted[0];
        var fault = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/v1/twin/faults")).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"kind\":\"bearing-defect\",\"target\":\"CNC-01\",\"options\":{\"severity\":\"0.05\"}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (fault.statusCode() != 201) throw new IOException("the twin refused the fault: " + fault.body());
        long injected = System.nanoTime();
        kr.max.factory.alarms.Alarm model = null;
        while (model == null && System.nanoTime() < deadline) {
            Thread.sleep(100);
            model = factory.alarms().active().stream().filter(a -> a.kind() == kr.max.factory.alarms.AlarmKind.MODEL).findFirst()
                    .orElse(null);
        }
        if (model == null) throw new IOException("no model alarm within 90 s of the bearing defect");
        root.out.println(root.text("demo.line.checked", rows, (System.nanoTime() - injected) / 1e9, model.message(root.locale())));
    }

    private Map<String, String> people(Library lib, Principal admin) {
        lib.createOrganization(admin, "hanbit-press", "220-81-62517", "KR");
        lib.createOrganization(admin, "kaist-lab", null, "KR");
        lib.createOrganization(admin, "bavaria-ai", null, "DE");
        var tokens = new LinkedHashMap<String, String>();
        for (Person p : PEOPLE) {
            lib.createUser(admin, p.user(), p.organization(), p.roles());
            tokens.put(p.user(), lib.issueToken(admin, p.user(), Set.of(), Duration.ofDays(7), "max demo").token());
        }
        return tokens;
    }

    private void deposit(Library lib, Map<String, Principal> as, Path data) throws IOException {
        var cmapssColumns = new ArrayList<>(List.of("unit", "cycle", "setting1", "setting2", "setting3"));
        for (int s = 1; s <= 21; s++) cmapssColumns.add("s" + s);
        var tepColumns = new ArrayList<String>();
        for (int i = 1; i <= 41; i++) tepColumns.add("xmeas_" + i);
        for (int i = 1; i <= 11; i++) tepColumns.add("xmv_" + i);
        Path cmapss = shipped("cmapss_train_FD001_units_1-10.txt", data);
        Path tep = shipped("tep_d01_te.dat", data);
        record Deposit(String by, IngestRequest request) {
        }
        for (var d : List.of(
                new Deposit("curator", IngestRequest.of(cmapss, "nasa/cmapss-fd001").withClassification(Classification.PUBLIC)
                        .withSource(new SourceOptions("text", null, null, false, cmapssColumns))),
                new Deposit("curator", IngestRequest.of(tep, "braatz/tep-fault-1").withClassification(Classification.PUBLIC)
                        .withSource(new SourceOptions("text", null, null, false, tepColumns))),
                new Deposit("alice", IngestRequest.of(SampleData.injectionMolding(data, 5000, 2020), "kamp/injection-molding")
                        .withClassification(Classification.RESTRICTED)),
                new Deposit("alice", IngestRequest.of(SampleData.meltingTankCp949(data, 1440), "kamp/melting-tank")),
                new Deposit("alice", IngestRequest.of(SampleData.injectionMoldingWithPeople(data, 5000, 2026), "hanbit/molding-shots")
                        .withClassification(Classification.PUBLIC)),
                new Deposit("alice", IngestRequest.of(SampleData.sensors(data.resolve("press_line_sensors.csv"), 200_000, 20),
                        "hanbit/press-line").withClassification(Classification.RESTRICTED)))) {
            IngestResult r = lib.ingest(as.get(d.by()), d.request());
            root.out.println("  " + root.text("ingest.done", r.dataset(), r.version(), r.rows(), r.chunks(), MaxCli.human(r.bytes()),
                    r.source().format(), Encodings.display(r.source().charset())));
        }
        lib.describe(as.get("alice"), "hanbit/press-line", new Library.Description("프레스 라인 센서", "Press line sensors",
                null, null, List.of("press", "vibration"), null));
        // 보안과제 지정: only a steward designates.
        lib.describe(as.get("sejong"), "hanbit/press-line", new Library.Description(null, null, null, null, null,
                Classification.DESIGNATED));
    }

    private void walkThrough(Library lib, Map<String, Principal> as) {
        var out = root.out;
        out.println();
        var table = new Output(out, Output.Format.TABLE, ZoneId.of("Asia/Seoul"));
        table.columns(List.of(root.text("col.dataset"), root.text("col.versions"), root.text("col.rows"),
                root.text("col.size"), root.text("col.classification"), root.text("col.owner")));
        for (DatasetSummary d : lib.datasets(as.get("sejong"))) {
            table.row(d.name(), d.versions(), d.rows(), MaxCli.human(d.bytes()), d.classification().word(), d.owner());
        }
        table.end();

        query(lib, as.get("minji"), root.text("demo.q1"), "SELECT unit, max(cycle) AS cycles, round(avg(s11), 3) AS mean_s11 "
                + "FROM \"nasa/cmapss-fd001\" GROUP BY unit ORDER BY unit LIMIT 5");
        query(lib, as.get("alice"), root.text("demo.q2"), "SELECT EQUIP_NAME, count(*) AS shots, "
                + "round(avg(CASE WHEN PassOrFail = 'N' THEN 1 ELSE 0 END) * 100, 2) AS defect_pct "
                + "FROM \"kamp/injection-molding\" GROUP BY 1 ORDER BY 1");
        String designated = "SELECT asset, round(avg(temperature), 2) AS temp, round(max(vibration), 2) AS max_vib "
                + "FROM \"hanbit/press-line\" WHERE timestamp < '2026-01-02' GROUP BY asset ORDER BY asset LIMIT 4";
        out.println();
        out.println(root.text("demo.q3"));
        out.println("  " + designated);
        var held = lib.query(as.get("alice"), designated, new Printer(null));
        out.println("  " + root.text("query.held", held.heldOutput(), held.rows(), held.heldBackRows(), lib.safeZoneMinContributors()));
        lib.review(as.get("bob"), held.heldOutput(), true, "per-press aggregates of one day");
        out.println("  " + root.text("review.released", held.heldOutput(), "alice"));
        var o = new Output(out, Output.Format.TABLE, ZoneId.of("Asia/Seoul"));
        lib.releasedOutput(as.get("alice"), held.heldOutput(), new Printer(o));
        o.end();
        for (var attempt : List.<Runnable>of(
                () -> lib.query(as.get("hans"), "SELECT count(*) FROM \"hanbit/press-line\"", new Printer(null)),
                () -> lib.query(as.get("minji"), "SELECT * FROM read_csv('/etc/passwd')", new Printer(null)))) {
            try {
                attempt.run();
            } catch (MaxException e) {
                out.println(root.text("demo.blocked", e.message(root.locale())));
            }
        }
        protection(lib, as);
        models(lib, as);
        // One access request waits for its provider: minji's lab asks hanbit-press for its restricted molding data.
        var now = java.time.Instant.now();
        var pending = lib.requestAccess(as.get("minji"), "kamp/injection-molding", "quality-research",
                Set.of(kr.max.library.policy.Action.QUERY), new kr.max.library.agreement.Constraint.TimeWindow(now,
                        now.plus(Duration.ofDays(90))), Set.of("minji"));
        out.println(root.text("demo.pending", pending.id(), "minji", "kamp/injection-molding", "alice"));
        var v = lib.verifyAudit(as.get("audrey"));
        out.println(v.intact() ? root.text("audit.intact", v.records(), v.checkpoints())
                : root.text("audit.broken", v.firstBrokenSeq(), root.text("audit.reason." + v.reason())));
    }

    /**
     * Standard models trained inside the library (compute-to-data): alice learns which shots fail from her own
     * restricted molding data, and an anomaly detector from her security-designated press line, which leaves only after
     * review in the safe zone.
     */
    private void models(Library lib, Map<String, Principal> as) {
        var out = root.out;
        var registry = new kr.max.models.registry.ModelRegistry(lib);
        Principal alice = as.get("alice");
        out.println();
        out.println(root.text("demo.models"));
        for (var job : List.of(
                new String[] {"quality-gbm", "kamp/injection-molding", "molding-quality"},
                new String[] {"isolation-forest", "hanbit/press-line", "press-line-anomaly"})) {
            var v = registry.train(alice, job[0], job[1], Map.of(), 42, job[2], "quality-improvement");
            out.println("  " + root.text("train.done", v.ref(), v.type(), job[1], v.classification().word(), MaxCli.human(v.bytes())));
            if (v.metrics() != null) out.println("    " + root.text("train.metrics", v.metrics().on(), ModelCommands.figures(v.metrics())));
        }
        // The designated model leaves only through the safe zone: held, reviewed by bob of her company, then taken once.
        Path file = root.home.resolve("press-line-anomaly.bin");
        if (registry.export(alice, "press-line-anomaly", file, null, "line-monitoring") instanceof kr.max.library.Models.HeldModel held) {
            out.println("  " + root.text("model.held", held.ref(), held.output(), held.reviewers().isEmpty()
                    ? root.text("model.reviewers.steward") : root.text("model.reviewers", String.join(", ", held.reviewers()))));
            var released = lib.review(as.get("bob"), held.output(), true, "anomaly scores only; no shot data in the model file");
            out.println("  " + root.text("review.released.model", released.id(), released.analyst(), released.model()));
            if (registry.export(alice, "press-line-anomaly", file, null, "line-monitoring") instanceof kr.max.library.Models.ExportedModel e) {
                out.println("  " + root.text("model.exported", e.model() + "@" + e.version(), e.type(), MaxCli.human(e.bytes()), file));
            }
        }
    }

    /**
     * Issue 4 on screen: alice shares molding shots with operator and supplier names only as a k-anonymous,
     * pseudonymized release; minji's copy of it carries her fingerprint, and a leaked tenth is traced to her.
     */
    private void protection(Library lib, Map<String, Principal> as) {
        var out = root.out;
        Principal alice = as.get("alice");
        out.println();
        out.println(root.text("demo.protect"));
        lib.protect(alice, "hanbit/molding-shots", Set.of(kr.max.library.policy.Action.QUERY, kr.max.library.policy.Action.EXPORT),
                Set.of("Inspector"));
        String yaml;
        try (var in = Demo.class.getResourceAsStream("demo/injection-share.yaml")) {
            yaml = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        var profile = kr.max.library.deid.DeidProfile.parse(yaml, "injection-share.yaml", kr.max.library.deid.HierarchySource.none());
        var d = lib.deidentify(alice, "hanbit/molding-shots", profile, "hanbit/molding-shots-share");
        var r = d.report();
        out.println("  " + root.text("deid.released", d.release(), d.version(), "hanbit/molding-shots", d.profile(), d.profileVersion(),
                r.rowsOut(), r.kReached()));
        out.println("  " + root.text("demo.risk", String.format(java.util.Locale.ROOT, "%.0f", 100 * r.recordsAtRiskBefore()),
                String.format(java.util.Locale.ROOT, "%.0f", 100 * r.prosecutorRiskMax()), r.rowsSuppressed()));
        try {
            Path copy = java.nio.file.Files.createTempFile("minji-", ".csv");
            var exported = lib.export(as.get("minji"), "hanbit/molding-shots-share", copy, "csv");
            out.println("  " + root.text("export.marked", exported.exportId()));
            var lines = new ArrayList<>(java.nio.file.Files.readAllLines(copy));
            String header = lines.removeFirst();
            java.util.Collections.shuffle(lines, new java.util.Random(7));
            var leaked = new ArrayList<String>();
            leaked.add(header);
            leaked.addAll(lines.subList(0, lines.size() / 2));
            Path found = copy.resolveSibling("found-on-a-forum.csv");
            java.nio.file.Files.write(found, leaked);
            var traced = lib.trace(alice, found);
            switch (traced.report()) {
                case kr.max.library.fingerprint.TraceReport.Identified id -> {
                    var m = id.matches().getFirst();
                    out.println("  " + root.text("demo.traced", leaked.size() - 1, m.recipient(), m.exportId(),
                            String.format(java.util.Locale.ROOT, "%.0f", m.log10CorrectedPValue())));
                }
                case kr.max.library.fingerprint.TraceReport.Inconclusive in -> out.println("  " + root.text("trace.inconclusive",
                        found.getFileName(), root.text("trace.reason." + in.reason().name().toLowerCase(java.util.Locale.ROOT)),
                        traced.candidates()));
            }
            java.nio.file.Files.deleteIfExists(copy);
            java.nio.file.Files.deleteIfExists(found);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void query(Library lib, Principal who, String title, String sql) {
        root.out.println();
        root.out.println(title);
        root.out.println("  " + sql);
        var o = new Output(root.out, Output.Format.TABLE, ZoneId.of("Asia/Seoul"));
        lib.query(who, sql, new Printer(o));
        o.end();
    }

    /** A shipped public data file (see demo/NOTICE.md), copied next to the generated ones. */
    private static Path shipped(String name, Path dir) throws IOException {
        Path target = dir.resolve(name);
        try (InputStream in = Demo.class.getResourceAsStream("demo/" + name)) {
            if (in == null) throw new IOException("missing demo resource " + name);
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    /** Asks the running server for the catalog as a demo user would; returns how many datasets it lists. */
    private static int selfCheck(MaxServer server, String token) throws IOException, InterruptedException {
        var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        var r = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/v1/datasets")).header("Authorization", "Bearer " + token)
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IOException("the demo server answered " + r.statusCode());
        return r.body().split("\"name\"", -1).length - 1;
    }

    private record Printer(Output o) implements ResultSink {
        @Override
        public void columns(List<String> names, List<String> sqlTypes) {
            if (o != null) o.columns(names);
        }

        @Override
        public void row(Object[] values) {
            if (o != null) o.row(values);
        }
    }
}
