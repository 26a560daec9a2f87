package kr.max.factory.alarms;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import kr.max.core.AssetPath;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.factory.twin.Sample;
import kr.max.models.Scorer;
import kr.max.models.TrainedModel;

/**
 * A model watching one equipment's stream: it gathers the equipment's samples into rows and windows, computes the
 * window's features with a {@link FeatureExtractor}, scores them with a standard model's {@link Scorer} (a PCA
 * detector's T²/Q or an isolation forest, trained on normal operation) and raises a {@link AlarmKind#MODEL model
 * alarm} when the score is beyond the model's own limit for {@code consecutive} windows in a row; it clears after as
 * many windows back within it. Requiring a run of windows is the model alarm's on-delay and deadband in one: a
 * single unusual window — one per hundred, by the limit's design — never sounds.
 *
 * <p>A row missing a tag (samples lost) or holding a sample of bad quality discards the window being filled, so a
 * window always covers consecutive good rows.
 *
 * <p>Add it to an {@link AlarmService} with {@link AlarmService#watch(ModelWatch)}; the service drives it under its
 * lock. One watch serves one stream (a scorer may keep state).
 */
public final class ModelWatch {

    /**
     * One scored window.
     *
     * @param time        the time of the window's last row
     * @param features    the window's features, in {@link FeatureExtractor#names()} order
     * @param score       the model's score
     * @param limit       the model's limit
     * @param abnormal    whether the score is beyond the limit
     * @param abnormalRun abnormal windows in a row up to this one (0 if this one is normal)
     * @param normalRun   normal windows in a row up to this one (0 if this one is abnormal)
     */
    public record WindowScore(Instant time, double[] features, double score, double limit, boolean abnormal,
            int abnormalRun, int normalRun) {
    }

    private final String name;
    private final AssetPath equipment;
    private final FeatureExtractor extractor;
    private final Scorer scorer;
    private final String modelRef;
    private final int consecutive;
    private final RowWindows windows;
    private int abnormalRun;
    private int normalRun;
    private volatile WindowScore last;

    private ModelWatch(String name, AssetPath equipment, FeatureExtractor extractor, Scorer scorer, String modelRef,
            int consecutive) {
        if (name == null || !name.matches("[a-z0-9][a-z0-9-]*")) {
            throw new MaxException(AlarmError.BAD_SETTING, Location.NOWHERE, "name", String.valueOf(name),
                    "lower-case letters, digits and hyphens, such as spindle-vibration");
        }
        if (consecutive < 1 || consecutive > 1000) {
            throw new MaxException(AlarmError.BAD_SETTING, Location.NOWHERE, "consecutive", Integer.toString(consecutive), "1 … 1000");
        }
        this.name = name;
        this.equipment = equipment;
        this.extractor = extractor;
        this.scorer = scorer;
        this.modelRef = modelRef;
        this.consecutive = consecutive;
        this.windows = new RowWindows(equipment, extractor);
    }

    /**
     * A watch scoring with a model trained in memory (see {@link NormalOperation}).
     *
     * @param name        the watch's name, part of the alarm's id ({@code spindle-vibration})
     * @param modelRef    how the alarm names the model: {@code name@version} from the registry, or the type and how
     *                    it was trained
     * @param consecutive abnormal windows in a row that raise the alarm (and normal ones that clear it)
     * @throws MaxException {@code MAX-ALARM-022} when the model was trained on other features than the extractor's
     */
    public static ModelWatch of(String name, AssetPath equipment, FeatureExtractor extractor, TrainedModel model,
            String modelRef, int consecutive) {
        if (!model.features().equals(extractor.names())) {
            throw new MaxException(AlarmError.MODEL_FEATURES_DIFFER, Location.NOWHERE, modelRef,
                    String.join(", ", model.features()), String.join(", ", extractor.names()));
        }
        return new ModelWatch(name, equipment, extractor, model.scorer(), modelRef, consecutive);
    }

    /** A watch scoring with a scorer given as is, such as the registry's ({@code ModelRegistry.scorer}). */
    public static ModelWatch of(String name, AssetPath equipment, FeatureExtractor extractor, Scorer scorer,
            String modelRef, int consecutive) {
        return new ModelWatch(name, equipment, extractor, scorer, modelRef, consecutive);
    }

    public String name() {
        return name;
    }

    public AssetPath equipment() {
        return equipment;
    }

    public FeatureExtractor extractor() {
        return extractor;
    }

    public String modelRef() {
        return modelRef;
    }

    public int consecutive() {
        return consecutive;
    }

    /** The latest scored window, for a live view; empty before the first. */
    public Optional<WindowScore> lastScore() {
        return Optional.ofNullable(last);
    }

    /** Feeds one sample; returns the window's score when the sample completes a window, otherwise {@code null}. */
    WindowScore onSample(Sample s) {
        RowWindows.Window w = windows.onSample(s);
        return w == null ? null : score(w);
    }

    private WindowScore score(RowWindows.Window w) {
        double[] features = extractor.features(w.rows());
        Scorer.Score s = scorer.score(features);
        if (!s.ready()) return null;
        boolean abnormal = s.alarm();
        abnormalRun = abnormal ? abnormalRun + 1 : 0;
        normalRun = abnormal ? 0 : normalRun + 1;
        var ws = new WindowScore(w.time(), features, s.value(), s.limit(), abnormal, abnormalRun, normalRun);
        last = ws;
        return ws;
    }
}
