package kr.max.factory.alarms;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import kr.max.core.AssetPath;
import kr.max.factory.twin.Quality;
import kr.max.factory.twin.Sample;

/**
 * Gathers one equipment's samples into rows (one value per input tag, same time) and rows into non-overlapping
 * windows. A row missing a tag (samples lost) or holding a bad sample discards the window being filled, so every
 * window is consecutive good rows. Training and online scoring share it, so both see the same windows.
 */
final class RowWindows {

    /** A full window and the time of its last row. */
    record Window(Instant time, double[][] rows) {
    }

    private final AssetPath equipment;
    private final List<String> inputs;
    private final double[] row;
    private final boolean[] filled;
    private final double[][] window;
    private Instant rowTime;
    private int filledCount;
    private boolean rowBad;
    private int rows;

    RowWindows(AssetPath equipment, FeatureExtractor extractor) {
        this.equipment = equipment;
        this.inputs = List.copyOf(extractor.inputs());
        this.row = new double[inputs.size()];
        this.filled = new boolean[inputs.size()];
        this.window = new double[extractor.windowRows()][];
    }

    /** Feeds a sample; returns the window it completes (the caller's to keep), otherwise {@code null}. */
    Window onSample(Sample s) {
        if (!s.tag().equipment().equals(equipment)) return null;
        int j = inputs.indexOf(s.tag().tag());
        if (j < 0) return null;
        if (rowTime != null && !rowTime.equals(s.time())) {
            // the previous row never completed: samples were lost, the window would not be consecutive
            resetRow();
            rows = 0;
        }
        if (rowTime == null) rowTime = s.time();
        if (!filled[j]) {
            filled[j] = true;
            filledCount++;
        }
        row[j] = s.value();
        if (s.quality() != Quality.GOOD || !Double.isFinite(s.value())) rowBad = true;
        if (filledCount < row.length) return null;
        Instant time = rowTime;
        if (rowBad) rows = 0;
        else window[rows++] = row.clone();
        resetRow();
        if (rows < window.length) return null;
        rows = 0;
        return new Window(time, window.clone());
    }

    private void resetRow() {
        rowTime = null;
        filledCount = 0;
        rowBad = false;
        Arrays.fill(filled, false);
    }
}
