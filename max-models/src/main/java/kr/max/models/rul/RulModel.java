package kr.max.models.rul;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.models.Frame;
import kr.max.models.Metrics;
import kr.max.models.ModelError;
import kr.max.models.Params;
import kr.max.models.Predictions;
import kr.max.models.Scorer;
import kr.max.models.TrainedModel;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * A trained {@code rul-gbm}: regime normalization, a linear health index, windowed features and one or more
 * boosted tree ensembles whose mean is the predicted remaining life.
 */
final class RulModel implements TrainedModel {

    private static final String MAGIC = "MAX-RUL-GBM";
    private static final int FORMAT = 1;

    private final List<String> features;
    private final Params params;
    private final RulSettings settings;
    private final OperatingRegimes regimes;
    private final int[] kept;
    private final double[] health;
    private final Booster[] boosters;

    /**
     * @param kept   feature indices that become channels (normalized, not constant, related to wear)
     * @param health the health index: intercept, then one weight per kept channel
     */
    RulModel(List<String> features, Params params, OperatingRegimes regimes, int[] kept, double[] health, Booster[] boosters) {
        this.features = List.copyOf(features);
        this.params = params;
        this.settings = RulSettings.of(params);
        this.regimes = regimes;
        this.kept = kept;
        this.health = health;
        this.boosters = boosters;
    }

    @Override
    public String type() {
        return RulGbm.ID;
    }

    @Override
    public List<String> features() {
        return features;
    }

    Params params() {
        return params;
    }

    OperatingRegimes regimes() {
        return regimes;
    }

    int[] kept() {
        return kept.clone();
    }

    int channels() {
        return kept.length + 1;
    }

    int width() {
        return UnitHistory.width(channels());
    }

    /** The channels of one raw sample: its kept features in its regime's units, then the health index. */
    void channels(double[] row, double[] out) {
        int r = regimes.regimeOf(row);
        double hi = health[0];
        for (int c = 0; c < kept.length; c++) {
            double z = regimes.normalize(row, r, kept[c]);
            out[c] = z;
            if (!Double.isNaN(z)) hi += health[c + 1] * z;
        }
        out[kept.length] = hi;
    }

    /** Features at the last sample of each unit, one row per unit, in the order of {@code units}. */
    float[] lastFeatures(Frame data, Map<String, int[]> units) {
        int w = width();
        var out = new float[units.size() * w];
        var z = new double[channels()];
        int u = 0;
        for (var idx : units.values()) {
            var h = new UnitHistory(channels(), settings.window());
            for (int i : idx) {
                channels(data.x()[i], z);
                h.push(z);
            }
            h.features(out, u * w);
            u++;
        }
        return out;
    }

    /** Mean prediction of the ensemble for rows of features, clipped to zero and up. */
    double[] predictRows(float[] x, int rows) {
        var sum = new double[rows];
        try {
            for (var b : boosters) {
                var p = b.inplace_predict(x, rows, width(), Float.NaN);
                for (int i = 0; i < rows; i++) sum[i] += p[i][0];
            }
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost prediction failed", e);
        }
        for (int i = 0; i < rows; i++) sum[i] = Math.max(0, sum[i] / boosters.length);
        return sum;
    }

    private void checkFeatures(Frame data) {
        if (!data.features().equals(features)) {
            throw new MaxException(ModelError.FEATURES_DIFFER, Location.NOWHERE, RulGbm.ID, features, data.features());
        }
        RulGbm.requireRoles(data);
    }

    /** The remaining life at each unit's last sample, in the order of {@link Frame#byAsset()}. */
    Map<String, Double> lastRul(Frame data) {
        checkFeatures(data);
        var units = data.byAsset();
        var pred = predictRows(lastFeatures(data, units), units.size());
        var out = new LinkedHashMap<String, Double>();
        int u = 0;
        for (var unit : units.keySet()) out.put(unit, pred[u++]);
        return out;
    }

    @Override
    public Predictions predict(Frame data) {
        var rows = new ArrayList<Object[]>();
        for (var e : lastRul(data).entrySet()) rows.add(new Object[] {e.getKey(), e.getValue()});
        return new Predictions(List.of("unit", "rul"), rows);
    }

    /**
     * RMSE and NASA score at each unit's last sample. With a label column the truth is the label there; without
     * one the frame is run to failure, so each unit is first cut at a seeded random point as in training's
     * held-out protocol ({@link Truncation}) and the truth is the life left after the cut.
     */
    @Override
    public Metrics evaluate(Frame data) {
        RulGbm.requireRoles(data);
        if (!data.hasLabels()) {
            return evaluateLabelled(Truncation.cut(data, Truncation.EVALUATION_SEED, 1),
                    "units of a run-to-failure frame cut at seeded random points (" + Truncation.PROTOCOL + ")");
        }
        for (var l : data.labels()) RulGbm.label(l); // a bad label anywhere is the user's to know, not only at the end
        return evaluateLabelled(data, "each unit's last sample, against its label");
    }

    Metrics evaluateLabelled(Frame data, String on) {
        var predicted = lastRul(data);
        var units = data.byAsset();
        var pred = new double[units.size()];
        var truth = new double[units.size()];
        int u = 0;
        for (var e : units.entrySet()) {
            int last = e.getValue()[e.getValue().length - 1];
            truth[u] = RulGbm.label(data.labels()[last]);
            pred[u] = predicted.get(e.getKey());
            u++;
        }
        return RulMetrics.of(on, pred, truth, settings.rulCap());
    }

