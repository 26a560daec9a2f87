package kr.max.models.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.lang.ref.Cleaner;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.models.Frame;
import kr.max.models.Metrics;
import kr.max.models.Predictions;
import kr.max.models.Scorer;
import kr.max.models.TrainedModel;

/**
 * An ONNX model loaded into an ONNX Runtime session, in memory only. The session is closed when the model is no
 * longer reachable; runs are serialized, as one session per model serves one caller at a time here.
 */
final class OnnxModel implements TrainedModel {

    /** Rows per run, so that a large frame never becomes one huge tensor. */
    private static final int BATCH_ROWS = 4096;
    private static final Cleaner CLEANER = Cleaner.create();

    private final byte[] bytes;
    private final String name;
    private final OrtSession session;
    private final String inputName;
    private final TensorInfo input;
    private final String outputName;
    private final TensorInfo output;
    private final int width;

    private OnnxModel(byte[] bytes, String name, OrtSession session, String inputName, TensorInfo input, String outputName,
                      TensorInfo output, int width) {
        this.bytes = bytes;
        this.name = name;
        this.session = session;
        this.inputName = inputName;
        this.input = input;
        this.outputName = outputName;
        this.output = output;
        this.width = width;
        CLEANER.register(this, new CloseSession(session));
    }

    /** Closes the native session; holds no reference to the model, or it would never become unreachable. */
    private record CloseSession(OrtSession session) implements Runnable {
        @Override
        public void run() {
            try {
                session.close();
            } catch (OrtException ignored) {
                // the process goes on; the native memory is released with it at the latest
            }
        }
    }

    static OnnxModel load(byte[] bytes, String name) {
        OrtSession session;
        try {
            var options = new OrtSession.SessionOptions();
            // Two cores shared with everything else the library does: one thread per run is plenty for these sizes.
            options.setIntraOpNumThreads(1);
            session = OrtEnvironment.getEnvironment().createSession(bytes, options);
        } catch (OrtException | RuntimeException e) {
            throw new MaxException(OnnxError.UNREADABLE, Location.file(name), e, name, firstLine(e.getMessage()));
        }
        try {
            Map<String, NodeInfo> inputs = session.getInputInfo();
            if (inputs.size() != 1 || !(inputs.values().iterator().next().getInfo() instanceof TensorInfo in)
                    || in.type != OnnxJavaType.FLOAT || in.getShape().length != 2) {
                throw new MaxException(OnnxError.INPUT_SHAPE, Location.file(name), name, describe(inputs));
            }
            Map<String, NodeInfo> outputs = session.getOutputInfo();
            NodeInfo first = outputs.values().iterator().next();
            if (!(first.getInfo() instanceof TensorInfo out) || out.getShape().length < 1 || out.getShape().length > 2
                    || !numeric(out.type)) {
                throw new MaxException(OnnxError.OUTPUT_SHAPE, Location.file(name), name, describe(Map.of(first.getName(), first)));
            }
            long w = in.getShape()[1];
            return new OnnxModel(bytes, name, session, inputs.keySet().iterator().next(), in, first.getName(), out,
                    w < 0 ? -1 : (int) w);
        } catch (OrtException e) {
            close(session);
            throw new MaxException(OnnxError.UNREADABLE, Location.file(name), e, name, firstLine(e.getMessage()));
        } catch (RuntimeException e) {
            close(session);
            throw e;
        }
    }

    private static void close(OrtSession s) {
        try {
            s.close();
        } catch (OrtException ignored) {
            // failing anyway
        }
    }

    private static boolean numeric(OnnxJavaType t) {
        return t == OnnxJavaType.FLOAT || t == OnnxJavaType.DOUBLE || t == OnnxJavaType.INT64 || t == OnnxJavaType.INT32;
    }

    private static String describe(Map<String, NodeInfo> nodes) {
        var parts = new ArrayList<String>();
        for (var e : nodes.entrySet()) {
            parts.add(e.getKey() + " " + (e.getValue().getInfo() instanceof TensorInfo t ? describe(t) : e.getValue().getInfo().toString()));
        }
        return parts.isEmpty() ? "none" : String.join("; ", parts);
    }

    int width() {
        return width;
    }

    String inputName() {
        return inputName;
    }

    String inputDescription() {
        return describe(input);
    }

    /** {@code float [N, 3]}: element type and shape, a named dimension by its name. */
    static String describe(TensorInfo t) {
        var dims = new ArrayList<String>();
        long[] shape = t.getShape();
        String[] names = t.getDimensionNames();
        for (int i = 0; i < shape.length; i++) {
            dims.add(shape[i] >= 0 ? Long.toString(shape[i]) : names != null && i < names.length && !names[i].isEmpty() ? names[i] : "?");
        }
        return t.type.name().toLowerCase(java.util.Locale.ROOT) + " [" + String.join(", ", dims) + "]";
    }

    String outputName() {
        return outputName;
    }

    String outputDescription() {
        return describe(output);
    }

    @Override
    public String type() {
        return OnnxModelType.ID;
    }

    /** None by name: an ONNX model takes its inputs by position. */
    @Override
    public List<String> features() {
        return List.of();
    }

    @Override
    public Predictions predict(Frame data) {
        double[][] out = run(data.x(), data.features());
        int k = out.length == 0 ? outputColumns() : out[0].length;
        var columns = new ArrayList<String>();
        if (data.hasAssets()) columns.add("asset");
        if (data.hasTimes()) columns.add("time");
        if (k == 1) {
            columns.add("prediction");
        } else {
            for (int j = 0; j < k; j++) columns.add("prediction_" + j);
        }
        var rows = new ArrayList<Object[]>(data.rows());
        for (int i = 0; i < data.rows(); i++) {
            var row = new Object[columns.size()];
            int c = 0;
            if (data.hasAssets()) row[c++] = data.assets()[i];
            if (data.hasTimes()) row[c++] = data.times()[i];
            for (int j = 0; j < k; j++) row[c++] = out[i][j];
            rows.add(row);
        }
        return new Predictions(columns, rows);
    }

