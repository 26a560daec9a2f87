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
import kr.max.core.dictionary.ColumnSpec;
import kr.max.core.dictionary.ColumnType;
import kr.max.core.dictionary.DataDictionary;
import kr.max.library.deid.DeidAction;
import kr.max.library.deid.DeidPlan;
import kr.max.library.deid.DeidResult;
import kr.max.library.deid.DeidTable;
import kr.max.library.query.QueryEngine;

/**
 * The data side of a de-identified release: a dataset version read into the engine's columnar table, and
 * the engine's result written as a deposit file with its dictionary. Both live in memory or in the
 * memory-backed scratch; no plaintext reaches a disk.
 */
final class Releases {

    private Releases() {
    }

    /** Reads every row of {@code table} (a resolved dataset version) into the engine's columnar table. */
    static DeidTable read(QueryEngine queries, QueryEngine.ResolvedTable table, long expectedRows) {
        var data = queries.readColumns(table, expectedRows);
        var columns = new ArrayList<DeidTable.Column>();
        for (int i = 0; i < data.arrays().size(); i++) {
            String name = table.dictionary().columns().get(i).name();
            columns.add(switch (data.arrays().get(i)) {
                case long[] a -> new DeidTable.Timestamps(name, a);
                case double[] a -> new DeidTable.Numbers(name, a);
                case String[] a -> new DeidTable.Texts(name, a);
                default -> throw new IllegalStateException();
            });
        }
        return DeidTable.of(data.rows(), columns);
    }

    /**
     * The release's dictionary as it is deposited: timestamps written as ISO 8601 with their offset, and no
     * tolerance left to a perturbed column.
     */
    static DataDictionary depositDictionary(DeidResult result, DeidPlan plan) {
        var columns = new ArrayList<ColumnSpec>();
        for (ColumnSpec c : result.dictionary().columns()) {
            ColumnSpec out = c;
            if (c.type() == ColumnType.TIMESTAMP) out = out.withType(ColumnType.TIMESTAMP, "iso");
            DeidPlan.ColumnPlan p = plan.column(c.name());
            // Noise moves a value by whole steps of its resolution (or whole units of an integer), so the release keeps
            // the resolution; its tolerance is gone, the noise has used it up.
            if (p != null && p.action() == DeidAction.PERTURB) out = out.withPrecision(out.resolution(), null);
            columns.add(out);
        }
        return new DataDictionary(columns, result.dictionary().timeZone());
    }

    /** Writes the released rows as UTF-8 CSV with a header, in the order of {@code dictionary}. */
    static void writeCsv(DeidTable table, DataDictionary dictionary, Path file) throws IOException {
        ZoneId zone = ZoneId.of(dictionary.timeZone());
        var iso = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
        var columns = new ArrayList<DeidTable.Column>();
        for (ColumnSpec c : dictionary.columns()) columns.add(table.column(c.name()));
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            var header = new ArrayList<String>();
            for (ColumnSpec c : dictionary.columns()) header.add(csv(c.name()));
            w.write(String.join(",", header));
            w.write('\n');
            var line = new StringBuilder(256);
            for (int r = 0; r < table.rowCount(); r++) {
                line.setLength(0);
                for (int i = 0; i < columns.size(); i++) {
                    if (i > 0) line.append(',');
                    switch (columns.get(i)) {
                        case DeidTable.Timestamps t -> {
                            long m = t.micros()[r];
                            if (m != Long.MIN_VALUE) {
                                Instant at = Instant.EPOCH.plus(m, ChronoUnit.MICROS);
                                line.append(iso.format(at.atZone(zone).toOffsetDateTime()));
                            }
                        }
                        case DeidTable.Numbers n -> {
                            double v = n.values()[r];
                            if (!Double.isNaN(v)) {
                                if (v == Math.rint(v) && Math.abs(v) < 1e15) line.append((long) v);
                                else line.append(v);
                            }
                        }
                        case DeidTable.Texts t -> {
                            String v = t.values()[r];
                            if (v != null) line.append(csv(v));
                        }
                    }
                }
                line.append('\n');
                w.append(line);
            }
        }
    }

    private static String csv(String v) {
        boolean quote = v.isEmpty() || v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0
                || !v.equals(v.strip());
        return quote ? '"' + v.replace("\"", "\"\"") + '"' : v;
    }
}
