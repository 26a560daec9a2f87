package kr.max.models.vibration;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.core.dictionary.ColumnRole;
import kr.max.models.Frame;
import kr.max.models.Metrics;
import kr.max.models.ModelError;
import kr.max.models.Predictions;
import kr.max.models.Scorer;
import kr.max.models.TrainedModel;
import ml.dmlc.xgboost4j.java.Booster;

/** A trained vibration fault classifier: window features and a boosted multi-class tree ensemble. */
final class VibrationModel implements TrainedModel {

    private static final String MAGIC = "max-vibration-1";

    private final VibrationConfig config;
    private final List<String> channels;
    private final List<String> classes;
    private final byte[] boosterBytes;
    private final Booster booster;

    VibrationModel(VibrationConfig config, List<String> channels, List<String> classes, byte[] boosterBytes, Booster booster) {
        this.config = config;
        this.channels = List.copyOf(channels);
        this.classes = List.copyOf(classes);
        this.boosterBytes = boosterBytes;
        this.booster = booster;
    }

    VibrationConfig config() {
        return config;
    }

    List<String> classes() {
        return classes;
    }

    @Override
    public String type() {
        return VibrationDiagnosis.ID;
    }

    @Override
    public List<String> features() {
        return channels;
    }

    /** Class probabilities of each window, in the order of {@link #classes()}. */
    float[][] probabilities(float[] features, int windows) {
        if (windows == 0) return new float[0][];
        return Boosting.predict(booster, features, windows, features.length / windows);
    }

    static int best(float[] p) {
        int k = 0;
        for (int j = 1; j < p.length; j++) if (p[j] > p[k]) k = j;
        return k;
    }

    @Override
    public Predictions predict(Frame data) {
        checkChannels(data);
        var windows = Windows.of(data.byAsset(), config.window(), config.step(), Windows.Part.ALL, config.trainFraction());
        var p = probabilities(Windows.features(data, windows, config), windows.size());
        var rows = new ArrayList<Object[]>(windows.size());
        for (int w = 0; w < windows.size(); w++) {
            var win = windows.get(w);
            int k = best(p[w]);
            rows.add(new Object[] {win.asset(), time(data, win, 0), time(data, win, config.window() - 1), classes.get(k),
                    (double) p[w][k]});
        }
        return new Predictions(List.of("asset", "start", "end", "predicted", "probability"), rows);
    }

    private static long time(Frame f, Windows.Window w, int offset) {
        int row = w.rows()[w.start() + offset];
        return f.hasTimes() ? f.times()[row] : row;
    }

    @Override
    public Metrics evaluate(Frame data) {
        checkChannels(data);
        if (!data.hasLabels()) {
            throw new MaxException(ModelError.MISSING_ROLE, Location.NOWHERE, type(), ColumnRole.LABEL.word(), "frame");
        }
        var windows = Windows.of(data.byAsset(), config.window(), config.step(), Windows.Part.ALL, config.trainFraction());
        return score(data, windows, "all windows of " + data.byAsset().size() + " records");
    }

    /** Accuracy, recall per class and the confusion matrix of the labelled windows among {@code windows}. */
    Metrics score(Frame data, List<Windows.Window> windows, String on) {
        var labelled = new ArrayList<Windows.Window>();
        var truth = new ArrayList<String>();
        for (var w : windows) {
            var label = Windows.label(data, w, config.window());
            if (label != null) {
                labelled.add(w);
                truth.add(label);
            }
        }
        var p = probabilities(Windows.features(data, labelled, config), labelled.size());
        // classes the model never saw still count: as true classes their windows are all errors
        var names = new ArrayList<>(classes);
        for (var t : truth) if (!names.contains(t)) names.add(t);
        var confusion = new long[names.size()][names.size()];
        long right = 0;
        for (int w = 0; w < labelled.size(); w++) {
            int t = names.indexOf(truth.get(w));
            int k = best(p[w]);
            confusion[t][k]++;
            if (t == k) right++;
        }
        var m = Metrics.on(on).put("windows", labelled.size())
                .put("accuracy", labelled.isEmpty() ? Double.NaN : (double) right / labelled.size());
        for (int t = 0; t < names.size(); t++) {
            long n = 0;
            for (long v : confusion[t]) n += v;
            if (n > 0) m.put("recall." + names.get(t), (double) confusion[t][t] / n);
        }
        for (int t = 0; t < names.size(); t++) {
            for (int k = 0; k < names.size(); k++) {
                if (confusion[t][k] > 0) m.put("confusion." + names.get(t) + "." + names.get(k), confusion[t][k]);
            }
        }
        return m.build();
    }

    private void checkChannels(Frame data) {
        if (!data.features().equals(channels)) {
            throw new MaxException(ModelError.FEATURES_DIFFER, Location.NOWHERE, type(), channels, data.features());
        }
    }

    @Override
    public Scorer scorer() {
        return new WindowScorer(this);
    }

    @Override
    public byte[] toBytes() {
        var bytes = new ByteArrayOutputStream();
        try (var out = new DataOutputStream(bytes)) {
            out.writeUTF(MAGIC);
            config.write(out);
            out.writeInt(channels.size());
            for (var c : channels) out.writeUTF(c);
            out.writeInt(classes.size());
            for (var c : classes) out.writeUTF(c);
            out.writeInt(boosterBytes.length);
            out.write(boosterBytes);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    static VibrationModel read(byte[] bytes) {
        try (var in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            var magic = in.readUTF();
            if (!MAGIC.equals(magic)) {
                throw new MaxException(ModelError.UNREADABLE_MODEL, Location.NOWHERE, VibrationDiagnosis.ID, "not a vibration model (" + magic + ")");
            }
            var config = VibrationConfig.read(in);
            var channels = new ArrayList<String>();
            for (int i = in.readInt(); i > 0; i--) channels.add(in.readUTF());
            var classes = new ArrayList<String>();
            for (int i = in.readInt(); i > 0; i--) classes.add(in.readUTF());
            var booster = new byte[in.readInt()];
            in.readFully(booster);
            return new VibrationModel(config, channels, classes, booster, Boosting.load(booster, config.threads(), VibrationDiagnosis.ID));
        } catch (IOException | RuntimeException e) {
            if (e instanceof MaxException m) throw m;
            throw new MaxException(ModelError.UNREADABLE_MODEL, Location.NOWHERE, e, VibrationDiagnosis.ID, String.valueOf(e.getMessage()));
        }
    }

    static Map<String, Object> boosterParams(VibrationConfig c, int classes, long seed) {
        var p = new java.util.LinkedHashMap<String, Object>();
        p.put("objective", "multi:softprob");
        p.put("num_class", classes);
        p.put("max_depth", c.maxDepth());
        p.put("eta", c.learningRate());
        p.put("subsample", 0.8);
        p.put("colsample_bytree", 0.8);
        p.put("tree_method", "hist");
        p.put("nthread", c.threads());
        // XGBoost reads the seed as a non-negative integer
        p.put("seed", (int) (seed ^ (seed >>> 32)) & 0x7fffffff);
        p.put("verbosity", 0);
        return p;
    }
}
