package kr.max.models.rul;

import java.util.LinkedHashMap;
import java.util.Map;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.models.ModelError;
import kr.max.models.Params;

/**
 * The parameters of {@code rul-gbm}, read and checked once.
 *
 * @param settings   feature names of the operating settings (comma-separated), {@code auto} to cluster on
 *                   every feature, or {@code none} for a single regime
 */
record RulSettings(int window, int rulCap, int rounds, int maxDepth, double eta, double subsample, double colsample,
        double minChildWeight, double lambda, int bins, int ensemble, String settings, int regimes, double minCorrelation,
        double alarmBelow, double holdout, boolean refit, int threads) {

    static Params defaults() {
        var m = new LinkedHashMap<String, Object>();
        m.put("window", 30);
        m.put("rul_cap", 125);
        m.put("rounds", 500);
        m.put("max_depth", 4);
        m.put("eta", 0.03);
        m.put("subsample", 0.8);
        m.put("colsample", 0.5);
        m.put("min_child_weight", 10);
        m.put("lambda", 1.0);
        m.put("bins", 64);
        m.put("ensemble", 1);
        m.put("settings", "auto");
        m.put("regimes", 0);
        m.put("min_correlation", 0.1);
        m.put("alarm_below", 20);
        m.put("holdout", 0.2);
        m.put("refit", true);
        m.put("threads", 0);
        return Params.of(m);
    }

    static RulSettings of(Params p) {
        var s = new RulSettings(p.integer("window"), p.integer("rul_cap"), p.integer("rounds"), p.integer("max_depth"),
                p.number("eta"), p.number("subsample"), p.number("colsample"), p.number("min_child_weight"),
                p.number("lambda"), p.integer("bins"), p.integer("ensemble"), p.text("settings").trim(), p.integer("regimes"),
                p.number("min_correlation"), p.number("alarm_below"), p.number("holdout"), p.flag("refit"), p.integer("threads"));
        s.check();
        return s;
    }

    private void check() {
        atLeast("window", window, 2, "a whole number of cycles, 2 or more");
        atLeast("rul_cap", rulCap, 1, "a whole number of cycles, 1 or more");
        atLeast("rounds", rounds, 1, "a whole number of boosting rounds, 1 or more");
        atLeast("max_depth", maxDepth, 1, "a tree depth from 1 to 16");
        if (maxDepth > 16) bad("max_depth", maxDepth, "a tree depth from 1 to 16");
        if (!(eta > 0 && eta <= 1)) bad("eta", eta, "a learning rate above 0 and at most 1");
        if (!(subsample > 0 && subsample <= 1)) bad("subsample", subsample, "a fraction above 0 and at most 1");
        if (!(colsample > 0 && colsample <= 1)) bad("colsample", colsample, "a fraction above 0 and at most 1");
        if (!(minChildWeight >= 0)) bad("min_child_weight", minChildWeight, "a number, 0 or more");
        if (!(lambda >= 0)) bad("lambda", lambda, "a number, 0 or more");
        if (bins < 2 || bins > 1024) bad("bins", bins, "a number of histogram bins from 2 to 1024");
        if (threads < 0) bad("threads", threads, "0 (all processors) or a number of threads");
        atLeast("ensemble", ensemble, 1, "a whole number of models, 1 to 10");
        if (ensemble > 10) bad("ensemble", ensemble, "a whole number of models, 1 to 10");
        if (regimes < 0 || regimes > 32) bad("regimes", regimes, "0 (choose) or a number of regimes from 1 to 32");
        if (!(minCorrelation >= 0 && minCorrelation < 1)) bad("min_correlation", minCorrelation, "a number from 0 to below 1");
        if (!(holdout > 0 && holdout < 0.5)) bad("holdout", holdout, "a fraction of units above 0 and below 0.5");
        if (settings.isEmpty()) bad("settings", settings, "auto, none, or setting column names separated by commas");
    }

    private static void atLeast(String name, int v, int min, String expected) {
        if (v < min) bad(name, v, expected);
    }

    private static void bad(String name, Object v, String expected) {
        throw new MaxException(ModelError.BAD_PARAMETER, Location.NOWHERE, name, v, expected);
    }

    /** The XGBoost parameters for one member of the ensemble. */
    Map<String, Object> booster(long seed) {
        var m = new LinkedHashMap<String, Object>();
        m.put("objective", "reg:squarederror");
        m.put("tree_method", "hist");
        m.put("eta", eta);
        m.put("max_depth", maxDepth);
        m.put("subsample", subsample);
        m.put("colsample_bytree", colsample);
        m.put("min_child_weight", minChildWeight);
        m.put("lambda", lambda);
        m.put("max_bin", bins);
        m.put("seed", seed);
        m.put("nthread", threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
        m.put("verbosity", 0);
        return m;
    }
}
