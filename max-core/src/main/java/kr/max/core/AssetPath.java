package kr.max.core;

import java.util.Arrays;
import java.util.List;

/**
 * A place in the ISA-95 equipment hierarchy, written {@code site/area/line/cell/equipment}; the
 * enterprise is implied by the library. Shorter paths name higher levels (a line, a cell).
 */
public record AssetPath(List<String> levels) {

    /** Level names, from the top. */
    public static final List<String> LEVELS = List.of("site", "area", "line", "cell", "equipment");

    public AssetPath {
        levels = List.copyOf(levels);
        if (levels.isEmpty() || levels.size() > LEVELS.size() || levels.stream().anyMatch(String::isBlank)) {
            throw new MaxException(CoreError.INVALID_ASSET_PATH, Location.NOWHERE, String.join("/", levels));
        }
    }

    public static AssetPath parse(String path) {
        return new AssetPath(Arrays.asList(path.split("/", -1)));
    }

    @Override
    public String toString() {
        return String.join("/", levels);
    }
}
