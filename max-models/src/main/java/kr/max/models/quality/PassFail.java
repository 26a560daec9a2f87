package kr.max.models.quality;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.models.ModelError;

/**
 * Reads pass/fail labels. By default the usual words of Korean and English quality records, in any case:
 * Y/N, YES/NO, PASS/FAIL, OK/NG, GOOD/BAD, TRUE/FALSE, 1/0, 합격/불합격, 양품/불량, 적합/부적합, 정상/이상 — the first of
 * each pair passes, the second fails, so {@code 1} reads as a pass like {@code Y}. A record whose flag means
 * "defective" names its fail value with {@code positive_label} (say {@code 1}); then that value fails and the
 * one other value in the data passes.
 *
 * @param positive the fail value given by {@code positive_label}, lower case, or empty for the usual words
 * @param failText how fails are written in the training data (the scorer's label for an alarm)
 * @param passText how passes are written there
 */
record PassFail(String positive, String failText, String passText) {

    static final Set<String> PASS = Set.of("y", "yes", "pass", "passed", "ok", "good", "true", "1", "합격", "양품", "적합", "정상");
    static final Set<String> FAIL = Set.of("n", "no", "fail", "failed", "ng", "bad", "false", "0", "불합격", "불량", "부적합", "이상");
    static final String EXPECTED = "Y/N, YES/NO, PASS/FAIL, OK/NG, GOOD/BAD, TRUE/FALSE, 1/0, 합격/불합격, 양품/불량, 적합/부적합, 정상/이상"
            + " (pass/fail), or positive_label for the fail value";

    /** Reads the labels of the training data, learning how they write pass and fail. */
    static PassFail learn(String[] labels, String positiveLabel) {
        String positive = normal(positiveLabel);
        String failText = null, passText = null;
        var seen = new LinkedHashSet<String>();
        for (var raw : labels) {
            String v = normal(raw);
            if (v.isEmpty()) throw new MaxException(ModelError.UNREADABLE_LABEL, Location.NOWHERE, raw == null ? "" : raw, EXPECTED);
            seen.add(v);
            boolean fail = positive.isEmpty() ? fail(v, raw) : v.equals(positive);
            if (fail && failText == null) failText = raw.trim();
            if (!fail && passText == null) passText = raw.trim();
        }
        if (!positive.isEmpty()) {
            var others = new LinkedHashSet<>(seen);
            others.remove(positive);
            if (others.size() > 1) {
                throw new MaxException(QualityError.AMBIGUOUS_NEGATIVE, Location.NOWHERE, others.stream().skip(1).findFirst().orElseThrow(),
                        seen, positiveLabel);
            }
        }
        return new PassFail(positive, failText == null ? "fail" : failText, passText == null ? "pass" : passText);
    }

    /** Whether a label of new data is a fail, by the rule learned in training. */
    boolean isFail(String raw) {
        String v = normal(raw);
        if (v.isEmpty()) throw new MaxException(ModelError.UNREADABLE_LABEL, Location.NOWHERE, raw == null ? "" : raw, EXPECTED);
        if (!positive.isEmpty()) return v.equals(positive);
        return fail(v, raw);
    }

    private static boolean fail(String v, String raw) {
        if (FAIL.contains(v)) return true;
        if (PASS.contains(v)) return false;
        // "1.0" and "0.0" from a numeric label column
        try {
            double d = Double.parseDouble(v);
            if (d == 1) return false;
            if (d == 0) return true;
        } catch (NumberFormatException e) {
            // not a number either: falls through to the error naming the value
        }
        throw new MaxException(ModelError.UNREADABLE_LABEL, Location.NOWHERE, raw, EXPECTED);
    }

    private static String normal(String s) {
        return s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
    }
}
