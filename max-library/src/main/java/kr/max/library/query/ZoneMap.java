package kr.max.library.query;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import tools.jackson.databind.json.JsonMapper;

/**
 * Per-chunk minimum and maximum of the timestamp column (epoch microseconds) and the asset column,
 * and the chunk's distinct assets when there are few, for skipping chunks a query cannot need.
 * Stored sealed under the version's data key, because asset names and times are values of the
 * deposited data.
 *
 * @param assets the chunk's distinct asset values when at most {@link #MAX_LISTED_ASSETS}, else {@code null}
 */
public record ZoneMap(String timestampColumn, Long timestampMin, Long timestampMax,
                      String assetColumn, String assetMin, String assetMax, java.util.List<String> assets) {

    /** Above this many distinct assets a chunk keeps only min and max. */
    public static final int MAX_LISTED_ASSETS = 64;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public static final ZoneMap NONE = new ZoneMap(null, null, null, null, null, null, null);

    /** A version's zone maps, in chunk order, as one value to seal. */
    public static byte[] listToBytes(java.util.List<ZoneMap> maps) {
        return JSON.writeValueAsBytes(maps);
    }

    public static java.util.List<ZoneMap> listFromBytes(byte[] bytes) {
        return JSON.readValue(bytes, new tools.jackson.core.type.TypeReference<java.util.List<ZoneMap>>() { });
    }

    /** DuckDB orders VARCHAR by UTF-8 bytes; compare the same way. */
    static int compareUtf8(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
