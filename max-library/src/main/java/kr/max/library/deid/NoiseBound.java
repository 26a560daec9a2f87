package kr.max.library.deid;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * The bound of a {@code perturb} rule: noise lies in {@code [-b, +b]}, where b is {@code amount} in the column's
 * unit, or {@code amount} percent of the value's magnitude when {@code relative}. Integer columns get integer
 * noise in {@code [-⌊b⌋, +⌊b⌋]}.
 */
public record NoiseBound(BigDecimal amount, boolean relative) {

    public NoiseBound {
        Objects.requireNonNull(amount, "amount");
        if (amount.signum() < 0) throw new IllegalArgumentException("bound must not be negative: " + amount);
    }

    /** The bound for one value. */
    double forValue(double value) {
        double a = amount.doubleValue();
        return relative ? Math.abs(value) * a / 100.0 : a;
    }

    /** {@code 0.5} or {@code 2%}, as in profiles. */
    @Override
    public String toString() {
        return amount.stripTrailingZeros().toPlainString() + (relative ? "%" : "");
    }
}