    private int outputColumns() {
        long[] shape = output.getShape();
        return shape.length == 2 && shape[1] > 0 ? (int) shape[1] : 1;
    }

    /** RMSE, MAE and R² of the single output against numeric labels. */
    @Override
    public Metrics evaluate(Frame data) {
        double[] y = labels(data);
        double[][] out = run(data.x(), data.features());
        if (out.length > 0 && out[0].length != 1) {
            throw new MaxException(OnnxError.OUTPUT_SHAPE, Location.NOWHERE, name, output.toString());
        }
        double se = 0, ae = 0, mean = 0;
        int n = 0;
        for (int i = 0; i < y.length; i++) {
            if (Double.isNaN(y[i]) || Double.isNaN(out[i][0])) continue;
            mean += y[i];
            n++;
        }
        mean = n == 0 ? Double.NaN : mean / n;
        double ss = 0;
        for (int i = 0; i < y.length; i++) {
            if (Double.isNaN(y[i]) || Double.isNaN(out[i][0])) continue;
            double d = out[i][0] - y[i];
            se += d * d;
            ae += Math.abs(d);
            ss += (y[i] - mean) * (y[i] - mean);
        }
        return Metrics.on(n + " labelled rows").put("rmse", Math.sqrt(se / n)).put("mae", ae / n)
                .put("r2", ss == 0 ? Double.NaN : 1 - se / ss).put("rows", n).build();
    }

    private double[] labels(Frame data) {
        if (!data.hasLabels()) throw new MaxException(OnnxError.NO_LABELS, Location.NOWHERE, name, "the data");
        double[] y = new double[data.rows()];
        for (int i = 0; i < y.length; i++) {
            String l = data.labels()[i];
            try {
                y[i] = l == null ? Double.NaN : Double.parseDouble(l.strip());
            } catch (NumberFormatException e) {
                throw new MaxException(OnnxError.NO_LABELS, Location.NOWHERE, name, "the data");
            }
        }
        return y;
    }

    @Override
    public Scorer scorer() {
        return sample -> {
            double[][] out = run(new double[][]{sample}, null);
            return new Scorer.Score(out[0][0], Double.NaN, false, null, true);
        };
    }

    @Override
    public byte[] toBytes() {
        return bytes.clone();
    }

    /** Runs the model over the rows in batches; one array of outputs per row. */
    private double[][] run(double[][] x, List<String> features) {
        int f = x.length == 0 ? (features == null ? 0 : features.size()) : x[0].length;
        if (width >= 0 && f != width) {
            throw new MaxException(OnnxError.INPUT_WIDTH, Location.NOWHERE, name, width, f,
                    features == null ? f + " values" : String.join(", ", features));
        }
        var out = new double[x.length][];
        for (int start = 0; start < x.length; start += BATCH_ROWS) {
            int rows = Math.min(BATCH_ROWS, x.length - start);
            FloatBuffer buffer = FloatBuffer.allocate(rows * f);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < f; j++) buffer.put((float) x[start + i][j]);
            }
            buffer.flip();
            double[][] part = runBatch(buffer, rows, f);
            System.arraycopy(part, 0, out, start, rows);
        }
        return out;
    }

    private synchronized double[][] runBatch(FloatBuffer buffer, int rows, int f) {
        var env = OrtEnvironment.getEnvironment();
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, buffer, new long[]{rows, f});
             OrtSession.Result result = session.run(Map.of(inputName, tensor), java.util.Set.of(outputName))) {
            if (!(result.get(0) instanceof OnnxTensor t)) {
                throw new MaxException(OnnxError.OUTPUT_SHAPE, Location.NOWHERE, name, result.get(0).getInfo().toString());
            }
            long[] shape = t.getInfo().getShape();
            int k = shape.length == 1 ? 1 : (int) shape[1];
            if (shape[0] != rows || k < 1) throw new MaxException(OnnxError.OUTPUT_SHAPE, Location.NOWHERE, name, t.getInfo().toString());
            var values = new double[rows][k];
            switch (t.getInfo().type) {
                case FLOAT -> {
                    var b = t.getFloatBuffer();
                    for (int i = 0; i < rows; i++) for (int j = 0; j < k; j++) values[i][j] = b.get(i * k + j);
                }
                case DOUBLE -> {
                    var b = t.getDoubleBuffer();
                    for (int i = 0; i < rows; i++) for (int j = 0; j < k; j++) values[i][j] = b.get(i * k + j);
                }
                case INT64 -> {
                    var b = t.getLongBuffer();
                    for (int i = 0; i < rows; i++) for (int j = 0; j < k; j++) values[i][j] = b.get(i * k + j);
                }
                case INT32 -> {
                    var b = t.getIntBuffer();
                    for (int i = 0; i < rows; i++) for (int j = 0; j < k; j++) values[i][j] = b.get(i * k + j);
                }
                default -> throw new MaxException(OnnxError.OUTPUT_SHAPE, Location.NOWHERE, name, t.getInfo().toString());
            }
            return values;
        } catch (OrtException e) {
            throw new MaxException(OnnxError.RUN_FAILED, Location.NOWHERE, e, name, firstLine(e.getMessage()));
        }
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
