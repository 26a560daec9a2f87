package kr.max.factory.alarms;

import java.util.List;

/**
 * Features of a machining spindle's vibration for a bearing and vibration model, from the tags a condition
 * monitoring box reports once a second (the twin's {@code Vibration} computes them from the 12.8 kHz waveform):
 * RMS acceleration and velocity, kurtosis, crest factor, the envelope at the outer- and inner-race defect
 * frequencies (BPFO, BPFI), and whether the spindle is cutting.
 *
 * <p>Per window of {@link #windowRows()} seconds: the mean of each, levels taken as logarithms (vibration levels
 * spread over decades, and a model that is linear in the features should see ratios, not differences) with one
 * register step (0.001 m/s²) added to the envelope so a quiet zero stays finite; cutting as the window's share of
 * seconds in cut, which lets the model tell the quieter idle part of the part program from a change in the machine.
 */
public final class SpindleVibrationFeatures implements FeatureExtractor {

    private static final List<String> INPUTS = List.of("vibration-acceleration-rms", "vibration-velocity-rms",
            "vibration-kurtosis", "vibration-crest-factor", "envelope-bpfo", "envelope-bpfi", "cutting");
    private static final List<String> NAMES = List.of("log_acceleration_rms", "log_velocity_rms", "kurtosis",
            "crest_factor", "log_envelope_bpfo", "log_envelope_bpfi", "cutting_share");
    private static final double ENVELOPE_STEP = 0.001;
    private static final double TINY = 1e-6;

    private final int windowRows;

    /** Windows of {@code windowSeconds} one-second rows. */
    public SpindleVibrationFeatures(int windowSeconds) {
        if (windowSeconds < 1 || windowSeconds > 3600) {
            throw new kr.max.core.MaxException(AlarmError.BAD_SETTING, kr.max.core.Location.NOWHERE, "windowSeconds",
                    Integer.toString(windowSeconds), "1 … 3600");
        }
        this.windowRows = windowSeconds;
    }

    /** Windows of 5 s: short enough to alarm within half a minute, long enough to average the envelope's noise. */
    public static SpindleVibrationFeatures standard() {
        return new SpindleVibrationFeatures(5);
    }

    @Override
    public List<String> inputs() {
        return INPUTS;
    }

    @Override
    public List<String> names() {
        return NAMES;
    }

    @Override
    public int windowRows() {
        return windowRows;
    }

    @Override
    public double[] features(double[][] rows) {
        double[] mean = new double[INPUTS.size()];
        for (double[] r : rows) for (int j = 0; j < mean.length; j++) mean[j] += r[j];
        for (int j = 0; j < mean.length; j++) mean[j] /= rows.length;
        return new double[] {
            Math.log10(mean[0] + TINY),
            Math.log10(mean[1] + TINY),
            mean[2],
            mean[3],
            Math.log10(mean[4] + ENVELOPE_STEP),
            Math.log10(mean[5] + ENVELOPE_STEP),
            mean[6]};
    }
}
