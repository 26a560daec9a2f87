package kr.max.factory.assets;

import kr.max.core.AssetPath;

/**
 * One node of the hierarchy (a site, area, line, cell or equipment), for browsing.
 *
 * @param path  where it is; its last segment is the node's id
 * @param level the ISA-95 level, given by the path's length
 * @param name  Korean and English name
 */
public record AssetNode(AssetPath path, Level level, Name name) {

    public String id() {
        return path.levels().getLast();
    }
}
