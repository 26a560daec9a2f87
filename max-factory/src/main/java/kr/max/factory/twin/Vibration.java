package kr.max.factory.twin;

import java.util.SplittableRandom;

/**
 * Synthesizes a spindle's acceleration (m/s²) value by value and reduces each second of it to the features a
 * condition monitoring system reports.
 *
 * <p><b>Signal.</b> A sum of sinusoids at the shaft frequency (1×, unbalance) and twice it (2×, misalignment), the
 * tooth-pass frequency while cutting, Gaussian noise, and under a bearing defect a train of impulses at BPFO or BPFI
 * (timing jittered by 1 %, as balls slip), each ringing the housing's resonance: a two-pole resonator
 * {@code y[k] = 2r·cos(ω₀)·y[k−1] − r²·y[k−2] + x[k]} with decay time 0.35 ms. Inner-race impulses are amplitude
 * modulated once per revolution, {@code (1 + cos θ)/2}, as the spall passes through the load zone. The resonance is
 * kept below 0.35 of the sample rate, so low rates stay free of aliasing.
 *
 * <p><b>Features per second.</b> RMS acceleration; RMS velocity (leaky integration with a 10 Hz corner, as
 * ISO 10816 measures from 10 Hz), in mm/s; kurtosis (4th central moment over the squared variance: 3 for Gaussian
 * noise, higher for impulses); crest factor (peak over RMS); and the envelope at BPFO and BPFI: the signal band-passed
 * around the resonance (biquad, Q = 1.5), rectified, and its amplitude at the defect frequency by the Goertzel
 * algorithm over the second.
 */
final class Vibration {

    private static final double RING_DECAY_SECONDS = 0.35e-3;
    /**
     * Broadband noise is drawn from a fixed table of standard normal values, four 16-bit indices per random long:
     * a Gaussian per vibration sample (25,600 a simulated second) was a third of a whole benchmark's CPU at 600×
     * (docs/benchmarks.md), the table costs a tenth of it. The table is itself a seeded normal sample, centred and
     * scaled to unit variance; its largest value (about 4.4 σ) bounds the noise, which a kurtosis near 3 ignores.
     */
    private static final double[] NOISE = noiseTable(1 << 16);
    private static final double JITTER = 0.01;

    private final double rate;
    private final SplittableRandom noiseRandom;
    private final SplittableRandom jitterRandom;
    private final double resonatorA1;
    private final double resonatorA2;
    private final double resonatorGain;
    private final double velocityLeak;
    // band-pass biquad (RBJ cookbook, constant 0 dB peak gain)
    private final double bandB0;
    private final double bandB2;
    private final double bandA1;
    private final double bandA2;

    private long noiseBits;
    private int noiseLeft;
    private double shaftPhase;
    private double defectPhase;
    private double defectRateFactor = 1;
    private double y1;
    private double y2;
    private double velocity;
    private double bx1;
    private double bx2;
    private double by1;
    private double by2;

    // the second being accumulated
    private int count;
    private double sum;
    private double sum2;
    private double sum3;
    private double sum4;
    private double peak;
    private double velocitySum2;
    private double bpfoHz;
    private double bpfiHz;
    private double gBpfoCoeff;
    private double gBpfiCoeff;
    private double gBpfo1;
    private double gBpfo2;
    private double gBpfi1;
    private double gBpfi2;

    // the features of the last complete second
    double accelerationRms;
    double velocityRms;
    double kurtosis = 3;
    double crestFactor = Math.sqrt(2);
    double envelopeBpfo;
    double envelopeBpfi;

    Vibration(int sampleRate, double resonanceHz, SplittableRandom noiseRandom, SplittableRandom jitterRandom) {
        this.rate = sampleRate;
        this.noiseRandom = noiseRandom;
        this.jitterRandom = jitterRandom;
        double f0 = Math.min(resonanceHz, 0.35 * sampleRate);
        double w0 = 2 * Math.PI * f0 / sampleRate;
        double r = Math.exp(-1 / (RING_DECAY_SECONDS * sampleRate));
        resonatorA1 = 2 * r * Math.cos(w0);
        resonatorA2 = r * r;
        // an impulse of height A rings with a first peak of about A
        resonatorGain = Math.sin(w0);
        velocityLeak = Math.exp(-2 * Math.PI * 10 / sampleRate);
        double q = 1.5;
        double alpha = Math.sin(w0) / (2 * q);
        double a0 = 1 + alpha;
        bandB0 = alpha / a0;
        bandB2 = -alpha / a0;
        bandA1 = -2 * Math.cos(w0) / a0;
        bandA2 = (1 - alpha) / a0;
    }

