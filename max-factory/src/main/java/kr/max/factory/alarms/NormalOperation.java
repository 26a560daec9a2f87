package kr.max.factory.alarms;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import kr.max.core.AssetPath;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.factory.twin.LineSimulator;
import kr.max.factory.twin.SampleListener;
import kr.max.models.Frame;
import kr.max.models.StandardModels;
import kr.max.models.Training;

/**
 * Trains a model watch's detector on an equipment's normal operation, in memory: the twin runs (in simulated time,
 * as fast as it computes), its stream is cut into the same windows a {@link ModelWatch} scores, and a standard
 * anomaly model ({@code pca-detector} or {@code isolation-forest} from max-models) is fitted on their features.
 * Nothing touches disk. Training through the library's model registry needs the windows as a stream dataset in the
 * library, which is the stream path's job; until then the alarm names the model by type and seed.
 */
public final class NormalOperation {

    /** Fewer windows than this make a detector whose limit is guesswork. */
    public static final int LEAST_WINDOWS = 60;

    private NormalOperation() {
    }

    /**
     * Runs {@code sim} for {@code duration} and returns the feature windows of {@code equipment}: one row per
     * window, the equipment as asset, the window's last time (epoch milliseconds) as time, no labels.
     *
     * @throws MaxException {@code MAX-ALARM-023} when fewer than {@link #LEAST_WINDOWS} windows came
     */
    public static Frame record(LineSimulator sim, AssetPath equipment, FeatureExtractor extractor, Duration duration) {
        var windows = new RowWindows(equipment, extractor);
        var x = new ArrayList<double[]>();
        var times = new ArrayList<Long>();
        SampleListener listener = s -> {
            RowWindows.Window w = windows.onSample(s);
            if (w != null) {
                x.add(extractor.features(w.rows()));
                times.add(w.time().toEpochMilli());
            }
        };
        sim.addListener(listener);
        try {
            sim.advance(duration);
        } finally {
            sim.removeListener(listener);
        }
        if (x.size() < LEAST_WINDOWS) {
            throw new MaxException(AlarmError.TOO_LITTLE_NORMAL_OPERATION, Location.NOWHERE, equipment.toString(),
                    Integer.toString(x.size()), Integer.toString(LEAST_WINDOWS), duration.toString());
        }
        String[] assets = new String[x.size()];
        java.util.Arrays.fill(assets, equipment.toString());
        return new Frame(extractor.names(), x.toArray(double[][]::new), assets,
                times.stream().mapToLong(Long::longValue).toArray(), null);
    }

    /**
     * Fits a standard model on normal windows.
     *
     * @param typeId {@code pca-detector} or {@code isolation-forest} (any unsupervised type of {@link StandardModels})
     * @param params overrides of the type's defaults
     * @param seed   the same windows, parameters and seed give the same model
     */
    public static Training train(Frame normal, String typeId, Map<String, ?> params, long seed) {
        var type = StandardModels.byId(typeId);
        return type.train(normal, type.defaults().with(params, typeId), seed);
    }

    /** How an alarm names a model trained here: {@code pca-detector (normal operation, 240 windows, seed 7)}. */
    public static String reference(Training t, Frame normal, long seed) {
        return t.model().type() + " (normal operation, " + normal.rows() + " windows, seed " + seed + ")";
    }
}
