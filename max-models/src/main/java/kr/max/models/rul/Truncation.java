package kr.max.models.rul;

import java.util.ArrayList;
import java.util.SplittableRandom;
import kr.max.models.Frame;

/**
 * Cuts run-to-failure units at random points, as the official C-MAPSS test sets were made, so a model can be
 * measured on units it has not seen to the end. Each cut keeps at least {@value #MIN_KEPT} cycles and leaves a
 * remaining life drawn uniformly from 1 to {@value #MAX_LEFT} cycles (fewer for a short unit), the range of the
 * official test labels of FD001 and FD003.
 */
final class Truncation {

    static final int MIN_KEPT = 10;
    static final int MAX_LEFT = 150;
    static final long EVALUATION_SEED = 20180501L;
    static final String PROTOCOL = "each unit cut once so that 1 to " + MAX_LEFT + " cycles of life remain, uniformly, at least "
            + MIN_KEPT + " cycles kept";

    private Truncation() {
    }

    /**
     * The cut units, {@code copies} cuts per unit (named {@code unit#k} when more than one), labelled with the
     * remaining life at every kept row: the frame's own label where it has one, else the samples left to its end.
     * A unit of a single sample cannot be cut and is left out.
     */
    static Frame cut(Frame data, long seed, int copies) {
        var rnd = new SplittableRandom(seed);
        var rows = new ArrayList<Integer>();
        var names = new ArrayList<String>();
        var labels = new ArrayList<String>();
        for (var e : data.byAsset().entrySet()) {
            int[] idx = e.getValue();
            int n = idx.length;
            if (n < 2) continue;
            for (int k = 0; k < copies; k++) {
                int maxLeft = Math.max(1, Math.min(MAX_LEFT, n - Math.min(MIN_KEPT, n - 1)));
                int left = 1 + rnd.nextInt(maxLeft);
                int keep = n - left;
                var name = copies == 1 ? e.getKey() : e.getKey() + "#" + (k + 1);
                for (int i = 0; i < keep; i++) {
                    rows.add(idx[i]);
                    names.add(name);
                    labels.add(data.hasLabels() ? data.labels()[idx[i]] : String.valueOf(n - 1 - i));
                }
            }
        }
        var sel = data.select(rows.stream().mapToInt(Integer::intValue).toArray());
        return new Frame(sel.features(), sel.x(), names.toArray(String[]::new), sel.times(), labels.toArray(String[]::new));
    }
}
