package kr.max.library;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import kr.max.core.dictionary.ColumnRole;
import kr.max.core.dictionary.ColumnSpec;
import kr.max.core.dictionary.ColumnType;
import kr.max.core.dictionary.DataDictionary;
import kr.max.library.fingerprint.FingerprintColumn;
import kr.max.library.fingerprint.FingerprintScheme;
import kr.max.library.fingerprint.Fingerprinter;
import kr.max.library.query.QueryEngine;
import tools.jackson.databind.json.JsonMapper;

/**
 * The data side of a fingerprinted export (반출 핑거프린트): which columns carry the recipient's mark, the
 * marked rows written as CSV, and the scheme as the export record keeps it.
 */
final class Exports {

    private Exports() {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Rows marked and written per batch: large enough to amortize, small enough to stream. */
    static final int BATCH_ROWS = 8192;

    /**
     * The scheme for an export of a version with this dictionary: measurement columns that declare a
     * resolution and a tolerance of at least one step carry marks; timestamp and asset columns identify a
     * row. Null when no column may be changed at all.
     */
    static FingerprintScheme scheme(DataDictionary d) {
        var marked = new ArrayList<FingerprintColumn>();
        var keys = new ArrayList<String>();
        for (ColumnSpec c : d.columns()) {
            boolean number = c.type() == ColumnType.DECIMAL || c.type() == ColumnType.INTEGER;
            if (c.role() == ColumnRole.MEASUREMENT && number && c.resolution() != null && c.tolerance() != null
                    && c.tolerance().compareTo(c.resolution()) >= 0) {
                marked.add(new FingerprintColumn(c.name(), c.resolution().doubleValue(), c.tolerance().doubleValue()));
            }
            if (c.role() == ColumnRole.TIMESTAMP || c.role() == ColumnRole.ASSET) keys.add(c.name());
        }
        return marked.isEmpty() ? null : FingerprintScheme.of(marked, keys);
    }

    static String schemeJson(FingerprintScheme s) {
        return JSON.writeValueAsString(s);
    }

    static FingerprintScheme schemeFromJson(String json) {
        return JSON.readValue(json, FingerprintScheme.class);
    }

    /**
     * Streams {@code table} through {@code marker} (null: unmarked) into a CSV file with a header:
     * timestamps in ISO 8601 with their offset in the dictionary's zone, integers as integers, numbers in
     * their shortest form. Returns the rows written.
     */
    static long writeCsv(QueryEngine queries, QueryEngine.ResolvedTable table, Fingerprinter marker, Path file) throws IOException {
        DataDictionary d = table.dictionary();
        ZoneId zone = ZoneId.of(d.timeZone());
        var iso = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
        List<ColumnSpec> columns = d.columns();
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            var header = new ArrayList<String>();
            for (ColumnSpec c : columns) header.add(csv(c.name()));
            w.write(String.join(",", header));
            w.write('\n');
            var line = new StringBuilder(512);
            var failure = new IOException[1];
            long rows = queries.readBatches(table, BATCH_ROWS, (n, arrays) -> {
                if (failure[0] != null) return;
                if (marker != null && n > 0) marker.markColumns(n, arrays.toArray());
                try {
                    for (int r = 0; r < n; r++) {
                        line.setLength(0);
                        for (int i = 0; i < columns.size(); i++) {
                            if (i > 0) line.append(',');
                            switch (arrays.get(i)) {
                                case long[] a -> {
                                    if (a[r] != Long.MIN_VALUE) {
                                        line.append(iso.format(Instant.EPOCH.plus(a[r], ChronoUnit.MICROS).atZone(zone).toOffsetDateTime()));
                                    }
                                }
                                case double[] a -> {
                                    double v = a[r];
                                    if (!Double.isNaN(v)) {
                                        if (columns.get(i).type() == ColumnType.INTEGER && v == Math.rint(v)) line.append((long) v);
                                        else line.append(v);
                                    }
                                }
                                case String[] a -> {
                                    if (a[r] != null) line.append(csv(a[r]));
                                }
                                default -> throw new IllegalStateException();
                            }
                        }
                        line.append('\n');
                        w.append(line);
                    }
                } catch (IOException e) {
                    failure[0] = e;
                }
            });
            if (failure[0] != null) throw failure[0];
            return rows;
        }
    }

    static String csv(String v) {
        boolean quote = v.isEmpty() || v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0
                || !v.equals(v.strip());
        return quote ? '"' + v.replace("\"", "\"\"") + '"' : v;
    }
}
