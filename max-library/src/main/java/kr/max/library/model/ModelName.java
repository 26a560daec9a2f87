package kr.max.library.model;

import java.util.regex.Pattern;
import kr.max.core.Location;
import kr.max.core.MaxException;

/**
 * A model's name, such as {@code press-rul}: one segment of lower-case letters, digits, {@code _}, {@code -} and
 * {@code .}, so that it is safe as a URL path segment and a file name. A reference adds a version:
 * {@code press-rul@2}.
 */
public final class ModelName {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,62}");
    private static final Pattern VERSIONED = Pattern.compile("^(.+)@([0-9]{1,9})$");

    private ModelName() {
    }

    public static boolean isValid(String name) {
        return name != null && NAME.matcher(name).matches() && !name.contains("..");
    }

    /** The name, or {@code MAX-MODEL-602}. */
    public static String require(String name) {
        if (!isValid(name)) throw new MaxException(ModelAssetError.INVALID_NAME, Location.NOWHERE, name);
        return name;
    }

    /** {@code name} or {@code name@N}; {@code version} is null for the latest. */
    public record Ref(String name, Integer version) {

        @Override
        public String toString() {
            return version == null ? name : name + "@" + version;
        }
    }

    public static Ref parse(String ref) {
        if (ref == null) throw new MaxException(ModelAssetError.INVALID_NAME, Location.NOWHERE, (Object) null);
        var m = VERSIONED.matcher(ref);
        Ref r = m.matches() ? new Ref(m.group(1), Integer.parseInt(m.group(2))) : new Ref(ref, null);
        require(r.name());
        return r;
    }
}
