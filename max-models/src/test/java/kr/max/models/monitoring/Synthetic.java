package kr.max.models.monitoring;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import kr.max.models.Frame;

/**
 * Seeded process-like data for the detector tests: {@code m} measurements driven by {@code k} latent
 * factors through fixed loadings, plus independent noise, so the data have exactly the low-rank
 * correlation structure a principal component model must find. Each sensor has variance {@code 1 + noise²}.
 */
public final class Synthetic {

    public final int m;
    public final double[][] loadings;   // m × k
    public final double noise;
    private final SplittableRandom random;

    public Synthetic(int m, int k, double noise, long seed) {
        this.m = m;
        this.noise = noise;
        this.random = new SplittableRandom(seed);
        this.loadings = new double[m][k];
        // Rows of unit length give every sensor the same variance and the same share of noise, so the residual
        // eigenvalues are nearly equal and the Q limit's approximation is at its most accurate.
        for (var row : loadings) {
            double norm = 0;
            for (int j = 0; j < k; j++) {
                row[j] = random.nextGaussian();
                norm += row[j] * row[j];
            }
            for (int j = 0; j < k; j++) row[j] /= Math.sqrt(norm);
        }
    }

    public List<String> features() {
        return IntStream.rangeClosed(1, m).mapToObj(i -> "sensor_" + i).toList();
    }

    /** One normal sample from the given latent factor values. */
    public double[] sample(double[] factors) {
        double[] x = new double[m];
        for (int i = 0; i < m; i++) {
            double v = 10 + i;   // an operating point, so standardization has something to remove
            for (int j = 0; j < factors.length; j++) v += loadings[i][j] * factors[j];
            x[i] = v + noise * random.nextGaussian();
        }
        return x;
    }

    /** {@code n} independent normal samples. */
    public double[][] normal(int n) {
        double[][] x = new double[n][];
        for (int t = 0; t < n; t++) x[t] = sample(gaussians(loadings[0].length));
        return x;
    }

    public double[] gaussians(int k) {
        double[] f = new double[k];
        for (int j = 0; j < k; j++) f[j] = random.nextGaussian();
        return f;
    }

    public double gaussian() {
        return random.nextGaussian();
    }

    /** A frame of the rows, with labels when given. */
    public Frame frame(double[][] x, String[] labels) {
        return new Frame(features(), x, null, null, labels);
    }

    public static String[] labels(int normal, int faults, String fault) {
        var out = new ArrayList<String>();
        for (int i = 0; i < normal; i++) out.add("normal");
        for (int i = 0; i < faults; i++) out.add(fault);
        return out.toArray(String[]::new);
    }

    public static double[][] concat(double[][] a, double[][] b) {
        double[][] out = new double[a.length + b.length][];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
