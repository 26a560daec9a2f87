package kr.max.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import kr.max.core.Classification;
import kr.max.core.MaxException;
import kr.max.core.Messages;
import kr.max.library.DatasetSummary;
import kr.max.library.IngestRejected;
import kr.max.library.Library;
import kr.max.library.LibraryConfig;
import kr.max.library.VersionSummary;
import kr.max.library.audit.Verification;
import kr.max.library.crypto.MasterKey;
import kr.max.library.ingest.IngestProblem;
import kr.max.library.ingest.SourceOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The {@code max} command: the data library from a shell, in Korean or English. */
@Command(name = "max", mixinStandardHelpOptions = true, version = "M.AX Platform 0.1.0",
        resourceBundle = "kr.max.cli.usage",
        subcommands = {Demo.class, MaxCli.Ingest.class, MaxCli.Datasets.class, MaxCli.Show.class, MaxCli.Dictionary.class, MaxCli.Describe.class,
                MaxCli.Query.class, MaxCli.Export.class, MaxCli.Delete.class, MaxCli.Audit.class,
                IdentityCommands.Org.class, IdentityCommands.User.class, IdentityCommands.Token.class,
                SafeZoneCommands.Review.class, SafeZoneCommands.OutputCommand.class, Serve.class,
                AgreementCommands.Request.class, AgreementCommands.Requests.class, AgreementCommands.Approve.class,
                AgreementCommands.Narrow.class, AgreementCommands.Refuse.class, AgreementCommands.Withdraw.class,
                AgreementCommands.Revoke.class, AgreementCommands.Usage.class, AgreementCommands.Cite.class,
                ProtectionCommands.Protect.class, ProtectionCommands.Deid.class, ProtectionCommands.Trace.class,
                ModelCommands.Models.class, ModelCommands.Model.class, ModelCommands.Train.class, ModelCommands.Evaluate.class,
                ModelCommands.Predict.class, FactoryCommands.Assets.class, FactoryCommands.Twin.class,
                FactoryCommands.Alarms.class, FactoryCommands.Connect.class, FactoryCommands.Edge.class,
                StreamCommands.Streams.class})
public final class MaxCli {

    static final String BUNDLE = "kr.max.cli.messages";
    /** Exit status for a broken audit chain, distinct from ordinary errors. */
    static final int EXIT_AUDIT_BROKEN = 3;

    @Option(names = "--home", scope = ScopeType.INHERIT, paramLabel = "DIR")
    Path home;

    @Option(names = "--key-file", scope = ScopeType.INHERIT, paramLabel = "FILE")
    Path keyFile;

    @Option(names = "--catalog", scope = ScopeType.INHERIT, paramLabel = "JDBC_URL")
    String catalogUrl;

    @Option(names = "--lang", scope = ScopeType.INHERIT, paramLabel = "ko|en")
    String lang;

    @Option(names = "--server", scope = ScopeType.INHERIT, paramLabel = "URL")
    String server;

    /** Never printed, never logged; only the HTTP backend's Authorization header carries it. */
    @Option(names = "--token", scope = ScopeType.INHERIT, paramLabel = "TOKEN")
    String token;

