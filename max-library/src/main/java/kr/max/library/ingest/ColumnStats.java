package kr.max.library.ingest;

import kr.max.core.dictionary.ColumnType;

/**
 * Counts, over every non-blank value of one column, how many fit each type, and picks the most specific type that
 * all but a few of them fit: at most 0.1% of the values, or in a small file up to three values (one in fifty at
 * most). The tolerance lets a stray {@code 27O} in a numeric column keep the column numeric (the value is reported
 * later as a bad value, with its line), while a column with many non-numbers stays a string.
 */
final class ColumnStats {

    /** Share of non-blank values, in thousandths, that may fail to fit the chosen type. */
    static final int TOLERATED_PER_MILLE = 1;

    /** Values that may fail to fit in a file too small for the per-mille rule to allow any. */
    static final int SMALL_FILE_TOLERANCE = 3;

    private final TextNumbers numbers = new TextNumbers();
    private final TimestampScanner scanner = new TimestampScanner();
    private final long[] timestampFits = new long[TimestampPattern.ALL.size()];
    private long nonBlank;
    /** The most digits after the decimal point among plain decimals ({@code 12.345}: 3); exponents are not counted. */
    private int fractionDigits;
    private long booleans;
    private long integers;
    private long decimals;

    /**
     * Counts one value. Only {@code true}/{@code false} count as boolean: {@code Y/N}, {@code yes/no} and {@code 1/0}
     * stay what they look like. In manufacturing exports Y/N is a quality verdict (KAMP's PassOrFail), which must
     * remain a category so the role rules make it a label and more verdicts (a rework code) can join later; real
     * booleans from Excel or databases are written TRUE/FALSE. A provider may still declare such a column boolean in
     * the dictionary: {@link ValueParser} accepts Y/N there.
     *
     * <p>Integers with a leading zero ({@code 007}) are codes, not numbers: they count as neither integer nor decimal,
     * so a column of such codes stays a string and keeps its zeros.
     */
    void add(String text) {
        if (text == null) return;
        int from = TextNumbers.trimStart(text, 0, text.length());
        int to = TextNumbers.trimEnd(text, from, text.length());
        if (from == to) return;
        nonBlank++;
        if (TextNumbers.booleanWord(text, from, to) >= 0) {
            booleans++;
            return;
        }
        if (numbers.parseLong(text, from, to)) {
            if (!numbers.leadingZero) {
                integers++;
                decimals++;
            }
            return;
        }
        if (numbers.parseDouble(text, from, to)) {
            decimals++;
            fractionDigits = Math.max(fractionDigits, fractionDigits(text, from, to));
            return;
        }
        char first = text.charAt(from);
        if (first >= '0' && first <= '9' && scanner.scan(text, from, to)) {
            long mask = scanner.fits();
            while (mask != 0) {
                timestampFits[Long.numberOfTrailingZeros(mask)]++;
                mask &= mask - 1;
            }
        }
    }

    /** Digits after the point of a plain decimal; 0 for one with an exponent (its step cannot be read off). */
    private static int fractionDigits(String text, int from, int to) {
        int point = -1;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c == 'e' || c == 'E') return 0;
            if (c == '.') point = i;
        }
        return point < 0 ? 0 : Math.min(to - point - 1, MAX_FRACTION_DIGITS);
    }

    /** Finer than this is noise of a float printed in full, not a recorded step. */
    static final int MAX_FRACTION_DIGITS = 9;

    /**
     * The step numbers of this column are recorded in: {@code 0.01} when values carry at most two decimals,
     * {@code 1} for integers; {@code null} when the column is not a number.
     */
    java.math.BigDecimal resolution() {
        ColumnType t = type();
        if (t == ColumnType.INTEGER) return java.math.BigDecimal.ONE;
        if (t != ColumnType.DECIMAL) return null;
        return java.math.BigDecimal.ONE.scaleByPowerOfTen(-fractionDigits);
    }

    long nonBlank() {
        return nonBlank;
    }

    /** The inferred type: boolean, integer, decimal, timestamp, else string (also for a column with no values). */
    ColumnType type() {
        if (nonBlank == 0) return ColumnType.STRING;
        if (mostFit(booleans)) return ColumnType.BOOLEAN;
        if (isIntegerColumn()) return ColumnType.INTEGER;
        if (mostFit(decimals)) return ColumnType.DECIMAL;
        if (bestTimestampPattern() != null) return ColumnType.TIMESTAMP;
        return ColumnType.STRING;
    }

    /** The timestamp pattern name for a TIMESTAMP column, else null. */
    String format() {
        if (type() != ColumnType.TIMESTAMP) return null;
        return bestTimestampPattern().text();
    }

    /**
     * Integer when nearly all values are integers and no value is a non-integer number: one {@code 1.5} among a
     * million integers makes the column decimal (nothing is lost), one {@code 27O} keeps it integer. Integers beyond
     * the range of a long count only as decimals, so such a column is decimal.
     */
    private boolean isIntegerColumn() {
        return mostFit(integers) && decimals == integers;
    }

    /** The pattern most values fit, earlier patterns winning ties, if it passes the tolerance. */
    private TimestampPattern bestTimestampPattern() {
        int best = -1;
        for (int i = 0; i < timestampFits.length; i++) {
            if (timestampFits[i] > 0 && (best < 0 || timestampFits[i] > timestampFits[best])) best = i;
        }
        return best >= 0 && mostFit(timestampFits[best]) ? TimestampPattern.ALL.get(best) : null;
    }

    private boolean mostFit(long fitting) {
        return InferenceRules.mostFit(nonBlank, fitting);
    }
}
