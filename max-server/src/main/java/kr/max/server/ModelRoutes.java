package kr.max.server;

import io.javalin.http.Context;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kr.max.core.Classification;
import kr.max.core.CoreError;
import kr.max.core.DatasetName;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.core.Principal;
import kr.max.library.Library;
import kr.max.library.Models;
import kr.max.library.model.ModelLineage;
import kr.max.library.model.ModelName;
import kr.max.library.query.ResultSink;
import kr.max.library.store.Scratch;
import kr.max.models.Metrics;
import kr.max.models.ModelCard;
import kr.max.models.Scorer;
import kr.max.models.registry.ModelInfo;
import kr.max.models.registry.ModelRegistry;
import kr.max.models.registry.ModelVersionView;

/**
 * The model registry over HTTP: list and show models, train inside the library, evaluate, predict (a CSV
 * stream), score samples or a window of them, import an ONNX file and export a model's bytes. The library decides
 * every step as it does in-process; a model's bytes and the rows it reads stay in memory and in scratch.
 */
final class ModelRoutes {

    private final ModelRegistry registry;
    private final Scratch scratch;
    private final long maxUploadBytes;

    ModelRoutes(Library library, Scratch scratch, long maxUploadBytes) {
        this.registry = new ModelRegistry(library);
        this.scratch = scratch;
        this.maxUploadBytes = maxUploadBytes;
    }

    // ---- bodies and views

    /** {@code POST /v1/models/train}: a type, a dataset ({@code name} or {@code name@N}), and the rest optional. */
    record TrainBody(String type, String dataset, Map<String, Object> params, Long seed, String name, String purpose) {
    }

    /** {@code POST /v1/models/{model}/evaluate} and {@code …/predict}. */
    record DataBody(String dataset, String purpose) {
    }

    /** {@code POST /v1/models/{model}/score}: one sample, or a window of samples scored in order by one scorer. */
    record ScoreBody(List<Double> sample, List<List<Double>> samples) {
    }

    record ModelLine(String name, String owner, String ownerOrganization, String classification, int versions, String type,
                     Instant updatedAt, String description) {
        static ModelLine of(Models.ModelSummary s) {
            return new ModelLine(s.name(), s.owner(), s.ownerOrganization(), s.classification().word(), s.versions(), s.type(),
                    s.updatedAt(), s.description());
        }
    }

    /** Metrics as JSON: a figure that is not a number is {@code null}. */
    record MetricsView(String on, Map<String, Double> values) {
        static MetricsView of(Metrics m) {
            if (m == null) return null;
            var values = new java.util.LinkedHashMap<String, Double>();
            m.values().forEach((k, v) -> values.put(k, v == null || v.isNaN() || v.isInfinite() ? null : v));
            return new MetricsView(m.on(), values);
        }
    }

    record VersionView(String ref, int version, String type, String classification, boolean domesticOnly, Instant createdAt,
                       String createdBy, long bytes, MetricsView metrics, ModelCard card, ModelLineage lineage) {
        static VersionView of(ModelVersionView v) {
            return new VersionView(v.ref(), v.version(), v.type(), v.classification().word(), v.domesticOnly(), v.createdAt(),
                    v.createdBy(), v.bytes(), MetricsView.of(v.metrics()), v.card(), v.lineage());
        }
    }

    record ModelView(String name, String owner, String ownerOrganization, String classification, boolean domesticOnly,
                     String description, Instant createdAt, List<VersionView> versions, VersionView shown) {
        static ModelView of(ModelInfo m) {
            return new ModelView(m.name(), m.owner(), m.ownerOrganization(), m.classification().word(), m.domesticOnly(),
                    m.description(), m.createdAt(), m.versions().stream().map(VersionView::of).toList(), VersionView.of(m.shown()));
        }
    }

    record ScoreView(Double value, Double limit, boolean alarm, String label, boolean ready) {
        static ScoreView of(Scorer.Score s) {
            return new ScoreView(number(s.value()), number(s.limit()), s.alarm(), s.label(), s.ready());
        }