    PrintWriter out;
    PrintWriter err;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8)));
    }

    /** Runs the command line; returns the exit status. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        var root = new MaxCli();
        root.out = out;
        root.err = err;
        Locale locale = Messages.forLanguage(languageOf(args));
        Locale.setDefault(Locale.Category.DISPLAY, locale);
        var cl = new CommandLine(root);
        cl.setResourceBundle(java.util.ResourceBundle.getBundle("kr.max.cli.usage", locale));
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, line, parse) -> {
            if (ex instanceof MaxException me) {
                root.printError(me);
                return 1;
            }
            err.println(root.text("error.unexpected", ex.getClass().getSimpleName()));
            return 1;
        });
        return cl.execute(args);
    }

    private static String languageOf(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--lang") && i + 1 < args.length) return args[i + 1];
            if (args[i].startsWith("--lang=")) return args[i].substring(7);
        }
        String env = System.getenv("MAX_LANG");
        return env != null ? env : Locale.getDefault().getLanguage();
    }

    Locale locale() {
        return lang != null ? Messages.forLanguage(lang) : Messages.defaultLocale();
    }

    String text(String key, Object... args) {
        return Messages.text(BUNDLE, key, locale(), args);
    }

    void printError(MaxException e) {
        if (e instanceof IngestRejected r) {
            printRejected(r);
            return;
        }
        err.println(text("error.prefix") + " " + e.message(locale()));
        err.flush();
    }

    /**
     * A refused file: its problems, one a line (at most {@code --max-errors}), then how many the whole
     * file has.
     */
    void printRejected(IngestRejected r) {
        err.println(text("error.prefix") + " " + r.message(locale()));
        for (IngestProblem p : r.problems().subList(1, r.problems().size())) {
            err.println("  " + p.toException(r.location().file()).message(locale()));
        }
        if (r.problems().size() < r.problemCount()) err.println(text("ingest.listed", r.problems().size()));
        err.println(text("ingest.rejected", r.problemCount()));
        err.flush();
    }

    /**
     * Column titles: in the user's language for a table, a person reads it; the stable English keys for
     * CSV and JSON, which scripts read and which must not change with {@code --lang}.
     */
    List<String> columns(Output.Format format, String... keys) {
        return java.util.Arrays.stream(keys).map(k -> format == Output.Format.TABLE ? text("col." + k) : k).toList();
    }

    Library open() {
        return open(c -> c);
    }

    /** Opens the home's library with a configuration the command adjusts ({@code max serve}'s options). */
    Library open(java.util.function.UnaryOperator<LibraryConfig> adjust) {
        return Library.open(adjust.apply(config()));
    }

    /** The configuration of the home's library: its master key (made on first use), its catalog. */
    LibraryConfig config() {
        Path h = home != null ? home : defaultHome();
        String env = System.getenv(MasterKey.ENV);
        MasterKey key;
        if (keyFile != null) {
            key = MasterKey.fromFile(keyFile);
        } else if (env != null && !env.isBlank()) {
            key = MasterKey.of(env);
        } else {
            Path file = h.resolve("master.key");
            if (Files.exists(file)) {
                key = MasterKey.fromFile(file);
            } else if (Files.exists(h.resolve("keys").resolve("salt"))) {
                // The library exists; a new key would not open it. Never replace a master key silently.
                throw new MaxException(kr.max.library.crypto.CryptoError.BAD_MASTER_KEY, kr.max.core.Location.file(h.toString()),
                        text("key.missing", file));
            } else {
                key = MasterKey.createFile(file);
                err.println(text("key.created", file));
            }
        }
        var config = LibraryConfig.embedded(h, key);
        if (catalogUrl != null) {
            config = config.withCatalog(catalogUrl, System.getenv("MAX_CATALOG_USER"), System.getenv("MAX_CATALOG_PASSWORD"));
        }
        return config;
    }

    /**
     * The library the commands act on: a server's HTTP API when one is named, else the library of the
     * home opened here. Both go through the same library API and the same policy checks.
     */
    Backend backend() {
        String url = serverUrl();
        if (url != null) {
            String t = token != null ? token : System.getenv("MAX_TOKEN");
            return new HttpBackend(url, t, locale());
        }
        return new EmbeddedBackend(open(), locale());
    }

    /**
     * {@code --server}, else {@code MAX_SERVER} — unless a local library is named on the command line
     * ({@code --home}, {@code --key-file}, {@code --catalog}): an explicit local home beats a server
     * inherited from the environment.
     */
    String serverUrl() {
        if (server != null && !server.isBlank()) return server;
        if (home != null || keyFile != null || catalogUrl != null) return null;
        String env = System.getenv("MAX_SERVER");
        return env == null || env.isBlank() ? null : env;
    }

    /** For the commands that open the home themselves ({@code serve}, {@code demo}): a server makes no sense there. */
    void refuseServer(String command) {
        if (server != null && !server.isBlank()) {
            throw new MaxException(CliError.NOT_OVER_HTTP, kr.max.core.Location.NOWHERE, command);
        }
    }

    static Path defaultHome() {
        String env = System.getenv("MAX_HOME");
        if (env != null && !env.isBlank()) return Path.of(env);
        return Path.of(System.getProperty("user.home"), ".max");
    }

    /** Options shared by listing commands. */
    static class FormatOption {
        @Option(names = "--format", paramLabel = "table|csv|json", descriptionKey = "format", defaultValue = "table")
        String format;

        /** The command this option belongs to, so that a usage error shows that command's usage. */
        @Spec(Spec.Target.MIXEE)
        CommandSpec command;

        Output.Format parsed(MaxCli root) {
            return switch (format.toLowerCase(Locale.ROOT)) {
                case "csv" -> Output.Format.CSV;
                case "json" -> Output.Format.JSON;
                case "table" -> Output.Format.TABLE;
                default -> throw new CommandLine.ParameterException(command.commandLine(), root.text("format.unknown", format));
            };
        }
    }

    @Command(name = "ingest", mixinStandardHelpOptions = true)
    static final class Ingest implements Callable<Integer> {
        @ParentCommand MaxCli root;
        @Parameters(index = "0", paramLabel = "FILE") Path file;
        @Option(names = "--dataset", required = true, paramLabel = "NAME") String dataset;
        @Option(names = "--dictionary", paramLabel = "YAML") Path dictionary;
        @Option(names = "--encoding", paramLabel = "auto|utf-8|cp949|euc-kr", defaultValue = "auto") String encoding;
        @Option(names = "--format", paramLabel = "auto|csv|text|jsonl|parquet", defaultValue = "auto") String format;
        @Option(names = "--delimiter", paramLabel = "CHAR") String delimiter;
        @Option(names = "--no-header", negatable = false) boolean noHeader;
        @Option(names = "--columns", split = ",", paramLabel = "a,b,c") List<String> columns;
        @Option(names = "--skip-bad-rows") boolean skipBadRows;
        @Option(names = "--max-errors", defaultValue = "20", paramLabel = "N") int maxErrors;
        @Option(names = "--classification", paramLabel = "public|internal|restricted|designated") String classification;
        @Option(names = "--time-zone", paramLabel = "ZONE") String timeZone;

        @Override
        public Integer call() {
            var source = new SourceOptions("auto".equalsIgnoreCase(format) ? null : format.toLowerCase(Locale.ROOT),
                    Encodings.parse(encoding), delimiter == null ? null : Encodings.delimiter(delimiter),
                    noHeader ? Boolean.FALSE : null, columns);
            var req = new Backend.DepositRequest(file, dataset, source, dictionary, skipBadRows, maxErrors,
                    classification == null ? null : Classification.parse(classification), timeZone);
            // On this machine the file is read (form, sample, hash) and converted into scratch memory while the
            // library opens; nothing is decided or stored before the library is open, and a refusal, a failure or
            // a library that does not open discards the conversion (closing `ahead`).
            LibraryConfig config = root.serverUrl() == null ? root.config() : null;
            try (var ahead = config != null ? EmbeddedBackend.prepare(req, config) : null;
                 Backend lib = config != null ? new EmbeddedBackend(Library.open(config), root.locale()) : root.backend()) {
                Backend.Ingested r;
                try (var bar = new ProgressBar(root, root.err)) {
                    r = lib instanceof EmbeddedBackend local ? local.ingest(req, ahead, bar) : lib.ingest(req, bar);
                }
                root.out.println(root.text("ingest.done", r.dataset(), r.version(), r.rows(), r.chunks(), human(r.bytes()),
                        r.format(), Encodings.display(r.encoding())));
                if (r.rejectedRows() > 0) {
                    root.out.println(root.text("ingest.skipped", r.rejectedRows()));
                    for (String problem : r.rejected().subList(0, Math.min(10, r.rejected().size()))) {
                        root.out.println("  " + problem);
                    }
                }
            }
            return 0;
        }
    }

    @Command(name = "datasets", mixinStandardHelpOptions = true)
    static final class Datasets implements Callable<Integer> {
        @ParentCommand MaxCli root;
        @CommandLine.Mixin FormatOption fmt = new FormatOption();

        @Override
        public Integer call() {
            Output.Format format = fmt.parsed(root);
            try (Backend lib = root.backend()) {
                var o = new Output(root.out, format, ZoneId.of("Asia/Seoul"));
                o.columns(root.columns(format, "dataset", "versions", "rows", "size", "classification", "owner", "updated"));
                for (DatasetSummary d : lib.datasets()) {
                    o.row(d.name(), d.versions(), d.rows(), human(d.bytes()), d.classification().word(), d.owner(), d.updatedAt());
                }
                o.end();
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true)
    static final class Show implements Callable<Integer> {
        @ParentCommand MaxCli root;
        @Parameters(index = "0", paramLabel = "DATASET") String dataset;
        @Option(names = "--rows", defaultValue = "5", paramLabel = "N") int rows;
        @Option(names = "--purpose", paramLabel = "PURPOSE") String purpose;

        @Override
        public Integer call() {
            try (Backend lib = root.backend()) {
                Backend.DatasetView d = lib.show(dataset, rows, purpose);
                var out = root.out;
                out.println(root.text("show.header", d.dataset().name(), d.dataset().classification(), d.dataset().owner()));
                boolean korean = root.locale().getLanguage().equals("ko");
                String title = korean && d.dataset().titleKo() != null ? d.dataset().titleKo() : d.dataset().titleEn();
                String about = korean && d.dataset().descriptionKo() != null ? d.dataset().descriptionKo() : d.dataset().descriptionEn();
                if (title != null) out.println(title);
                if (about != null) out.println(about);
                if (!d.dataset().tags().isEmpty()) out.println(root.text("show.tags", String.join(", ", d.dataset().tags())));
                out.println();
                out.println(root.text("show.versions"));
                var o = new Output(out, Output.Format.TABLE, ZoneId.of("Asia/Seoul"));
                o.columns(List.of(root.text("col.version"), root.text("col.created"), root.text("col.rows"), root.text("col.size"),
                        root.text("col.chunks"), root.text("col.rejected"), root.text("col.source"), root.text("col.sha256")));
                for (VersionSummary v : d.versions()) {
                    o.row(v.number(), v.createdAt(), v.rows(), human(v.bytes()), v.chunks(), v.rejectedRows(),
                            v.sourceName() + " (" + v.sourceFormat() + (v.sourceEncoding() == null ? "" : ", " + Encodings.display(v.sourceEncoding())) + ")",
                            v.sourceSha256() == null ? "" : v.sourceSha256().substring(0, 16));
                }
                o.end();
                if (d.dictionary() != null) {
                    out.println();
                    out.println(root.text("show.dictionary", d.dictionary().timeZone()));
                    var od = new Output(out, Output.Format.TABLE, ZoneId.of("Asia/Seoul"));
                    od.columns(List.of(root.text("col.column"), root.text("col.role"), root.text("col.type"), root.text("col.unit"),
                            root.text("col.sensitivity"), root.text("col.description")));
                    boolean ko = root.locale().getLanguage().equals("ko");
                    for (Backend.Column c : d.dictionary().columns()) {
                        od.row(c.name(), c.role(), c.type(), c.unit(), c.sensitivity(), ko ? c.descriptionKo() : c.descriptionEn());
                    }
                    od.end();
                }
                if (!d.sampleRows().isEmpty()) {
                    out.println();
                    out.println(root.text("show.sample", d.sampleRows().size()));
                    var os = new Output(out, Output.Format.TABLE, ZoneId.of(d.dictionary().timeZone()));
                    os.columns(d.sampleColumns());
                    d.sampleRows().forEach(r -> os.row(r));
                    os.end();
                }
                if (!d.rejected().isEmpty()) {
                    out.println();
                    out.println(root.text("show.rejected", d.versions().getLast().rejectedRows()));
                    for (String problem : d.rejected()) out.println("  " + problem);
                }
                out.flush();
            }
            return 0;
        }
    }

    @Command(name = "dictionary", mixinStandardHelpOptions = true)
    static final class Dictionary implements Callable<Integer> {
        @ParentCommand MaxCli root;
        @Parameters(index = "0", paramLabel = "DATASET[@N]") String dataset;
        @Option(names = "--to", paramLabel = "FILE.yaml") Path to;

        @Override
        public Integer call() throws Exception {
            try (Backend lib = root.backend()) {
                Backend.DictionaryText d = lib.dictionary(dataset);
                if (to == null) {
                    root.out.print(d.yaml());
                    root.out.flush();
                } else {
                    Files.writeString(to, d.yaml(), StandardCharsets.UTF_8);
                    root.out.println(root.text("dictionary.written", to, d.columns()));
                }
            }
            return 0;
        }
    }

    @Command(name = "query", mixinStandardHelpOptions = true)
    static final class Query implements Callable<Integer> {
        @ParentCommand MaxCli root;
        @Parameters(index = "0", paramLabel = "SQL") String sql;
        @Option(names = "--purpose", paramLabel = "PURPOSE") String purpose;
        @CommandLine.Mixin FormatOption fmt = new FormatOption();

        @Override
        public Integer call() {
            Output.Format format = fmt.parsed(root);
            try (Backend lib = root.backend()) {
                var o = new Output(root.out, format, ZoneId.of("Asia/Seoul"));
                var outcome = lib.query(sql, purpose, o.sink());
                switch (outcome) {
                    // Designated data: the result waits in the safe zone's output area for review.
                    case Backend.QueryOutcome.Held held -> root.err.println(root.text("query.held", held.output(), held.rows(),
                            held.heldBackRows(), held.minContributors()));
                    case Backend.QueryOutcome.Delivered delivered -> o.end();
                }
            }
            return 0;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true)
    static final class Export implements Callable<Integer> {
        @ParentCommand MaxCli root;
        @Parameters(index = "0", paramLabel = "DATASET[@N]") String dataset;
        @Option(names = "--to", required = true, paramLabel = "FILE.parquet|FILE.csv") Path to;
        @Option(names = "--purpose", paramLabel = "PURPOSE") String purpose;
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            String name = to.getFileName().toString().toLowerCase(Locale.ROOT);
            String format = name.endsWith(".csv") ? "csv" : name.endsWith(".parquet") ? "parquet" : null;
            if (format == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), root.text("export.extension"));
            }
            try (Backend lib = root.backend()) {
                var exported = lib.export(dataset, to, format, purpose);
                root.out.println(root.text("export.done", dataset, to, exported.rows()));
                if (exported.fingerprinted()) root.out.println(root.text("export.marked", exported.exportId()));
            }
            return 0;
        }
    }

    @Command(name = "describe", mixinStandardHelpOptions = true)
    static final class Describe implements Callable<Integer> {
        @ParentCommand MaxCli root;
        @Parameters(index = "0", paramLabel = "DATASET") String dataset;
        @Option(names = "--title-ko", paramLabel = "TEXT") String titleKo;
        @Option(names = "--title-en", paramLabel = "TEXT") String titleEn;
        @Option(names = "--description-ko", paramLabel = "TEXT") String descriptionKo;
        @Option(names = "--description-en", paramLabel = "TEXT") String descriptionEn;
        @Option(names = "--tags", split = ",", paramLabel = "a,b") List<String> tags;
        @Option(names = "--classification", paramLabel = "public|internal|restricted|designated") String classification;
        @Option(names = "--domestic-only", arity = "1", paramLabel = "true|false") Boolean domesticOnly;

        @Override
        public Integer call() {
            var d = new Library.Description(titleKo, titleEn, descriptionKo, descriptionEn, tags,
                    classification == null ? null : Classification.parse(classification), domesticOnly);
            try (Backend lib = root.backend()) {
                var ds = lib.describe(dataset, d);
                root.out.println(root.text("describe.done", ds.name(), ds.classification()));
            }
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true)
    static final class Delete implements Callable<Integer> {
        @ParentCommand MaxCli root;
        @Parameters(index = "0", paramLabel = "DATASET") String dataset;

        @Override
        public Integer call() {
            try (Backend lib = root.backend()) {
                lib.delete(dataset);
                root.out.println(root.text("delete.done", dataset));
            }
            return 0;
        }
    }

    @Command(name = "audit", mixinStandardHelpOptions = true, subcommands = Audit.Verify.class)
    static final class Audit implements Callable<Integer> {
        @ParentCommand MaxCli root;
        @Option(names = "--dataset", paramLabel = "NAME") String dataset;
        @CommandLine.Mixin FormatOption fmt = new FormatOption();

        @Override
        public Integer call() {
            Output.Format format = fmt.parsed(root);
            try (Backend lib = root.backend()) {
                var o = new Output(root.out, format, ZoneId.of("Asia/Seoul"));
                o.columns(root.columns(format, "seq", "time", "principal", "action", "dataset", "version", "outcome", "detail"));
                lib.audit(dataset, r -> o.row(r.seq(), r.at(), r.principal(), r.action(), r.dataset(), r.version(),
                        r.outcome(), r.detail()));
                o.end();
            }
            return 0;
        }

        @Command(name = "verify", mixinStandardHelpOptions = true)
        static final class Verify implements Callable<Integer> {
            @ParentCommand Audit audit;

            @Override
            public Integer call() {
                MaxCli root = audit.root;
                try (Backend lib = root.backend()) {
                    Verification v = lib.verifyAudit();
                    if (v.intact()) {
                        root.out.println(root.text("audit.intact", v.records(), v.checkpoints()));
                        return 0;
                    }
                    root.out.println(root.text("audit.broken", v.firstBrokenSeq(), root.text("audit.reason." + v.reason())));
                    return EXIT_AUDIT_BROKEN;
                }
            }
        }
    }

    static String human(long bytes) {
        if (bytes < 1024) return bytes + " B";
        double v = bytes;
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
