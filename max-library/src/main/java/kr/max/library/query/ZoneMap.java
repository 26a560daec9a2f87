package kr.max.library.query;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import tools.jackson.databind.json.JsonMapper;

/**
 * Per-chunk minimum and maximum of the timestamp column (epoch microseconds) and the asset column,
 * for skipping chunks a query cannot need. Stored sealed under the version's data key, because
 * asset names and times are values of the deposited data.
 */
public record ZoneMap(String timestampColumn, Long timestampMin, Long timestampMax,
                      String assetColumn, String assetMin, String assetMax) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public static final ZoneMap NONE = new ZoneMap(null, null, null, null, null, null);

    public byte[] toBytes() {
        return JSON.writeValueAsBytes(this);
    }

    public static ZoneMap fromBytes(byte[] bytes) {
        return JSON.readValue(bytes, ZoneMap.class);
    }

    /** DuckDB orders VARCHAR by UTF-8 bytes; compare the same way. */
    static int compareUtf8(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
