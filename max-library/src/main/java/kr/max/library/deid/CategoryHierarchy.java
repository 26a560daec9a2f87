package kr.max.library.deid;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import kr.max.core.Location;
import kr.max.core.MaxException;

/**
 * A user-supplied generalization hierarchy for categories, such as machines grouped into lines and lines into
 * plants. As a file (UTF-8, comma-separated, double quotes where a field holds a comma, {@code #} starts a comment
 * line, no header), one line per value of the data:
 *
 * <pre>
 * # value, level 1, level 2
 * 650톤-우진2호기, line-A, plant-ulsan
 * 850톤-우진1호기, line-A, plant-ulsan
 * 1300톤-엘지4호기, line-B, plant-ulsan
 * </pre>
 *
 * Every line has the same number of levels; a label has one parent (the hierarchy is a tree, as full-domain
 * generalization needs); a final column of only {@code *} may be written and is implied otherwise. Level 0 is the
 * value itself, levels 1 to {@link #height()} the labels, and {@code height() + 1} is {@code *}.
 */
public final class CategoryHierarchy {

    /** The label of the top level, where every value is the same. */
    public static final String TOP = "*";

    private final String source;
    private final Map<String, List<String>> ancestors;
    private final int height;

    private CategoryHierarchy(String source, Map<String, List<String>> ancestors, int height) {
        this.source = source;
        this.ancestors = Collections.unmodifiableMap(ancestors);
        this.height = height;
    }

    /**
     * Reads a hierarchy file.
     *
     * @param text      the file's content
     * @param reference the file as the profile names it, kept for {@link DeidProfile#toYaml()}
     * @param fileName  the file as the user knows it, for error locations
     * @throws MaxException {@code MAX-DEID-021…025} at the line and field of the problem
     */
    public static CategoryHierarchy parseCsv(String text, String reference, String fileName) {
        var b = new Builder(reference);
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') text = text.substring(1);
        long lineNr = 0;
        for (String line : text.split("\r\n|\n|\r", -1)) {
            lineNr++;
            if (line.isBlank() || line.strip().startsWith("#")) continue;
            List<String> fields = splitCsvLine(line);
            var at = new ArrayList<Location>(fields.size());
            for (int i = 0; i < fields.size(); i++) at.add(Location.cell(fileName, lineNr, i + 1, null));
            b.add(fields, Location.line(fileName, lineNr), at);
        }
        return b.build(Location.file(fileName));
    }

    /**
     * A hierarchy written inline in a profile, value to its labels from level 1 upwards.
     *
     * @throws MaxException {@code MAX-DEID-021…025} located at {@code where}
     */
    public static CategoryHierarchy of(Map<String, List<String>> ancestors, Location where) {
        var b = new Builder(null);
        for (var e : ancestors.entrySet()) {
            var fields = new ArrayList<String>();
            fields.add(e.getKey());
            fields.addAll(e.getValue());
            b.add(fields, where, Collections.nCopies(fields.size(), where));
        }
        return b.build(where);
    }

    /** The number of labelled levels above the value ({@code *} not counted). */
    public int height() {
        return height;
    }

    /** The file as the profile names it, or {@code null} for an inline hierarchy. */
    public String source() {
        return source;
    }

    /** Every value with its labels from level 1 to {@link #height()}, in file order. */
    public Map<String, List<String>> ancestors() {
        return ancestors;
    }

    public boolean contains(String value) {
        return ancestors.containsKey(value);
    }

