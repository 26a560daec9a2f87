package kr.max.core.dictionary;

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
 */
public record ColumnSpec(String name, ColumnRole role, ColumnType type, String unit, String assetPath,
                         Sensitivity sensitivity, String descriptionKo, String descriptionEn, String format) {

    public ColumnSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(type, "type");
        sensitivity = sensitivity == null ? Sensitivity.NONE : sensitivity;
        descriptionKo = descriptionKo == null ? "" : descriptionKo;
        descriptionEn = descriptionEn == null ? "" : descriptionEn;
    }

    public static ColumnSpec of(String name, ColumnRole role, ColumnType type) {
        return new ColumnSpec(name, role, type, null, null, Sensitivity.NONE, "", "", null);
    }

    public ColumnSpec withType(ColumnType newType, String newFormat) {
        return new ColumnSpec(name, role, newType, unit, assetPath, sensitivity, descriptionKo, descriptionEn, newFormat);
    }
}
