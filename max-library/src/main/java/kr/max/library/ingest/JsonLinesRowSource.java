package kr.max.library.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * Rows of JSON Lines: one object per line, read with Jackson's streaming parser straight from the line buffer.
 * Columns are the keys of the first object (or the given columns). A key not among them is an
 * {@link IngestError#UNKNOWN_COLUMN} problem, a missing key a null field, a number or boolean its text, a nested
 * value its JSON text, a malformed line a {@link IngestError#BAD_VALUE} problem.
 */
final class JsonLinesRowSource implements RowSource {

    static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final int EXCERPT = 60;

    private final SourceInfo info;
    private final StrictTextInput input;
    private final Lines lines;
    private final Map<String, Integer> index = new HashMap<>();
    private final int width;

    JsonLinesRowSource(SourceInfo info, StrictTextInput input) {
        this.info = info;
        this.input = input;
        this.lines = new Lines(input);
        this.width = info.columns().size();
        for (int i = 0; i < width; i++) index.put(info.columns().get(i), i);
    }

    @Override
    public SourceInfo info() {
        return info;
    }

    @Override
    public boolean next(RawRow row) {
        while (lines.next()) {
            if (!lines.tooLong && lines.isBlank()) continue;
            row.startStrings(lines.line, width);
            row.setSize(width);
            if (lines.badBytes != null) {
                row.problem(new IngestProblem(IngestError.BAD_ENCODING, lines.line, 0, null, lines.badBytes));
            }
            if (lines.tooLong) {
                row.problem(new IngestProblem(IngestError.BAD_VALUE, lines.line, 0, null, lines.excerpt(EXCERPT)));
                return true;
            }
            readObject(row);
            return true;
        }
        return false;
    }

    private void readObject(RawRow row) {
        try (JsonParser p = MAPPER.createParser(lines.buf, lines.start, lines.end - lines.start)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                row.problem(new IngestProblem(IngestError.BAD_VALUE, lines.line, 0, null, lines.excerpt(EXCERPT)));
                return;
            }
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String key = p.currentName();
                p.nextToken();
                String value = valueText(p);
                Integer i = index.get(key);
                if (i == null) {
                    row.problem(new IngestProblem(IngestError.UNKNOWN_COLUMN, lines.line, 0, key, key));
                    continue;
                }
                row.setString(i, value == null || value.isEmpty() ? null : value);
            }
            if (p.nextToken() != null) {
                row.problem(new IngestProblem(IngestError.BAD_VALUE, lines.line, 0, null, lines.excerpt(EXCERPT)));
            }
        } catch (JacksonException e) {
            row.problem(new IngestProblem(IngestError.BAD_VALUE, lines.line, 0, null, lines.excerpt(EXCERPT)));
        }
    }

    /** Keys of the first object of a line, in order; for detection. */
    static List<String> keysOf(String line) {
        var keys = new ArrayList<String>();
        try (JsonParser p = MAPPER.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return null;
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                keys.add(p.currentName());
                p.nextToken();
                p.skipChildren();
            }
            return keys;
        } catch (JacksonException e) {
            return null;
        }
    }

    private static String valueText(JsonParser p) {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) return null;
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) return p.readValueAsTree().toString();
        return p.getString();
    }

    @Override
    public void close() {
        try {
            input.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lines of text (LF or CRLF) from a reused buffer, each with the undecodable bytes found in it. */
    static final class Lines {
        private final StrictTextInput input;
        char[] buf = new char[1 << 16];
        private int pos;
        private int limit;
        private long base;
        private boolean eof;
        private long nextLine = 1;

        int start;
        int end;
        long line;
        String badBytes;
        boolean tooLong;
        private String tooLongExcerpt;

        Lines(StrictTextInput input) {
            this.input = input;
        }

        boolean next() {
            int scanned = pos;
            for (;;) {
                int q = scanned;
                while (q < limit && buf[q] != '\n') q++;
                if (q < limit || eof) {
                    if (pos >= limit) return false;
                    start = pos;
                    end = q;
                    if (end > start && buf[end - 1] == '\r') end--;
                    line = nextLine++;
                    tooLong = false;
                    pos = q < limit ? q + 1 : q;
                    claimBadBytes();
                    return true;
                }
                scanned = q - pos;
                if (!readMore()) {
                    skipTooLongLine();
                    return true;
                }
            }
        }

        boolean isBlank() {
            for (int i = start; i < end; i++) if (buf[i] > ' ') return false;
            return true;
        }

        String excerpt(int max) {
            if (tooLong) return tooLongExcerpt;
            int n = Math.min(end - start, max);
            String s = new String(buf, start, n);
            return n < end - start ? s + "…" : s;
        }

        private void claimBadBytes() {
            badBytes = null;
            while (input.firstBadPosition() < base + pos) {
                String hex = input.takeBadBytes();
                if (badBytes == null) badBytes = hex;
            }
        }

        /** Moves the unfinished line to the front, growing the buffer if full; false when it is too long. */
        private boolean readMore() {
            if (pos > 0) {
                System.arraycopy(buf, pos, buf, 0, limit - pos);
                base += pos;
                limit -= pos;
                pos = 0;
            }
            if (buf.length - limit < 2) { // room for a surrogate pair
                if (buf.length >= TextTokenizer.MAX_ROW_CHARS) return false;
                buf = java.util.Arrays.copyOf(buf, Math.min(TextTokenizer.MAX_ROW_CHARS, buf.length * 2));
            }
            fill();
            return true;
        }

        private void fill() {
            try {
                int n = input.read(buf, limit, buf.length - limit);
                if (n < 0) eof = true;
                else limit += n;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void skipTooLongLine() {
            tooLongExcerpt = new String(buf, 0, Math.min(limit, EXCERPT)) + "…";
            line = nextLine++;
            tooLong = true;
            int q;
            for (;;) {
                base += limit;
                pos = 0;
                limit = 0;
                fill();
                q = 0;
                while (q < limit && buf[q] != '\n') q++;
                if (q < limit || eof) break;
            }
            pos = q < limit ? q + 1 : q;
            start = end = 0;
            claimBadBytes();
        }
    }
}
