package kr.max.models.quality;

import java.util.List;
import java.util.Random;
import kr.max.models.Frame;

/**
 * Injection molding shots shaped like the KAMP data set (made up; the real one may not be redistributed):
 * one shot a minute, cycle, injection and filling times, pressures, barrel, mold and hopper temperatures
 * that drift slowly, about 1.5 % fails. The fail mechanism is planted and weak: a shot fails more often when
 * the barrel runs hot while the injection pressure sags, and — the part a straight line cannot draw — when
 * the cushion position leaves a band on either side.
 */
final class SyntheticShots {

    static final List<String> FEATURES = List.of("Injection_Time", "Filling_Time", "Cycle_Time", "Cushion_Position",
            "Max_Injection_Pressure", "Max_Back_Pressure", "Barrel_Temperature_1", "Barrel_Temperature_2",
            "Barrel_Temperature_3", "Mold_Temperature_3", "Mold_Temperature_4", "Hopper_Temperature");

    private SyntheticShots() {
    }

    static Frame shots(int n, long seed, String pass, String fail) {
        var r = new Random(seed);
        var x = new double[n][];
        var times = new long[n];
        var labels = new String[n];
        long start = 1_602_824_267_000L;   // 2020-10-16T04:57:47Z, as KAMP's first shot
        double drift = 0;
        for (int i = 0; i < n; i++) {
            drift = 0.995 * drift + 0.1 * r.nextGaussian();
            double barrel = 276.5 + 1.2 * r.nextGaussian() + drift;
            double pressure = 141.8 + 1.5 * r.nextGaussian();
            double cushion = 653.4 + 0.6 * r.nextGaussian();
            x[i] = new double[] {9.59 + 0.02 * r.nextGaussian(), 4.47 + 0.02 * r.nextGaussian(), 59.5 + 0.2 * r.nextGaussian(), cushion,
                    pressure, 37.4 + 1.0 * r.nextGaussian(), barrel, 275 + 1.0 * r.nextGaussian() + drift, 275 + r.nextGaussian(),
                    24.8 + 0.3 * r.nextGaussian(), 27.5 + 0.3 * r.nextGaussian(), 66.5 + 1.5 * r.nextGaussian()};
            double hotAndSagging = Math.max(0, barrel - 277.5) * Math.max(0, 141.0 - pressure);
            double offBand = Math.abs(cushion - 653.4) > 1.2 ? 1 : 0;
            double logit = -6.5 + 2.5 * hotAndSagging + 4.5 * offBand;
            boolean failed = r.nextDouble() < 1 / (1 + Math.exp(-logit));
            times[i] = start + 60_000L * i;
            labels[i] = failed ? fail : pass;
        }
        return new Frame(FEATURES, x, null, times, labels);
    }
}
