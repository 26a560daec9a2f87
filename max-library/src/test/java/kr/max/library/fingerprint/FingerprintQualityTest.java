package kr.max.library.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What a fingerprint costs an analysis: per column mean and standard deviation, and a least-squares model
 * (current explained by pressure and temperature, the kind of regression a standard model fits) before
 * and after marking, on a 20,000-row export. Every figure moves by a small fraction of the tolerance.
 *
 * <p>The virtual mark moves all values of a selected pair of grid points together, so a column with few
 * distinct values (speed: about 100 pairs of 200 values each) sees its mean vary most from export to
 * export, by about 0.03 steps (one standard deviation); on average it does not move at all.
 */
class FingerprintQualityTest {

    @Test
    void summaryStatisticsAndARegressionMoveByAFractionOfTheTolerance() {
        var data = SensorTables.generate(20_000, 2024);
        var fp = Fingerprinter.create(SensorTables.secret(new Random(3)), SensorTables.SCHEME, data.names());
        var marked = data.copy();
        fp.markColumns(marked.rows(), marked.columns().values().toArray());

        System.out.printf(Locale.ROOT, "quality cost on %,d rows (gamma %d): %,d of %,d cells moved by one step (%.1f %%)%n",
                data.rows(), SensorTables.SCHEME.gamma(), fp.stats().cellsMoved(), fp.stats().cells(),
                100.0 * fp.stats().cellsMoved() / fp.stats().cells());
        System.out.printf(Locale.ROOT, "%-16s %10s %12s %12s %10s %12s %12s %10s%n", "column", "tolerance", "mean before",
                "mean after", "/tol", "sd before", "sd after", "/tol");
        for (var c : SensorTables.MEASUREMENTS) {
            double[] before = data.doubles(c.name());
            double[] after = marked.doubles(c.name());
            double dm = mean(after) - mean(before);
            double ds = sd(after) - sd(before);
            System.out.printf(Locale.ROOT, "%-16s %10s %12.5f %12.5f %10.4f %12.5f %12.5f %10.4f%n", c.name(), c.tolerance(),
                    mean(before), mean(after), dm / c.tolerance(), sd(before), sd(after), ds / c.tolerance());
            // a tenth of the tolerance: five standard deviations and more of the export-to-export variation
            assertThat(Math.abs(dm)).as("%s mean", c.name()).isLessThan(0.1 * c.tolerance());
            assertThat(Math.abs(ds)).as("%s sd", c.name()).isLessThan(0.1 * c.tolerance());
        }

        double[] fitBefore = regression(data);
        double[] fitAfter = regression(marked);
        System.out.printf(Locale.ROOT, "current_a ~ pressure_bar + temperature_c: before %.6f + %.6f p + %.6f t (R² %.5f),"
                        + " after %.6f + %.6f p + %.6f t (R² %.5f)%n", fitBefore[0], fitBefore[1], fitBefore[2], fitBefore[3],
                fitAfter[0], fitAfter[1], fitAfter[2], fitAfter[3]);
        // the slopes change far less than their own standard errors (about 1e-3 here)
        assertThat(Math.abs(fitAfter[1] - fitBefore[1])).isLessThan(2e-4);
        assertThat(Math.abs(fitAfter[2] - fitBefore[2])).isLessThan(2e-4);
        assertThat(Math.abs(fitAfter[3] - fitBefore[3])).isLessThan(1e-3);
    }

    /**
     * Marks move values up as often as down: over 100 exports of fresh data the mean shift of every column
     * is within four standard errors of zero. (A mark that preferred the lower of two equally near grid
     * points once shifted means by 0.007 steps, 15 standard errors.)
     */
    @Test
    void marksShiftNoColumnMeanOnAverage() {
        var random = new Random(8);
        int exports = 100;
        var columns = SensorTables.MEASUREMENTS;
        var sum = new double[columns.size()];
        var sumSquares = new double[columns.size()];
        for (int e = 0; e < exports; e++) {
            var data = SensorTables.generate(10_000, random.nextLong());
            var marked = SensorTables.mark(data, SensorTables.secret(random), SensorTables.SCHEME);
            for (int i = 0; i < columns.size(); i++) {
                var c = columns.get(i);
                double shift = (mean(marked.doubles(c.name())) - mean(data.doubles(c.name()))) / c.resolution();
                sum[i] += shift;
                sumSquares[i] += shift * shift;
            }
        }
        for (int i = 0; i < columns.size(); i++) {
            double mean = sum[i] / exports;
            double se = Math.sqrt((sumSquares[i] / exports - mean * mean) / (exports - 1));
            System.out.printf(Locale.ROOT, "mean shift of %-16s over %d exports: %+.5f steps (standard error %.5f)%n",
                    columns.get(i).name(), exports, mean, se);
            assertThat(Math.abs(mean)).as(columns.get(i).name()).isLessThan(4 * se);
        }
    }

    private static double mean(double[] a) {
        double s = 0;
        for (double v : a) s += v;
        return s / a.length;
    }

    private static double sd(double[] a) {
        double m = mean(a);
        double s = 0;
        for (double v : a) s += (v - m) * (v - m);
        return Math.sqrt(s / (a.length - 1));
    }

    /** Ordinary least squares of current on pressure and temperature: intercept, two slopes, R². */
    private static double[] regression(SensorTables.Table t) {
        double[] y = t.doubles("current_a");
        double[] p = t.doubles("pressure_bar");
        double[] q = t.doubles("temperature_c");
        double mp = mean(p);
        double mq = mean(q);
        double my = mean(y);
        double spp = 0;
        double sqq = 0;
        double spq = 0;
        double spy = 0;
        double sqy = 0;
        double syy = 0;
        for (int i = 0; i < y.length; i++) {
            double a = p[i] - mp;
            double b = q[i] - mq;
            double c = y[i] - my;
            spp += a * a;
            sqq += b * b;
            spq += a * b;
            spy += a * c;
            sqy += b * c;
            syy += c * c;
        }
        double det = spp * sqq - spq * spq;
        double b1 = (spy * sqq - sqy * spq) / det;
        double b2 = (sqy * spp - spy * spq) / det;
        double b0 = my - b1 * mp - b2 * mq;
        double r2 = (b1 * spy + b2 * sqy) / syy;
        return new double[] {b0, b1, b2, r2};
    }
}
