package kr.max.library;

import java.util.ArrayList;
import kr.max.core.dictionary.ColumnRole;
import kr.max.core.dictionary.ColumnSpec;
import kr.max.core.dictionary.ColumnType;
import kr.max.core.dictionary.DataDictionary;
import kr.max.library.fingerprint.FingerprintColumn;
import kr.max.library.fingerprint.FingerprintScheme;
import tools.jackson.databind.json.JsonMapper;

/**
 * The data side of a fingerprinted export (반출 핑거프린트): which columns carry the recipient's mark and
 * which identify a row, and the scheme as the export record keeps it.
 */
final class Exports {

    private Exports() {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * The scheme for an export of a version with this dictionary: measurement columns that declare a
     * resolution and a tolerance of at least one step carry marks; the first timestamp and the first (text)
     * asset column identify a row. Null when no column may be changed at all.
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
        }
        // A row is known by its first timestamp and its first asset column, in that order: the order the
        // export's row function hashes them in, and the order the tracer reads them back in.
        // A release's timestamp is generalized to text ("2026-03-02T06"); it still tells rows apart, as text.
        d.columns().stream().filter(c -> c.role() == ColumnRole.TIMESTAMP
                        && (c.type() == ColumnType.TIMESTAMP || c.type() == ColumnType.STRING)).findFirst()
                .ifPresent(c -> keys.add(c.name()));
        d.columns().stream().filter(c -> c.role() == ColumnRole.ASSET && c.type() == ColumnType.STRING).findFirst()
                .ifPresent(c -> keys.add(c.name()));
        return marked.isEmpty() ? null : FingerprintScheme.of(marked, keys);
    }

    static String schemeJson(FingerprintScheme s) {
        return JSON.writeValueAsString(s);
    }

    static FingerprintScheme schemeFromJson(String json) {
        return JSON.readValue(json, FingerprintScheme.class);
    }

    /** The scheme's timestamp key column when it holds points in time, or null. */
    static String timeKey(FingerprintScheme s, DataDictionary d) {
        return s.keyColumns().stream().filter(k -> d.column(k).map(c -> c.role() == ColumnRole.TIMESTAMP
                && c.type() == ColumnType.TIMESTAMP).orElse(false)).findFirst().orElse(null);
    }

    /** The scheme's timestamp key column when it holds generalized text (a release's "2026-03-02T06"), or null. */
    static String timeTextKey(FingerprintScheme s, DataDictionary d) {
        return s.keyColumns().stream().filter(k -> d.column(k).map(c -> c.role() == ColumnRole.TIMESTAMP
                && c.type() == ColumnType.STRING).orElse(false)).findFirst().orElse(null);
    }

    /** The scheme's asset key column, or null. */
    static String assetKey(FingerprintScheme s, DataDictionary d) {
        return s.keyColumns().stream().filter(k -> d.column(k).map(c -> c.role() == ColumnRole.ASSET).orElse(false))
                .findFirst().orElse(null);
    }

}
