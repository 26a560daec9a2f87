package kr.max.models.quality;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.core.dictionary.ColumnRole;
import kr.max.models.Frame;
import kr.max.models.Metrics;
import kr.max.models.ModelError;
import kr.max.models.Predictions;
import kr.max.models.Scorer;
import kr.max.models.TrainedModel;

/** A trained pass/fail model: a learner, the label rule and the alarm threshold chosen on training data. */
final class QualityModel implements TrainedModel {

    private static final String MAGIC = "max-quality-1";

    private final String type;
    private final QualityConfig config;
    private final List<String> features;
    private final PassFail passFail;
    private final Learner learner;
    private final double threshold;

    QualityModel(String type, QualityConfig config, List<String> features, PassFail passFail, Learner learner, double threshold) {
        this.type = type;
        this.config = config;
        this.features = List.copyOf(features);
        this.passFail = passFail;
        this.learner = learner;
        this.threshold = threshold;
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public List<String> features() {
        return features;
    }

    double threshold() {
        return threshold;
    }

    double[] score(double[][] x) {
        return learner.score(x);
    }

    @Override
    public Predictions predict(Frame data) {
        checkFeatures(data);
        double[] p = learner.score(data.x());
        var columns = new ArrayList<String>();
        columns.add("row");
        if (data.hasTimes()) columns.add("time");
        if (data.hasAssets()) columns.add("asset");
        columns.addAll(List.of("p_fail", "alarm", "predicted"));
        var rows = new ArrayList<Object[]>(p.length);
        for (int i = 0; i < p.length; i++) {
            var r = new ArrayList<Object>();
            r.add(i);
            if (data.hasTimes()) r.add(data.times()[i]);
            if (data.hasAssets()) r.add(data.assets()[i]);
            boolean alarm = p[i] >= threshold;
            r.add(p[i]);
            r.add(alarm);
            r.add(alarm ? passFail.failText() : passFail.passText());
            rows.add(r.toArray());
        }
        return new Predictions(columns, rows);
    }

    @Override
    public Metrics evaluate(Frame data) {
        checkFeatures(data);
        if (!data.hasLabels()) throw new MaxException(ModelError.MISSING_ROLE, Location.NOWHERE, type, ColumnRole.LABEL.word(), "frame");
        var fail = new boolean[data.rows()];
        for (int i = 0; i < fail.length; i++) fail[i] = passFail.isFail(data.labels()[i]);
        return metrics(Metrics.on(data.rows() + " shots"), learner.score(data.x()), fail).build();
    }

    /** PR-AUC, recall at the precision target, ROC-AUC, the base rate and the alarm threshold's own figures. */
    Metrics.Builder metrics(Metrics.Builder m, double[] score, boolean[] fail) {
        long fails = 0;
        for (boolean f : fail) if (f) fails++;
        var at = Ranking.at(score, fail, threshold);
        return m.put("shots", fail.length).put("fails", fails).put("base_rate", fail.length == 0 ? Double.NaN : (double) fails / fail.length)
                .put("pr_auc", Ranking.averagePrecision(score, fail))
                .put(recallName(config.precisionTarget()), Ranking.recallAtPrecision(score, fail, config.precisionTarget()))
                .put("roc_auc", Ranking.rocAuc(score, fail))
                .put("threshold", threshold).put("alarms_at_threshold", at.alarms())
                .put("precision_at_threshold", at.precision()).put("recall_at_threshold", at.recall());
    }

    static String recallName(double precision) {
        return String.format(Locale.ROOT, "recall_at_%s_precision", trim(precision * 100));
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    private void checkFeatures(Frame data) {
        if (!data.features().equals(features)) {
            throw new MaxException(ModelError.FEATURES_DIFFER, Location.NOWHERE, type, features, data.features());
        }
    }

    /** One shot at a time: the fail probability (a score when fails were up-weighted), alarmed above the threshold. */
    @Override
    public Scorer scorer() {
        return sample -> {
            double p = learner.score(sample);
            boolean alarm = p >= threshold;
            return new Scorer.Score(p, threshold, alarm, alarm ? passFail.failText() : passFail.passText(), true);
        };
    }

    @Override
    public byte[] toBytes() {
        var bytes = new ByteArrayOutputStream();
        try (var out = new DataOutputStream(bytes)) {
            out.writeUTF(MAGIC);
            out.writeUTF(type);
            config.write(out);
            out.writeInt(features.size());
            for (var f : features) out.writeUTF(f);
            out.writeUTF(passFail.positive());
            out.writeUTF(passFail.failText());
            out.writeUTF(passFail.passText());
            out.writeDouble(threshold);
            out.writeUTF(learner.kind());
            learner.write(out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    static QualityModel read(byte[] bytes, String expectedType) {
        try (var in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            var magic = in.readUTF();
            var type = in.readUTF();
            if (!MAGIC.equals(magic) || !type.equals(expectedType)) {
                throw new MaxException(ModelError.UNREADABLE_MODEL, Location.NOWHERE, expectedType, "written by " + type + " (" + magic + ")");
            }
            var config = QualityConfig.read(in);
            var features = new ArrayList<String>();
            for (int i = in.readInt(); i > 0; i--) features.add(in.readUTF());
            var passFail = new PassFail(in.readUTF(), in.readUTF(), in.readUTF());
            double threshold = in.readDouble();
            var learner = Learner.read(in.readUTF(), in, config.threads());
            return new QualityModel(type, config, features, passFail, learner, threshold);
        } catch (IOException | RuntimeException e) {
            if (e instanceof MaxException m) throw m;
            throw new MaxException(ModelError.UNREADABLE_MODEL, Location.NOWHERE, e, expectedType, String.valueOf(e.getMessage()));
        }
    }
}
