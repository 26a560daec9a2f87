package kr.max.models.monitoring;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.models.Frame;
import kr.max.models.Metrics;
import kr.max.models.ModelError;
import kr.max.models.Predictions;
import kr.max.models.Scorer;
import kr.max.models.TrainedModel;

/**
 * A fitted (dynamic) PCA monitor: the principal components of normal lagged samples, the limits of T² and
 * Q, and where their moving averages start. A sample alarms when either statistic exceeds its limit; its
 * score is the larger of the two ratios statistic / limit, so 1 is the limit for both.
 */
final class MonitorModel implements TrainedModel {

    private static final String MAGIC = "max-monitor";
    private static final int FORMAT = 1;

    private final String type;
    private final List<String> features;
    private final MonitorSettings settings;
    private final PrincipalComponents pca;
    private final double t2Limit;
    private final double qLimit;
    private final double t2Start;
    private final double qStart;

    MonitorModel(String type, List<String> features, MonitorSettings settings, PrincipalComponents pca, double t2Limit,
            double qLimit, double t2Start, double qStart) {
        this.type = type;
        this.features = List.copyOf(features);
        this.settings = settings;
        this.pca = pca;
        this.t2Limit = t2Limit;
        this.qLimit = qLimit;
        this.t2Start = t2Start;
        this.qStart = qStart;
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public List<String> features() {
        return features;
    }

    PrincipalComponents pca() {
        return pca;
    }

    double t2Limit() {
        return t2Limit;
    }

    double qLimit() {
        return qLimit;
    }

    MonitorSettings settings() {
        return settings;
    }

    StatisticStream stream() {
        return new StatisticStream(pca, settings.lags(), settings.smoothing(), t2Start, qStart);
    }

    double score(double t2, double q) {
        return Math.max(t2 / t2Limit, q / qLimit);
    }

    /** The (smoothed) T² and Q of every row, in the frame's order; NaN where the lag window was filling. */
    double[][] statistics(Frame data) {
        double[][] x = bind(data);
        double[][] out = new double[x.length][];
        for (var rows : data.byAsset().values()) {
            var stream = stream();
            for (int r : rows) {
                var s = stream.push(x[r]);
                out[r] = s == null ? new double[] {Double.NaN, Double.NaN} : s;
            }
        }
        return out;
    }

    private double[][] bind(Frame data) {
        return data.projected(features, type).x();
    }

    @Override
    public Predictions predict(Frame data) {
        var columns = new ArrayList<String>();
        if (data.hasAssets()) columns.add("asset");
        if (data.hasTimes()) columns.add("time");
        columns.addAll(List.of("t2", "q", "score", "alarm"));
        double[][] s = statistics(data);
        var rows = new ArrayList<Object[]>(data.rows());
        for (int i = 0; i < data.rows(); i++) {
            var row = new Object[columns.size()];
            int c = 0;
            if (data.hasAssets()) row[c++] = data.assets()[i];
            if (data.hasTimes()) row[c++] = data.times()[i];
            double score = score(s[i][0], s[i][1]);
            row[c++] = s[i][0];
            row[c++] = s[i][1];
            row[c++] = score;
            row[c] = score > 1;
            rows.add(row);
        }
        return new Predictions(columns, rows);
    }

    /**
     * Detection rate (share of fault-labelled samples that alarm) and false-alarm rate (share of normal ones
     * that do), for T², Q and either; the mean delay in samples from each asset's first fault sample to its
     * first alarm; samples still filling the lag window are not counted.
     */
    @Override
    public Metrics evaluate(Frame data) {
        if (!data.hasLabels()) throw new MaxException(ModelError.MISSING_ROLE, Location.NOWHERE, type, "label", "data");
        double[][] s = statistics(data);
        var counts = new long[8];   // normal, normal T², normal Q, normal either, fault, fault T², fault Q, fault either
        double delaySum = 0;
        int delays = 0;
        for (var rows : data.byAsset().values()) {
            int firstFault = -1;
            int firstAlarm = -1;
            for (int k = 0; k < rows.length; k++) {
                int r = rows[k];
                if (Double.isNaN(s[r][0])) continue;
                var kind = settings.normal().kind(data.labels()[r]);
                if (kind == NormalLabels.Kind.UNKNOWN) continue;
                boolean t2 = s[r][0] > t2Limit;
                boolean q = s[r][1] > qLimit;
                int base = kind == NormalLabels.Kind.NORMAL ? 0 : 4;
                counts[base]++;
                if (t2) counts[base + 1]++;
                if (q) counts[base + 2]++;
                if (t2 || q) counts[base + 3]++;
                if (base == 4) {
                    if (firstFault < 0) firstFault = k;
                    if ((t2 || q) && firstAlarm < 0) firstAlarm = k;
                }
            }
            if (firstFault >= 0 && firstAlarm >= 0) {
                delaySum += firstAlarm - firstFault;
                delays++;
            }
        }
        return Metrics.on(data.rows() + " labelled samples")
                .put("detection_rate", share(counts[7], counts[4]))
                .put("false_alarm_rate", share(counts[3], counts[0]))
                .put("detection_rate_t2", share(counts[5], counts[4]))
                .put("detection_rate_q", share(counts[6], counts[4]))
                .put("false_alarm_rate_t2", share(counts[1], counts[0]))
                .put("false_alarm_rate_q", share(counts[2], counts[0]))
                .put("detection_delay", delays == 0 ? Double.NaN : delaySum / delays)
                .put("fault_samples", counts[4])
                .put("normal_samples", counts[0])
                .build();
    }

    private static double share(long part, long whole) {
        return whole == 0 ? Double.NaN : (double) part / whole;
    }

    @Override
    public Scorer scorer() {
        var stream = stream();
        return sample -> {
            var s = stream.push(sample);
            if (s == null) return new Scorer.Score(Double.NaN, 1, false, null, false);
            double score = score(s[0], s[1]);
            return new Scorer.Score(score, 1, score > 1, null, true);
        };
    }

    @Override
    public byte[] toBytes() {
        var bytes = new ByteArrayOutputStream();
        try (var out = new DataOutputStream(bytes)) {
            out.writeUTF(MAGIC);
            out.writeInt(FORMAT);
            out.writeUTF(type);
            out.writeInt(features.size());
            for (var f : features) out.writeUTF(f);
            out.writeInt(settings.components());
            out.writeDouble(settings.variance());
            out.writeDouble(settings.confidence());
            out.writeInt(settings.lags());
            out.writeDouble(settings.smoothing());
            out.writeUTF(settings.limits().word);
            out.writeInt(settings.folds());
            out.writeUTF(settings.normal().toString());
            out.writeDouble(t2Limit);
            out.writeDouble(qLimit);
            out.writeDouble(t2Start);
            out.writeDouble(qStart);
            pca.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static MonitorModel read(String expectedType, byte[] bytes) {
        try (var in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (!MAGIC.equals(in.readUTF())) throw new IOException("not a monitor model");
            int format = in.readInt();
            if (format != FORMAT) throw new IOException("format " + format + ", this version reads " + FORMAT);
            var type = in.readUTF();
            if (!type.equals(expectedType)) throw new IOException("a model of type " + type);
            int n = in.readInt();
            if (n <= 0 || n > 1 << 16) throw new IOException(n + " features");
            var features = new ArrayList<String>(n);
            for (int i = 0; i < n; i++) features.add(in.readUTF());
            var settings = new MonitorSettings(in.readInt(), in.readDouble(), in.readDouble(), in.readInt(), in.readDouble(),
                    MonitorSettings.Limits.of(in.readUTF()), in.readInt(), NormalLabels.parse(in.readUTF()));
            double t2Limit = in.readDouble();
            double qLimit = in.readDouble();
            double t2Start = in.readDouble();
            double qStart = in.readDouble();
            var pca = PrincipalComponents.read(in);
            if (pca.columns() != n * (settings.lags() + 1)) throw new IOException("components of " + pca.columns() + " columns for " + n + " features");
            if (in.read() != -1) throw new IOException("bytes after the model");
            return new MonitorModel(type, features, settings, pca, t2Limit, qLimit, t2Start, qStart);
        } catch (IOException | RuntimeException e) {
            throw new MaxException(ModelError.UNREADABLE_MODEL, Location.NOWHERE, e, expectedType, e.getMessage());
        }
    }
}
