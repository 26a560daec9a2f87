package kr.max.core.dictionary;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One column of a {@link DataDictionary}.
 *
 * @param name          column name as in the source file
 * @param role          what the column means
 * @param type          logical type
 * @param unit          UCUM unit code ({@code Cel}, {@code bar}, {@code mm}, {@code s}) or {@code null}
 * @param assetPath     ISA-95 path ({@code site/area/line/cell/equipment}) where known, else {@code null}
 * @param sensitivity   personal data, trade secret, or none
 * @param descriptionKo Korean description, may be empty
 * @param descriptionEn English description, may be empty
 * @param format        for timestamps, the text pattern ({@code iso} or a {@link java.time.format.DateTimeFormatter}
 *                      pattern); {@code null} otherwise
 * @param resolution    for numbers, the smallest step the values are recorded in ({@code 0.01} bar), so rounding
 *                      to it loses nothing; {@code null} when not declared
 * @param tolerance     for numbers, the largest change of a value that leaves it fit for its use (the sensor's
 *                      accuracy, say): an export's fingerprint never moves a value further. {@code null} or zero:
 *                      values are never changed
 */
public record ColumnSpec(String name, ColumnRole role, ColumnType type, String unit, String assetPath,
                         Sensitivity sensitivity, String descriptionKo, String descriptionEn, String format,
                         BigDecimal resolution, BigDecimal tolerance) {

    public ColumnSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(type, "type");
        sensitivity = sensitivity == null ? Sensitivity.NONE : sensitivity;
        descriptionKo = descriptionKo == null ? "" : descriptionKo;
        descriptionEn = descriptionEn == null ? "" : descriptionEn;
        if (resolution != null && resolution.signum() <= 0) throw new IllegalArgumentException("resolution " + resolution);
        if (tolerance != null && tolerance.signum() < 0) throw new IllegalArgumentException("tolerance " + tolerance);
    }

    /** A column without a declared resolution or tolerance. */
    public ColumnSpec(String name, ColumnRole role, ColumnType type, String unit, String assetPath,
                      Sensitivity sensitivity, String descriptionKo, String descriptionEn, String format) {
        this(name, role, type, unit, assetPath, sensitivity, descriptionKo, descriptionEn, format, null, null);
    }

    public static ColumnSpec of(String name, ColumnRole role, ColumnType type) {
        return new ColumnSpec(name, role, type, null, null, Sensitivity.NONE, "", "", null);
    }

    public ColumnSpec withType(ColumnType newType, String newFormat) {
        return new ColumnSpec(name, role, newType, unit, assetPath, sensitivity, descriptionKo, descriptionEn, newFormat,
                resolution, tolerance);
    }

    /** This column with a declared resolution and tolerance (either may be null). */
    public ColumnSpec withPrecision(BigDecimal newResolution, BigDecimal newTolerance) {
        return new ColumnSpec(name, role, type, unit, assetPath, sensitivity, descriptionKo, descriptionEn, format,
                newResolution, newTolerance);
    }
}
