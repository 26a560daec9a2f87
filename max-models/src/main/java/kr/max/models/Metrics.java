package kr.max.models;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named figures of a model on some data ({@code rmse}, {@code nasa_score}, {@code pr_auc}, …), in the order
 * they were added. Written as JSON next to each model version, so the console and the benchmarks read the
 * same numbers.
 *
 * @param on     what they were measured on, in a few words ("held-out 20 % of units", "d01_te")
 * @param values the figures
 */
public record Metrics(String on, Map<String, Double> values) {

    public Metrics {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public double get(String name) {
        var v = values.get(name);
        if (v == null) throw new IllegalArgumentException("no metric " + name + " in " + values.keySet());
        return v;
    }

    /** A builder that keeps insertion order. */
    public static Builder on(String what) {
        return new Builder(what);
    }

    public static final class Builder {
        private final String on;
        private final Map<String, Double> values = new LinkedHashMap<>();

        private Builder(String on) {
            this.on = on;
        }

        public Builder put(String name, double value) {
            values.put(name, value);
            return this;
        }

        public Metrics build() {
            return new Metrics(on, values);
        }
    }
}
