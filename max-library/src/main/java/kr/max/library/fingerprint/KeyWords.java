package kr.max.library.fingerprint;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.Date;

/**
 * The canonical encoding of a row's key values as 64-bit words, so that one value reads the same whether
 * the export streamed it from DuckDB or the tracer read it back from a file. Integral numbers and whole
 * doubles are one {@code long}; points in time are their epoch microseconds (a {@code LocalDateTime} and a
 * {@code java.sql.Timestamp} read as UTC wall-clock time, a date as its midnight UTC); other numbers their
 * IEEE bits; everything else its text, as UTF-16 units. Each value carries a tag, a text its length, so
 * distinct key tuples never share an encoding.
 */
final class KeyWords {

    private static final long NULL = 0x6e756c6cL;
    private static final long LONG = 1;
    private static final long DOUBLE = 2;
    private static final long TEXT = 3;

    private long[] words = new long[16];
    private int size;

    void reset() {
        size = 0;
    }

    long[] words() {
        return words;
    }

    int size() {
        return size;
    }

    private void put(long w) {
        if (size == words.length) words = Arrays.copyOf(words, size * 2);
        words[size++] = w;
    }

    void addNull() {
        put(NULL);
    }

    void addLong(long v) {
        put(LONG);
        put(v);
    }

    void addDouble(double d) {
        if (Double.isNaN(d)) {
            addNull();
        } else if (d == Math.rint(d) && Math.abs(d) < 0x1p62) {
            addLong((long) d);
        } else {
            put(DOUBLE);
            put(Double.doubleToLongBits(d));
        }
    }

    void addText(CharSequence s) {
        int n = s.length();
        put(TEXT | ((long) n << 8));
        long w = 0;
        int shift = 0;
        for (int i = 0; i < n; i++) {
            w |= (long) s.charAt(i) << shift;
            shift += 16;
            if (shift == 64) {
                put(w);
                w = 0;
                shift = 0;
            }
        }
        if (shift != 0) put(w);
    }

    void add(Object v) {
        // the usual key values first, before the general switch
        if (v instanceof String s) {
            addText(s);
            return;
        }
        if (v instanceof Long l) {
            addLong(l);
            return;
        }
        switch (v) {
            case null -> addNull();
            case String s -> addText(s);
            case Long l -> addLong(l);
            case Integer i -> addLong(i);
            case Short s -> addLong(s);
            case Byte b -> addLong(b);
            case Double d -> addDouble(d);
            case Float f -> addDouble(f);
            case BigInteger b when b.bitLength() < 64 -> addLong(b.longValue());
            case BigDecimal b -> addBigDecimal(b);
            case Instant t -> addInstant(t);
            case LocalDateTime t -> addInstant(t.toInstant(ZoneOffset.UTC));
            case OffsetDateTime t -> addInstant(t.toInstant());
            case ZonedDateTime t -> addInstant(t.toInstant());
            case LocalDate d -> addInstant(d.atStartOfDay().toInstant(ZoneOffset.UTC));
            case java.sql.Timestamp t -> addInstant(t.toLocalDateTime().toInstant(ZoneOffset.UTC));
            case Date d -> addInstant(d.toInstant());
            case CharSequence s -> addText(s);
            default -> addText(v.toString());
        }
    }

    private void addBigDecimal(BigDecimal b) {
        try {
            addLong(b.longValueExact());
        } catch (ArithmeticException notIntegral) {
            addDouble(b.doubleValue());
        }
    }

    private void addInstant(Instant t) {
        try {
            addLong(Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000));
        } catch (ArithmeticException outOfRange) {
            addText(t.toString());
        }
    }

    /** The kind of a key column held as an array, for {@link #add(int, Object, int)}. */
    static int kind(Object column) {
        return switch (column) {
            case long[] a -> 0;
            case int[] a -> 1;
            case double[] a -> 2;
            case Object[] a -> 3;
            case null, default -> throw new IllegalArgumentException("a key column is a long[], int[], double[] or Object[], not "
                    + (column == null ? "null" : column.getClass().getSimpleName()));
        };
    }

    /** The value at {@code row} of a key column of the given {@link #kind}. */
    void add(int kind, Object column, int row) {
        switch (kind) {
            case 0 -> addLong(((long[]) column)[row]);
            case 1 -> addLong(((int[]) column)[row]);
            case 2 -> addDouble(((double[]) column)[row]);
            default -> add(((Object[]) column)[row]);
        }
    }

    /** The value at {@code row} of a key column held as an array. */
    void add(Object column, int row) {
        add(kind(column), column, row);
    }

    boolean sameAs(long[] other, int from, int count) {
        return count == size && Arrays.equals(words, 0, size, other, from, from + count);
    }
}