    /**
     * The value at {@code level}: itself at 0, its label at 1 to {@link #height()}, {@code *} above.
     *
     * @return {@code null} for a value not in the hierarchy (or a null value) below the top
     */
    public String generalize(String value, int level) {
        if (level > height) return TOP;
        if (value == null) return null;
        if (level <= 0) return ancestors.containsKey(value) ? value : null;
        List<String> labels = ancestors.get(value);
        return labels == null ? null : labels.get(level - 1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CategoryHierarchy h && Objects.equals(source, h.source) && ancestors.equals(h.ancestors);
    }

    @Override
    public int hashCode() {
        return Objects.hash(source, ancestors);
    }

    @Override
    public String toString() {
        return "CategoryHierarchy[" + (source == null ? "inline" : source) + ", " + ancestors.size() + " values, height "
                + height + "]";
    }

    /** Fields of one line; double quotes around a field allow commas, {@code ""} inside them is a quote. */
    static List<String> splitCsvLine(String line) {
        var fields = new ArrayList<String>();
        var f = new StringBuilder();
        int i = 0;
        int n = line.length();
        while (true) {
            while (i < n && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) i++;
            f.setLength(0);
            if (i < n && line.charAt(i) == '"') {
                i++;
                while (i < n) {
                    char c = line.charAt(i++);
                    if (c == '"') {
                        if (i < n && line.charAt(i) == '"') {
                            f.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        f.append(c);
                    }
                }
                while (i < n && line.charAt(i) != ',') i++;
                fields.add(f.toString());
            } else {
                int start = i;
                while (i < n && line.charAt(i) != ',') i++;
                fields.add(line.substring(start, i).strip());
            }
            if (i >= n) break;
            i++; // the comma
        }
        return fields;
    }

    /** Collects lines and checks the shape: same depth everywhere, unique values, one parent per label. */
    private static final class Builder {
        private final String source;
        private final List<List<String>> rows = new ArrayList<>();
        private final List<Location> rowAt = new ArrayList<>();
        private final List<List<Location>> fieldAt = new ArrayList<>();

        Builder(String source) {
            this.source = source;
        }

        void add(List<String> fields, Location where, List<Location> fieldWhere) {
            if (!rows.isEmpty() && fields.size() != rows.getFirst().size()) {
                throw new MaxException(DeidError.HIERARCHY_RAGGED, where, fields.size() - 1, rows.getFirst().size() - 1);
            }
            for (int i = 0; i < fields.size(); i++) {
                if (fields.get(i) == null || fields.get(i).isEmpty()) {
                    throw new MaxException(DeidError.HIERARCHY_EMPTY_FIELD, fieldWhere.get(i));
                }
            }
            rows.add(List.copyOf(fields));
            rowAt.add(where);
            fieldAt.add(List.copyOf(fieldWhere));
        }

        CategoryHierarchy build(Location whole) {
            if (rows.isEmpty()) throw new MaxException(DeidError.HIERARCHY_EMPTY, whole);
            int depth = rows.getFirst().size() - 1;
            boolean topWritten = depth > 0 && rows.stream().allMatch(r -> r.getLast().equals(TOP));
            int height = topWritten ? depth - 1 : depth;
            var ancestors = new LinkedHashMap<String, List<String>>();
            var firstAt = new HashMap<String, Location>();
            List<Map<String, String>> parentOf = new ArrayList<>();
            List<Map<String, Location>> parentAt = new ArrayList<>();
            for (int j = 0; j < height; j++) {
                parentOf.add(new HashMap<>());
                parentAt.add(new HashMap<>());
            }
            for (int r = 0; r < rows.size(); r++) {
                List<String> row = rows.get(r);
                String value = row.getFirst();
                if (ancestors.containsKey(value)) {
                    throw new MaxException(DeidError.HIERARCHY_DUPLICATE_VALUE, rowAt.get(r), value,
                            firstAt.get(value).line());
                }
                List<String> labels = row.subList(1, 1 + height);
                // level j (1-based) label must have one parent at level j + 1
                for (int j = 1; j < height; j++) {
                    String label = labels.get(j - 1);
                    String parent = labels.get(j);
                    String known = parentOf.get(j).putIfAbsent(label, parent);
                    if (known == null) {
                        parentAt.get(j).put(label, fieldAt.get(r).get(j + 1));
                    } else if (!known.equals(parent)) {
                        throw new MaxException(DeidError.HIERARCHY_NOT_A_TREE, fieldAt.get(r).get(j + 1), label, j,
                                known, parent);
                    }
                }
                ancestors.put(value, List.copyOf(labels));
                firstAt.put(value, rowAt.get(r));
            }
            return new CategoryHierarchy(source, ancestors, height);
        }
    }
}
