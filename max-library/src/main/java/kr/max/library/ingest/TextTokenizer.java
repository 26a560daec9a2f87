package kr.max.library.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Splits decoded text into rows of fields, either by a delimiter following RFC 4180 (quoted fields with embedded
 * delimiters, doubled quotes and line breaks; CRLF, LF or CR line ends) or by runs of spaces and tabs.
 *
 * <p>Works on one reused character buffer: fields are ranges of it, handed to {@link RawRow} without copying. When a
 * row crosses the end of the buffer, the row is moved to the front, more text is read, and the row is parsed again
 * from its start; that happens once per buffer and keeps the inner loops free of resumable state. A row longer than
 * {@link #MAX_ROW_CHARS} (in practice an opening quote that is never closed) is reported as
 * {@link IngestError#CUT_OFF} and reading resumes on the next line, so memory stays bounded.
 */
final class TextTokenizer {

    static final int INITIAL_CHARS = 1 << 17;
    static final int MAX_ROW_CHARS = 1 << 23;
    private static final int EXCERPT = 40;

    private static final int ROW = 0;
    private static final int NEED_MORE = 1;
    private static final int END = 2;

    private final StrictTextInput input;
    private final char delimiter;
    private final boolean whitespace;
    private final char maxSpecial;
    private final int maxRowChars;

    private char[] buf;
    private int pos;        // start of the next row in buf
    private int limit;      // end of the valid text in buf
    private long base;      // absolute character offset of buf[0]
    private long line = 1;  // physical line of buf[pos]
    private boolean eof;

    private int rowStart;
    private int rowEnd;
    private boolean endedByNewline;

    private String[] columns;
    private int expected = -1;

    /** A tokenizer splitting on {@code delimiter}. */
    static TextTokenizer delimited(StrictTextInput input, char delimiter) {
        return new TextTokenizer(input, delimiter, false, MAX_ROW_CHARS);
    }

    /** A tokenizer splitting on runs of spaces and tabs, ignoring them at the start and end of a line. */
    static TextTokenizer whitespace(StrictTextInput input) {
        return new TextTokenizer(input, ' ', true, MAX_ROW_CHARS);
    }

    TextTokenizer(StrictTextInput input, char delimiter, boolean whitespace, int maxRowChars) {
        this.input = input;
        this.delimiter = delimiter;
        this.whitespace = whitespace;
        this.maxSpecial = (char) Math.max(delimiter, '\r');
        this.maxRowChars = maxRowChars;
        this.buf = new char[Math.min(INITIAL_CHARS, maxRowChars)];
    }

    /** From now on rows are checked against these columns (field count problems name them). */
    void columns(List<String> names) {
        columns = names.toArray(String[]::new);
        expected = columns.length;
    }

    /** Fills {@code row} with the next non-blank row; false at the end of the text. */
    boolean next(RawRow row) {
        for (;;) {
            int r = whitespace ? parseWhitespaceRow(row) : parseDelimitedRow(row);
            if (r == ROW) {
                checkRow(row);
                return true;
            }
            if (r == END) return false;
            if (!readMore()) {
                skipTooLongRow(row);
                return true;
            }
        }
    }

    /** Whether the last row returned ended with a line break (false: the text ended inside it). */
    boolean lastRowEndedByNewline() {
        return endedByNewline;
    }

    // ---------------------------------------------------------------- parsing

    /** Skips blank lines (only spaces, and tabs unless tab delimits); returns ROW when a row starts at {@code pos}. */
    private int skipBlankLines(boolean tabIsBlank) {
        final char[] b = buf;
        final int lim = limit;
        int p = pos;
        for (;;) {
            int q = p;
            while (q < lim) {
                char c = b[q];
                if (c == ' ' || c == '\t' && tabIsBlank) q++;
                else break;
            }
            if (q >= lim) {
                if (eof) {
                    pos = q;
                    return END;
                }
                pos = p;
                return NEED_MORE;
            }
            char c = b[q];
            if (c == '\n') {
                p = q + 1;
            } else if (c == '\r') {
                if (q + 1 >= lim && !eof) {
                    pos = p;
                    return NEED_MORE;
                }
                p = q + 1 < lim && b[q + 1] == '\n' ? q + 2 : q + 1;
            } else {
                pos = p;
                return ROW;
            }
            line++;
        }
    }

    private int parseDelimitedRow(RawRow row) {
        int skip = skipBlankLines(delimiter != '\t');
        if (skip != ROW) return skip;
        final char[] b = buf;
        final int lim = limit;
        final char d = delimiter;
        final char max = maxSpecial;
        final long ln = line;
        int p = pos;
        rowStart = p;
        row.startRanges(b, ln);
        long lines = 0;
        boolean newline = false;
        char c;
        fields:
        for (;;) {
            if (p >= lim) {
                if (!eof) return NEED_MORE;
                row.addRange(p, p, false); // empty last field after a delimiter at the end of the text
                break;
            }
            c = b[p];
            if (c != '"') {
                int s = p;
                while (p < lim) {
                    c = b[p];
                    if (c <= max && (c == d || c == '\n' || c == '\r')) break;
                    p++;
                }
                if (p >= lim) {
                    if (!eof) return NEED_MORE;
                    row.addRange(s, p, false);
                    break;
                }
                row.addRange(s, p, false);
                if (c == d) {
                    p++;
                    continue;
                }
            } else {
                int s = ++p;
                int e;
                boolean doubled = false;
                for (;;) {
                    while (p < lim && (c = b[p]) != '"') {
                        if (c == '\n') lines++;
                        p++;
                    }
                    if (p >= lim) {
                        if (!eof) return NEED_MORE;
                        return unterminatedQuote(row, s);
                    }
                    if (p + 1 >= lim) {
                        if (!eof) return NEED_MORE;
                        e = p++;
                        break;
                    }
                    if (b[p + 1] == '"') {
                        doubled = true;
                        p += 2;
                        continue;
                    }
                    e = p++;
                    break;
                }
                int index = row.addRange(s, e, doubled);
                if (p >= lim) {
                    if (!eof) return NEED_MORE;
                    break;
                }
                c = b[p];
                if (c == d) {
                    p++;
                    continue;
                }
                if (c != '\n' && c != '\r') {
                    // Text after the closing quote ("abc"x): keep the quoted part, report the field.
                    while (p < lim && (c = b[p]) != d && c != '\n' && c != '\r') p++;
                    if (p >= lim && !eof) return NEED_MORE;
                    row.problem(new IngestProblem(IngestError.BAD_VALUE, ln + lines, index + 1, columnName(index),
                            excerpt(b, s - 1, p)));
                    if (p >= lim) break;
                    if (c == d) {
                        p++;
                        continue;
                    }
                }
            }
            // c is '\n' or '\r' at p
            if (c == '\r') {
                if (p + 1 >= lim && !eof) return NEED_MORE;
                p = p + 1 < lim && b[p + 1] == '\n' ? p + 2 : p + 1;
            } else {
                p++;
            }
            lines++;
            newline = true;
            break fields;
        }
        rowEnd = p;
        pos = p;
        line = ln + lines;
        endedByNewline = newline;
        return ROW;
    }

    private int parseWhitespaceRow(RawRow row) {
        int skip = skipBlankLines(true);
        if (skip != ROW) return skip;
        final char[] b = buf;
        final int lim = limit;
        int p = pos;
        rowStart = p;
        row.startRanges(b, line);
        boolean newline = false;
        char c;
        for (;;) {
            while (p < lim && ((c = b[p]) == ' ' || c == '\t')) p++;
            if (p >= lim) {
                if (!eof) return NEED_MORE;
                break;
            }
            c = b[p];
            if (c == '\n' || c == '\r') {
                if (c == '\r') {
                    if (p + 1 >= lim && !eof) return NEED_MORE;
                    p = p + 1 < lim && b[p + 1] == '\n' ? p + 2 : p + 1;
                } else {
                    p++;
                }
                newline = true;
                break;
            }
            int s = p;
            while (p < lim) {
                c = b[p];
                if (c <= ' ' && (c == ' ' || c == '\t' || c == '\n' || c == '\r')) break;
                p++;
            }
            if (p >= lim && !eof) return NEED_MORE;
            row.addRange(s, p, false);
        }
        rowEnd = p;
        pos = p;
        if (newline) line++;
        endedByNewline = newline;
        return ROW;
    }

    /**
     * The text ends inside a quoted field. Report the row as cut off and resume on the line after the row's first
     * line: a stray quote in the middle of a file then costs one row, not the rest of the file.
     */
    private int unterminatedQuote(RawRow row, int quotedStart) {
        int index = row.addRange(quotedStart, limit, false);
        row.problem(new IngestProblem(IngestError.CUT_OFF, line, index + 1, columnName(index),
                excerpt(buf, quotedStart, limit)));
        int q = pos;
        while (q < limit && buf[q] != '\n' && buf[q] != '\r') q++;
        if (q < limit) q = buf[q] == '\r' && q + 1 < limit && buf[q + 1] == '\n' ? q + 2 : q + 1;
        rowEnd = q;
        pos = q;
        line++;
        endedByNewline = false;
        return ROW;
    }

    /** A row longer than the limit: report it cut off and skip to the line after its first line. */
    private void skipTooLongRow(RawRow row) {
        row.startRanges(buf, line);
        row.problem(new IngestProblem(IngestError.CUT_OFF, line, 0, null, excerpt(buf, pos, Math.min(limit, pos + EXCERPT))));
        int q = pos;
        for (;;) {
            while (q < limit && buf[q] != '\n' && buf[q] != '\r') q++;
            if (q < limit || eof) break;
            base += limit;
            pos = 0;
            limit = 0;
            q = 0;
            fillFromInput();
        }
        if (q < limit) q = buf[q] == '\r' && q + 1 < limit && buf[q + 1] == '\n' ? q + 2 : q + 1;
        pos = q;
        line++;
        while (input.firstBadPosition() < base + pos) input.takeBadBytes();
        endedByNewline = true;
    }

    /** Moves the unfinished row to the front of the buffer (growing it if full) and reads more text. */
    private boolean readMore() {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            base += pos;
            limit -= pos;
            pos = 0;
        }
        if (buf.length - limit < 2) { // room for a surrogate pair
            if (buf.length >= maxRowChars) return false;
            buf = java.util.Arrays.copyOf(buf, Math.min(maxRowChars, buf.length * 2));
        }
        fillFromInput();
        return true;
    }

    private void fillFromInput() {
        try {
            int n = input.read(buf, limit, buf.length - limit);
            if (n < 0) eof = true;
            else limit += n;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- row checks

    private void checkRow(RawRow row) {
        if (input.firstBadPosition() < base + rowEnd) reportBadEncoding(row);
        if (expected >= 0) {
            int n = row.size();
            if (n > expected) reportExtraFields(row);
            else if (n < expected) reportMissingFields(row);
        }
    }

    private void reportBadEncoding(RawRow row) {
        long first = input.firstBadPosition();
        String hex = input.takeBadBytes();
        while (input.firstBadPosition() < base + rowEnd) input.takeBadBytes();
        int at = (int) Math.max(rowStart, first - base);
        long badLine = row.line();
        for (int i = rowStart; i < at; i++) if (buf[i] == '\n') badLine++;
        int column = 0;
        for (int i = 0; i < row.size(); i++) {
            if (row.rangeStart(i) <= at && at < row.rangeEnd(i)) {
                column = i + 1;
                break;
            }
        }
        row.problem(new IngestProblem(IngestError.BAD_ENCODING, badLine, column, column > 0 ? columnName(column - 1) : null, hex));
    }

    /** More fields than columns. Trailing empty fields ({@code 1,2,3,}) lose nothing and are dropped silently. */
    private void reportExtraFields(RawRow row) {
        for (int i = expected; i < row.size(); i++) {
            if (row.rangeStart(i) != row.rangeEnd(i)) {
                row.problem(new IngestProblem(IngestError.EXTRA_FIELD, row.line(), expected + 1, null, row.get(expected)));
                return;
            }
        }
        row.setSize(expected);
    }

    /** Fewer fields than columns: the row is cut off when the text ends in it, else fields are missing. */
    private void reportMissingFields(RawRow row) {
        int n = row.size();
        if (!endedByNewline) {
            row.problem(new IngestProblem(IngestError.CUT_OFF, row.line(), n, columnName(n - 1), n > 0 ? row.get(n - 1) : null));
        } else {
            row.problem(new IngestProblem(IngestError.MISSING_FIELD, row.line(), n + 1, columnName(n), null));
        }
    }

    private String columnName(int index) {
        return columns != null && index >= 0 && index < columns.length ? columns[index] : null;
    }

    private static String excerpt(char[] b, int from, int to) {
        int end = Math.min(to, from + EXCERPT);
        var s = new String(b, from, Math.max(0, end - from)).replace('\n', ' ').replace('\r', ' ');
        return end < to ? s + "…" : s;
    }
}
