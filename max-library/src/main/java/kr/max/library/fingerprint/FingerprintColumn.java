package kr.max.library.fingerprint;

import java.util.Objects;
import kr.max.core.Location;
import kr.max.core.MaxException;

/**
 * A measurement column that carries marks, with the two figures the data dictionary declares for it.
 *
 * <p>Marked values are written on the column's grid (whole multiples of {@code resolution}); a mark moves
 * a value to a neighbouring grid point. The nearest grid point of the wanted parity is never more than one
 * step away from the original value, rounding included, so a column can be marked when
 * {@code tolerance >= resolution}, and no value ever moves by more than {@code tolerance}.
 *
 * @param name       the column's name, as in the export and in a leaked copy
 * @param resolution the dictionary's precision step, for example {@code 0.01} (bar)
 * @param tolerance  the largest change the provider allows on one value, at least {@code resolution}
 * @throws MaxException {@code MAX-FP-002} for a resolution or tolerance that is not positive and finite,
 *                      {@code MAX-FP-001} when the tolerance is smaller than the resolution
 */
public record FingerprintColumn(String name, double resolution, double tolerance) {

    public FingerprintColumn {
        Objects.requireNonNull(name, "name");
        if (!positiveAndFinite(resolution) || !positiveAndFinite(tolerance)) {
            throw new MaxException(FingerprintError.BAD_RESOLUTION, Location.NOWHERE, name, resolution, tolerance);
        }
        // a relative slack of 1e-12 accepts 0.1 + 0.2 as 0.3, nothing a user could mean otherwise
        if (tolerance < resolution * (1 - 1e-12)) {
            throw new MaxException(FingerprintError.TOLERANCE_TOO_SMALL, Location.NOWHERE, name, tolerance, resolution);
        }
    }

    private static boolean positiveAndFinite(double value) {
        return value > 0 && Double.isFinite(value);
    }
}
