package kr.max.cli;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import kr.max.core.Classification;
import kr.max.library.model.TrainingData;
import kr.max.models.Metrics;
import kr.max.models.PublishedResults;
import kr.max.models.ModelCard;
import kr.max.models.Params;
import kr.max.models.registry.ModelInfo;
import kr.max.models.registry.ModelVersionView;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * The model registry (모델 저장소): {@code max models}, {@code max model show|import|export}, {@code max train},
 * {@code max evaluate} and {@code max predict}. Training and prediction run inside the library, decided and recorded
 * by it; only models, figures and predictions come back.
 */
final class ModelCommands {

    /** The seed of a training when none is given, so that the same command gives the same model. */
    static final long DEFAULT_SEED = 42;

    private ModelCommands() {
    }

    @Command(name = "models", mixinStandardHelpOptions = true)
    static final class Models implements Callable<Integer> {
        @ParentCommand MaxCli root;
        @CommandLine.Mixin MaxCli.FormatOption fmt = new MaxCli.FormatOption();

        @Override
        public Integer call() {
            Output.Format format = fmt.parsed(root);
            try (Backend lib = root.backend()) {
                var o = new Output(root.out, format, ZoneId.of("Asia/Seoul"));
                o.columns(root.columns(format, "model", "versions", "type", "classification", "organization", "updated", "description"));
                for (var m : lib.models()) {
                    o.row(m.name(), m.versions(), m.type(), m.classification().word(), m.ownerOrganization(), m.updatedAt(), m.description());
                }
                o.end();
            }
            return 0;
        }
    }

    @Command(name = "model", mixinStandardHelpOptions = true, subcommands = {Model.Show.class, Model.Import.class, Model.Export.class})
    static final class Model implements Callable<Integer> {
        @ParentCommand MaxCli root;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            throw new CommandLine.ParameterException(spec.commandLine(), root.text("model.subcommand"));
        }

        @Command(name = "show", mixinStandardHelpOptions = true)
        static final class Show implements Callable<Integer> {
            @ParentCommand Model model;
            @Parameters(index = "0", paramLabel = "MODEL[@N]") String ref;

            @Override
            public Integer call() {
                MaxCli root = model.root;
                try (Backend lib = root.backend()) {
                    print(root, lib.model(ref));
                }
                return 0;
            }
        }

        @Command(name = "import", mixinStandardHelpOptions = true)
        static final class Import implements Callable<Integer> {
            @ParentCommand Model model;
            @Parameters(index = "0", paramLabel = "FILE.onnx") Path file;
            @Option(names = "--as", required = true, paramLabel = "NAME") String name;
            @Option(names = "--description", paramLabel = "TEXT") String description;
            @Option(names = "--classification", paramLabel = "public|internal|restricted|designated") String classification;

            @Override
            public Integer call() {
                MaxCli root = model.root;
                try (Backend lib = root.backend()) {
                    var v = lib.importOnnx(file, name, description, classification == null ? null : Classification.parse(classification));
                    root.out.println(root.text("model.imported", file.getFileName(), v.ref(), v.type(), v.classification().word(),
                            MaxCli.human(v.bytes())));
                    if (v.card() != null) root.out.println(root.text("model.card.data", v.card().data()));
                    root.out.println(root.text("model.card.where", v.ref()));
                }
                return 0;
            }
        }

        @Command(name = "export", mixinStandardHelpOptions = true)
        static final class Export implements Callable<Integer> {
            @ParentCommand Model model;
            @Parameters(index = "0", paramLabel = "MODEL[@N]") String ref;
            @Option(names = "--to", required = true, paramLabel = "FILE") Path to;
            @Option(names = "--purpose", paramLabel = "PURPOSE") String purpose;

