package kr.max.server;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonGenerator;

/**
 * Query values as JSON and CSV. Only plain values leave the server: numbers, text, booleans, times
 * in ISO-8601 (with their offset when they have one), bytes in Base64, lists and maps of these;
 * anything else as its text, never through bean introspection of a driver's objects. NaN and the
 * infinities are JSON strings.
 */
final class Cells {

    private Cells() {
    }

    /** The value as one of: null, String, Boolean, Integer, Long, BigInteger, BigDecimal, Double, List, Map. */
    static Object plain(Object v) {
        return switch (v) {
            case null -> null;
            case String s -> s;
            case Boolean b -> b;
            case Integer i -> i;
            case Long l -> l;
            case Short s -> s.intValue();
            case Byte b -> b.intValue();
            case BigInteger b -> b;
            case BigDecimal b -> b;
            case Double d -> d.isNaN() || d.isInfinite() ? d.toString() : d;
            case Float f -> f.isNaN() || f.isInfinite() ? f.toString() : f.doubleValue();
            case java.sql.Array a -> Arrays.stream(elements(a)).map(Cells::plain).toList();
            case java.sql.Struct s -> Arrays.stream(attributes(s)).map(Cells::plain).toList();
            case List<?> list -> list.stream().map(Cells::plain).toList();
            case Map<?, ?> map -> {
                var out = new LinkedHashMap<String, Object>();
                map.forEach((k, x) -> out.put(String.valueOf(k), plain(x)));
                yield out;
            }
            default -> text(v);
        };
    }

    /** Writes one value as {@link #plain} makes it. */
    static void write(JsonGenerator g, Object v) {
        switch (plain(v)) {
            case null -> g.writeNull();
            case String s -> g.writeString(s);
            case Boolean b -> g.writeBoolean(b);
            case Integer i -> g.writeNumber(i);
            case Long l -> g.writeNumber(l);
            case BigInteger b -> g.writeNumber(b);
            case BigDecimal b -> g.writeNumber(b);
            case Double d -> g.writeNumber(d);
            case List<?> list -> {
                g.writeStartArray();
                for (Object e : list) write(g, e);
                g.writeEndArray();
            }
            case Map<?, ?> map -> {
                g.writeStartObject();
                for (var e : map.entrySet()) {
                    g.writeName((String) e.getKey());
                    write(g, e.getValue());
                }
                g.writeEndObject();
            }
            default -> throw new IllegalStateException("not a plain value");
        }
    }

    /** One value as CSV text (unquoted); {@code null} stays {@code null} and is written as an empty field. */
    static String text(Object v) {
        return switch (v) {
            case null -> null;
            case OffsetDateTime t -> DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t);
            case Instant t -> DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t.atOffset(ZoneOffset.UTC));
            case LocalDateTime t -> DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(t);
            case LocalDate d -> DateTimeFormatter.ISO_LOCAL_DATE.format(d);
            case LocalTime t -> DateTimeFormatter.ISO_LOCAL_TIME.format(t);
            // A TIMESTAMP without zone is a wall-clock time: never shift it by the JVM's zone.
            case java.sql.Timestamp t -> DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(t.toLocalDateTime());
            case java.sql.Date d -> DateTimeFormatter.ISO_LOCAL_DATE.format(d.toLocalDate());
            case java.sql.Time t -> DateTimeFormatter.ISO_LOCAL_TIME.format(t.toLocalTime());
            case BigDecimal b -> b.toPlainString();
            case byte[] b -> Base64.getEncoder().encodeToString(b);
            case java.sql.Blob b -> Base64.getEncoder().encodeToString(bytes(b));
            case java.sql.Array a -> String.valueOf(plain(a));
            case java.sql.Struct s -> String.valueOf(plain(s));
            default -> v.toString();
        };
    }

    /** RFC 4180: quote a field holding a comma, quote, CR or LF; double the quotes inside. */
    static String csv(String s) {
        if (s == null) return "";
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) return s;
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    private static Object[] elements(java.sql.Array a) {
        try {
            return a.getArray() instanceof Object[] objects ? objects : new Object[0];
        } catch (SQLException e) {
            throw new IllegalStateException("array value cannot be read", e);
        }
    }

    private static Object[] attributes(java.sql.Struct s) {
        try {
            return s.getAttributes();
        } catch (SQLException e) {
            throw new IllegalStateException("struct value cannot be read", e);
        }
    }

    private static byte[] bytes(java.sql.Blob b) {
        try {
            return b.getBytes(1, (int) Math.min(Integer.MAX_VALUE - 8, b.length()));
        } catch (SQLException e) {
            throw new IllegalStateException("blob value cannot be read", e);
        }
    }
}
