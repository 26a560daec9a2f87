package kr.max.library.deid;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.HashMap;

/** Dense codes for a column's distinct values, and the canonical text of values. */
final class Values {

    private Values() {
    }

    /**
     * A column's values as codes {@code 0 … count-1}; the missing value, if any, has the last code.
     *
     * @param codeOfRow per row its value's code
     * @param count     number of codes
     * @param nullCode  the code of the missing value, or -1 when no value is missing
     * @param frequency per code its number of rows
     * @param micros    per code its instant, for timestamps ({@code null} otherwise)
     * @param numbers   per code its number, for numbers
     * @param texts     per code its text, for texts
     */
    record Coding(int[] codeOfRow, int count, int nullCode, int[] frequency, long[] micros, double[] numbers,
                  String[] texts) {

        /** The canonical text of a (non-null) code: what a pseudonym or a category hierarchy sees. */
        String text(int code, ZoneId zone) {
            if (texts != null) return texts[code];
            if (numbers != null) return number(numbers[code]);
            return timestamp(micros[code], zone);
        }
    }

    static Coding code(DeidTable.Column column) {
        return switch (column) {
            case DeidTable.Timestamps t -> codeTimestamps(t.micros());
            case DeidTable.Numbers n -> codeNumbers(n.values());
            case DeidTable.Texts s -> codeTexts(s.values());
        };
    }

    private static Coding codeTimestamps(long[] values) {
        int n = values.length;
        var map = new LongIntMap(Math.min(n, 1 << 16));
        int[] codes = new int[n];
        long[] distinct = new long[64];
        boolean nulls = false;
        for (int row = 0; row < n; row++) {
            long v = values[row];
            if (v == DeidTable.Timestamps.NULL) {
                codes[row] = -1;
                nulls = true;
                continue;
            }
            int before = map.size();
            int c = map.code(v);
            if (c == before) {
                if (c == distinct.length) distinct = Arrays.copyOf(distinct, c * 2);
                distinct[c] = v;
            }
            codes[row] = c;
        }
        int count = map.size();
        return finish(codes, count, nulls, Arrays.copyOf(distinct, count + (nulls ? 1 : 0)), null, null);
    }

    private static Coding codeNumbers(double[] values) {
        int n = values.length;
        var map = new LongIntMap(Math.min(n, 1 << 16));
        int[] codes = new int[n];
        double[] distinct = new double[64];
        boolean nulls = false;
        for (int row = 0; row < n; row++) {
            double v = values[row];
            if (Double.isNaN(v)) {
                codes[row] = -1;
                nulls = true;
                continue;
            }
            if (v == 0.0) v = 0.0; // one code for -0.0 and 0.0
            int before = map.size();
            int c = map.code(Double.doubleToLongBits(v));
            if (c == before) {
                if (c == distinct.length) distinct = Arrays.copyOf(distinct, c * 2);
                distinct[c] = v;
            }
            codes[row] = c;
        }
        int count = map.size();
        double[] d = Arrays.copyOf(distinct, count + (nulls ? 1 : 0));
        if (nulls) d[count] = Double.NaN;
        return finish(codes, count, nulls, null, d, null);
    }

    private static Coding codeTexts(String[] values) {
        int n = values.length;
        var map = new HashMap<String, Integer>();
        int[] codes = new int[n];
        String[] distinct = new String[64];
        boolean nulls = false;
        for (int row = 0; row < n; row++) {
            String v = values[row];
            if (v == null) {
                codes[row] = -1;
                nulls = true;
                continue;
            }
            Integer c = map.get(v);
            if (c == null) {
                c = map.size();
                map.put(v, c);
                if (c == distinct.length) distinct = Arrays.copyOf(distinct, c * 2);
                distinct[c] = v;
            }
            codes[row] = c;
        }
        int count = map.size();
        return finish(codes, count, nulls, null, null, Arrays.copyOf(distinct, count + (nulls ? 1 : 0)));
    }

    private static Coding finish(int[] codes, int count, boolean nulls, long[] micros, double[] numbers, String[] texts) {
        int nullCode = nulls ? count : -1;
        int total = count + (nulls ? 1 : 0);
        int[] freq = new int[total];
        for (int row = 0; row < codes.length; row++) {
            if (codes[row] < 0) codes[row] = nullCode;
            freq[codes[row]]++;
        }
        if (nulls && micros != null) micros[nullCode] = DeidTable.Timestamps.NULL;
        return new Coding(codes, total, nullCode, freq, micros, numbers, texts);
    }

    /** Canonical text of a number: integers without a fraction, others as {@link Double#toString}. */
    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return Double.toString(v);
    }

    static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }

    /** An instant in the plant's zone: {@code 2026-03-04T10:15:30.123456+09:00}. */
    static String timestamp(long micros, ZoneId zone) {
        return OffsetDateTime.ofInstant(instant(micros), zone).toString();
    }
}
