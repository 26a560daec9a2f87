package kr.max.models;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import kr.max.core.Location;
import kr.max.core.MaxException;

/**
 * The published results the standard models are measured against, shipped with the platform (C-MAPSS, Tennessee
 * Eastman, CWRU, KAMP), so {@code max evaluate --reference ID} can print each figure of ours beside the one a paper
 * reported, with its source. Each entry says which way is better, or, for a reproduction of a published method,
 * how close counts as reproduced.
 */
public final class PublishedResults {

    private static final String RESOURCE = "published.tsv";
    private static final Map<String, List<Entry>> TABLE = load();

    private PublishedResults() {
    }

    /**
     * One published figure.
     *
     * @param reference the benchmark and subset, as {@code --reference} names it ({@code cmapss-fd001})
     * @param metric    the name of the metric in {@link Metrics}
     * @param value     the published value
     * @param goal      what ours must do to compare well
     * @param method    the method that reached it, with its protocol
     * @param source    the publication
     */
    public record Entry(String reference, String metric, double value, Goal goal, String method, String source) {
    }

    /** Lower is better, higher is better, or within a tolerance of the published value (a reproduction). */
    public record Goal(String direction, double tolerance) {
        public static Goal parse(String text) {
            if (text.equals("lower") || text.equals("higher")) return new Goal(text, 0);
            if (text.startsWith("within:")) return new Goal("within", Double.parseDouble(text.substring(7)));
            throw new IllegalArgumentException("goal " + text);
        }

        /** Whether our figure meets this goal against the published one. */
        public boolean met(double ours, double published) {
            return switch (direction) {
                case "lower" -> ours < published;
                case "higher" -> ours > published;
                default -> Math.abs(ours - published) <= tolerance + 1e-12;
            };
        }
    }

    /**
     * One metric of ours beside its published value.
     *
     * @param ours NaN when the evaluation did not produce this metric
     */
    public record Comparison(Entry published, double ours) {
        /** True when ours meets the entry's goal; false when it does not or is missing. */
        public boolean met() {
            return !Double.isNaN(ours) && published.goal().met(ours, published.value());
        }
    }

    /** The references known, in the table's order. */
    public static List<String> references() {
        return List.copyOf(TABLE.keySet());
    }

    /** The entries of one reference; an unknown one is a user's error that lists the known ones. */
    public static List<Entry> of(String reference) {
        var entries = TABLE.get(Objects.requireNonNull(reference));
        if (entries == null) {
            throw new MaxException(ModelError.UNKNOWN_REFERENCE, Location.NOWHERE, reference, String.join(", ", TABLE.keySet()));
        }
        return entries;
    }

    /** Our metrics beside each published figure of the reference. */
    public static List<Comparison> compare(String reference, Metrics ours) {
        var out = new ArrayList<Comparison>();
        for (var e : of(reference)) out.add(new Comparison(e, ours.values().getOrDefault(e.metric(), Double.NaN)));
        return out;
    }

    private static Map<String, List<Entry>> load() {
        var table = new LinkedHashMap<String, List<Entry>>();
        try (var in = PublishedResults.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException(RESOURCE + " is missing from the build");
            var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) continue;
                var f = line.split("\t", -1);
                if (f.length != 6) throw new IllegalStateException(RESOURCE + ": six tab-separated fields expected in: " + line);
                var e = new Entry(f[0], f[1], Double.parseDouble(f[2]), Goal.parse(f[3]), f[4], f[5]);
                table.computeIfAbsent(e.reference(), k -> new ArrayList<>()).add(e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        table.replaceAll((k, v) -> List.copyOf(v));
        return table;
    }
}
