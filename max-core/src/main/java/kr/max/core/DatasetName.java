package kr.max.core;

import java.util.regex.Pattern;

/**
 * A dataset's name, such as {@code kamp/press}: one to four segments of lower-case letters, digits,
 * {@code _}, {@code -} and {@code .}, separated by {@code /}. The rule keeps names safe as SQL
 * identifiers, file names and URL paths (no {@code ..}, no {@code @}, no quotes).
 */
public record DatasetName(String value) {

    private static final Pattern SEGMENT = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,62}");

    public DatasetName {
        if (value == null || !isValid(value)) {
            throw new MaxException(CoreError.INVALID_NAME, Location.NOWHERE, value);
        }
    }

    public static boolean isValid(String value) {
        String[] parts = value.split("/", -1);
        if (parts.length > 4) return false;
        for (String p : parts) {
            if (!SEGMENT.matcher(p).matches() || p.contains("..")) return false;
        }
        return true;
    }

    @Override
    public String toString() {
        return value;
    }
}
