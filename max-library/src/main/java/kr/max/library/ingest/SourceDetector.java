package kr.max.library.ingest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import kr.max.core.Location;
import kr.max.core.MaxException;

/**
 * Opens a source: detects format, text encoding, delimiter and header from a bounded sample at the start of the
 * file (the first {@value #SAMPLE_BYTES} bytes, the first {@value #SAMPLE_ROWS} rows), then reopens the file for
 * streaming. Each detection is a named rule; {@link SourceOptions} overrides any of them.
 */
final class SourceDetector {

    static final String CSV = "csv";
    static final String TEXT = "text";
    static final String JSONL = "jsonl";
    static final String PARQUET = "parquet";

    static final int SAMPLE_BYTES = 4 << 20;
    static final int SAMPLE_ROWS = 100;
    /** Share of sample rows that must have the most common field count for a delimiter to count as consistent. */
    static final double CONSISTENT_SHARE = 0.9;
    static final char[] DELIMITERS = {',', ';', '\t', '|'};
    static final Charset CP949 = Charset.forName("x-windows-949");

    private SourceDetector() {
    }

    static RowSource open(Path file, SourceOptions options) {
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new MaxException(IngestError.FILE_NOT_FOUND, Location.file(name), file.toString());
        }
        String format = formatWord(options.format(), name);
        Character delimiter = options.delimiter();
        if ("tsv".equals(format)) {
            format = CSV;
            if (delimiter == null) delimiter = '\t';
        }
        var sample = Sample.read(file, name);
        if (format == null && isParquet(sample.bytes)) format = PARQUET;
        if (PARQUET.equals(format)) return ParquetRowSource.open(file, name, options);

        Bom bom = Bom.of(sample.bytes);
        if (format == null && bom == null && options.encoding() == null) rejectBinary(sample.bytes, name);
        Charset charset = options.encoding() != null ? options.encoding()
                : bom != null ? bom.charset : guessCharset(sample.bytes, sample.whole);
        int skip = bom != null && bom.charset.equals(charset) ? bom.length : 0;
        sample.skip = skip;
        sample.charset = charset;

        String firstLine = sample.firstNonBlankLine();
        if (firstLine == null) throw new MaxException(IngestError.EMPTY_FILE, Location.file(name));
        if (format == null && isJsonLines(firstLine)) format = JSONL;
        if (JSONL.equals(format)) return openJsonLines(file, name, options, sample, firstLine);

