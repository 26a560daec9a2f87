package kr.max.models.anomaly;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import kr.max.models.Frame;
import kr.max.models.Metrics;
import kr.max.models.Predictions;
import kr.max.models.monitoring.NormalLabels;

/** What the point detectors share: binding a frame, the contamination limit, predictions and metrics. */
final class Detections {

    private Detections() {
    }

    /** The frame's values in the model's feature order; a feature the frame lacks is refused. */
    static double[][] bind(Frame data, List<String> features, String type) {
        return data.projected(features, type).x();
    }

    /**
     * The score exceeded by {@code round(contamination · n)} of the given scores (ties aside), so that share
     * of the training data is flagged; with contamination 0 the largest score, so none is.
     */
    static double contaminationLimit(double[] scores, double contamination) {
        double[] sorted = scores.clone();
        Arrays.sort(sorted);
        int flagged = (int) Math.round(contamination * sorted.length);
        return sorted[Math.max(0, sorted.length - 1 - flagged)];
    }

    /** Per sample: asset and time where the frame has them, the extra columns, then score and alarm. */
    static Predictions predictions(Frame data, List<String> extraNames, double[][] extras, double[] scores, double limit) {
        var columns = new ArrayList<String>();
        if (data.hasAssets()) columns.add("asset");
        if (data.hasTimes()) columns.add("time");
        columns.addAll(extraNames);
        columns.add("score");
        columns.add("alarm");
        var rows = new ArrayList<Object[]>(scores.length);
        for (int i = 0; i < scores.length; i++) {
            var row = new Object[columns.size()];
            int c = 0;
            if (data.hasAssets()) row[c++] = data.assets()[i];
            if (data.hasTimes()) row[c++] = data.times()[i];
            for (int k = 0; k < extraNames.size(); k++) row[c++] = extras[i][k];
            row[c++] = scores[i];
            row[c] = scores[i] > limit;
            rows.add(row);
        }
        return new Predictions(columns, rows);
    }

    /**
     * The share flagged and, when the data has labels, how well the scores separate faults (positives) from
     * normal samples: ROC AUC, and precision, recall and F1 of the alarms. Unlabelled samples count in the
     * share only.
     */
    static Metrics metrics(String on, Frame data, double[] scores, double limit, NormalLabels normal) {
        long flagged = 0;
        for (double s : scores) if (s > limit) flagged++;
        var m = Metrics.on(on).put("flagged_share", scores.length == 0 ? Double.NaN : (double) flagged / scores.length)
                .put("samples", scores.length);
        if (!data.hasLabels()) return m.build();
        var positives = new ArrayList<Double>();
        var negatives = new ArrayList<Double>();
        long truePositives = 0;
        long falsePositives = 0;
        for (int i = 0; i < scores.length; i++) {
            var kind = normal.kind(data.labels()[i]);
            if (kind == NormalLabels.Kind.UNKNOWN) continue;
            boolean alarm = scores[i] > limit;
            if (kind == NormalLabels.Kind.FAULT) {
                positives.add(scores[i]);
                if (alarm) truePositives++;
            } else {
                negatives.add(scores[i]);
                if (alarm) falsePositives++;
            }
        }
        double precision = truePositives + falsePositives == 0 ? Double.NaN : (double) truePositives / (truePositives + falsePositives);
        double recall = positives.isEmpty() ? Double.NaN : (double) truePositives / positives.size();
        double f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : Double.NaN;
        return m.put("labelled_anomalies", positives.size())
                .put("auc", auc(positives, negatives))
                .put("precision", precision)
                .put("recall", recall)
                .put("f1", f1)
                .put("false_alarm_rate", negatives.isEmpty() ? Double.NaN : (double) falsePositives / negatives.size())
                .build();
    }

    /** The probability that a random positive outscores a random negative (ties count half): Mann–Whitney. */
    static double auc(List<Double> positives, List<Double> negatives) {
        int p = positives.size();
        int n = negatives.size();
        if (p == 0 || n == 0) return Double.NaN;
        double[] all = new double[p + n];
        boolean[] positive = new boolean[p + n];
        for (int i = 0; i < p; i++) {
            all[i] = positives.get(i);
            positive[i] = true;
        }
        for (int i = 0; i < n; i++) all[p + i] = negatives.get(i);
        Integer[] order = new Integer[p + n];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(all[a], all[b]));
        double rankSum = 0;
        for (int i = 0; i < order.length; ) {
            int j = i;
            while (j + 1 < order.length && all[order[j + 1]] == all[order[i]]) j++;
            double rank = (i + j) / 2.0 + 1;   // mean rank of a run of ties
            for (int k = i; k <= j; k++) if (positive[order[k]]) rankSum += rank;
            i = j + 1;
        }
        return (rankSum - p * (p + 1) / 2.0) / ((double) p * n);
    }
}
