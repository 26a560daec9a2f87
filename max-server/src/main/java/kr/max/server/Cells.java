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
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonGenerator;

/**
 * Query values as JSON and CSV. Only plain values leave the server: numbers, text, booleans, times
 * in ISO-8601 with their offset, bytes in Base64, lists and structs of these. Anything else is
 * written as its text, never through bean introspection of a driver's objects.
 */
final class Cells {

    private Cells() {
    }

    /** Writes one value; NaN and infinities become the strings {@code NaN}, {@code Infinity}, {@code -Infinity}. */
    static void write(JsonGenerator g, Object v) {
        switch (v) {
            case null -> g.writeNull();
            case String s -> g.writeString(s);
            case Boolean b -> g.writeBoolean(b);
            case Integer i -> g.writeNumber(i);
            case Long l -> g.writeNumber(l);
            case Short s -> g.writeNumber(s);
            case Byte b -> g.writeNumber(b);
            case BigInteger b -> g.writeNumber(b);
            case BigDecimal b -> g.writeNumber(b);
            case Double d -> {
                if (d.isNaN() || d.isInfinite()) g.writeString(d.toString());
                else g.writeNumber(d);
            }
            case Float f -> {
                if (f.isNaN() || f.isInfinite()) g.writeString(f.toString());
                else g.writeNumber(f);
            }
            case byte[] b -> g.writeString(Base64.getEncoder().encodeToString(b));
            case java.sql.Array a -> {
                g.writeStartArray();
                for (Object e : elements(a)) write(g, e);
                g.writeEndArray();
            }
            case List<?> list -> {
                g.writeStartArray();
                for (Object e : list) write(g, e);
                g.writeEndArray();
            }
            case Map<?, ?> map -> {
                g.writeStartObject();
                for (var e : map.entrySet()) {
                    g.writeName(String.valueOf(e.getKey()));
                    write(g, e.getValue());
                }
                g.writeEndObject();
            }
            case java.sql.Struct s -> write(g, fields(s));
            default -> g.writeString(text(v));
        }
    }

    /** The value as plain Java for a mapper: what {@link #write} would write. */
    static Object plain(Object v) {
        return switch (v) {
            case null -> null;
            case String s -> s;
            case Boolean b -> b;
            case Integer i -> i;
            case Long l -> l;
            case Short s -> s;
            case Byte b -> b;
            case BigInteger b -> b;
            case BigDecimal b -> b;
            case Double d -> d.isNaN() || d.isInfinite() ? d.toString() : d;
            case Float f -> f.isNaN() || f.isInfinite() ? f.toString() : f;
            case java.sql.Array a -> elements(a).stream().map(Cells::plain).toList();
            case List<?> list -> list.stream().map(Cells::plain).toList();
            case Map<?, ?> map -> {
                var out = new LinkedHashMap<String, Object>();
                map.forEach((k, x) -> out.put(String.valueOf(k), plain(x)));
                yield out;
            }
            case java.sql.Struct s -> plain(fields(s));
            default -> text(v);
        };
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
            case java.sql.Timestamp t -> DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t.toInstant().atOffset(ZoneOffset.UTC));
            case java.sql.Date d -> DateTimeFormatter.ISO_LOCAL_DATE.format(d.toLocalDate());
            case java.sql.Time t -> DateTimeFormatter.ISO_LOCAL_TIME.format(t.toLocalTime());
            case BigDecimal b -> b.toPlainString();
            case byte[] b -> Base64.getEncoder().encodeToString(b);
            default -> v.toString();
        };
    }

    /** RFC 4180: quote a field holding a comma, quote, CR or LF; double the quotes inside. */
    static String csv(String s) {
        if (s == null) return "";
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) return s;
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    private static List<Object> elements(java.sql.Array a) {
        try {
            Object arr = a.getArray();
            var out = new ArrayList<Object>();
            if (arr instanceof Object[] objects) out.addAll(java.util.Arrays.asList(objects));
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("array value cannot be read", e);
        }
    }

    private static Map<String, Object> fields(java.sql.Struct s) {
        try {
            var out = new LinkedHashMap<String, Object>();
            Object[] values = s.getAttributes();
            for (int i = 0; i < values.length; i++) out.put("f" + (i + 1), values[i]);
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("struct value cannot be read", e);
        }
    }
}
