package kr.max.models.rul;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import kr.max.models.Frame;

/**
 * Simulated run-to-failure units, C-MAPSS-like: a hidden wear level grows exponentially from a unit's own
 * initial wear to failure; eight sensors follow it with their own gain and noise, two are pure noise and one
 * is constant. With several operating regimes each cycle runs in one of them at random, the three settings
 * say which, and every sensor's level shifts by far more than the wear ever moves it.
 */
record DegradationData(int units, int regimes, long seed) {

    static final int SETTINGS = 3;
    static final int WEAR_SENSORS = 8;
    static final int NOISE_SENSORS = 2;

    static List<String> features() {
        var f = new ArrayList<String>();
        for (int i = 1; i <= SETTINGS; i++) f.add("setting" + i);
        for (int i = 1; i <= WEAR_SENSORS + NOISE_SENSORS + 1; i++) f.add("s" + i);
        return f;
    }

    /** Every unit run to failure: the last row of a unit is its last cycle before failure; no label column. */
    Frame runToFailure() {
        return generate(false, "u");
    }

    /** Fresh units cut at random points, labelled with the cycles left at every row (like test + RUL files). */
    Frame cutWithLabels() {
        return generate(true, "t");
    }

    private Frame generate(boolean cut, String prefix) {
        var r = new Random(seed);
        // the plant: fixed by a seed of its own, so training and test units share regimes and sensor physics
        var plant = new Random(4242);
        int sensors = WEAR_SENSORS + NOISE_SENSORS + 1;
        var gain = new double[sensors];
        var noise = new double[sensors];
        for (int j = 0; j < WEAR_SENSORS; j++) {
            gain[j] = (plant.nextBoolean() ? 1 : -1) * (2 + 3 * plant.nextDouble());
            noise[j] = 0.6 + plant.nextDouble();
        }
        for (int j = WEAR_SENSORS; j < WEAR_SENSORS + NOISE_SENSORS; j++) noise[j] = 1;
        var setting = new double[regimes][SETTINGS];
        var offset = new double[regimes][sensors];
        for (int k = 0; k < regimes; k++) {
            for (int i = 0; i < SETTINGS; i++) setting[k][i] = regimes == 1 ? 0 : plant.nextInt(40);
            for (int j = 0; j < sensors - 1; j++) offset[k][j] = regimes == 1 ? 0 : plant.nextGaussian() * 60;
        }
        var x = new ArrayList<double[]>();
        var assets = new ArrayList<String>();
        var times = new ArrayList<Long>();
        var labels = new ArrayList<String>();
        for (int u = 1; u <= units; u++) {
            int life = 130 + r.nextInt(170);
            double initial = 0.15 * r.nextDouble();
            int shown = cut ? life - (1 + r.nextInt(Math.min(150, life - 20))) : life;
            for (int c = 1; c <= shown; c++) {
                double t = (double) c / life;
                double wear = initial + (1 - initial) * (Math.exp(4 * t) - 1) / (Math.exp(4) - 1);
                int k = r.nextInt(regimes);
                var row = new double[SETTINGS + sensors];
                for (int i = 0; i < SETTINGS; i++) row[i] = setting[k][i] + r.nextGaussian() * 0.001;
                for (int j = 0; j < sensors - 1; j++) {
                    row[SETTINGS + j] = 100 + offset[k][j] + gain[j] * 4 * wear + noise[j] * r.nextGaussian();
                }
                row[SETTINGS + sensors - 1] = 100; // a constant sensor
                x.add(row);
                assets.add(prefix + u);
                times.add((long) c);
                labels.add(String.valueOf(life - c));
            }
        }
        return new Frame(features(), x.toArray(double[][]::new), assets.toArray(String[]::new),
                times.stream().mapToLong(Long::longValue).toArray(), cut ? labels.toArray(String[]::new) : null);
    }
}