        private static Double number(double d) {
            return Double.isNaN(d) || Double.isInfinite(d) ? null : d;
        }
    }

    record Scores(String model, List<ScoreView> scores) {
    }

    // ---- routes

    void list(Context ctx) {
        ctx.json(new Governance.ListOf<>(registry.list(Requests.principal(ctx)).stream().map(ModelLine::of).toList()));
    }

    void show(Context ctx) {
        ctx.json(ModelView.of(registry.show(Requests.principal(ctx), ref(ctx))));
    }

    void train(Context ctx) {
        Principal who = Requests.principal(ctx);
        TrainBody b = ctx.bodyAsClass(TrainBody.class);
        if (b == null || b.type() == null || b.type().isBlank()) throw Requests.invalid("type", Requests.Expected.TEXT, 0, 0);
        String dataset = datasetRef(b.dataset());
        var v = registry.train(who, b.type(), dataset, b.params() == null ? Map.of() : b.params(), b.seed() == null ? 42 : b.seed(),
                b.name(), b.purpose());
        ctx.status(201).header("Location", "/v1/models/" + v.model()).json(VersionView.of(v));
    }

    void evaluate(Context ctx) {
        Principal who = Requests.principal(ctx);
        DataBody b = body(ctx);
        String model = ref(ctx);
        var metrics = registry.evaluate(who, model, datasetRef(b.dataset()), b.purpose());
        ctx.json(MetricsView.of(metrics));
    }

    /** Predictions as CSV with a header line, written as the model gives them. */
    void predict(Context ctx) {
        Principal who = Requests.principal(ctx);
        DataBody b = body(ctx);
        var sink = new CsvSink(ctx);
        var predicted = registry.predict(who, ref(ctx), datasetRef(b.dataset()), b.purpose(), sink);
        sink.finish(predicted.rows());
    }

    void score(Context ctx) {
        Principal who = Requests.principal(ctx);
        ScoreBody b = ctx.bodyAsClass(ScoreBody.class);
        var window = new ArrayList<double[]>();
        if (b != null && b.sample() != null) window.add(values(b.sample(), "sample"));
        if (b != null && b.samples() != null) for (List<Double> s : b.samples()) window.add(values(s, "samples"));
        if (window.isEmpty() || b.sample() != null && b.samples() != null) throw Requests.invalid("sample", Requests.Expected.TEXT, 0, 0);
        String model = ref(ctx);
        // One scorer for the window: a windowed model sees the samples in order, as a stream would give them.
        var scores = registry.score(who, model, window.toArray(double[][]::new)).stream().map(ScoreView::of).toList();
        ctx.json(new Scores(model, scores));
    }

    /** What {@code GET /v1/models/{model}/export} answers (202) when the model waits in the safe zone for review. */
    record HeldModelView(String heldOutput, String model, int version, List<String> reviewers, boolean alreadyPending) {
        static HeldModelView of(Models.HeldModel h) {
            return new HeldModelView(h.output(), h.model(), h.version(), h.reviewers(), h.alreadyPending());
        }
    }

