package kr.max.models.monitoring;

import java.util.Locale;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.models.ModelError;
import kr.max.models.Params;

/** The parameters of a monitor, checked. {@code lags} 0 and {@code smoothing} 1 make plain PCA. */
record MonitorSettings(int components, double variance, double confidence, int lags, double smoothing, Limits limits,
        int folds, NormalLabels normal) {

    /** How the control limits are set. */
    enum Limits {
        /** T² from the F distribution, Q by Jackson–Mudholkar, both from the fitted model itself. */
        THEORY("theory"),
        /** A scaled χ² with the mean and variance of out-of-fold statistics on normal data. */
        CROSS_VALIDATED("cross-validated");

        final String word;

        Limits(String word) {
            this.word = word;
        }

        static Limits of(String word) {
            for (var l : values()) if (l.word.equals(word.trim().toLowerCase(Locale.ROOT))) return l;
            throw new MaxException(ModelError.BAD_PARAMETER, Location.NOWHERE, "limits", word, "theory or cross-validated");
        }
    }

    static MonitorSettings of(Params p, boolean dynamic) {
        int components = p.integer("components");
        if (components < 0) bad("components", components, "0 (choose by parallel analysis or variance) or a positive whole number");
        double variance = p.number("variance");
        if (!(variance >= 0 && variance <= 1)) bad("variance", variance, "0 (parallel analysis) or a share in (0, 1]");
        double confidence = p.number("confidence");
        if (!(confidence > 0.5 && confidence < 1)) bad("confidence", confidence, "a probability between 0.5 and 1, such as 0.99");
        int lags = dynamic ? p.integer("lags") : 0;
        if (lags < 0 || lags > 50) bad("lags", lags, "a whole number from 0 to 50");
        double smoothing = dynamic ? p.number("smoothing") : 1;
        if (!(smoothing > 0 && smoothing <= 1)) bad("smoothing", smoothing, "an EWMA weight in (0, 1]; 1 means no smoothing");
        var limits = Limits.of(p.text("limits"));
        if (limits == Limits.THEORY && smoothing < 1) {
            bad("limits", "theory", "cross-validated when smoothing is below 1 (smoothed statistics follow no tabulated distribution)");
        }
        int folds = p.integer("folds");
        if (folds < 2 || folds > 20) bad("folds", folds, "a whole number from 2 to 20");
        return new MonitorSettings(components, variance, confidence, lags, smoothing, limits, folds, NormalLabels.parse(p.text("normal_labels")));
    }

    private static void bad(String name, Object value, String expected) {
        throw new MaxException(ModelError.BAD_PARAMETER, Location.NOWHERE, name, value, expected);
    }
}
