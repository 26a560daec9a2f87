package kr.max.models.registry;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import kr.max.core.Classification;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.core.Principal;
import kr.max.core.dictionary.ColumnRole;
import kr.max.core.dictionary.ColumnType;
import kr.max.core.dictionary.DataDictionary;
import kr.max.library.Library;
import kr.max.library.Models;
import kr.max.library.model.ModelName;
import kr.max.library.policy.Action;
import kr.max.library.query.ResultSink;
import kr.max.models.Frame;
import kr.max.models.FrameBuilder;
import kr.max.models.Metrics;
import kr.max.models.ModelCard;
import kr.max.models.ModelType;
import kr.max.models.Params;
import kr.max.models.Predictions;
import kr.max.models.Scorer;
import kr.max.models.TrainedModel;
import kr.max.models.Training;
import kr.max.models.onnx.OnnxModelType;
import tools.jackson.databind.json.JsonMapper;

/**
 * The model registry (모델 저장소): trains standard models inside the library, registers them as library assets
 * (encrypted, versioned, classified, governed, audited — {@link Models}), and runs them on datasets and on streams.
 *
 * <p>Compute goes to the data. Training reads a dataset version only after the library decided the use as
 * {@code train}, binds it to the model type through the data dictionary's roles ({@link FrameBuilder}) and holds it in
 * memory; only the model is stored, with its metrics, its model card and its lineage (the dataset versions, the
 * parameters, the seed and the code that trained it). Evaluating reads as {@code train} (only figures leave),
 * predicting as {@code query} (its rows leave); using a model is decided on the model, taking its bytes out as
 * {@code export} on the model. Imported ONNX models run with ONNX Runtime.
 *
 * <p>Model references are {@code name} (the latest version) or {@code name@N}. Thread-safe; a {@link Scorer} it
 * hands out serves one stream.
 */
public final class ModelRegistry {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String CODE_VERSION = codeVersion();

    private final Library library;
    private final ModelTypes types;

    /** A registry over the library, with the standard types, ONNX, and any type declared on the class path. */
    public ModelRegistry(Library library) {
        this(library, ModelTypes.discovered());
    }

    /** A registry over the library with these types besides the standard ones and ONNX (for tests, and plants' own). */
    public ModelRegistry(Library library, List<ModelType> extraTypes) {
        this(library, new ModelTypes(extraTypes));
    }

    private ModelRegistry(Library library, ModelTypes types) {
        this.library = library;
        this.types = types;
    }

    /** The model types this registry trains or runs, in listing order. */
    public List<ModelType> types() {
        return types.all();
    }

    // ---- training and evaluation

    /**
     * Trains a model of {@code typeId} on a dataset version inside the library and registers it as the next version
     * of {@code modelName}. Parameters are checked against the type before any row is read.
     *
     * @param params    overrides of the type's defaults; an unknown name is refused ({@code MAX-MODEL-002})
     * @param modelName the model's name; null for {@code <type>-<last part of the dataset name>}
     * @param purpose   the purpose the data are used for, decided under the principal's agreements; may be null
     * @return the registered version, with its metrics and card
     */
    public ModelVersionView train(Principal who, String typeId, String datasetRef, Map<String, ?> params, long seed,
                                  String modelName, String purpose) {
        ModelType type = types.byId(typeId);
        if (type instanceof OnnxModelType) throw new MaxException(kr.max.models.onnx.OnnxError.NOT_TRAINABLE, Location.NOWHERE);
        Params used = type.defaults().with(params == null ? Map.of() : params, type.id());
        String name = modelName != null ? ModelName.require(modelName) : defaultName(type, datasetRef);
        String dataset = datasetRef.replaceFirst("@[0-9]+$", "");
        var builder = new FrameBuilder[1];
        var read = library.models().read(who, datasetRef, Action.TRAIN, purpose, "train", dictionary -> {
            builder[0] = new FrameBuilder(dictionary, dataset, type);
            return new Models.Reading(builder[0].columnsNeeded(), builder[0]);
        });
        Training trained = type.train(builder[0].frame(), used, seed);
        var v = library.models().register(who, new Models.Registration(name, type.id(), trained.model().toBytes(),
                JSON.writeValueAsString(trained.metrics()), JSON.writeValueAsString(trained.card()), used.asMap(), seed,
                CODE_VERSION + ", type " + type.id(), List.of(read), null, null, null));
        return view(v);
    }

