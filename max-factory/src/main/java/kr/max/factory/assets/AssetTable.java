package kr.max.factory.assets;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The asset registry as a table — one row per tag, with its equipment's ISA-95 path, names in Korean and English,
 * unit, data type, normal range, alarm limits, rate limit and writability — the form in which the library stores an
 * asset model (a dataset like any other: encrypted, classified, audited, queryable with SQL) and from which {@code
 * max assets} draws the hierarchy. {@code position} keeps the file's order, which a query does not.
 */
public final class AssetTable {

    /** The columns, in order. Path levels below the equipment's depth are empty (a line without cells). */
    public static final List<String> COLUMNS = List.of("enterprise", "site", "area", "line", "cell", "equipment",
            "equipment_type", "equipment_name_ko", "equipment_name_en", "tag", "tag_name_ko", "tag_name_en", "tag_role", "unit",
            "data_type", "normal_low", "normal_high", "alarm_lo_lo", "alarm_lo", "alarm_hi", "alarm_hi_hi", "max_rate_per_s",
            "writable", "sample_ms", "position");

    private AssetTable() {
    }

    /** Writes {@code model} as CSV with a header line (RFC 4180 quoting, UTF-8 text as given). */
    public static void writeCsv(AssetModel model, Writer out) throws IOException {
        out.write(String.join(",", COLUMNS));
        out.write('\n');
        for (List<String> row : rows(model)) {
            out.write(String.join(",", row.stream().map(AssetTable::quoted).toList()));
            out.write('\n');
        }
    }

    /** The rows, one per tag, cells in the order of {@link #COLUMNS}; empty text where a value is absent. */
    public static List<List<String>> rows(AssetModel model) {
        var rows = new ArrayList<List<String>>();
        for (Equipment e : model.equipment()) {
            List<String> levels = e.path().levels();
            for (Tag t : model.tags(e.path())) {
                TagSpec s = t.spec();
                var row = new ArrayList<String>();
                row.add(model.enterpriseId());
                // site, area, line, cell: the equipment's ancestors, the cell empty when the line has none
                List<String> above = levels.subList(0, levels.size() - 1);
                row.add(above.size() > 0 ? above.get(0) : "");
                row.add(above.size() > 1 ? above.get(1) : "");
                row.add(above.size() > 2 ? above.get(2) : "");
                row.add(above.size() > 3 ? above.get(3) : "");
                row.add(levels.getLast());
                row.add(e.type());
                row.add(e.name().ko());
                row.add(e.name().en());
                row.add(s.id());
                row.add(s.name().ko());
                row.add(s.name().en());
                row.add(s.role().name().toLowerCase(Locale.ROOT));
                row.add(s.unit());
                row.add(s.type().name().toLowerCase(Locale.ROOT));
                row.add(number(s.normal() == null ? null : s.normal().low()));
                row.add(number(s.normal() == null ? null : s.normal().high()));
                AlarmLimits a = s.alarms() == null ? AlarmLimits.NONE : s.alarms();
                row.add(number(a.loLo()));
                row.add(number(a.lo()));
                row.add(number(a.hi()));
                row.add(number(a.hiHi()));
                row.add(number(s.maxRatePerSecond()));
                row.add(Boolean.toString(s.writable()));
                row.add(Integer.toString(s.sampleMillis()));
                // the model's order (equipment as listed, tags as their type lists them), for reading back in order
                row.add(Integer.toString(rows.size() + 1));
                rows.add(List.copyOf(row));
            }
        }
        return rows;
    }

    private static String number(Double d) {
        if (d == null) return "";
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString(d.longValue()) : Double.toString(d);
    }

    private static String quoted(String cell) {
        if (cell == null) return "";
        if (cell.indexOf(',') < 0 && cell.indexOf('"') < 0 && cell.indexOf('\n') < 0) return cell;
        return '"' + cell.replace("\"", "\"\"") + '"';
    }
}