    /**
     * The model version's bytes, from scratch memory; the download leaves for the caller's jurisdiction. A model of
     * designated data is held for review instead (202); once released, the same request downloads it, once.
     */
    void export(Context ctx) {
        Principal who = Requests.principal(ctx);
        String model = ref(ctx);
        Path dir = newDirectory();
        try {
            Path file = dir.resolve("model.bin");
            var outcome = registry.export(who, model, file, who.jurisdiction(), ctx.queryParam("purpose"));
            if (outcome instanceof Models.HeldModel held) {
                ctx.status(202).json(HeldModelView.of(held));
                return;
            }
            var exported = (Models.ExportedModel) outcome;
            String extension = "onnx".equals(exported.type()) ? "onnx" : "bin";
            ctx.contentType("application/octet-stream");
            ctx.header("Content-Disposition", "attachment; filename=\"" + exported.model() + "-v" + exported.version() + "." + extension + "\"");
            ctx.header("X-Max-Model", exported.model() + "@" + exported.version());
            ctx.header("X-Max-Model-Type", exported.type());
            ctx.res().setContentLengthLong(Files.size(file));
            try (InputStream in = Files.newInputStream(file)) {
                in.transferTo(ctx.outputStream());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            Scratch.deleteTree(dir);
        }
    }

    /** An ONNX file as the raw body, received into scratch memory like a deposit. */
    void importOnnx(Context ctx) {
        Principal who = Requests.principal(ctx);
        String name = ModelName.require(ctx.pathParam("model"));
        String word = ctx.queryParam("classification");
        Classification classification = word == null || word.isBlank() ? null : Classification.parse(word);
        String description = ctx.queryParam("description");
        Path dir = newDirectory();
        try {
            long limit = Math.min(maxUploadBytes, Files.getFileStore(dir).getUsableSpace());
            if (ctx.req().getContentLengthLong() > limit) throw new MaxException(ServerError.PAYLOAD_TOO_LARGE, Location.NOWHERE, limit);
            Path file = dir.resolve(Requests.fileName(ctx.queryParam("sourceName")));
            Transfers.receive(ctx, file, limit);
            var v = registry.importOnnx(who, file, name, description == null || description.isBlank() ? null : description,
                    classification);
            ctx.status(201).header("Location", "/v1/models/" + v.model()).json(VersionView.of(v));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            Scratch.deleteTree(dir);
        }
    }

    // ---- reading requests

    /** The model named in the path, with {@code ?version=N} as {@code name@N}. */
    private static String ref(Context ctx) {
        String name = ModelName.require(ctx.pathParam("model"));
        Integer version = Requests.optionalInteger(ctx, "version", 1, 999_999_999);
        return version == null ? name : name + "@" + version;
    }

    private static DataBody body(Context ctx) {
        DataBody b = ctx.bodyAsClass(DataBody.class);
        if (b == null) throw Requests.invalid("dataset", Requests.Expected.TEXT, 0, 0);
        return b;
    }

    /** {@code name} or {@code name@N}, the name checked against the naming rule before the library sees it. */
    private static String datasetRef(String ref) {
        if (ref == null || ref.isBlank()) throw Requests.invalid("dataset", Requests.Expected.TEXT, 0, 0);
        String name = ref.replaceFirst("@[0-9]{1,9}$", "");
        if (!DatasetName.isValid(name)) throw new MaxException(CoreError.INVALID_NAME, Location.NOWHERE, name);
        return ref;
    }

    private static double[] values(List<Double> sample, String param) {
        if (sample == null || sample.isEmpty()) throw Requests.invalid(param, Requests.Expected.TEXT, 0, 0);
        double[] x = new double[sample.size()];
        for (int i = 0; i < x.length; i++) x[i] = sample.get(i) == null ? Double.NaN : sample.get(i);
        return x;
    }

    private Path newDirectory() {
        try {
            return Files.createDirectory(scratch.newFile(""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Predictions as RFC 4180 CSV; nothing is written before the first row is ready, so a refusal is an ordinary error. */
    private static final class CsvSink implements ResultSink {
        private final Context ctx;
        private Writer w;

        CsvSink(Context ctx) {
            this.ctx = ctx;
        }

        @Override
        public void columns(List<String> names, List<String> sqlTypes) {
            ctx.contentType("text/csv; charset=utf-8; header=present");
            w = new BufferedWriter(new OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8), 64 * 1024);
            line(names.toArray());
        }

        @Override
        public void row(Object[] values) {
            line(values);
        }

        private void line(Object[] values) {
            try {
                for (int i = 0; i < values.length; i++) {
                    if (i > 0) w.write(',');
                    Object v = values[i];
                    w.write(v instanceof Double d && (d.isNaN() || d.isInfinite()) ? "" : Cells.csv(Cells.text(v)));
                }
                w.write("\r\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void finish(long rows) {
            if (w == null) columns(List.of(), List.of());
            try {
                w.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
