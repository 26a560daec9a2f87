package kr.max.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import kr.max.models.Frame;
import kr.max.models.ModelType;
import kr.max.models.Params;

/**
 * A steadier held-out figure than one 20 % split: five folds over the training units; each fold's units are cut
 * at five random points (the model's own protocol: 1 to 150 cycles of life left, uniformly, at least 10 cycles
 * kept) and measured by a model trained on the other folds. Still not the official test: its truncation
 * points are NASA's, not uniform.
 */
final class CmapssCrossValidation {

    static final int FOLDS = 5;
    static final int CUTS = 5;

    record Result(double rmse, double nasaPerCut, int cuts) {
    }

    private CmapssCrossValidation() {
    }

    static Result run(ModelType type, Params params, Frame train, long seed) {
        // the model's own held-out split is not needed here: keep it as small as the type allows, and do not refit
        var p = params.with(Map.of("refit", false, "holdout", 0.02), type.id());
        var units = new ArrayList<>(train.byAsset().keySet());
        Collections.shuffle(units, new Random(seed));
        var byUnit = train.byAsset();
        var rnd = new SplittableRandom(seed);
        double sse = 0;
        double nasa = 0;
        int n = 0;
        for (int f = 0; f < FOLDS; f++) {
            var val = new HashSet<String>();
            for (int i = f; i < units.size(); i += FOLDS) val.add(units.get(i));
            var rows = new ArrayList<Integer>();
            for (var e : byUnit.entrySet()) if (!val.contains(e.getKey())) for (int i : e.getValue()) rows.add(i);
            var model = type.train(train.select(rows.stream().mapToInt(Integer::intValue).toArray()), p, seed + f).model();
            var cut = cut(train, byUnit, val, rnd);
            var m = model.evaluate(cut);
            int k = (int) m.get("units");
            sse += m.get("rmse") * m.get("rmse") * k;
            nasa += m.get("nasa_score");
            n += k;
        }
        return new Result(Math.sqrt(sse / n), nasa / n, n);
    }

    /** The validation units, each cut {@value #CUTS} times, labelled with the cycles left at every kept row. */
    private static Frame cut(Frame train, Map<String, int[]> byUnit, java.util.Set<String> val, SplittableRandom rnd) {
        var rows = new ArrayList<Integer>();
        var names = new ArrayList<String>();
        var labels = new ArrayList<String>();
        for (var e : byUnit.entrySet()) {
            if (!val.contains(e.getKey())) continue;
            int len = e.getValue().length;
            for (int c = 0; c < CUTS; c++) {
                int left = 1 + rnd.nextInt(Math.max(1, Math.min(150, len - 10)));
                for (int i = 0; i < len - left; i++) {
                    rows.add(e.getValue()[i]);
                    names.add(e.getKey() + "#" + c);
                    labels.add(String.valueOf(len - 1 - i));
                }
            }
        }
        var sel = train.select(rows.stream().mapToInt(Integer::intValue).toArray());
        return new Frame(sel.features(), sel.x(), names.toArray(String[]::new), sel.times(), labels.toArray(String[]::new));
    }

}
