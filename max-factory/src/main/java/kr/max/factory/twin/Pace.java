package kr.max.factory.twin;

import java.util.Locale;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.factory.FactoryError;

/**
 * How fast a {@link RealTimeDriver} runs a simulation: simulated seconds per wall-clock second, or as fast as the
 * machine can ({@link #AS_FAST_AS_POSSIBLE}). Written {@code 60x}, {@code 0.5x} or {@code max} on the command line.
 *
 * @param factor simulated time per wall time, &gt; 0; infinite for as fast as possible
 */
public record Pace(double factor) {

    public static final Pace REAL_TIME = new Pace(1);
    public static final Pace AS_FAST_AS_POSSIBLE = new Pace(Double.POSITIVE_INFINITY);

    public Pace {
        if (!(factor > 0)) throw new MaxException(FactoryError.BAD_SPEED, Location.NOWHERE, Double.toString(factor));
    }

    public static Pace times(double factor) {
        return new Pace(factor);
    }

    /** {@code 60x}, {@code 60}, {@code 0.5x}, {@code max} (or {@code asap}). */
    public static Pace parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.equals("max") || t.equals("asap")) return AS_FAST_AS_POSSIBLE;
        if (t.endsWith("x") || t.endsWith("×")) t = t.substring(0, t.length() - 1).strip();
        try {
            double f = Double.parseDouble(t);
            if (Double.isFinite(f) && f > 0) return new Pace(f);
        } catch (NumberFormatException e) {
            // falls through to the user's error
        }
        throw new MaxException(FactoryError.BAD_SPEED, Location.NOWHERE, text);
    }

    public boolean asFastAsPossible() {
        return Double.isInfinite(factor);
    }

    @Override
    public String toString() {
        return asFastAsPossible() ? "max" : LineSimulator.plain(factor) + "x";
    }
}