    @Override
    public Scorer scorer() {
        var h = new UnitHistory(channels(), settings.window());
        var z = new double[channels()];
        var x = new float[width()];
        double limit = settings.alarmBelow();
        return sample -> {
            if (sample.length != features.size()) {
                throw new IllegalArgumentException("sample of " + sample.length + " values for " + features.size() + " features");
            }
            channels(sample, z);
            h.push(z);
            h.features(x, 0);
            double rul = predictRows(x, 1)[0];
            return new Scorer.Score(rul, limit, rul < limit, null, true);
        };
    }

    // ---------------------------------------------------------------- bytes

    @Override
    public byte[] toBytes() {
        var bytes = new ByteArrayOutputStream();
        try (var out = new DataOutputStream(bytes)) {
            out.writeUTF(MAGIC);
            out.writeInt(FORMAT);
            out.writeInt(features.size());
            for (var f : features) out.writeUTF(f);
            var p = params.asMap();
            out.writeInt(p.size());
            for (var e : p.entrySet()) {
                out.writeUTF(e.getKey());
                switch (e.getValue()) {
                    case Integer i -> { out.writeByte('i'); out.writeLong(i); }
                    case Long l -> { out.writeByte('i'); out.writeLong(l); }
                    case Number n -> { out.writeByte('d'); out.writeDouble(n.doubleValue()); }
                    case Boolean b -> { out.writeByte('b'); out.writeBoolean(b); }
                    default -> { out.writeByte('s'); out.writeUTF(String.valueOf(e.getValue())); }
                }
            }
            ints(out, regimes.columns());
            doubles(out, regimes.centre());
            doubles(out, regimes.spread());
            matrix(out, regimes.centers());
            matrix(out, regimes.mean());
            matrix(out, regimes.sd());
            ints(out, kept);
            doubles(out, health);
            out.writeInt(boosters.length);
            for (var b : boosters) {
                var raw = b.toByteArray("ubj");
                out.writeInt(raw.length);
                out.write(raw);
            }
        } catch (IOException | XGBoostError e) {
            throw new IllegalStateException("cannot write the model", e);
        }
        return bytes.toByteArray();
    }

    static RulModel read(byte[] bytes) {
        try (var in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (!MAGIC.equals(in.readUTF())) throw unreadable("not a " + RulGbm.ID + " model");
            int format = in.readInt();
            if (format != FORMAT) throw unreadable("format " + format + " (this version reads " + FORMAT + ")");
            int nf = in.readInt();
            var features = new ArrayList<String>();
            for (int i = 0; i < nf; i++) features.add(in.readUTF());
            int np = in.readInt();
            var p = new LinkedHashMap<String, Object>();
            for (int i = 0; i < np; i++) {
                var name = in.readUTF();
                int tag = in.readByte();
                p.put(name, switch (tag) {
                    case 'i' -> (Object) Math.toIntExact(in.readLong());
                    case 'd' -> in.readDouble();
                    case 'b' -> in.readBoolean();
                    case 's' -> in.readUTF();
                    default -> throw unreadable("parameter " + name + " has an unknown type");
                });
            }
            var regimes = new OperatingRegimes(ints(in), doubles(in), doubles(in), matrix(in), matrix(in), matrix(in));
            var kept = ints(in);
            var health = doubles(in);
            var boosters = new Booster[length(in, 4)];
            for (int i = 0; i < boosters.length; i++) {
                var raw = new byte[length(in, 1)];
                in.readFully(raw);
                boosters[i] = XGBoost.loadModel(raw);
            }
            if (in.read() != -1) throw unreadable("bytes after the end");
            var params = RulGbm.TYPE.defaults().with(p, RulGbm.ID);
            return new RulModel(features, params, regimes, kept, health, boosters);
        } catch (IOException | XGBoostError | RuntimeException e) {
            if (e instanceof MaxException m) throw m;
            throw new MaxException(ModelError.UNREADABLE_MODEL, Location.NOWHERE, e, RulGbm.ID, String.valueOf(e.getMessage()));
        }
    }

    private static MaxException unreadable(String why) {
        return new MaxException(ModelError.UNREADABLE_MODEL, Location.NOWHERE, RulGbm.ID, why);
    }

    private static void ints(DataOutputStream out, int[] v) throws IOException {
        out.writeInt(v.length);
        for (int x : v) out.writeInt(x);
    }

    private static void doubles(DataOutputStream out, double[] v) throws IOException {
        out.writeInt(v.length);
        for (double x : v) out.writeDouble(x);
    }

    private static void matrix(DataOutputStream out, double[][] m) throws IOException {
        out.writeInt(m.length);
        for (var row : m) doubles(out, row);
    }

    /** A length read back, refused when the bytes left cannot hold it (a damaged file must not exhaust memory). */
    private static int length(DataInputStream in, int bytesEach) throws IOException {
        int n = in.readInt();
        if (n < 0 || (long) n * bytesEach > in.available()) throw unreadable("a length of " + n + " beyond the end");
        return n;
    }

    private static int[] ints(DataInputStream in) throws IOException {
        var v = new int[length(in, 4)];
        for (int i = 0; i < v.length; i++) v[i] = in.readInt();
        return v;
    }

    private static double[] doubles(DataInputStream in) throws IOException {
        var v = new double[length(in, 8)];
        for (int i = 0; i < v.length; i++) v[i] = in.readDouble();
        return v;
    }

    private static double[][] matrix(DataInputStream in) throws IOException {
        var m = new double[length(in, 4)][];
        for (int i = 0; i < m.length; i++) m[i] = doubles(in);
        return m;
    }
}
