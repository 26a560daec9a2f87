package kr.max.library.fingerprint;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import kr.max.core.Location;
import kr.max.core.MaxException;

/**
 * How an export is marked: which columns carry marks, which columns identify a row, and how many cells
 * carry a mark. The library stores it with the export record; tracing needs the same scheme back.
 *
 * <p>Two marks are laid over each other. The <em>keyed</em> mark selects cells by the row's identity (the
 * key columns: the dictionary's timestamp and asset columns) and the column's name, so it survives any
 * re-ordering, subset or dropped column as long as the key columns travel with the copy. The
 * <em>virtual</em> mark selects cells by their own coarse value (the grid index without its last bit),
 * after Li, Swarup and Jajodia's virtual primary key, so it survives the loss of the key columns too.
 * Without key columns only the virtual mark is laid.
 *
 * @param marked     the columns that carry marks, at least one
 * @param keyColumns the columns whose values identify a row (timestamp, asset), possibly none
 * @param gamma      one cell (keyed) and one coarse value (virtual) in {@code gamma} carries a mark
 * @throws MaxException {@code MAX-FP-003} when nothing is marked, {@code MAX-FP-004} for a column named
 *                      twice, {@code MAX-FP-005} for a gamma outside {@code 1..}{@value #MAX_GAMMA}
 */
public record FingerprintScheme(List<FingerprintColumn> marked, List<String> keyColumns, int gamma) {

    /** The selection rate used unless the library chooses another: one in eight. */
    public static final int DEFAULT_GAMMA = 8;

    /** One cell in 256 at most: beyond that too few cells carry marks for any but huge exports. */
    public static final int MAX_GAMMA = 256;

    public FingerprintScheme {
        marked = List.copyOf(marked);
        keyColumns = List.copyOf(keyColumns);
        if (marked.isEmpty()) throw new MaxException(FingerprintError.NOTHING_TO_MARK, Location.NOWHERE);
        var seen = new HashSet<String>();
        for (var c : marked) {
            if (!seen.add(c.name())) throw new MaxException(FingerprintError.DUPLICATE_COLUMN, Location.NOWHERE, c.name());
        }
        for (var k : keyColumns) {
            Objects.requireNonNull(k, "key column");
            if (!seen.add(k)) throw new MaxException(FingerprintError.DUPLICATE_COLUMN, Location.NOWHERE, k);
        }
        if (gamma < 1 || gamma > MAX_GAMMA) {
            throw new MaxException(FingerprintError.BAD_GAMMA, Location.NOWHERE, gamma, MAX_GAMMA);
        }
    }

    /** The scheme with the {@linkplain #DEFAULT_GAMMA default selection rate}. */
    public static FingerprintScheme of(List<FingerprintColumn> marked, List<String> keyColumns) {
        return new FingerprintScheme(marked, keyColumns, DEFAULT_GAMMA);
    }
}
