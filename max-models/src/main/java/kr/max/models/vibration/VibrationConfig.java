package kr.max.models.vibration;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Locale;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.models.ModelError;
import kr.max.models.Params;

/** The parameters of a vibration model, read once and checked, so the model and its scorer agree. */
record VibrationConfig(int window, int step, double sampleRateHz, double trainFraction, int bands, boolean logBands,
        double envelopeLowHz, double envelopeHighHz, double envelopeMaxHz, int envelopeBands, int harmonics,
        BearingGeometry bearing, String normalLabel, int rounds, int maxDepth, double learningRate, int threads) {

    static VibrationConfig of(Params p) {
        int window = p.integer("window");
        int step = p.integer("step");
        double rate = p.number("sample_rate_hz");
        double fraction = p.number("train_fraction");
        int bands = p.integer("bands");
        String spacing = p.text("band_spacing").trim().toLowerCase(Locale.ROOT);
        require(window >= 64, "window", window, "at least 64 samples");
        require(step >= 1, "step", step, "at least 1 sample");
        require(rate > 0, "sample_rate_hz", rate, "a positive frequency");
        require(fraction > 0 && fraction < 1, "train_fraction", fraction, "a fraction between 0 and 1");
        require(bands >= 1 && bands <= window / 4, "bands", bands, "between 1 and window / 4");
        require(spacing.equals("linear") || spacing.equals("log"), "band_spacing", spacing, "linear or log");
        double low = p.number("envelope_low_hz");
        double high = Math.min(p.number("envelope_high_hz"), rate / 2);
        require(low >= 0 && low < high, "envelope_low_hz", low, "below envelope_high_hz and the Nyquist frequency");
        double envMax = p.number("envelope_max_hz");
        require(envMax > 0 && envMax <= rate / 2, "envelope_max_hz", envMax, "a frequency up to the Nyquist frequency");
        int envBands = p.integer("envelope_bands");
        require(envBands >= 1 && envBands <= window / 4, "envelope_bands", envBands, "between 1 and window / 4");
        int harmonics = p.integer("harmonics");
        require(harmonics >= 1 && harmonics <= 10, "harmonics", harmonics, "between 1 and 10");
        var bearing = new BearingGeometry(p.number("shaft_rpm"), p.integer("balls"), p.number("ball_diameter"),
                p.number("pitch_diameter"), p.number("contact_angle_deg"));
        require(bearing.shaftRpm() > 0, "shaft_rpm", bearing.shaftRpm(), "a positive speed");
        require(bearing.balls() >= 3, "balls", bearing.balls(), "at least 3");
        require(bearing.ballDiameter() > 0 && bearing.ballDiameter() < bearing.pitchDiameter(), "ball_diameter",
                bearing.ballDiameter(), "positive and smaller than pitch_diameter");
        int rounds = p.integer("rounds");
        int depth = p.integer("max_depth");
        double eta = p.number("learning_rate");
        int threads = p.integer("threads");
        require(rounds >= 1, "rounds", rounds, "at least 1");
        require(depth >= 1 && depth <= 16, "max_depth", depth, "between 1 and 16");
        require(eta > 0 && eta <= 1, "learning_rate", eta, "between 0 and 1");
        require(threads >= 1, "threads", threads, "at least 1");
        return new VibrationConfig(window, step, rate, fraction, bands, spacing.equals("log"), low, high, envMax, envBands,
                harmonics, bearing, p.text("normal_label"), rounds, depth, eta, threads);
    }

    private static void require(boolean ok, String name, Object value, String expected) {
        if (!ok) throw new MaxException(ModelError.BAD_PARAMETER, Location.NOWHERE, name, value, expected);
    }

    void write(DataOutput out) throws IOException {
        out.writeInt(window);
        out.writeInt(step);
        out.writeDouble(sampleRateHz);
        out.writeDouble(trainFraction);
        out.writeInt(bands);
        out.writeBoolean(logBands);
        out.writeDouble(envelopeLowHz);
        out.writeDouble(envelopeHighHz);
        out.writeDouble(envelopeMaxHz);
        out.writeInt(envelopeBands);
        out.writeInt(harmonics);
        out.writeDouble(bearing.shaftRpm());
        out.writeInt(bearing.balls());
        out.writeDouble(bearing.ballDiameter());
        out.writeDouble(bearing.pitchDiameter());
        out.writeDouble(bearing.contactAngleDeg());
        out.writeUTF(normalLabel);
        out.writeInt(rounds);
        out.writeInt(maxDepth);
        out.writeDouble(learningRate);
        out.writeInt(threads);
    }

    static VibrationConfig read(DataInput in) throws IOException {
        return new VibrationConfig(in.readInt(), in.readInt(), in.readDouble(), in.readDouble(), in.readInt(), in.readBoolean(),
                in.readDouble(), in.readDouble(), in.readDouble(), in.readInt(), in.readInt(),
                new BearingGeometry(in.readDouble(), in.readInt(), in.readDouble(), in.readDouble(), in.readDouble()),
                in.readUTF(), in.readInt(), in.readInt(), in.readDouble(), in.readInt());
    }
}