        boolean whitespace = TEXT.equals(format);
        if (!whitespace && delimiter == null) {
            delimiter = detectDelimiter(sample);
            if (delimiter == null) {
                if (format == null && isWhitespaceSeparated(sample)) whitespace = true;
                else delimiter = ',';
            }
        }
        return openDelimited(file, name, options, sample, whitespace, delimiter);
    }

    // ---------------------------------------------------------------- format

    static String formatWord(String word, String fileName) {
        if (word == null || word.isBlank() || word.trim().equalsIgnoreCase("auto")) return null;
        return switch (word.trim().toLowerCase(Locale.ROOT)) {
            case "csv" -> CSV;
            case "tsv" -> "tsv";
            case "text", "txt", "dat", "whitespace" -> TEXT;
            case "jsonl", "ndjson", "json" -> JSONL;
            case "parquet" -> PARQUET;
            default -> throw new MaxException(IngestError.UNKNOWN_FORMAT, Location.file(fileName), word);
        };
    }

    /** Parquet files start with the magic {@code PAR1}. */
    static boolean isParquet(byte[] b) {
        return b.length >= 4 && b[0] == 'P' && b[1] == 'A' && b[2] == 'R' && b[3] == '1';
    }

    /** JSON Lines when the first non-blank line starts with an object. */
    static boolean isJsonLines(String firstNonBlankLine) {
        return firstNonBlankLine.strip().startsWith("{");
    }

    /** Excel workbooks, archives, PDFs and other binary files are refused with what they seem to be. */
    static void rejectBinary(byte[] b, String fileName) {
        String kind = null;
        if (startsWith(b, 0x50, 0x4B, 0x03, 0x04)) kind = "xlsx/zip";
        else if (startsWith(b, 0xD0, 0xCF, 0x11, 0xE0)) kind = "xls";
        else if (startsWith(b, 0x1F, 0x8B)) kind = "gzip";
        else if (startsWith(b, '%', 'P', 'D', 'F')) kind = "pdf";
        else {
            int n = Math.min(b.length, 8192);
            for (int i = 0; i < n; i++) {
                if (b[i] == 0) {
                    kind = "binary";
                    break;
                }
            }
        }
        if (kind != null) throw new MaxException(IngestError.UNKNOWN_FORMAT, Location.file(fileName), kind);
    }

    private static boolean startsWith(byte[] b, int... magic) {
        if (b.length < magic.length) return false;
        for (int i = 0; i < magic.length; i++) if ((b[i] & 0xFF) != magic[i]) return false;
        return true;
    }

    // ---------------------------------------------------------------- encoding

    /** A byte-order mark: UTF-8, UTF-16LE or UTF-16BE, with its length to skip. */
    record Bom(Charset charset, int length) {
        static Bom of(byte[] b) {
            if (startsWith(b, 0xEF, 0xBB, 0xBF)) return new Bom(StandardCharsets.UTF_8, 3);
            if (startsWith(b, 0xFF, 0xFE)) return new Bom(StandardCharsets.UTF_16LE, 2);
            if (startsWith(b, 0xFE, 0xFF)) return new Bom(StandardCharsets.UTF_16BE, 2);
            return null;
        }
    }

    /**
     * UTF-8 when the sample is valid UTF-8, or nearly so (at least 20 valid multi-byte sequences per invalid byte: a
     * UTF-8 file with a few damaged bytes, whose rows are then reported); otherwise CP949, the encoding of Korean
     * Excel exports and a superset of EUC-KR. Hangul in CP949 is mostly invalid as UTF-8, so the two separate well.
     */
    static Charset guessCharset(byte[] b, boolean whole) {
        long valid = 0;
        long invalid = 0;
        int n = b.length;
        int i = 0;
        while (i < n) {
            int x = b[i] & 0xFF;
            if (x < 0x80) {
                i++;
                continue;
            }
            int len = x >= 0xC2 && x <= 0xDF ? 2 : x >= 0xE0 && x <= 0xEF ? 3 : x >= 0xF0 && x <= 0xF4 ? 4 : 0;
            if (len == 0) {
                invalid++;
                i++;
                continue;
            }
            if (i + len > n) {
                if (!whole) break; // the sample cut a character in two
                invalid++;
                i++;
                continue;
            }
            if (isUtf8Sequence(b, i, len)) {
                valid++;
                i += len;
            } else {
                invalid++;
                i++;
            }
        }
        if (invalid == 0 || valid >= 20 * invalid) return StandardCharsets.UTF_8;
        return CP949;
    }

    private static boolean isUtf8Sequence(byte[] b, int i, int len) {
        int lead = b[i] & 0xFF;
        for (int k = 1; k < len; k++) if ((b[i + k] & 0xC0) != 0x80) return false;
        int second = b[i + 1] & 0xFF;
        if (lead == 0xE0 && second < 0xA0) return false; // overlong
        if (lead == 0xED && second > 0x9F) return false; // surrogate
        if (lead == 0xF0 && second < 0x90) return false; // overlong
        if (lead == 0xF4 && second > 0x8F) return false; // beyond U+10FFFF
        return true;
    }

    // ---------------------------------------------------------------- delimiter

    /**
     * The delimiter among {@code , ; TAB |} that splits the sample rows (counting outside quotes) into the same
     * number of fields, more than one, in at least 90% of rows; the most consistent wins, then the one giving more
     * fields, then the earlier in the list. Null when none is consistent.
     */
    static Character detectDelimiter(Sample sample) {
        Character best = null;
        double bestShare = 0;
        int bestMode = 0;
        for (char d : DELIMITERS) {
            var counts = sample.fieldCounts(TextTokenizer.delimited(sample.input(), d));
            int mode = mode(counts);
            double share = share(counts, mode);
            if (mode > 1 && share >= CONSISTENT_SHARE && (share > bestShare || share == bestShare && mode > bestMode)) {
                best = d;
                bestShare = share;
                bestMode = mode;
            }
        }
        return best;
    }

    /**
     * Whitespace-separated text (C-MAPSS: single spaces and trailing spaces; Tennessee Eastman {@code .dat}: leading
     * spaces and runs of spaces): runs of spaces and tabs give a consistent field count above one.
     */
    static boolean isWhitespaceSeparated(Sample sample) {
        var counts = sample.fieldCounts(TextTokenizer.whitespace(sample.input()));
        int mode = mode(counts);
        return mode > 1 && share(counts, mode) >= CONSISTENT_SHARE;
    }

    private static int mode(List<Integer> counts) {
        Map<Integer, Integer> frequency = new HashMap<>();
        int mode = 0;
        int best = 0;
        for (int c : counts) {
            int f = frequency.merge(c, 1, Integer::sum);
            if (f > best || f == best && c > mode) {
                best = f;
                mode = c;
            }
        }
        return mode;
    }

    private static double share(List<Integer> counts, int mode) {
        if (counts.isEmpty()) return 0;
        long n = counts.stream().filter(c -> c == mode).count();
        return (double) n / counts.size();
    }

    // ---------------------------------------------------------------- header

    /**
     * Header when no field of the first row is a number or timestamp and either some column below holds mostly
     * numbers or timestamps, or the first row looks like names (non-empty, distinct, starting with a letter) none of
     * which recurs in its column below. The second rule also takes the first row of an all-text file as its header,
     * as spreadsheet tools do.
     */
    static boolean detectHeader(List<String[]> rows) {
        if (rows.isEmpty()) return false;
        String[] first = rows.get(0);
        if (hasTypedField(first)) return false;
        if (rows.size() == 1) return looksLikeNames(first);
        return someColumnTypedBelow(rows) || looksLikeNames(first) && namesNotRepeatedBelow(rows);
    }

    private static boolean hasTypedField(String[] row) {
        var numbers = new TextNumbers();
        var scanner = new TimestampScanner();
        for (String f : row) if (isTyped(f, numbers, scanner)) return true;
        return false;
    }

    private static boolean someColumnTypedBelow(List<String[]> rows) {
        var numbers = new TextNumbers();
        var scanner = new TimestampScanner();
        int width = rows.get(0).length;
        for (int col = 0; col < width; col++) {
            int typed = 0;
            int nonBlank = 0;
            for (int r = 1; r < rows.size(); r++) {
                String[] row = rows.get(r);
                if (col >= row.length || row[col] == null || row[col].isBlank()) continue;
                nonBlank++;
                if (isTyped(row[col], numbers, scanner)) typed++;
            }
            if (nonBlank > 0 && typed * 2 > nonBlank) return true;
        }
        return false;
    }

    private static boolean looksLikeNames(String[] row) {
        var seen = new HashSet<String>();
        for (String f : row) {
            if (f == null || f.isBlank()) return false;
            String name = f.strip();
            if (name.length() > 128 || !seen.add(name)) return false;
            char c = name.charAt(0);
            if (!Character.isLetter(c) && c != '_') return false;
        }
        return true;
    }

    private static boolean namesNotRepeatedBelow(List<String[]> rows) {
        String[] first = rows.get(0);
        for (int r = 1; r < rows.size(); r++) {
            String[] row = rows.get(r);
            for (int col = 0; col < Math.min(first.length, row.length); col++) {
                if (row[col] != null && row[col].strip().equals(first[col].strip())) return false;
            }
        }
        return true;
    }

    private static boolean isTyped(String s, TextNumbers numbers, TimestampScanner scanner) {
        if (s == null) return false;
        int from = TextNumbers.trimStart(s, 0, s.length());
        int to = TextNumbers.trimEnd(s, from, s.length());
        if (from == to) return false;
        if (numbers.parseDouble(s, from, to)) return true;
        return scanner.scan(s, from, to) && scanner.fits() != 0;
    }

    // ---------------------------------------------------------------- columns

    /** Header names trimmed; an empty name becomes {@code colN}. */
    static List<String> headerNames(String[] header) {
        var names = new ArrayList<String>(header.length);
        for (int i = 0; i < header.length; i++) {
            String n = header[i] == null ? "" : header[i].strip();
            names.add(n.isEmpty() ? "col" + (i + 1) : n);
        }
        return names;
    }

    /** Names {@code col1..colN}. */
    static List<String> generatedNames(int n) {
        var names = new ArrayList<String>(n);
        for (int i = 1; i <= n; i++) names.add("col" + i);
        return names;
    }

    /** The given names replace the file's, one for one; a different count names the first column without a partner. */
    static List<String> renameColumns(List<String> fromFile, List<String> given, String fileName) {
        if (given == null || given.isEmpty()) return fromFile;
        if (given.size() > fromFile.size()) {
            throw new MaxException(IngestError.MISSING_COLUMN, Location.file(fileName), given.get(fromFile.size()));
        }
        if (given.size() < fromFile.size()) {
            throw new MaxException(IngestError.UNKNOWN_COLUMN, Location.file(fileName), fromFile.get(given.size()));
        }
        return List.copyOf(given);
    }

    static void checkDistinct(List<String> names, String fileName, long line) {
        var seen = new HashSet<String>();
        for (int i = 0; i < names.size(); i++) {
            if (!seen.add(names.get(i))) {
                throw new MaxException(IngestError.DUPLICATE_COLUMN, Location.cell(fileName, line, i + 1, names.get(i)), names.get(i));
            }
        }
    }

    // ---------------------------------------------------------------- opening

    private static RowSource openJsonLines(Path file, String name, SourceOptions options, Sample sample, String firstLine) {
        List<String> columns;
        if (options.columns() != null && !options.columns().isEmpty()) {
            columns = options.columns();
        } else {
            columns = JsonLinesRowSource.keysOf(firstLine);
            if (columns == null) {
                throw new MaxException(IngestError.BAD_VALUE, Location.line(name, sample.firstNonBlankLineNumber),
                        firstLine.length() > 60 ? firstLine.substring(0, 60) + "…" : firstLine);
            }
            if (columns.isEmpty()) throw new MaxException(IngestError.EMPTY_FILE, Location.file(name));
        }
        checkDistinct(columns, name, sample.firstNonBlankLineNumber);
        var info = new SourceInfo(name, JSONL, sample.charset, null, true, columns);
        return new JsonLinesRowSource(info, new StrictTextInput(reopen(file, name, sample.skip), sample.charset));
    }

    private static RowSource openDelimited(Path file, String name, SourceOptions options, Sample sample,
                                           boolean whitespace, Character delimiter) {
        var rows = new ArrayList<String[]>();
        var lines = new ArrayList<Long>();
        var problems = new ArrayList<IngestProblem>();
        sample.rows(tokenizer(sample.input(), whitespace, delimiter), rows, lines, problems);
        if (rows.isEmpty()) throw new MaxException(IngestError.EMPTY_FILE, Location.file(name));
        boolean header = options.header() != null ? options.header() : detectHeader(rows);
        List<String> columns;
        if (header) {
            IngestProblem p = problems.get(0);
            if (p != null && p.error() == IngestError.BAD_ENCODING) throw p.toException(name);
            columns = renameColumns(headerNames(rows.get(0)), options.columns(), name);
        } else if (options.columns() != null && !options.columns().isEmpty()) {
            columns = options.columns();
        } else {
            columns = generatedNames(mode(rows.stream().map(r -> r.length).toList()));
        }
        checkDistinct(columns, name, lines.get(0));
        var info = new SourceInfo(name, whitespace ? TEXT : CSV, sample.charset, whitespace ? null : delimiter, header, columns);
        var input = new StrictTextInput(reopen(file, name, sample.skip), sample.charset);
        return new DelimitedRowSource(info, input, tokenizer(input, whitespace, delimiter), header);
    }

    private static TextTokenizer tokenizer(StrictTextInput input, boolean whitespace, Character delimiter) {
        return whitespace ? TextTokenizer.whitespace(input) : TextTokenizer.delimited(input, delimiter);
    }

    private static InputStream reopen(Path file, String name, int skip) {
        try {
            InputStream in = Files.newInputStream(file);
            in.skipNBytes(skip);
            return in;
        } catch (IOException e) {
            throw new MaxException(IngestError.FILE_NOT_FOUND, Location.file(name), e, file.toString());
        }
    }

    /** The first bytes of the file, and rows read from them for detection. */
    static final class Sample {
        final byte[] bytes;
        final boolean whole;
        int skip;
        Charset charset;
        long firstNonBlankLineNumber = 1;

        private Sample(byte[] bytes, boolean whole) {
            this.bytes = bytes;
            this.whole = whole;
        }

        static Sample read(Path file, String name) {
            try (InputStream in = Files.newInputStream(file)) {
                byte[] b = in.readNBytes(SAMPLE_BYTES);
                boolean whole = b.length < SAMPLE_BYTES || in.read() < 0;
                return new Sample(b, whole);
            } catch (IOException e) {
                throw new MaxException(IngestError.FILE_NOT_FOUND, Location.file(name), e, file.toString());
            }
        }

        StrictTextInput input() {
            return new StrictTextInput(new ByteArrayInputStream(bytes, skip, bytes.length - skip), charset);
        }

        /** The first line holding more than blank space, or null. */
        String firstNonBlankLine() {
            var lines = new JsonLinesRowSource.Lines(input());
            while (lines.next()) {
                if (!lines.tooLong && !lines.isBlank()) {
                    firstNonBlankLineNumber = lines.line;
                    return new String(lines.buf, lines.start, lines.end - lines.start);
                }
            }
            return null;
        }

        /** Field counts of the sample's rows. */
        List<Integer> fieldCounts(TextTokenizer tokenizer) {
            var counts = new ArrayList<Integer>();
            var row = new RawRow();
            boolean more = true;
            while (counts.size() < SAMPLE_ROWS && (more = tokenizer.next(row))) counts.add(row.size());
            if (!more && !whole && !counts.isEmpty()) counts.remove(counts.size() - 1); // cut by the sample's end
            return counts;
        }

        /** The sample's rows as text, with their lines and problems. */
        void rows(TextTokenizer tokenizer, List<String[]> rows, List<Long> lines, List<IngestProblem> problems) {
            var row = new RawRow();
            boolean more = true;
            while (rows.size() < SAMPLE_ROWS && (more = tokenizer.next(row))) {
                var fields = new String[row.size()];
                for (int i = 0; i < fields.length; i++) fields[i] = row.get(i);
                rows.add(fields);
                lines.add(row.line());
                problems.add(row.problem());
            }
            if (!more && !whole && rows.size() > 1) {
                rows.remove(rows.size() - 1);
                lines.remove(lines.size() - 1);
                problems.remove(problems.size() - 1);
            }
        }
    }
}
