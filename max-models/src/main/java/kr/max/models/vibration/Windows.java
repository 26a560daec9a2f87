package kr.max.models.vibration;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import kr.max.models.Frame;

/**
 * Windows of consecutive samples per record (asset), in time order. A record's windows start at sample 0
 * and every {@code step} samples after; the scorer fills the same windows from a stream, which is why batch
 * and online results agree.
 */
final class Windows {

    /** Which part of each record: all of it, the part before the time cut, or the part from it on. */
    enum Part { ALL, TRAIN, TEST }

    /**
     * One window.
     *
     * @param asset the record it belongs to
     * @param rows  that record's frame rows in time order
     * @param start the window's first position in {@code rows}
     */
    record Window(String asset, int[] rows, int start) {
    }

    private Windows() {
    }

    /**
     * Windows of every record. For {@link Part#TRAIN} a window must end before the cut at
     * {@code floor(trainFraction × samples)}; {@link Part#TEST} windows start at the cut. No window straddles
     * it, so no sample is seen by both sides.
     */
    static List<Window> of(Map<String, int[]> records, int window, int step, Part part, double trainFraction) {
        var out = new ArrayList<Window>();
        for (var e : records.entrySet()) {
            int[] rows = e.getValue();
            int cut = (int) Math.floor(rows.length * trainFraction);
            int from = part == Part.TEST ? cut : 0;
            int to = part == Part.TRAIN ? cut : rows.length;
            for (int s = from; s + window <= to; s += step) out.add(new Window(e.getKey(), rows, s));
        }
        return out;
    }

    /** Samples in the training part of the longest record, for the message when no window fits. */
    static int longestTrainingPart(Map<String, int[]> records, double trainFraction) {
        int most = 0;
        for (int[] rows : records.values()) most = Math.max(most, (int) Math.floor(rows.length * trainFraction));
        return most;
    }

    /** The class of a window when all its samples carry the same non-empty label, otherwise null. */
    static String label(Frame f, Window w, int window) {
        String first = f.labels()[w.rows()[w.start()]];
        if (first == null || first.isBlank()) return null;
        for (int i = 1; i < window; i++) {
            if (!Objects.equals(first, f.labels()[w.rows()[w.start() + i]])) return null;
        }
        return first.trim();
    }

    /** Row-major features of the windows (each channel's features in turn), for XGBoost. */
    static float[] features(Frame f, List<Window> windows, VibrationConfig c) {
        int channels = f.features().size();
        int per = WindowFeatures.perChannel(c);
        var extractor = new WindowFeatures(c);
        var out = new float[windows.size() * channels * per];
        var signal = new double[c.window()];
        var row = new double[channels * per];
        for (int w = 0; w < windows.size(); w++) {
            var win = windows.get(w);
            int at = 0;
            for (int ch = 0; ch < channels; ch++) {
                for (int i = 0; i < c.window(); i++) signal[i] = f.x()[win.rows()[win.start() + i]][ch];
                at = extractor.compute(signal, row, at);
            }
            for (int j = 0; j < row.length; j++) out[w * row.length + j] = (float) row[j];
        }
        return out;
    }
}
