package kr.max.library.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import kr.max.core.MaxException;
import org.junit.jupiter.api.Test;

/** Values never leave the tolerance the data dictionary declares, whatever the column and the values. */
class FingerprintToleranceTest {

    private static final int[] STEPS = {1, 2, 5, 25, 3};

    /** A random column: resolution k × 10^-d, tolerance one to four resolutions, sometimes exactly one. */
    private static FingerprintColumn randomColumn(Random random, int i) {
        int d = random.nextInt(5);
        double resolution = new BigDecimal(STEPS[random.nextInt(STEPS.length)]).scaleByPowerOfTen(-d).doubleValue();
        double tolerance = random.nextInt(3) == 0 ? resolution
                : new BigDecimal(Double.toString(resolution)).multiply(BigDecimal.valueOf(10 + random.nextInt(31), 1)).doubleValue();
        return new FingerprintColumn("m" + i, resolution, tolerance);
    }

    private static BigDecimal exact(double v) {
        return new BigDecimal(Double.toString(v));
    }

    @Test
    void marksNeverMoveAValueBeyondItsToleranceOverManyRandomColumns() {
        var random = new Random(20250301);
        long checked = 0;
        long moved = 0;
        for (int trial = 0; trial < 200; trial++) {
            var columns = new ArrayList<FingerprintColumn>();
            int width = 1 + random.nextInt(9);
            for (int i = 0; i < width; i++) columns.add(randomColumn(random, i));
            boolean keyed = random.nextBoolean();
            var scheme = new FingerprintScheme(columns, keyed ? List.of("ts") : List.of(), 1 + random.nextInt(16));
            var names = new ArrayList<String>();
            names.add("ts");
            columns.forEach(c -> names.add(c.name()));
            var fp = Fingerprinter.create(SensorTables.secret(random), scheme, names);

            int rows = 1000;
            var data = new Object[1 + width];
            var ts = new long[rows];
            for (int r = 0; r < rows; r++) ts[r] = random.nextLong();
            data[0] = ts;
            var original = new double[width][];
            for (int i = 0; i < width; i++) {
                var c = columns.get(i);
                boolean onGrid = random.nextBoolean();
                double scale = Math.pow(10, random.nextInt(6));
                var values = new double[rows];
                for (int r = 0; r < rows; r++) {
                    double v = (random.nextDouble() * 2 - 1) * scale;
                    // on the grid as a decimal a user would write, or with more digits than the resolution
                    values[r] = onGrid ? exact(v).divide(exact(c.resolution()), 0, java.math.RoundingMode.HALF_EVEN)
                            .multiply(exact(c.resolution())).doubleValue() : v;
                }
                original[i] = values.clone();
                data[1 + i] = values;
            }
            fp.markColumns(rows, data);

            for (int i = 0; i < width; i++) {
                var c = columns.get(i);
                var marked = (double[]) data[1 + i];
                for (int r = 0; r < rows; r++) {
                    double v = original[i][r];
                    double w = marked[r];
                    BigDecimal change = exact(w).subtract(exact(v)).abs();
                    // one billionth of a step is the room double arithmetic needs on values it cannot hold exactly
                    BigDecimal allowed = exact(c.tolerance()).add(exact(c.resolution() * 1e-9));
                    assertThat(change).as("%s r=%s t=%s: %s -> %s", c.name(), c.resolution(), c.tolerance(), v, w)
                            .isLessThanOrEqualTo(allowed);
                    double steps = w / c.resolution();
                    assertThat(Math.abs(steps - Math.rint(steps))).as("%s on the grid", w).isLessThan(1e-6);
                    checked++;
                    if (Math.rint(steps) != Math.rint(v / c.resolution())) moved++;
                }
            }
        }
        System.out.printf(Locale.ROOT, "tolerance: %,d cells checked, %,d moved by a mark, none beyond its tolerance%n", checked, moved);
        assertThat(moved).isPositive();
    }

    @Test
    void valuesOnTheGridMoveByExactlyZeroOrOneStepAsDecimals() {
        var random = new Random(7);
        var column = new FingerprintColumn("current_a", 0.01, 0.01);
        var fp = Fingerprinter.create(SensorTables.secret(random),
                new FingerprintScheme(List.of(column), List.of("ts"), 2), List.of("ts", "current_a"));
        for (int r = 0; r < 20_000; r++) {
            double v = BigDecimal.valueOf(random.nextInt(200_000) - 100_000, 2).doubleValue();
            Object[] row = {(long) r, v};
            fp.markRow(row);
            BigDecimal change = exact((Double) row[1]).subtract(exact(v)).abs();
            assertThat(change.signum() == 0 || change.compareTo(new BigDecimal("0.01")) == 0).as("%s -> %s", v, row[1]).isTrue();
            assertThat(exact((Double) row[1]).scale()).isLessThanOrEqualTo(2); // written as 12.34, never 12.340000000000002
        }
        assertThat(fp.stats().cellsMoved()).isBetween(20_000L * 2 / 10, 20_000L * 5 / 10);
    }

    @Test
    void nullsNaNInfinitiesAndHugeValuesPassThroughUnmarked() {
        var column = new FingerprintColumn("x", 0.01, 0.02);
        var fp = Fingerprinter.create(SensorTables.secret(new Random(1)), new FingerprintScheme(List.of(column), List.of(), 1),
                List.of("x"));
        double[] values = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e300, -1e15};
        var copy = values.clone();
        fp.markColumns(values.length, new Object[] {copy});
        assertThat(copy).containsExactly(values);
        Object[] row = {null};
        fp.markRow(row);
        assertThat(row[0]).isNull();
    }

    @Test
    void refusesAToleranceSmallerThanTheResolutionAndSaysWhatToDeclare() {
        assertThatThrownBy(() -> new FingerprintColumn("pressure_bar", 0.01, 0.005))
                .isInstanceOfSatisfying(MaxException.class, e -> {
                    assertThat(e.code()).isEqualTo(FingerprintError.TOLERANCE_TOO_SMALL);
                    assertThat(e.getMessage()).startsWith("MAX-FP-001").contains("pressure_bar", "0.005", "0.01");
                    assertThat(e.message(Locale.KOREAN)).contains("pressure_bar", "허용오차");
                });
        assertThat(new FingerprintColumn("t", 0.1, 0.1).tolerance()).isEqualTo(0.1);
        assertThat(new FingerprintColumn("t", 0.3, 0.1 + 0.2).resolution()).isEqualTo(0.3); // 0.30000000000000004
    }

    @Test
    void refusesAResolutionOrToleranceThatIsNotAPositiveNumber() {
        for (double[] bad : new double[][] {{0, 1}, {-0.1, 1}, {Double.NaN, 1}, {0.1, Double.POSITIVE_INFINITY}}) {
            assertThatThrownBy(() -> new FingerprintColumn("flow", bad[0], bad[1]))
                    .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(FingerprintError.BAD_RESOLUTION));
        }
    }
}
