package kr.max.models.vibration;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Turns one window of one vibration channel into features: statistics of the time signal, band energies of
 * its spectrum, and the envelope spectrum (the demodulated high-frequency content, where a bearing defect
 * shows as a line at its characteristic frequency) at the shaft, cage, ball, outer- and inner-race
 * frequencies and their harmonics, plus generic envelope bands.
 *
 * <p>Holds scratch arrays and FFT plans, so one instance serves one thread; the result depends only on the
 * window and the configuration, which is what makes a scorer's window equal to a batch window.
 */
final class WindowFeatures {

    private static final double TINY = 1e-30;
    private static final String[] TIME = {"log_rms", "log_peak", "log_peak_to_peak", "crest", "kurtosis", "skewness",
            "shape", "impulse"};
    private static final String[] CHARACTERISTIC = {"shaft", "ftf", "bsf", "bpfo", "bpfi"};

    private final VibrationConfig c;
    private final int n;
    private final DoubleFFT_1D fft;
    private final double[] hann;
    private final double hannSum;
    private final int[] bandEdges;
    private final int[] envelopeEdges;
    private final int envelopeMaxBin;
    private final double[] characteristicHz;
    private final double binHz;
    private final double[] centred;
    private final double[] real;
    private final double[] complex;
    private final double[] amplitude;

