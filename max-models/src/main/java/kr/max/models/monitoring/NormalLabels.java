package kr.max.models.monitoring;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which label values mean normal operation, for detectors that learn from normal data and are measured
 * against labels: a comma-separated list such as {@code "0, normal, ok, pass, false"}, compared without
 * regard to case or surrounding spaces, and numerically when both sides are numbers (so {@code 0.0} is
 * {@code 0}). Any other value is a fault; a missing label is neither.
 */
public final class NormalLabels {

    /** The default list: the usual ways a label column says "nothing wrong". */
    public static final String DEFAULT = "0, normal, ok, pass, false";

    /** What a label says about its sample. */
    public enum Kind { NORMAL, FAULT, UNKNOWN }

    private final List<String> words = new ArrayList<>();
    private final List<Double> numbers = new ArrayList<>();
    private final String text;

    private NormalLabels(String text) {
        this.text = text;
        for (var part : text.split(",")) {
            var w = part.trim().toLowerCase(Locale.ROOT);
            if (w.isEmpty()) continue;
            var n = number(w);
            if (n != null) numbers.add(n);
            else words.add(w);
        }
    }

    /** Reads a comma-separated list; an empty list makes every labelled sample a fault. */
    public static NormalLabels parse(String text) {
        return new NormalLabels(text == null ? "" : text);
    }

    public Kind kind(String label) {
        if (label == null || label.isBlank()) return Kind.UNKNOWN;
        var w = label.trim().toLowerCase(Locale.ROOT);
        var n = number(w);
        if (n != null ? numbers.contains(n) : words.contains(w)) return Kind.NORMAL;
        return Kind.FAULT;
    }

    private static Double number(String w) {
        try {
            double d = Double.parseDouble(w);
            return Double.isFinite(d) ? d + 0.0 : null;   // + 0.0 makes -0 equal to 0
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
