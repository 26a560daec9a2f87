package kr.max.library.ingest;

import java.util.Arrays;

/**
 * One row of a source, filled by {@link RowSource#next(RawRow)} and reused from row to row: create one and pass
 * it to every call. Its contents are valid until the next call.
 *
 * <p>Delimited text is held as ranges of the reader's character buffer and turned into a {@code String} only
 * when {@link #get(int)} asks for a field; other sources hold ready strings.
 */
public final class RawRow {

    private long line;
    private int size;
    private IngestProblem problem;

    // Delimited text: field i is chars[starts[i], ends[i]); escaped[i] when it holds doubled quotes ("").
    private char[] chars;
    private int[] starts = new int[16];
    private int[] ends = new int[16];
    private boolean[] escaped = new boolean[16];

    // Other sources: field i is values[i].
    private String[] values = new String[16];
    private boolean holdsStrings;

    public RawRow() {
    }

    /** A row holding the given fields; for tests and for sources built outside this package. */
    public static RawRow of(long line, String... fields) {
        var row = new RawRow();
        row.startStrings(line, fields.length);
        for (int i = 0; i < fields.length; i++) row.values[i] = fields[i] == null || fields[i].isEmpty() ? null : fields[i];
        row.size = fields.length;
        return row;
    }

    /** 1-based physical line where the row starts (Parquet: row index + 1). */
    public long line() {
        return line;
    }

    /** Number of fields in this row; it differs from the column count only in a row with a problem. */
    public int size() {
        return size;
    }

    /** Text of field {@code i} (0-based), {@code null} for an empty field or for {@code i >= size()}. */
    public String get(int i) {
        if (i >= size) return null;
        if (holdsStrings) return values[i];
        int s = starts[i];
        int e = ends[i];
        if (s == e) return null;
        return escaped[i] ? unescapeQuotes(chars, s, e) : new String(chars, s, e - s);
    }

    /** Why the row is unreliable, or {@code null} when it is structurally fine. */
    public IngestProblem problem() {
        return problem;
    }

    @Override
    public String toString() {
        var sb = new StringBuilder().append(line).append(':');
        for (int i = 0; i < size; i++) sb.append(i == 0 ? " " : " | ").append(get(i));
        if (problem != null) sb.append(" !").append(problem);
        return sb.toString();
    }

    private static String unescapeQuotes(char[] buf, int s, int e) {
        var sb = new StringBuilder(e - s);
        for (int i = s; i < e; i++) {
            char c = buf[i];
            sb.append(c);
            if (c == '"' && i + 1 < e && buf[i + 1] == '"') i++;
        }
        return sb.toString();
    }

    // ---- filled by the readers of this package ----

    void startRanges(char[] buffer, long lineNumber) {
        holdsStrings = false;
        chars = buffer;
        line = lineNumber;
        size = 0;
        problem = null;
    }

    /** Appends a field chars[s, e); returns its 0-based index. */
    int addRange(int s, int e, boolean hasDoubledQuotes) {
        int i = size;
        if (i == starts.length) growRanges();
        starts[i] = s;
        ends[i] = e;
        escaped[i] = hasDoubledQuotes;
        size = i + 1;
        return i;
    }

    int rangeStart(int i) {
        return starts[i];
    }

    int rangeEnd(int i) {
        return ends[i];
    }

    void startStrings(long lineNumber, int capacity) {
        holdsStrings = true;
        chars = null;
        line = lineNumber;
        size = 0;
        problem = null;
        if (values.length < capacity) values = new String[Math.max(capacity, values.length * 2)];
    }

    /** Sets field i of a string row, growing the row to i + 1 fields with nulls between. */
    void setString(int i, String value) {
        if (i >= values.length) values = Arrays.copyOf(values, Math.max(i + 1, values.length * 2));
        for (int k = size; k < i; k++) values[k] = null;
        values[i] = value;
        if (i >= size) size = i + 1;
    }

    void setSize(int newSize) {
        if (holdsStrings) {
            if (newSize > values.length) values = Arrays.copyOf(values, newSize);
            for (int k = size; k < newSize; k++) values[k] = null;
        }
        size = newSize;
    }

    /** Keeps the first problem found, except that an encoding problem wins: it explains the others. */
    void problem(IngestProblem p) {
        if (problem == null || p.error() == IngestError.BAD_ENCODING && problem.error() != IngestError.BAD_ENCODING) problem = p;
    }

    void line(long lineNumber) {
        line = lineNumber;
    }

    private void growRanges() {
        int n = starts.length * 2;
        starts = Arrays.copyOf(starts, n);
        ends = Arrays.copyOf(ends, n);
        escaped = Arrays.copyOf(escaped, n);
    }
}
