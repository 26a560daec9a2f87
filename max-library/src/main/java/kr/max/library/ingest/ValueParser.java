package kr.max.library.ingest;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.List;
import java.util.Locale;
import kr.max.core.dictionary.ColumnSpec;
import kr.max.core.dictionary.ColumnType;
import kr.max.core.dictionary.DataDictionary;

/**
 * Parses the field text of one column of a data dictionary, on the hot path of ingest: no regular expression per
 * value and no exception for an ordinary bad value, which comes back as {@link #INVALID}.
 *
 * <p>Accepts everything {@link DictionaryInference} counted as fitting the column's type, so a column inferred as
 * numeric reports exactly its stray values ({@code 27O}) as bad. Text is trimmed first; empty text is {@code null}.
 * A parser keeps scratch state: use one per column and thread.
 */
public final class ValueParser {

    /** Returned for text that does not fit the column's type; compare by identity. */
    public static final Object INVALID = new Object() {
        @Override
        public String toString() {
            return "INVALID";
        }
    };

    private final ColumnType type;
    private final TimestampPattern pattern;       // null: any recognised form (format absent) or a custom pattern
    private final List<DateTimeFormatter> custom; // formatters of a pattern we do not know, else null
    private final ZoneId zone;
    private final LocalOffsets offsets;
    private final TextNumbers numbers = new TextNumbers();
    private final TimestampScanner scanner = new TimestampScanner();

    private ValueParser(ColumnType type, String format, ZoneId zone) {
        this.type = type;
        this.zone = zone;
        this.offsets = new LocalOffsets(zone);
        TimestampPattern known = format == null ? null : TimestampPattern.named(format);
        this.pattern = known;
        this.custom = type == ColumnType.TIMESTAMP && format != null && known == null ? formatters(format) : null;
    }

    /**
     * The parser for a column. Timestamps use the column's {@code format}: {@code iso}, one of the forms inference
     * writes, or any {@link DateTimeFormatter} pattern (slower); without a format every recognised form is accepted.
     * Text without a zone offset is read in {@code zone} ({@code null}: {@value DataDictionary#DEFAULT_TIME_ZONE}).
     *
     * @throws IllegalArgumentException for a format that is no valid pattern
     */
    public static ValueParser forColumn(ColumnSpec spec, ZoneId zone) {
        return new ValueParser(spec.type(), spec.format(), zone == null ? ZoneId.of(DataDictionary.DEFAULT_TIME_ZONE) : zone);
    }

    /**
     * {@code null} for null or blank text; else BOOLEAN → {@link Boolean}, INTEGER → {@link Long}, DECIMAL →
     * {@link Double}, TIMESTAMP → {@link Long} microseconds since the epoch (UTC), STRING → the trimmed text (MES
     * and Excel exports pad codes with spaces: {@code "E01   "} is {@code E01}). Text that does not fit →
     * {@link #INVALID}.
     *
     * <p>INTEGER refuses {@code 12.0} (inference would have made such a column DECIMAL); DECIMAL refuses
     * {@code NaN} and {@code Infinity}; BOOLEAN accepts true/false, yes/no, y/n and 1/0 in any case.
     */
    public Object parse(String text) {
        if (text == null) return null;
        int from = TextNumbers.trimStart(text, 0, text.length());
        int to = TextNumbers.trimEnd(text, from, text.length());
        if (from == to) return null;
        return switch (type) {
            case STRING -> text.substring(from, to);
            case INTEGER -> numbers.parseLong(text, from, to) ? (Object) numbers.longValue : INVALID;
            case DECIMAL -> numbers.parseDouble(text, from, to) ? (Object) numbers.doubleValue : INVALID;
            case BOOLEAN -> switch (TextNumbers.booleanValue(text, from, to)) {
                case 1 -> Boolean.TRUE;
                case 0 -> Boolean.FALSE;
                default -> INVALID;
            };
            case TIMESTAMP -> parseTimestamp(text, from, to);
        };
    }

    private Object parseTimestamp(String text, int from, int to) {
        if (custom != null) return parseCustom(text.substring(from, to));
        if (!scanner.scan(text, from, to)) return INVALID;
        TimestampPattern p = pattern;
        if (p == null) {
            p = scanner.firstFit();
            if (p == null) return INVALID;
        } else if (!scanner.fits(p)) {
            return INVALID;
        }
        return scanner.epochMicros(p, offsets);
    }

    /** A pattern written by the provider: the slow path through java.time, exceptions included. */
    private Object parseCustom(String text) {
        for (var f : custom) {
            try {
                TemporalAccessor t = f.parse(text);
                ZoneOffset offset = t.query(TemporalQueries.offset());
                LocalDate date = t.query(TemporalQueries.localDate());
                if (date == null) continue;
                LocalTime time = t.query(TemporalQueries.localTime());
                LocalDateTime local = date.atTime(time == null ? LocalTime.MIDNIGHT : time);
                Instant instant = offset != null ? local.toInstant(offset) : local.atZone(zone).toInstant();
                return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1000;
            } catch (DateTimeException e) {
                // try the next locale, then give up
            }
        }
        return INVALID;
    }

    private static List<DateTimeFormatter> formatters(String pattern) {
        // Korean first for 오전/오후, then English for AM/PM and month names.
        return List.of(formatter(pattern, Locale.KOREAN), formatter(pattern, Locale.ENGLISH));
    }

    private static DateTimeFormatter formatter(String pattern, Locale locale) {
        return new DateTimeFormatterBuilder().parseCaseInsensitive().appendPattern(pattern)
                .parseDefaulting(ChronoField.ERA, 1).toFormatter(locale);
    }
}