    /**
     * Writes {@code n} values.
     *
     * @param shaftHz     shaft speed
     * @param unbalance   1× amplitude
     * @param misalignment 2× amplitude
     * @param toothPass   amplitude at teeth × shaft (0 when not cutting)
     * @param teeth       cutter teeth
     * @param noise       standard deviation of the broadband noise
     * @param defectHz    impact frequency of a bearing defect (BPFO or BPFI), 0 for none
     * @param impact      impulse height of the defect
     * @param inner       whether the defect is on the inner race (modulated by rotation)
     */
    void synthesize(double[] out, int n, double shaftHz, double unbalance, double misalignment, double toothPass,
            int teeth, double noise, double defectHz, double impact, boolean inner) {
        double dPhase = 2 * Math.PI * shaftHz / rate;
        for (int k = 0; k < n; k++) {
            shaftPhase += dPhase;
            if (shaftPhase > 2 * Math.PI) shaftPhase -= 2 * Math.PI;
            double a = unbalance * Math.sin(shaftPhase) + misalignment * Math.sin(2 * shaftPhase + 0.7);
            if (toothPass != 0) a += toothPass * Math.sin(teeth * shaftPhase + 1.3);
            if (noiseLeft == 0) {
                noiseBits = noiseRandom.nextLong();
                noiseLeft = 4;
            }
            a += noise * NOISE[(int) (noiseBits & 0xFFFF)];
            noiseBits >>>= 16;
            noiseLeft--;
            double x = 0;
            if (defectHz > 0) {
                defectPhase += defectHz * defectRateFactor / rate;
                if (defectPhase >= 1) {
                    defectPhase -= 1;
                    defectRateFactor = 1 + JITTER * jitterRandom.nextGaussian();
                    double load = inner ? (1 + Math.cos(shaftPhase)) / 2 : 1;
                    x = impact * load * resonatorGain;
                }
            }
            double y = resonatorA1 * y1 - resonatorA2 * y2 + x;
            y2 = y1;
            y1 = y;
            out[k] = a + y;
        }
    }

    /** Adds values to the current second; at each full second the features are computed. */
    void accumulate(double[] values, int n, double bpfo, double bpfi) {
        for (int k = 0; k < n; k++) {
            if (count == 0) startSecond(bpfo, bpfi);
            double a = values[k];
            sum += a;
            double sq = a * a;
            sum2 += sq;
            sum3 += sq * a;
            sum4 += sq * sq;
            peak = Math.max(peak, Math.abs(a));
            velocity = velocityLeak * velocity + a / rate;
            velocitySum2 += velocity * velocity;
            double band = bandB0 * a + bandB2 * bx2 - bandA1 * by1 - bandA2 * by2;
            bx2 = bx1;
            bx1 = a;
            by2 = by1;
            by1 = band;
            double envelope = Math.abs(band);
            double s = envelope + gBpfoCoeff * gBpfo1 - gBpfo2;
            gBpfo2 = gBpfo1;
            gBpfo1 = s;
            s = envelope + gBpfiCoeff * gBpfi1 - gBpfi2;
            gBpfi2 = gBpfi1;
            gBpfi1 = s;
            if (++count == (int) rate) finishSecond();
        }
    }

    private void startSecond(double bpfo, double bpfi) {
        sum = sum2 = sum3 = sum4 = peak = velocitySum2 = 0;
        gBpfo1 = gBpfo2 = gBpfi1 = gBpfi2 = 0;
        bpfoHz = bpfo;
        bpfiHz = bpfi;
        gBpfoCoeff = 2 * Math.cos(2 * Math.PI * bpfoHz / rate);
        gBpfiCoeff = 2 * Math.cos(2 * Math.PI * bpfiHz / rate);
    }

    private void finishSecond() {
        double n = count;
        double mean = sum / n;
        double m2 = sum2 / n - mean * mean;
        double m4 = sum4 / n - 4 * mean * sum3 / n + 6 * mean * mean * sum2 / n - 3 * Math.pow(mean, 4);
        accelerationRms = Math.sqrt(sum2 / n);
        velocityRms = 1000 * Math.sqrt(velocitySum2 / n);
        kurtosis = m2 > 0 ? m4 / (m2 * m2) : 3;
        crestFactor = accelerationRms > 0 ? peak / accelerationRms : 0;
        envelopeBpfo = goertzelAmplitude(gBpfo1, gBpfo2, gBpfoCoeff, n);
        envelopeBpfi = goertzelAmplitude(gBpfi1, gBpfi2, gBpfiCoeff, n);
        count = 0;
    }

    static double[] noiseTable(int size) {
        var random = new SplittableRandom(0x5EED_7AB1EL);
        double[] t = new double[size];
        double sum = 0;
        for (int i = 0; i < size; i++) sum += t[i] = random.nextGaussian();
        double mean = sum / size;
        double sum2 = 0;
        for (int i = 0; i < size; i++) {
            t[i] -= mean;
            sum2 += t[i] * t[i];
        }
        double scale = 1 / Math.sqrt(sum2 / size);
        for (int i = 0; i < size; i++) t[i] *= scale;
        return t;
    }

    private static double goertzelAmplitude(double s1, double s2, double coeff, double n) {
        double power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
        return 2 * Math.sqrt(Math.max(0, power)) / n;
    }
}
