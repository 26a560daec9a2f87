package kr.max.core.dictionary;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/**
 * The data dictionary of a dataset version: per column its role, type, unit, asset path,
 * sensitivity and descriptions. It is the platform's common standard: ingest infers a draft, the
 * provider confirms it, and everything downstream works from it.
 *
 * @param columns columns in file order, names unique
 * @param timeZone IANA zone in which naive timestamps of the source were read, such as {@code Asia/Seoul}
 */
public record DataDictionary(List<ColumnSpec> columns, String timeZone) {

    public static final String DEFAULT_TIME_ZONE = "Asia/Seoul";

    public DataDictionary {
        columns = List.copyOf(columns);
        timeZone = timeZone == null || timeZone.isBlank() ? DEFAULT_TIME_ZONE : timeZone;
        var seen = new HashSet<String>();
        for (var c : columns) {
            if (!seen.add(c.name())) throw new IllegalArgumentException("duplicate column " + c.name());
        }
    }

    public Optional<ColumnSpec> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    public int indexOf(String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) return i;
        }
        return -1;
    }

    /** Columns with the given role, in file order. */
    public List<ColumnSpec> withRole(ColumnRole role) {
        var out = new ArrayList<ColumnSpec>();
        for (var c : columns) {
            if (c.role() == role) out.add(c);
        }
        return out;
    }

    public List<String> names() {
        return columns.stream().map(ColumnSpec::name).toList();
    }
}
