package kr.max.factory.assets;

/**
 * A level of the ISA-95 equipment hierarchy below the enterprise. An {@link kr.max.core.AssetPath} of
 * {@code n} levels names a node of the {@code n}-th level: {@code changwon/molding/line-1} is a line.
 */
public enum Level {
    SITE, AREA, LINE, CELL, EQUIPMENT;

    /** The level a path of {@code depth} segments names (1 = site … 5 = equipment). */
    public static Level ofDepth(int depth) {
        return values()[depth - 1];
    }

    /** The word used in YAML and on the command line: {@code site}, {@code area}, … */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