    WindowFeatures(VibrationConfig c) {
        this.c = c;
        this.n = c.window();
        this.fft = new DoubleFFT_1D(n);
        this.hann = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            hann[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / n);
            sum += hann[i];
        }
        this.hannSum = sum;
        this.binHz = c.sampleRateHz() / n;
        this.bandEdges = c.logBands() ? logEdges(n / 2, c.bands()) : linearEdges(n / 2, c.bands());
        this.envelopeMaxBin = Math.max(c.envelopeBands(), Math.min(n / 2, (int) Math.floor(c.envelopeMaxHz() / binHz)));
        this.envelopeEdges = linearEdges(envelopeMaxBin, c.envelopeBands());
        var b = c.bearing();
        this.characteristicHz = new double[] {b.shaftHz(), b.ftf(), b.bsf(), b.bpfo(), b.bpfi()};
        this.centred = new double[n];
        this.real = new double[n];
        this.complex = new double[2 * n];
        this.amplitude = new double[n / 2 + 1];
    }

    /** Feature names for the given channels, in the order {@link #compute} writes them. */
    static List<String> names(VibrationConfig c, List<String> channels) {
        var out = new ArrayList<String>();
        for (var ch : channels) {
            for (var t : TIME) out.add(ch + "." + t);
            for (int b = 0; b < c.bands(); b++) out.add(ch + ".band_" + b);
            out.add(ch + ".spectral_centroid");
            out.add(ch + ".spectral_spread");
            out.add(ch + ".spectral_entropy");
            out.add(ch + ".log_envelope_level");
            for (var f : CHARACTERISTIC) {
                for (int h = 1; h <= c.harmonics(); h++) out.add(ch + ".envelope_" + f + "_" + h);
            }
            for (int b = 0; b < c.envelopeBands(); b++) out.add(ch + ".envelope_band_" + b);
        }
        return out;
    }

    /** Features of one channel. */
    static int perChannel(VibrationConfig c) {
        return TIME.length + c.bands() + 3 + 1 + CHARACTERISTIC.length * c.harmonics() + c.envelopeBands();
    }

    /** Bins 1..top (DC left out) in {@code bands} contiguous groups of nearly equal width. */
    private static int[] linearEdges(int top, int bands) {
        var e = new int[bands + 1];
        for (int b = 0; b <= bands; b++) e[b] = 1 + (int) ((long) b * top / bands);
        return e;
    }

    /** Bins 1..top in groups whose edges grow geometrically, each at least one bin wide. */
    private static int[] logEdges(int top, int bands) {
        var e = new int[bands + 1];
        e[0] = 1;
        for (int b = 1; b <= bands; b++) {
            int want = (int) Math.round(Math.pow(top + 1, (double) b / bands));
            e[b] = Math.min(Math.max(e[b - 1] + 1, want), top + 1 - (bands - b));
        }
        e[bands] = top + 1;
        return e;
    }

    /** Writes the features of {@code x} (one window, {@code n} samples) into {@code out} from {@code at}. */
    int compute(double[] x, double[] out, int at) {
        double mean = 0;
        for (double v : x) mean += v;
        mean /= n;
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY, peak = 0, absSum = 0, m2 = 0, m3 = 0, m4 = 0;
        for (int i = 0; i < n; i++) {
            double v = x[i] - mean;
            centred[i] = v;
            min = Math.min(min, v);
            max = Math.max(max, v);
            double a = Math.abs(v);
            peak = Math.max(peak, a);
            absSum += a;
            double v2 = v * v;
            m2 += v2;
            m3 += v2 * v;
            m4 += v2 * v2;
        }
        m2 /= n;
        m3 /= n;
        m4 /= n;
        double rms = Math.sqrt(m2);
        double meanAbs = absSum / n;
        out[at++] = Math.log10(rms + TINY);
        out[at++] = Math.log10(peak + TINY);
        out[at++] = Math.log10(max - min + TINY);
        out[at++] = ratio(peak, rms);
        out[at++] = ratio(m4, m2 * m2);
        out[at++] = ratio(m3, m2 * rms);
        out[at++] = ratio(rms, meanAbs);
        out[at++] = ratio(peak, meanAbs);
        at = spectrum(out, at);
        return envelope(out, at);
    }

    private static double ratio(double a, double b) {
        return b > 0 ? a / b : 0;
    }

    /** Hann-windowed power spectrum: log band energies, centroid, spread and normalized entropy. */
    private int spectrum(double[] out, int at) {
        for (int i = 0; i < n; i++) real[i] = centred[i] * hann[i];
        fft.realForward(real);
        // JTransforms packs the real transform: [Re0, Re(n/2), Re1, Im1, Re2, Im2, …] for even n.
        int half = n / 2;
        double scale = 1.0 / (hannSum * hannSum);
        amplitude[0] = real[0] * real[0] * scale;
        amplitude[half] = (n % 2 == 0 ? real[1] * real[1] : 0) * scale;
        for (int k = 1; k < half; k++) amplitude[k] = (real[2 * k] * real[2 * k] + real[2 * k + 1] * real[2 * k + 1]) * scale;
        for (int b = 0; b < c.bands(); b++) {
            double e = 0;
            for (int k = bandEdges[b]; k < bandEdges[b + 1]; k++) e += amplitude[k];
            out[at++] = Math.log10(e + TINY);
        }
        double total = 0, first = 0;
        for (int k = 1; k <= half; k++) {
            total += amplitude[k];
            first += amplitude[k] * k * binHz;
        }
        double centroid = ratio(first, total);
        double second = 0, entropy = 0;
        for (int k = 1; k <= half; k++) {
            double f = k * binHz - centroid;
            second += amplitude[k] * f * f;
            if (total > 0 && amplitude[k] > 0) {
                double p = amplitude[k] / total;
                entropy -= p * Math.log(p);
            }
        }
        out[at++] = centroid;
        out[at++] = Math.sqrt(ratio(second, total));
        out[at++] = entropy / Math.log(half);
        return at;
    }

    /**
     * The envelope: the magnitude of the analytic signal of the band between envelope_low_hz and
     * envelope_high_hz (Hilbert transform by FFT), then the amplitude spectrum of that envelope. A line at a
     * characteristic frequency is measured against the median level of the envelope spectrum, so the
     * feature says "how much the defect frequency stands out", independent of overall loudness.
     */
    private int envelope(double[] out, int at) {
        for (int i = 0; i < n; i++) {
            complex[2 * i] = centred[i];
            complex[2 * i + 1] = 0;
        }
        fft.complexForward(complex);
        for (int k = 0; k < n; k++) {
            double f = k * binHz;
            boolean keep = k > 0 && 2 * k < n && f >= c.envelopeLowHz() && f <= c.envelopeHighHz();
            double gain = keep ? 2 : 0;
            complex[2 * k] *= gain;
            complex[2 * k + 1] *= gain;
        }
        fft.complexInverse(complex, true);
        double level = 0;
        for (int i = 0; i < n; i++) {
            real[i] = Math.hypot(complex[2 * i], complex[2 * i + 1]);
            level += real[i];
        }
        level /= n;
        for (int i = 0; i < n; i++) real[i] = (real[i] - level) * hann[i];
        fft.realForward(real);
        int half = n / 2;
        double scale = 2.0 / hannSum;
        amplitude[0] = 0;
        amplitude[half] = n % 2 == 0 ? Math.abs(real[1]) * scale : 0;
        for (int k = 1; k < half; k++) amplitude[k] = Math.hypot(real[2 * k], real[2 * k + 1]) * scale;
        out[at++] = Math.log10(level + TINY);
        double reference = median(amplitude, 1, envelopeMaxBin + 1);
        for (double base : characteristicHz) {
            for (int h = 1; h <= c.harmonics(); h++) {
                double target = base * h;
                // a tolerance of 2 % or a bin and a half covers speed variation and leakage between bins
                double tolerance = Math.max(1.5 * binHz, 0.02 * target);
                int lo = Math.max(1, (int) Math.ceil((target - tolerance) / binHz));
                int hi = Math.min(half, (int) Math.floor((target + tolerance) / binHz));
                double peak = 0;
                for (int k = lo; k <= hi; k++) peak = Math.max(peak, amplitude[k]);
                out[at++] = lo <= hi ? Math.log10((peak + TINY) / (reference + TINY)) : 0;
            }
        }
        for (int b = 0; b < c.envelopeBands(); b++) {
            double e = 0;
            for (int k = envelopeEdges[b]; k < envelopeEdges[b + 1]; k++) e += amplitude[k] * amplitude[k];
            out[at++] = Math.log10(e + TINY);
        }
        return at;
    }

    private static double median(double[] a, int from, int to) {
        var copy = Arrays.copyOfRange(a, from, Math.max(from + 1, to));
        Arrays.sort(copy);
        int m = copy.length / 2;
        return copy.length % 2 == 1 ? copy[m] : (copy[m - 1] + copy[m]) / 2;
    }
}
