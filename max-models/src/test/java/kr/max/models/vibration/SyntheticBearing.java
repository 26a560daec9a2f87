package kr.max.models.vibration;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import kr.max.models.Frame;

/**
 * Vibration records a bearing test rig would give, made up: the shaft turning at 1797 rpm, broadband noise,
 * and for a defect a train of impacts at its characteristic frequency (with ±1 % jitter), each ringing a
 * structural resonance at 3.2 kHz that decays within about a millisecond. An inner-race defect's impacts are
 * also modulated by the shaft rotation, as the defect passes in and out of the load zone.
 */
final class SyntheticBearing {

    static final double RATE = 12000;
    static final BearingGeometry CWRU = new BearingGeometry(1797, 9, 0.3126, 1.537, 0);

    private SyntheticBearing() {
    }

    /** One record's samples of the given class: Normal, IR, OR or B. */
    static double[] signal(String kind, int samples, long seed) {
        var r = new Random(seed);
        double shaft = CWRU.shaftHz();
        double defect = switch (kind) {
            case "IR" -> CWRU.bpfi();
            case "OR" -> CWRU.bpfo();
            case "B" -> 2 * CWRU.bsf();
            default -> 0;
        };
        var x = new double[samples];
        double phase = r.nextDouble() * 2 * Math.PI;
        for (int i = 0; i < samples; i++) {
            x[i] = 0.05 * Math.sin(2 * Math.PI * shaft * i / RATE + phase) + 0.06 * r.nextGaussian();
        }
        if (defect > 0) {
            double t = r.nextDouble() / defect;
            double resonance = 3200, decay = 900;
            while (t < samples / RATE) {
                double amplitude = kind.equals("IR") ? 0.25 * (1.2 + Math.cos(2 * Math.PI * shaft * t)) : 0.25;
                int start = (int) Math.ceil(t * RATE);
                for (int i = start; i < Math.min(samples, start + 80); i++) {
                    double dt = i / RATE - t;
                    x[i] += amplitude * Math.exp(-decay * dt) * Math.sin(2 * Math.PI * resonance * dt);
                }
                t += (1 + 0.01 * r.nextGaussian()) / defect;
            }
        }
        return x;
    }

    /** A frame of one record per class: record = asset, sample index = time, acceleration, class = label. */
    static Frame frame(List<String> kinds, int samples, long seed) {
        var x = new ArrayList<double[]>();
        var assets = new ArrayList<String>();
        var times = new ArrayList<Long>();
        var labels = new ArrayList<String>();
        for (int k = 0; k < kinds.size(); k++) {
            var kind = kinds.get(k);
            var s = signal(kind, samples, seed * 31 + k);
            for (int i = 0; i < samples; i++) {
                x.add(new double[] {s[i]});
                assets.add("rig-" + kind);
                times.add((long) i);
                labels.add(kind.equals("N") ? "Normal" : kind);
            }
        }
        return new Frame(List.of("acceleration"), x.toArray(double[][]::new), assets.toArray(String[]::new),
                times.stream().mapToLong(Long::longValue).toArray(), labels.toArray(String[]::new));
    }
}