            @Override
            public Integer call() {
                MaxCli root = model.root;
                try (Backend lib = root.backend()) {
                    switch (lib.exportModel(ref, to, purpose)) {
                        case kr.max.library.Models.ExportedModel e ->
                                root.out.println(root.text("model.exported", e.model() + "@" + e.version(), e.type(), MaxCli.human(e.bytes()), to));
                        // Designated data: the export waits in the safe zone; the same command takes the model once released.
                        case kr.max.library.Models.HeldModel h -> {
                            String reviewers = h.reviewers().isEmpty() ? root.text("model.reviewers.steward")
                                    : root.text("model.reviewers", String.join(", ", h.reviewers()));
                            root.out.println(root.text(h.alreadyPending() ? "model.still-held" : "model.held", h.ref(), h.output(), reviewers));
                        }
                    }
                }
                return 0;
            }
        }
    }

    @Command(name = "train", mixinStandardHelpOptions = true)
    static final class Train implements Callable<Integer> {
        @ParentCommand MaxCli root;
        @Parameters(index = "0", paramLabel = "TYPE") String type;
        @Option(names = "--dataset", required = true, paramLabel = "DATASET[@N]") String dataset;
        @Option(names = "--params", paramLabel = "FILE.yaml") Path params;
        @Option(names = "--seed", paramLabel = "N") Long seed;
        @Option(names = "--as", paramLabel = "NAME") String name;
        @Option(names = "--purpose", paramLabel = "PURPOSE") String purpose;

        @Override
        public Integer call() {
            // Read here: a mistake in the file is reported with its name before anything is sent or read.
            Map<String, Object> overrides = params == null ? Map.of() : Params.read(params);
            try (Backend lib = root.backend()) {
                var v = lib.train(type, dataset, overrides, seed == null ? DEFAULT_SEED : seed, name, purpose);
                String on = v.lineage() == null ? dataset : String.join(", ", v.lineage().data().stream().map(TrainingData::ref).toList());
                root.out.println(root.text("train.done", v.ref(), v.type(), on, v.classification().word(), MaxCli.human(v.bytes())));
                if (v.metrics() != null) root.out.println(root.text("train.metrics", v.metrics().on(), figures(v.metrics())));
                root.out.println(root.text("model.card.where", v.ref()));
            }
            return 0;
        }
    }

    @Command(name = "evaluate", mixinStandardHelpOptions = true)
    static final class Evaluate implements Callable<Integer> {
        @ParentCommand MaxCli root;
        @Parameters(index = "0", paramLabel = "MODEL[@N]") String model;
        @Option(names = "--dataset", required = true, paramLabel = "DATASET[@N]") String dataset;
        @Option(names = "--purpose", paramLabel = "PURPOSE") String purpose;
        @Option(names = "--reference", paramLabel = "ID") String reference;
        @CommandLine.Mixin MaxCli.FormatOption fmt = new MaxCli.FormatOption();

        @Override
        public Integer call() {
            Output.Format format = fmt.parsed(root);
            // an unknown reference fails before the model runs, not after minutes of evaluation
            var published = reference == null ? null : PublishedResults.of(reference);
            try (Backend lib = root.backend()) {
                Metrics m = lib.evaluate(model, dataset, purpose);
                if (format == Output.Format.TABLE) root.out.println(root.text("evaluate.header", model, dataset, m.on()));
                var o = new Output(root.out, format, ZoneId.of("Asia/Seoul"));
                o.columns(root.columns(format, "metric", "value"));
                m.values().forEach((k, v) -> o.row(k, format == Output.Format.TABLE ? figure(v) : v));
                o.end();
                if (published != null) printComparison(format, m);
            }
            return 0;
        }

        private void printComparison(Output.Format format, Metrics m) {
            boolean table = format == Output.Format.TABLE;
            if (table) {
                root.out.println();
                root.out.println(root.text("evaluate.reference", reference));
            }
            var o = new Output(root.out, format, ZoneId.of("Asia/Seoul"));
            o.columns(root.columns(format, "metric", "ours", "published", "goal", "verdict", "method", "source"));
            for (var c : PublishedResults.compare(reference, m)) {
                var e = c.published();
                String goal = e.goal().direction().equals("within")
                        ? root.text("evaluate.goal.within", figure(e.goal().tolerance()))
                        : root.text("evaluate.goal." + e.goal().direction());
                String verdict = Double.isNaN(c.ours()) ? root.text("evaluate.verdict.missing")
                        : root.text(c.met() ? "evaluate.verdict.met" : "evaluate.verdict.not_met");
                o.row(e.metric(), table ? figure(c.ours()) : c.ours(), table ? figure(e.value()) : e.value(), goal, verdict,
                        e.method(), e.source());
            }
            o.end();
        }
    }

    @Command(name = "predict", mixinStandardHelpOptions = true)
    static final class Predict implements Callable<Integer> {
        @ParentCommand MaxCli root;
        @Parameters(index = "0", paramLabel = "MODEL[@N]") String model;
        @Option(names = "--dataset", required = true, paramLabel = "DATASET[@N]") String dataset;
        @Option(names = "--to", required = true, paramLabel = "FILE.csv") Path to;
        @Option(names = "--purpose", paramLabel = "PURPOSE") String purpose;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if (!to.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
                throw new CommandLine.ParameterException(spec.commandLine(), root.text("predict.extension"));
            }
            try (Backend lib = root.backend()) {
                var p = lib.predict(model, dataset, purpose, to);
                root.out.println(root.text("predict.done", p.rows(), model, dataset, to, String.join(", ", p.columns())));
            }
            return 0;
        }
    }

    // ---- printing a model

    static void print(MaxCli root, ModelInfo m) {
        var out = root.out;
        out.println(root.text("model.header", m.name(), m.classification().word(), m.ownerOrganization(), m.owner()));
        if (m.description() != null) out.println(m.description());
        out.println();
        out.println(root.text("model.versions"));
        var o = new Output(out, Output.Format.TABLE, ZoneId.of("Asia/Seoul"));
        o.columns(List.of(root.text("col.version"), root.text("col.type"), root.text("col.classification"), root.text("col.created"),
                root.text("col.created_by"), root.text("col.size"), root.text("col.trained_on")));
        for (ModelVersionView v : m.versions()) {
            o.row(v.version(), v.type(), v.classification().word(), v.createdAt(), v.createdBy(), MaxCli.human(v.bytes()),
                    trainedOn(root, v));
        }
        o.end();
        ModelVersionView v = m.shown();
        out.println();
        out.println(root.text("model.shown", v.ref(), v.type()));
        if (v.metrics() != null) {
            out.println(root.text("model.metrics", v.metrics().on()));
            v.metrics().values().forEach((k, x) -> out.println("  " + k + " = " + figure(x)));
        }
        if (v.card() != null) printCard(root, v.card());
        if (v.lineage() != null) {
            var l = v.lineage();
            out.println(root.text("model.lineage"));
            for (TrainingData d : l.data()) {
                out.println("  " + root.text("model.lineage.data", d.ref(), d.rows(), d.ingestId(),
                        d.sourceSha256() == null ? "-" : d.sourceSha256().substring(0, Math.min(16, d.sourceSha256().length()))));
            }
            if (l.importedFrom() != null) out.println("  " + root.text("model.lineage.imported", l.importedFrom()));
            if (!l.parameters().isEmpty()) {
                var words = new ArrayList<String>();
                l.parameters().forEach((k, x) -> words.add(k + "=" + x));
                out.println("  " + root.text("model.lineage.parameters", String.join(", ", words)));
            }
            if (l.seed() != null) out.println("  " + root.text("model.lineage.seed", l.seed()));
            out.println("  " + root.text("model.lineage.code", l.codeVersion()));
        }
        out.flush();
    }

    private static String trainedOn(MaxCli root, ModelVersionView v) {
        if (v.lineage() == null) return "";
        if (v.lineage().data().isEmpty()) return root.text("model.imported-short");
        return String.join(", ", v.lineage().data().stream().map(TrainingData::ref).toList());
    }

    /** The card in the user's language: Korean where the card has it, else English. */
    private static void printCard(MaxCli root, ModelCard c) {
        boolean ko = root.locale().getLanguage().equals("ko");
        var out = root.out;
        out.println(root.text("model.card"));
        out.println("  " + root.text("model.card.purpose", ko ? c.purposeKo() : c.purposeEn()));
        out.println("  " + root.text("model.card.use", ko ? c.intendedUseKo() : c.intendedUseEn()));
        out.println("  " + root.text("model.card.data", c.data()));
        out.println("  " + root.text("model.card.split", c.split()));
        var limits = ko ? c.limitationsKo() : c.limitationsEn();
        if (!limits.isEmpty()) {
            out.println("  " + root.text("model.card.limitations"));
            for (String l : limits) out.println("    - " + l);
        }
    }

    /** {@code rmse=0.1023, mae=0.0815, …}. */
    static String figures(Metrics m) {
        var words = new ArrayList<String>();
        m.values().forEach((k, v) -> words.add(k + "=" + figure(v)));
        return String.join(", ", words);
    }

    /** A figure as people read it: whole numbers whole, others to four decimals (or in scientific form when tiny or huge). */
    static String figure(Double v) {
        if (v == null || v.isNaN()) return "NaN";
        if (v.isInfinite()) return v > 0 ? "Infinity" : "-Infinity";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString(v.longValue());
        double a = Math.abs(v);
        return a >= 1e-3 && a < 1e7 ? String.format(Locale.ROOT, "%.4f", v) : String.format(Locale.ROOT, "%.4e", v);
    }
}
