package kr.max.models;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Samples held in memory for training, evaluation or batch prediction, bound to the data dictionary's
 * roles rather than to column names: the numeric {@code measurement} and {@code setpoint} columns are the
 * features, the {@code asset} column groups rows, the {@code timestamp} column orders them and the
 * {@code label} column is the truth a supervised model learns.
 *
 * <p>Rows are kept in the order they were added. Arrays are not copied; treat a frame as read-only.
 *
 * @param features names of the feature columns, in the order of each row of {@code x}
 * @param x        one row of feature values per sample; a missing value is {@code NaN}
 * @param assets   the asset of each sample, or {@code null} when the data has no asset column
 * @param times    the ordering key of each sample (epoch milliseconds for a timestamp column, the value
 *                 itself for a numeric one such as an engine cycle), or {@code null} when there is none
 * @param labels   the label of each sample as text, or {@code null} when the data has no label column
 */
public record Frame(List<String> features, double[][] x, String[] assets, long[] times, String[] labels) {

    public Frame {
        features = List.copyOf(features);
        Objects.requireNonNull(x, "x");
        for (var row : x) {
            if (row.length != features.size()) {
                throw new IllegalArgumentException("row of " + row.length + " values for " + features.size() + " features");
            }
        }
        requireLength(assets, x.length, "assets");
        requireLength(times, x.length, "times");
        requireLength(labels, x.length, "labels");
    }

    private static void requireLength(Object array, int rows, String what) {
        if (array != null && java.lang.reflect.Array.getLength(array) != rows) {
            throw new IllegalArgumentException(what + " has " + java.lang.reflect.Array.getLength(array) + " entries for " + rows + " rows");
        }
    }

    /** Number of samples. */
    public int rows() {
        return x.length;
    }

    /** Index of a feature by name, or -1. */
    public int feature(String name) {
        return features.indexOf(name);
    }

    public boolean hasAssets() {
        return assets != null;
    }

    public boolean hasTimes() {
        return times != null;
    }

    public boolean hasLabels() {
        return labels != null;
    }

    /**
     * This frame with exactly the given features, in their order: a dataset may hold its columns in another order,
     * or more of them, than the model that reads it was trained on.
     *
     * @param model names the model in the error
     * @throws kr.max.core.MaxException {@link ModelError#FEATURES_DIFFER} when a feature is missing
     */
    public Frame projected(List<String> wanted, String model) {
        if (wanted.equals(features)) return this;
        int[] at = new int[wanted.size()];
        for (int j = 0; j < at.length; j++) {
            at[j] = feature(wanted.get(j));
            if (at[j] < 0) {
                throw new kr.max.core.MaxException(ModelError.FEATURES_DIFFER, kr.max.core.Location.NOWHERE, model,
                        String.join(", ", wanted), String.join(", ", features));
            }
        }
        var nx = new double[rows()][at.length];
        for (int i = 0; i < nx.length; i++) for (int j = 0; j < at.length; j++) nx[i][j] = x[i][at[j]];
        return new Frame(wanted, nx, assets, times, labels);
    }

    /** The samples at the given row indices, in that order. */
    public Frame select(int[] rowIndices) {
        var nx = new double[rowIndices.length][];
        var na = assets == null ? null : new String[rowIndices.length];
        var nt = times == null ? null : new long[rowIndices.length];
        var nl = labels == null ? null : new String[rowIndices.length];
        for (int i = 0; i < rowIndices.length; i++) {
            int r = rowIndices[i];
            nx[i] = x[r];
            if (na != null) na[i] = assets[r];
            if (nt != null) nt[i] = times[r];
            if (nl != null) nl[i] = labels[r];
        }
        return new Frame(features, nx, na, nt, nl);
    }

    /**
     * Row indices grouped by asset (in order of first appearance) and, within an asset, ordered by time
     * (stable for equal times). Without an asset column all rows form one group named {@code ""}.
     */
    public Map<String, int[]> byAsset() {
        var groups = new LinkedHashMap<String, List<Integer>>();
        for (int i = 0; i < rows(); i++) {
            groups.computeIfAbsent(assets == null ? "" : String.valueOf(assets[i]), k -> new ArrayList<>()).add(i);
        }
        var out = new LinkedHashMap<String, int[]>();
        for (var e : groups.entrySet()) {
            var idx = e.getValue();
            if (times != null) idx.sort(Comparator.comparingLong(i -> times[i]));
            out.put(e.getKey(), idx.stream().mapToInt(Integer::intValue).toArray());
        }
        return out;
    }

    /**
     * A time-ordered split: within each asset the first {@code trainFraction} of its rows (by time) train
     * and the rest test, so no later sample ever teaches a model about an earlier one.
     */
    public Split splitByTime(double trainFraction) {
        if (!(trainFraction > 0 && trainFraction < 1)) throw new IllegalArgumentException("fraction " + trainFraction);
        var train = new ArrayList<Integer>();
        var test = new ArrayList<Integer>();
        for (var idx : byAsset().values()) {
            int cut = (int) Math.round(idx.length * trainFraction);
            for (int i = 0; i < idx.length; i++) (i < cut ? train : test).add(idx[i]);
        }
        return new Split(select(train.stream().mapToInt(Integer::intValue).toArray()),
                select(test.stream().mapToInt(Integer::intValue).toArray()),
                "time-ordered: first " + Math.round(trainFraction * 100) + " % of each asset's rows train, the rest test");
    }

    /** Two parts of a frame and how they were made, as a model card states it. */
    public record Split(Frame train, Frame test, String description) {
    }

    @Override
    public String toString() {
        return "Frame[" + rows() + " rows, features=" + features + ", assets=" + hasAssets() + ", times=" + hasTimes()
                + ", labels=" + hasLabels() + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Frame f && features.equals(f.features) && Arrays.deepEquals(x, f.x)
                && Arrays.equals(assets, f.assets) && Arrays.equals(times, f.times) && Arrays.equals(labels, f.labels);
    }

    @Override
    public int hashCode() {
        return Objects.hash(features, Arrays.deepHashCode(x), Arrays.hashCode(assets), Arrays.hashCode(times), Arrays.hashCode(labels));
    }
}
