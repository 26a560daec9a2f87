package kr.max.library.fingerprint;

/**
 * A column's grid: the whole multiples of its resolution. Grid points are written as the double nearest
 * to their exact decimal value (0.01 × 123 is written {@code 1.23}, not {@code 1.2300000000000002}) by
 * computing {@code n × k / 10^d} where {@code resolution = k × 10^-d}. The embedder and the tracer both
 * read positions through {@link #steps}, so they agree on every value's grid point.
 */
final class ColumnGrid {

    /** Beyond 2^40 steps a double no longer tells neighbouring grid points apart with room to spare. */
    static final double LARGEST_STEP = 0x1p40;

    private final double numerator;
    private final double denominator;
    private final double perUnit;
    /** The tolerance in steps, with a billionth of a step for the representation of decimals as doubles. */
    final double maxSteps;

    ColumnGrid(double resolution, double tolerance) {
        this.maxSteps = tolerance / resolution + 1e-9;
        double num = resolution;
        double den = 1;
        double k = resolution;
        double p = 1;
        for (int d = 0; d <= 15; d++, k *= 10, p *= 10) {
            double whole = Math.rint(k);
            if (whole >= 1 && whole < 0x1p20 && Math.abs(k - whole) <= 1e-9 * k) {
                num = whole;
                den = p;
                break;
            }
        }
        numerator = num;
        denominator = den;
        perUnit = den / num;
    }

    /** The value's position in steps; {@link #markable} tells whether it can be marked or read. */
    double steps(double v) {
        return v * perUnit;
    }

    static boolean markable(double steps) {
        return Math.abs(steps) <= LARGEST_STEP; // false for NaN and infinities too
    }

    double value(long n) {
        return n * numerator / denominator;
    }
}
