package kr.max.factory.assets;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import kr.max.core.AssetPath;

/**
 * A tag of one equipment: {@code changwon/molding/line-1/molding-cell/IMM-01/barrel-zone-1-temperature}.
 *
 * @param equipment the equipment's path (five levels)
 * @param tag       the tag's id within its equipment type
 */
public record TagPath(AssetPath equipment, String tag) {

    /** Splits at the last {@code /}: everything before is the equipment, the rest the tag id. */
    public static TagPath parse(String path) {
        List<String> parts = new ArrayList<>(Arrays.asList(path.split("/", -1)));
        String tag = parts.removeLast();
        return new TagPath(new AssetPath(parts), tag);
    }

    @Override
    public String toString() {
        return equipment + "/" + tag;
    }
}
