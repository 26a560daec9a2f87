package kr.max.factory.twin;

import static kr.max.factory.twin.TestLines.CNC;
import static kr.max.factory.twin.TestLines.cnc;
import static kr.max.factory.twin.TestLines.line;
import static kr.max.factory.twin.TestLines.mean;
import static kr.max.factory.twin.TestLines.tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jtransforms.fft.DoubleFFT_1D;
import org.junit.jupiter.api.Test;

/** The CNC spindle: bearing defects in the vibration, tool wear in the power, heat in the growth. */
class SpindleVibrationTest {

    /** Collects the raw waveform of the spindle. */
    static final class Raw implements WaveformListener {
        final List<double[]> blocks = new ArrayList<>();
        double rate;

        @Override
        public void onWaveform(Waveform w) {
            rate = w.sampleRateHz();
            blocks.add(w.acceleration());
        }

        /** The last {@code n} values. */
        double[] last(int n) {
            double[] out = new double[n];
            int i = n;
            for (int b = blocks.size() - 1; b >= 0 && i > 0; b--) {
                double[] block = blocks.get(b);
                int take = Math.min(i, block.length);
                System.arraycopy(block, block.length - take, out, i - take, take);
                i -= take;
            }
            return out;
        }
    }

    /** Amplitude spectrum of one second (1 Hz bins). */
    static double[] spectrum(double[] x) {
        int n = x.length;
        double[] a = Arrays.copyOf(x, n);
        new DoubleFFT_1D(n).realForward(a);
        double[] mag = new double[n / 2];
        for (int k = 1; k < n / 2; k++) mag[k] = 2 * Math.hypot(a[2 * k], a[2 * k + 1]) / n;
        return mag;
    }

    static double peakAround(double[] mag, double hz) {
        int k = (int) Math.round(hz);
        return Math.max(mag[k - 1], Math.max(mag[k], mag[k + 1]));
    }

    static double median(double[] mag, int from, int to) {
        double[] band = Arrays.copyOfRange(mag, from, to);
        Arrays.sort(band);
        return band[band.length / 2];
    }

    @Test
    void bearingDefectRaisesKurtosisAndTheEnvelopeAtBpfo() {
        var sim = LineSimulator.create(line(cnc("")), 31);
        var rec = new TestLines.Recorder();
        sim.addListener(rec);
        sim.advance(Duration.ofMinutes(2));
        sim.inject(Fault.bearingDefect(CNC, 0.4));
        sim.advance(Duration.ofMinutes(2));

        double[] kurtosis = rec.values(CNC, "vibration-kurtosis");
        double[] bpfo = rec.values(CNC, "envelope-bpfo");
        double[] bpfi = rec.values(CNC, "envelope-bpfi");
        double[] rms = rec.values(CNC, "vibration-acceleration-rms");
        assertThat(mean(kurtosis, 0, 120)).isBetween(2.0, 3.5);                 // sinusoids and Gaussian noise
        assertThat(mean(kurtosis, 121, 240)).isGreaterThan(2 * mean(kurtosis, 0, 120));
        assertThat(mean(bpfo, 121, 240)).isGreaterThan(20 * mean(bpfo, 0, 120));
        assertThat(mean(bpfi, 121, 240)).as("an outer-race defect leaves BPFI alone").isLessThan(3 * mean(bpfi, 0, 120));
        assertThat(mean(rms, 121, 240)).isGreaterThan(mean(rms, 0, 120));
        assertThat(Arrays.stream(kurtosis, 0, 120).max().orElseThrow()).isLessThan(
                Arrays.stream(kurtosis, 121, 240).min().orElseThrow());
    }

    @Test
    void rawWaveformSpectrumShowsTheDefectAtBpfoFromTheBearingGeometry() {
        var healthy = LineSimulator.create(line(cnc("")), 32);
        var damaged = LineSimulator.create(line(cnc("")), 32);
        var healthyRaw = new Raw();
        var damagedRaw = new Raw();
        healthy.addWaveformListener(healthyRaw);
        damaged.addWaveformListener(damagedRaw);
        damaged.inject(Fault.bearingDefect(CNC, 0.4));
        healthy.advance(Duration.ofSeconds(5));
        damaged.advance(Duration.ofSeconds(5));

        // 16 balls of 7.938 mm on a 46 mm pitch circle, 15° contact, at 3600 rpm: BPFO = 8·60·(1 − 0.1667) = 400 Hz
        double bpfo = ((CncSpindle) damaged.modelOf(CNC)).bpfo();
        assertThat(bpfo).isCloseTo(400.0, within(0.1));
        assertThat(damagedRaw.rate).isEqualTo(12_800);
        assertThat(damagedRaw.blocks).hasSize(500).allMatch(b -> b.length == 128);

        double[] sick = spectrum(damagedRaw.last(12_800));
        double[] well = spectrum(healthyRaw.last(12_800));
        double floor = median(sick, 300, 500);
        assertThat(peakAround(sick, bpfo)).isGreaterThan(20 * floor);
        assertThat(peakAround(sick, bpfo)).isGreaterThan(8 * peakAround(well, bpfo));
        assertThat(peakAround(sick, 2 * bpfo)).isGreaterThan(5 * peakAround(well, 2 * bpfo));
        // the shaft lines are there in both: 1× at 60 Hz and the tooth pass (4 teeth) at 240 Hz while cutting
        assertThat(peakAround(well, 60)).isCloseTo(0.6, within(0.05));
        assertThat(peakAround(well, 240)).isCloseTo(1.2, within(0.1));
    }

