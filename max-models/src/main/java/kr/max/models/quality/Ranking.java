package kr.max.models.quality;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Figures of a score against rare positives (fails). Thresholds are taken at distinct scores, so tied shots
 * are always alarmed together, as a real threshold would.
 */
final class Ranking {

    private Ranking() {
    }

    /** One operating point: alarm when the score is at least {@code threshold}. */
    record Point(double threshold, long alarms, long truePositives, double precision, double recall) {
    }

    /** The operating points from the highest score down, one per distinct score. */
    static Point[] curve(double[] score, boolean[] positive) {
        Integer[] order = IntStream.range(0, score.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> score[i]).reversed());
        long positives = 0;
        for (boolean p : positive) if (p) positives++;
        var out = new java.util.ArrayList<Point>();
        long alarms = 0, tp = 0;
        for (int k = 0; k < order.length; k++) {
            int i = order[k];
            alarms++;
            if (positive[i]) tp++;
            if (k + 1 < order.length && score[order[k + 1]] == score[i]) continue;
            out.add(new Point(score[i], alarms, tp, (double) tp / alarms, positives == 0 ? Double.NaN : (double) tp / positives));
        }
        return out.toArray(Point[]::new);
    }

    /** Average precision, the step-wise area under the precision–recall curve; NaN without positives. */
    static double averagePrecision(double[] score, boolean[] positive) {
        double ap = 0, lastRecall = 0;
        for (var p : curve(score, positive)) {
            if (Double.isNaN(p.recall())) return Double.NaN;
            ap += (p.recall() - lastRecall) * p.precision();
            lastRecall = p.recall();
        }
        return ap;
    }

    /** The highest recall at any threshold whose precision is at least {@code precision}; 0 if none reaches it. */
    static double recallAtPrecision(double[] score, boolean[] positive, double precision) {
        double best = 0;
        for (var p : curve(score, positive)) {
            if (Double.isNaN(p.recall())) return Double.NaN;
            if (p.precision() >= precision) best = Math.max(best, p.recall());
        }
        return best;
    }

    /** The area under the ROC curve (Mann–Whitney, ties counted half); NaN without both classes. */
    static double rocAuc(double[] score, boolean[] positive) {
        int n = score.length;
        Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> score[i]));
        double rankSumPositive = 0;
        long positives = 0;
        for (int k = 0; k < n; ) {
            int j = k;
            while (j + 1 < n && score[order[j + 1]] == score[order[k]]) j++;
            double rank = (k + j) / 2.0 + 1;   // average rank of the tie group
            for (int t = k; t <= j; t++) {
                if (positive[order[t]]) {
                    rankSumPositive += rank;
                    positives++;
                }
            }
            k = j + 1;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) return Double.NaN;
        return (rankSumPositive - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    /**
     * The threshold for an alarm: of the points whose precision reaches {@code target}, the one with the
     * highest recall (the highest threshold among equals, for fewer alarms). When none reaches it, the point
     * of best F1 among those at least twice as precise as alarming at random (the base rate) — without that
     * floor, a poor ranking makes "alarm at nearly every shot" the best F1; when none is, a threshold no
     * score reaches, so the model never alarms rather than alarming at random. Returns null without positives.
     */
    static Point choose(double[] score, boolean[] positive, double target) {
        var curve = curve(score, positive);
        if (curve.length == 0 || Double.isNaN(curve[0].recall())) return null;
        Point best = null;
        for (var p : curve) {
            if (p.precision() >= target && (best == null || p.recall() > best.recall())) best = p;
        }
        if (best != null) return best;
        double baseRate = curve[curve.length - 1].precision();
        double bestF1 = -1;
        for (var p : curve) {
            if (p.precision() < 2 * baseRate) continue;
            double f1 = 2 * p.precision() * p.recall() / (p.precision() + p.recall());
            if (f1 > bestF1) {
                bestF1 = f1;
                best = p;
            }
        }
        return best != null ? best : new Point(Double.POSITIVE_INFINITY, 0, 0, Double.NaN, 0);
    }

    /** Precision and recall when alarming at {@code score ≥ threshold}. */
    static Point at(double[] score, boolean[] positive, double threshold) {
        long alarms = 0, tp = 0, positives = 0;
        for (int i = 0; i < score.length; i++) {
            if (positive[i]) positives++;
            if (score[i] >= threshold) {
                alarms++;
                if (positive[i]) tp++;
            }
        }
        return new Point(threshold, alarms, tp, alarms == 0 ? Double.NaN : (double) tp / alarms,
                positives == 0 ? Double.NaN : (double) tp / positives);
    }
}
