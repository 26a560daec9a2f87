package kr.max.library.ingest;

/**
 * Hand-written number and boolean recognition for the hot path: no regular expressions, no exceptions, no
 * allocation for ordinary numbers. Inference and {@link ValueParser} both use it, so a value counted as fitting
 * during inference parses later. One instance per column; not thread-safe (results are left in fields).
 */
final class TextNumbers {

    private static final double[] POWERS_OF_TEN = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

    /** The value of the last successful {@link #parseLong}. */
    long longValue;
    /** Whether the last successful {@link #parseLong} had a leading zero ({@code 007}): a code rather than a number. */
    boolean leadingZero;
    /** The value of the last successful {@link #parseDouble}. */
    double doubleValue;

    /** First index in {@code [from, to)} that is not whitespace. */
    static int trimStart(String s, int from, int to) {
        while (from < to && s.charAt(from) <= ' ') from++;
        return from;
    }

    /** One past the last index in {@code [from, to)} that is not whitespace. */
    static int trimEnd(String s, int from, int to) {
        while (to > from && s.charAt(to - 1) <= ' ') to--;
        return to;
    }

    /**
     * {@code [+-]digits} within the range of a long. A leading zero before more digits is accepted but flagged in
     * {@link #leadingZero}.
     */
    boolean parseLong(String s, int from, int to) {
        int p = from;
        if (p >= to) return false;
        boolean negative = false;
        char c = s.charAt(p);
        if (c == '-' || c == '+') {
            negative = c == '-';
            if (++p >= to) return false;
        }
        int digitsStart = p;
        // Accumulate negatively: Long.MIN_VALUE has no positive counterpart.
        long v = 0;
        for (; p < to; p++) {
            int d = s.charAt(p) - '0';
            if (d < 0 || d > 9) return false;
            if (v < Long.MIN_VALUE / 10) return false;
            v *= 10;
            if (v < Long.MIN_VALUE + d) return false;
            v -= d;
        }
        if (!negative) {
            if (v == Long.MIN_VALUE) return false;
            v = -v;
        }
        longValue = v;
        leadingZero = to - digitsStart > 1 && s.charAt(digitsStart) == '0';
        return true;
    }

    /**
     * {@code [+-]digits[.digits][(e|E)[+-]digits]} with at least one mantissa digit ({@code .5} and {@code 5.} are
     * fine) giving a finite double. {@code NaN}, {@code Infinity}, hexadecimal and Java's {@code d}/{@code f}
     * suffixes are refused: sensors and PLC exports write {@code NaN}/{@code Inf} for a failed reading, which must
     * surface as a bad value, not silently enter statistics.
     */
    boolean parseDouble(String s, int from, int to) {
        int p = from;
        if (p >= to) return false;
        boolean negative = false;
        char c = s.charAt(p);
        if (c == '-' || c == '+') {
            negative = c == '-';
            if (++p >= to) return false;
        }
        long mantissa = 0;
        int significant = 0;   // digits accumulated in mantissa, leading zeros excluded
        int dropped = 0;       // integer digits that did not fit in mantissa
        int fractionDigits = 0;
        int digits = 0;
        boolean exact = true;
        for (; p < to; p++) {
            c = s.charAt(p);
            if (c < '0' || c > '9') break;
            digits++;
            if (significant < 18) {
                mantissa = mantissa * 10 + (c - '0');
                if (mantissa != 0) significant++;
            } else {
                dropped++;
                if (c != '0') exact = false;
            }
        }
        if (p < to && s.charAt(p) == '.') {
            p++;
            for (; p < to; p++) {
                c = s.charAt(p);
                if (c < '0' || c > '9') break;
                digits++;
                if (significant < 18) {
                    mantissa = mantissa * 10 + (c - '0');
                    if (mantissa != 0) significant++;
                    fractionDigits++;
                } else if (c != '0') {
                    exact = false;
                }
            }
        }
        if (digits == 0) return false;
        int exponent = 0;
        if (p < to && ((c = s.charAt(p)) == 'e' || c == 'E')) {
            if (++p >= to) return false;
            boolean negativeExponent = false;
            c = s.charAt(p);
            if (c == '-' || c == '+') {
                negativeExponent = c == '-';
                if (++p >= to) return false;
            }
            int expStart = p;
            for (; p < to; p++) {
                c = s.charAt(p);
                if (c < '0' || c > '9') return false;
                if (exponent < 100_000) exponent = exponent * 10 + (c - '0');
            }
            if (p == expStart) return false;
            if (negativeExponent) exponent = -exponent;
        }
        if (p != to) return false;
        int scale = exponent + dropped - fractionDigits;
        double v;
        // Clinger's fast path: a mantissa below 2^53 and a power of ten that is itself exact give the correctly
        // rounded result with one multiplication or division.
        if (exact && mantissa < (1L << 53) && scale >= -22 && scale <= 22) {
            v = scale >= 0 ? mantissa * POWERS_OF_TEN[scale] : mantissa / POWERS_OF_TEN[-scale];
        } else if (mantissa == 0 && exact) {
            v = 0.0;
        } else {
            // The syntax above is a subset of Java's, so this cannot throw; the text carries its own sign.
            v = Math.abs(Double.parseDouble(s.substring(from, to)));
        }
        if (Double.isInfinite(v) || Double.isNaN(v)) return false;
        doubleValue = negative ? -v : v;
        return true;
    }

    /** Boolean words that inference accepts: {@code true} and {@code false} in any case. See {@link ColumnStats}. */
    static int booleanWord(String s, int from, int to) {
        int n = to - from;
        if (n == 4 && s.regionMatches(true, from, "true", 0, 4)) return 1;
        if (n == 5 && s.regionMatches(true, from, "false", 0, 5)) return 0;
        return -1;
    }

    /**
     * Boolean text that a BOOLEAN column accepts: the inference words plus {@code yes/no}, {@code y/n} and
     * {@code 1/0}, so a provider may turn a Y/N column into a boolean in the dictionary. Returns 1, 0 or -1.
     */
    static int booleanValue(String s, int from, int to) {
        int w = booleanWord(s, from, to);
        if (w >= 0) return w;
        int n = to - from;
        if (n == 1) {
            char c = s.charAt(from);
            if (c == 'y' || c == 'Y' || c == '1') return 1;
            if (c == 'n' || c == 'N' || c == '0') return 0;
        }
        if (n == 3 && s.regionMatches(true, from, "yes", 0, 3)) return 1;
        if (n == 2 && s.regionMatches(true, from, "no", 0, 2)) return 0;
        return -1;
    }
}