    @Test
    void innerRaceDefectShowsAtBpfi() {
        var sim = LineSimulator.create(line(cnc("")), 33);
        var rec = new TestLines.Recorder();
        sim.addListener(rec);
        sim.advance(Duration.ofSeconds(30));
        sim.inject(new Fault.BearingDefect(CNC, 0.5, Fault.BearingDefect.Race.INNER));
        sim.advance(Duration.ofSeconds(30));

        double[] bpfo = rec.values(CNC, "envelope-bpfo");
        double[] bpfi = rec.values(CNC, "envelope-bpfi");
        assertThat(mean(bpfi, 31, 60)).isGreaterThan(10 * mean(bpfi, 0, 30));
        assertThat(mean(bpfi, 31, 60)).isGreaterThan(5 * mean(bpfo, 31, 60));
    }

    @Test
    void clearedDefectLeavesTheSignalHealthyAgain() {
        var sim = LineSimulator.create(line(cnc("")), 34);
        var rec = new TestLines.Recorder();
        sim.addListener(rec);
        ActiveFault defect = sim.inject(Fault.bearingDefect(CNC, 0.6));
        sim.advance(Duration.ofSeconds(30));
        sim.clear(defect);
        sim.advance(Duration.ofSeconds(30));

        double[] bpfo = rec.values(CNC, "envelope-bpfo");
        assertThat(mean(bpfo, 31, 60)).isLessThan(mean(bpfo, 1, 30) / 20);
    }

    @Test
    void toolWearRaisesSpindlePowerSlowly() {
        // a fast-wearing tool and a low vibration rate, so two hours run quickly
        var settings = SimulationSettings.defaults().withVibrationSampleRate(1_000);
        var sim = LineSimulator.create(line(cnc("wear_rate: 0.4")), 35, settings);
        var rec = new TestLines.Recorder();
        sim.addListener(rec);
        sim.advance(Duration.ofHours(2));

        double[] power = rec.values(CNC, "spindle-power");
        double[] cutting = rec.values(CNC, "cutting");
        double[] wear = rec.values(CNC, "tool-wear");
        double[] perQuarter = new double[8];
        for (int q = 0; q < 8; q++) {
            double sum = 0;
            int n = 0;
            for (int i = q * 900; i < (q + 1) * 900; i++) {
                if (cutting[i] == 1) {
                    sum += power[i];
                    n++;
                }
            }
            perQuarter[q] = sum / n;
        }
        for (int q = 1; q < 8; q++) assertThat(perQuarter[q]).as("quarter " + q).isGreaterThan(perQuarter[q - 1]);
        // 0.4 per hour in cut, cutting 45 s of each minute: 60 % worn after two hours, 0.8·0.6·5.5 kW more power
        assertThat(wear[wear.length - 1]).isCloseTo(60, within(1.0));
        assertThat(perQuarter[7] - perQuarter[0]).isCloseTo(0.8 * 5.5 * 0.6 * 7 / 8, within(0.3));
        // slowly: within a minute of cutting the power barely moves
        assertThat(perQuarter[1] - perQuarter[0]).isLessThan(0.4);
        assertThat(wear[59] - wear[0]).isLessThan(0.6);
    }

    @Test
    void speedSetpointMovesTheSpindleAndItsDefectFrequency() {
        var sim = LineSimulator.create(line(cnc("")), 36);
        sim.advance(Duration.ofSeconds(5));
        sim.write(tag(CNC, "spindle-speed-setpoint"), 6000);
        sim.advance(Duration.ofSeconds(5));

        assertThat(sim.latest(tag(CNC, "spindle-speed")).orElseThrow().value()).isEqualTo(6000.0);
        assertThat(((CncSpindle) sim.modelOf(CNC)).bpfo()).isCloseTo(400.0 * 6000 / 3600, within(0.2));
    }

    @Test
    void spindleWarmsAndGrowsFromAColdStart() {
        var settings = SimulationSettings.defaults().withVibrationSampleRate(1_000);
        var sim = LineSimulator.create(line(cnc("cold_start: 1")), 37, settings);
        var rec = new TestLines.Recorder();
        sim.addListener(rec);
        sim.advance(Duration.ofMinutes(90));

        double[] temperature = rec.values(CNC, "spindle-temperature");
        double[] growth = rec.values(CNC, "thermal-growth");
        int n = temperature.length;
        assertThat(temperature[0]).isCloseTo(25, within(0.2));
        assertThat(mean(temperature, n - 60, n)).isCloseTo(25 + 3 * (0.8 + 0.75 * 5.5), within(1.0));
        // δ = 2.9 µm/K · (T − T_amb), readings rounded to 0.1 µm with 0.2 µm noise
        assertThat(mean(growth, n - 60, n)).isCloseTo(2.9 * (mean(temperature, n - 60, n) - 25), within(0.3));
    }

    @Test
    void theNoiseTableIsAStandardNormalSampleWithTheKurtosisOfOne() {
        double[] t = Vibration.noiseTable(1 << 16);
        double sum = 0, sum2 = 0, sum4 = 0;
        int beyondTwoSigma = 0;
        for (double v : t) {
            sum += v;
            sum2 += v * v;
            sum4 += v * v * v * v;
            if (Math.abs(v) > 2) beyondTwoSigma++;
        }
        int n = t.length;
        assertThat(sum / n).isCloseTo(0, within(1e-9));
        assertThat(sum2 / n).isCloseTo(1, within(1e-9));
        // kurtosis HI alarms read the fourth moment: the table must not flatten or fatten the tails
        assertThat(sum4 / n).isCloseTo(3, within(0.1));
        assertThat(beyondTwoSigma / (double) n).isCloseTo(0.0455, within(0.004));
    }
}