    /**
     * Measures a registered model on a dataset version: the data are read as {@code train} (only the figures
     * leave), the model is used as decided on the model.
     */
    public Metrics evaluate(Principal who, String modelRef, String datasetRef, String purpose) {
        var opened = library.models().open(who, modelRef, "model-evaluate");
        ModelType type = typeOf(opened.version());
        TrainedModel model = read(type, opened);
        Frame frame = frame(who, datasetRef, Action.TRAIN, purpose, "evaluate", type).frame();
        return model.evaluate(project(frame, model, opened.version().ref()));
    }

    // ---- prediction and scoring

    /**
     * Predicts with a registered model over a dataset version, read as a {@code query} is (its agreements, purposes
     * and audit), and streams the predictions to {@code sink}: the columns the model type gives (for example
     * {@code asset,time,prediction}), times as ISO 8601 where the dataset's time is a timestamp.
     */
    public Predicted predict(Principal who, String modelRef, String datasetRef, String purpose, ResultSink sink) {
        var opened = library.models().open(who, modelRef, "model-predict");
        ModelType type = typeOf(opened.version());
        TrainedModel model = read(type, opened);
        var read = frame(who, datasetRef, Action.QUERY, purpose, "predict", type);
        Predictions p = model.predict(project(read.frame(), model, opened.version().ref()));
        p = timesAsText(p, read.dictionary());
        var sqlTypes = new ArrayList<String>();
        for (int c = 0; c < p.columns().size(); c++) sqlTypes.add(sqlType(p.rows(), c));
        sink.columns(p.columns(), sqlTypes);
        for (Object[] row : p.rows()) sink.row(row);
        return new Predicted(opened.version().ref(), read.data().ref(), p.rows().size(), p.columns());
    }

