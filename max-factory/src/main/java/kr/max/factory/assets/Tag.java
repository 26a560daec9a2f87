package kr.max.factory.assets;

import kr.max.core.AssetPath;

/** A tag of one equipment: where it is and what it is. */
public record Tag(TagPath path, TagSpec spec) {

    public AssetPath equipment() {
        return path.equipment();
    }
}
