package kr.max.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders rows as an aligned table (Hangul counted double width, as terminals show it), CSV
 * (RFC 4180) or JSON Lines. Tables buffer only the first rows to size the columns, then stream.
 */
final class Output {

    enum Format { TABLE, CSV, JSON }

    private static final int SIZING_ROWS = 200;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    private final PrintWriter out;
    private final Format format;
    private final ZoneId zone;
    private List<String> columns;
    private final List<String[]> pending = new ArrayList<>();
    private int[] widths;
    private boolean headerDone;

    Output(PrintWriter out, Format format, ZoneId zone) {
        this.out = out;
        this.format = format;
        this.zone = zone;
    }

    /** This output as the receiver of a query result: its columns, then its rows. */
    kr.max.library.query.ResultSink sink() {
        return new kr.max.library.query.ResultSink() {
            @Override
            public void columns(List<String> names, List<String> sqlTypes) {
                Output.this.columns(names);
            }

            @Override
            public void row(Object[] values) {
                Output.this.row(values);
            }
        };
    }

    void columns(List<String> names) {
        this.columns = List.copyOf(names);
        if (format == Format.CSV) {
            out.println(String.join(",", names.stream().map(Output::csv).toList()));
            headerDone = true;
        }
    }

    void row(Object... values) {
        String[] cells = new String[values.length];
        for (int i = 0; i < values.length; i++) cells[i] = text(values[i]);
        switch (format) {
            case CSV -> {
                var parts = new ArrayList<String>(cells.length);
                for (String c : cells) parts.add(c == null ? "" : csv(c));
                out.println(String.join(",", parts));
            }
            case JSON -> out.println(json(cells, values));
            case TABLE -> {
                if (widths == null && pending.size() < SIZING_ROWS) {
                    pending.add(cells);
                } else {
                    flushPending();
                    printRow(cells);
                }
            }
        }
    }

    void end() {
        if (format == Format.TABLE) flushPending();
        out.flush();
    }

    private void flushPending() {
        if (widths != null) return;
        widths = new int[columns.size()];
        for (int i = 0; i < widths.length; i++) widths[i] = width(columns.get(i));
        for (String[] r : pending) {
            for (int i = 0; i < r.length && i < widths.length; i++) widths[i] = Math.max(widths[i], Math.min(60, width(r[i])));
        }
        if (!headerDone) {
            printRow(columns.toArray(String[]::new));
            var sep = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                if (i > 0) sep.append("  ");
                sep.append("-".repeat(widths[i]));
            }
            out.println(sep);
            headerDone = true;
        }
        pending.forEach(this::printRow);
        pending.clear();
    }

    private void printRow(String[] cells) {
        var sb = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) sb.append("  ");
            String c = cells[i] == null ? "" : cells[i];
            if (width(c) > 60) c = cut(c, 59) + "…";
            sb.append(c);
            if (i < cells.length - 1 && i < widths.length) sb.append(" ".repeat(Math.max(0, widths[i] - width(c))));
        }
        out.println(sb.toString().stripTrailing());
    }

    private String text(Object v) {
        if (v == null) return null;
        if (v instanceof OffsetDateTime t) return TIME.format(t.atZoneSameInstant(zone));
        if (v instanceof Instant t) return TIME.format(t.atZone(zone));
        if (v instanceof java.sql.Timestamp t) return TIME.format(t.toInstant().atZone(zone));
        if (v instanceof Double d) return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf(d.longValue()) + ".0" : d.toString();
        return v.toString();
    }

    private String json(String[] cells, Object[] raw) {
        var sb = new StringBuilder("{");
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) sb.append(',');
            sb.append('"').append(escape(columns.get(i))).append("\":");
            Object r = raw[i];
            if (r == null) sb.append("null");
            else if (r instanceof Number n && !(r instanceof Double d && (d.isNaN() || d.isInfinite()))) sb.append(n);
            else if (r instanceof Boolean b) sb.append(b);
            else sb.append('"').append(escape(cells[i])).append('"');
        }
        return sb.append('}').toString();
    }

    static String escape(String s) {
        var sb = new StringBuilder(s.length() + 8);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.toString();
    }

    static String csv(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) return s;
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    /** Terminal columns: Hangul, CJK and full-width forms take two. */
    static int width(String s) {
        if (s == null) return 0;
        int w = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            w += wide(cp) ? 2 : 1;
        }
        return w;
    }

    private static String cut(String s, int maxWidth) {
        var sb = new StringBuilder();
        int w = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int cw = wide(cp) ? 2 : 1;
            if (w + cw > maxWidth) break;
            sb.appendCodePoint(cp);
            w += cw;
            i += Character.charCount(cp);
        }
        return sb.toString();
    }

    private static boolean wide(int cp) {
        return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3)
                || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60)
                || (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
    }
}