    /** Predicts as {@link #predict(Principal, String, String, String, ResultSink)} into a CSV file, whole or not at all. */
    public Predicted predict(Principal who, String modelRef, String datasetRef, String purpose, Path csv) {
        Path part = csv.resolveSibling(csv.getFileName() + ".part");
        try {
            Predicted p;
            try (Writer w = Files.newBufferedWriter(part, StandardCharsets.UTF_8)) {
                p = predict(who, modelRef, datasetRef, purpose, new CsvSink(w));
            }
            Files.move(part, csv, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return p;
        } catch (IOException | UncheckedIOException e) {
            throw new MaxException(RegistryError.PREDICTIONS_NOT_WRITTEN, Location.file(csv.toString()), e, csv,
                    e.getClass().getSimpleName());
        } finally {
            try {
                Files.deleteIfExists(part);
            } catch (IOException ignored) {
                // nothing more can be done about a part file that cannot be removed
            }
        }
    }

    /**
     * A scorer for online scoring (the factory layer's streams): the model is decided as used and decrypted once,
     * in memory, and the use is recorded once for the scorer's whole life. Samples follow the model's features in
     * order ({@link #show} names them in the card); a sample of another width is refused.
     */
    public Scorer scorer(Principal who, String modelRef) {
        var opened = library.models().open(who, modelRef, "model-score");
        TrainedModel model = read(typeOf(opened.version()), opened);
        Scorer inner = model.scorer();
        List<String> features = model.features();
        String ref = opened.version().ref();
        return sample -> {
            if (!features.isEmpty() && sample.length != features.size()) {
                throw new MaxException(RegistryError.SAMPLE_WIDTH, Location.NOWHERE, ref, sample.length, features.size(),
                        String.join(", ", features));
            }
            return inner.score(sample);
        };
    }

    /**
     * Scores a window of samples in order with one scorer (a windowed model sees them as a stream would give them):
     * one decided, recorded use; one score per sample.
     */
    public List<Scorer.Score> score(Principal who, String modelRef, double[][] window) {
        Scorer scorer = scorer(who, modelRef);
        var scores = new ArrayList<Scorer.Score>(window.length);
        for (double[] sample : window) scores.add(scorer.score(sample));
        return scores;
    }

    // ---- the catalog of models

    /** Models the principal may see, with their latest version. */
    public List<Models.ModelSummary> list(Principal who) {
        return library.models().list(who);
    }

    /** A model with every version's card, metrics and lineage; {@code name@N} shows that version. */
    public ModelInfo show(Principal who, String modelRef) {
        var ref = ModelName.parse(modelRef);
        var entry = library.models().show(who, ref.name());
        var versions = entry.versions().stream().map(ModelRegistry::view).toList();
        ModelVersionView shown = ref.version() == null ? versions.getLast() : versions.stream()
                .filter(v -> v.version() == ref.version()).findFirst()
                .orElseThrow(() -> new MaxException(kr.max.library.model.ModelAssetError.NO_SUCH_VERSION,
                        Location.dataset(ref.name(), ref.version()), ref.name(), ref.version()));
        return new ModelInfo(entry.name(), entry.owner(), entry.ownerOrganization(), entry.classification(), entry.domesticOnly(),
                entry.description(), entry.createdAt(), versions, shown);
    }

    /**
     * Writes a model version's bytes to a file on the library's host, as decided ({@code export} on the model); a model
     * of designated data is held for review instead ({@link Models.HeldModel}) until a release lets it out once.
     */
    public Models.ModelExport export(Principal who, String modelRef, Path target) {
        return library.models().export(who, modelRef, target, null, null);
    }

    /** Writes a model version's bytes to a file bound for a jurisdiction (the caller's, for a download), or holds it for review. */
    public Models.ModelExport export(Principal who, String modelRef, Path target, String destinationJurisdiction) {
        return library.models().export(who, modelRef, target, destinationJurisdiction, null);
    }

    /** As {@link #export(Principal, String, Path, String)}, for a stated purpose the reviewer sees. */
    public Models.ModelExport export(Principal who, String modelRef, Path target, String destinationJurisdiction, String purpose) {
        return library.models().export(who, modelRef, target, destinationJurisdiction, purpose);
    }

    /**
     * Imports an ONNX model trained elsewhere as the next version of {@code name} (type {@code onnx}), after checking
     * that ONNX Runtime loads it and that its input is a float tensor {@code [rows, features]}. An import is decided
     * as a deposit (a provider); the model is {@code internal} unless {@code classification} says otherwise.
     */
    public ModelVersionView importOnnx(Principal who, Path file, String name, String description, Classification classification) {
        ModelName.require(name);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new MaxException(RegistryError.UNREADABLE_FILE, Location.file(file.toString()), e, file, e.getClass().getSimpleName());
        }
        String source = file.getFileName().toString();
        var inspected = OnnxModelType.inspect(bytes, source);
        String width = inspected.width() < 0 ? "any number of" : Integer.toString(inspected.width());
        var card = new ModelCard(
                description != null ? description : "가져온 ONNX 모델 " + source,
                description != null ? description : "ONNX model imported from " + source,
                "이 라이브러리에서 예측과 온라인 평가에 씁니다. 입력 순서는 데이터 사전의 측정값·설정값 열 순서입니다.",
                "Batch prediction and online scoring inside the library. Its inputs are the dictionary's measurement and "
                        + "setpoint columns, in dictionary order.",
                "input " + inspected.inputName() + " " + inspected.input() + " (" + width + " features per row); output "
                        + inspected.outputName() + " " + inspected.output(),
                "unknown: trained elsewhere",
                List.of("학습 데이터, 분할, 지표를 이 라이브러리는 알지 못합니다: max evaluate 로 직접 측정하십시오.",
                        "특징은 이름이 아니라 순서로 연결됩니다."),
                List.of("The library does not know its training data, split or metrics: measure it with max evaluate.",
                        "Features are bound by position, not by name."));
        String sha;
        try {
            sha = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        var v = library.models().register(who, new Models.Registration(name, OnnxModelType.ID, bytes, null,
                JSON.writeValueAsString(card), Map.of("input", inspected.inputName(), "output", inspected.outputName(),
                "features", inspected.width()), null, CODE_VERSION + ", ONNX Runtime " + onnxRuntimeVersion(), List.of(),
                classification, description, source + " sha256=" + sha));
        return view(v);
    }

    // ---- internals

    /** A dataset version read for a job: the frame and what lineage names. */
    private record FrameRead(FrameBuilder builder, Models.DatasetRead read) {
        Frame frame() {
            return builder.frame();
        }

        DataDictionary dictionary() {
            return read.dictionary();
        }

        kr.max.library.model.TrainingData data() {
            return read.data();
        }
    }

    private FrameRead frame(Principal who, String datasetRef, Action use, String purpose, String job, ModelType type) {
        String dataset = datasetRef.replaceFirst("@[0-9]+$", "");
        var builder = new FrameBuilder[1];
        var read = library.models().read(who, datasetRef, use, purpose, job, dictionary -> {
            // Predictions need no label: a stream or shots not yet inspected have none.
            builder[0] = use == Action.QUERY ? FrameBuilder.forPrediction(dictionary, dataset, type)
                    : new FrameBuilder(dictionary, dataset, type);
            return new Models.Reading(builder[0].columnsNeeded(), builder[0]);
        });
        return new FrameRead(builder[0], read);
    }

    private ModelType typeOf(Models.VersionInfo v) {
        return types.find(v.type()).orElseThrow(() -> new MaxException(RegistryError.TYPE_NOT_INSTALLED,
                Location.dataset(v.model(), v.number()), v.ref(), v.type()));
    }

    private static TrainedModel read(ModelType type, Models.OpenedModel opened) {
        return type instanceof OnnxModelType onnx ? onnx.read(opened.bytes(), opened.version().ref()) : type.read(opened.bytes());
    }

    /**
     * The frame's features in the model's order: a dataset may have its columns in another order, or more of them.
     * A model that names no features (ONNX) takes the frame as it is.
     */
    static Frame project(Frame frame, TrainedModel model, String ref) {
        return model.features().isEmpty() ? frame : frame.projected(model.features(), ref);
    }

    /**
     * A {@code time} column that carries the dataset's timestamp (epoch milliseconds in the frame) becomes ISO 8601 in
     * the dictionary's zone, as the data were written; a numeric time (an engine cycle) stays a number.
     */
    private static Predictions timesAsText(Predictions p, DataDictionary d) {
        int at = p.columns().indexOf("time");
        var times = d.withRole(ColumnRole.TIMESTAMP);
        if (at < 0 || times.isEmpty() || times.getFirst().type() != ColumnType.TIMESTAMP) return p;
        ZoneId zone = ZoneId.of(d.timeZone());
        var rows = new ArrayList<Object[]>(p.rows().size());
        for (Object[] r : p.rows()) {
            Object[] copy = r.clone();
            if (copy[at] instanceof Long ms && ms != Long.MIN_VALUE) {
                copy[at] = Instant.ofEpochMilli(ms).atZone(zone).toOffsetDateTime();
            }
            rows.add(copy);
        }
        return new Predictions(p.columns(), rows);
    }

    private static String sqlType(List<Object[]> rows, int column) {
        for (Object[] r : rows) {
            Object v = r[column];
            if (v == null) continue;
            if (v instanceof Double || v instanceof Float) return "DOUBLE";
            if (v instanceof Number) return "BIGINT";
            if (v instanceof Boolean) return "BOOLEAN";
            if (v instanceof java.time.OffsetDateTime) return "TIMESTAMP WITH TIME ZONE";
            return "VARCHAR";
        }
        return "VARCHAR";
    }

    /** Writes rows as RFC 4180 CSV with a header line. */
    static final class CsvSink implements ResultSink {
        private final Writer w;

        CsvSink(Writer w) {
            this.w = w instanceof BufferedWriter ? w : new BufferedWriter(w);
        }

        @Override
        public void columns(List<String> names, List<String> sqlTypes) {
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
                    w.write(csv(values[i]));
                }
                w.write("\r\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static String csv(Object v) {
            if (v == null) return "";
            if (v instanceof Double d && (d.isNaN() || d.isInfinite())) return "";
            String s = v instanceof java.time.OffsetDateTime t ? java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t) : v.toString();
            if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) return s;
            return '"' + s.replace("\"", "\"\"") + '"';
        }
    }

    static ModelVersionView view(Models.VersionInfo v) {
        return new ModelVersionView(v.model(), v.number(), v.type(), v.classification(), v.domesticOnly(), v.createdAt(),
                v.createdBy(), v.bytes(), v.metricsJson() == null ? null : JSON.readValue(v.metricsJson(), Metrics.class),
                v.cardJson() == null ? null : JSON.readValue(v.cardJson(), ModelCard.class), v.lineage());
    }

    /** {@code <type>-<last part of the dataset name>}, cut to a model name's length. */
    static String defaultName(ModelType type, String datasetRef) {
        String dataset = datasetRef.replaceFirst("@[0-9]+$", "");
        String last = dataset.substring(dataset.lastIndexOf('/') + 1);
        String name = (type.id() + "-" + last).toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_.-]", "-");
        return ModelName.require(name.length() > 63 ? name.substring(0, 63) : name);
    }

    /** This module's version as Maven packaged it, or {@code development} when run from classes. */
    private static String codeVersion() {
        try (var in = ModelRegistry.class.getResourceAsStream("/META-INF/maven/kr.max/max-models/pom.properties")) {
            if (in != null) {
                var p = new java.util.Properties();
                p.load(in);
                return "max-models " + p.getProperty("version", "development");
            }
        } catch (IOException ignored) {
            // the version is a label; its absence is said below
        }
        return "max-models development";
    }

    private static String onnxRuntimeVersion() {
        try {
            return ai.onnxruntime.OrtEnvironment.getEnvironment().getVersion();
        } catch (RuntimeException | LinkageError e) {
            return "unknown";
        }
    }
}
