package kr.max.models;

import java.time.OffsetDateTime;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.core.dictionary.ColumnRole;
import kr.max.core.dictionary.ColumnSpec;
import kr.max.core.dictionary.ColumnType;
import kr.max.core.dictionary.DataDictionary;
import kr.max.library.query.ResultSink;

/**
 * Binds rows of a dataset version to a {@link Frame} through its data dictionary: numeric
 * {@code measurement} and {@code setpoint} columns become features, the first {@code asset},
 * {@code timestamp} and {@code label} columns become the frame's assets, times and labels. Rows stream in
 * from the library (it is a {@link ResultSink}); nothing is written anywhere.
 */
public final class FrameBuilder implements ResultSink {

    private final List<String> features = new ArrayList<>();
    private final String assetColumn;
    private final String timeColumn;
    private final String labelColumn;
    private int[] featureAt;
    private int assetAt = -1;
    private int timeAt = -1;
    private int labelAt = -1;
    private final List<double[]> x = new ArrayList<>();
    private final List<String> assets = new ArrayList<>();
    private final List<Long> times = new ArrayList<>();
    private final List<String> labels = new ArrayList<>();

    /**
     * @param dictionary the dictionary of the version the rows come from
     * @param dataset    its name, for messages
     * @param type       the model type that will train on the frame; its required roles are checked here
     */
    public FrameBuilder(DataDictionary dictionary, String dataset, ModelType type) {
        this(dictionary, dataset, type, true);
    }

    /**
     * A frame for a trained model to predict on: the type's roles are required except the label, which data a
     * model scores need not have (a stream of vibration, shots not yet inspected).
     */
    public static FrameBuilder forPrediction(DataDictionary dictionary, String dataset, ModelType type) {
        return new FrameBuilder(dictionary, dataset, type, false);
    }

    private FrameBuilder(DataDictionary dictionary, String dataset, ModelType type, boolean training) {
        for (var c : dictionary.columns()) {
            if ((c.role() == ColumnRole.MEASUREMENT || c.role() == ColumnRole.SETPOINT) && numeric(c)) features.add(c.name());
        }
        assetColumn = first(dictionary, ColumnRole.ASSET);
        timeColumn = first(dictionary, ColumnRole.TIMESTAMP);
        labelColumn = first(dictionary, ColumnRole.LABEL);
        for (var role : type.requires()) {
            if (!training && role == ColumnRole.LABEL) continue;
            if (dictionary.withRole(role).isEmpty()) {
                throw new MaxException(ModelError.MISSING_ROLE, Location.dataset(dataset, null), type.id(), role.word(), dataset);
            }
        }
        if (features.isEmpty()) {
            throw new MaxException(ModelError.MISSING_ROLE, Location.dataset(dataset, null), type.id(), ColumnRole.MEASUREMENT.word(), dataset);
        }
    }

    private static boolean numeric(ColumnSpec c) {
        return c.type() == ColumnType.INTEGER || c.type() == ColumnType.DECIMAL || c.type() == ColumnType.BOOLEAN;
    }

    private static String first(DataDictionary d, ColumnRole role) {
        var cols = d.withRole(role);
        return cols.isEmpty() ? null : cols.get(0).name();
    }

    /** The feature columns, for a query that selects exactly what the frame needs. */
    public List<String> columnsNeeded() {
        var out = new ArrayList<>(features);
        if (assetColumn != null) out.add(assetColumn);
        if (timeColumn != null) out.add(timeColumn);
        if (labelColumn != null) out.add(labelColumn);
        return out;
    }

    @Override
    public void columns(List<String> names, List<String> sqlTypes) {
        featureAt = new int[features.size()];
        for (int i = 0; i < features.size(); i++) {
            featureAt[i] = names.indexOf(features.get(i));
            if (featureAt[i] < 0) throw new IllegalStateException("column " + features.get(i) + " not in the rows");
        }
        assetAt = assetColumn == null ? -1 : names.indexOf(assetColumn);
        timeAt = timeColumn == null ? -1 : names.indexOf(timeColumn);
        labelAt = labelColumn == null ? -1 : names.indexOf(labelColumn);
    }

    @Override
    public void row(Object[] values) {
        var r = new double[featureAt.length];
        for (int i = 0; i < r.length; i++) r[i] = number(values[featureAt[i]]);
        x.add(r);
        if (assetAt >= 0) assets.add(values[assetAt] == null ? "" : values[assetAt].toString());
        if (timeAt >= 0) times.add(time(values[timeAt]));
        if (labelAt >= 0) labels.add(values[labelAt] == null ? null : values[labelAt].toString());
    }

    private static double number(Object v) {
        if (v == null) return Double.NaN;
        if (v instanceof Number n) return n.doubleValue();
        if (v instanceof Boolean b) return b ? 1 : 0;
        return Double.NaN;
    }

    private static long time(Object v) {
        if (v == null) return Long.MIN_VALUE;
        if (v instanceof Number n) return n.longValue();
        if (v instanceof OffsetDateTime t) return t.toInstant().toEpochMilli();
        if (v instanceof TemporalAccessor t) return java.time.Instant.from(t).toEpochMilli();
        if (v instanceof java.sql.Timestamp t) return t.getTime();
        return Long.MIN_VALUE;
    }

    /** The frame of all rows received. */
    public Frame frame() {
        return new Frame(features, x.toArray(double[][]::new),
                assetAt >= 0 ? assets.toArray(String[]::new) : null,
                timeAt >= 0 ? times.stream().mapToLong(Long::longValue).toArray() : null,
                labelAt >= 0 ? labels.toArray(String[]::new) : null);
    }
}
