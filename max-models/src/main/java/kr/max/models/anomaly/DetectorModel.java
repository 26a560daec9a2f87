package kr.max.models.anomaly;

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
import kr.max.models.monitoring.NormalLabels;

/** A point detector: a {@link Scoring} and the score beyond which a sample is flagged. Samples are independent. */
final class DetectorModel implements TrainedModel {

    private static final String MAGIC = "max-anomaly";
    private static final int FORMAT = 1;

    private final String type;
    private final List<String> features;
    private final Scoring scoring;
    private final double limit;
    private final NormalLabels normal;

    DetectorModel(String type, List<String> features, Scoring scoring, double limit, NormalLabels normal) {
        this.type = type;
        this.features = List.copyOf(features);
        this.scoring = scoring;
        this.limit = limit;
        this.normal = normal;
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public List<String> features() {
        return features;
    }

    double limit() {
        return limit;
    }

    Scoring scoring() {
        return scoring;
    }

    double[] scores(Frame data) {
        double[][] x = Detections.bind(data, features, type);
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) out[i] = scoring.score(x[i], null);
        return out;
    }

    @Override
    public Predictions predict(Frame data) {
        double[][] x = Detections.bind(data, features, type);
        int k = scoring.columns().size();
        double[][] extras = new double[x.length][k];
        double[] scores = new double[x.length];
        for (int i = 0; i < x.length; i++) scores[i] = scoring.score(x[i], extras[i]);
        return Detections.predictions(data, scoring.columns(), extras, scores, limit);
    }

    /** Share flagged; with labels also ROC AUC, precision, recall, F1 and the false-alarm rate. */
    @Override
    public Metrics evaluate(Frame data) {
        return Detections.metrics(data.rows() + " samples", data, scores(data), limit, normal);
    }

    @Override
    public Scorer scorer() {
        int m = features.size();
        return sample -> {
            if (sample.length != m) throw new IllegalArgumentException("sample of " + sample.length + " values, expected " + m);
            double s = scoring.score(sample, null);
            return new Scorer.Score(s, limit, s > limit, null, true);
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
            out.writeDouble(limit);
            out.writeUTF(normal.toString());
            scoring.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Reads what {@link #toBytes()} wrote, the scoring part by {@code body}. */
    static DetectorModel read(String expectedType, byte[] bytes, Body body) {
        try (var in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (!MAGIC.equals(in.readUTF())) throw new IOException("not an anomaly detector");
            int format = in.readInt();
            if (format != FORMAT) throw new IOException("format " + format + ", this version reads " + FORMAT);
            var type = in.readUTF();
            if (!type.equals(expectedType)) throw new IOException("a model of type " + type);
            int n = in.readInt();
            if (n <= 0 || n > 1 << 16) throw new IOException(n + " features");
            var features = new ArrayList<String>(n);
            for (int i = 0; i < n; i++) features.add(in.readUTF());
            double limit = in.readDouble();
            var normal = NormalLabels.parse(in.readUTF());
            var scoring = body.read(in);
            if (scoring.width() != n) throw new IOException("a scoring of " + scoring.width() + " values for " + n + " features");
            if (in.read() != -1) throw new IOException("bytes after the model");
            return new DetectorModel(type, features, scoring, limit, normal);
        } catch (IOException | RuntimeException e) {
            throw new MaxException(ModelError.UNREADABLE_MODEL, Location.NOWHERE, e, expectedType, e.getMessage());
        }
    }

    interface Body {
        Scoring read(DataInputStream in) throws IOException;
    }
}
