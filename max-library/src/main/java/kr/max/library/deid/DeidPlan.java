package kr.max.library.deid;

import java.util.List;
import java.util.Objects;
import kr.max.core.dictionary.ColumnSpec;
import kr.max.core.dictionary.DataDictionary;

/**
 * A {@link DeidProfile} resolved against one data dictionary: what happens to every column and which columns are
 * the quasi-identifiers. Made by {@link DeidProfile#plan}; show it to the provider before a release.
 *
 * @param profile    the profile
 * @param dictionary the dictionary of the data to de-identify
 * @param columns    one entry per dictionary column, in dictionary order
 */
public record DeidPlan(DeidProfile profile, DataDictionary dictionary, List<ColumnPlan> columns) {

    public DeidPlan {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(dictionary, "dictionary");
        columns = List.copyOf(columns);
        if (columns.size() != dictionary.columns().size()) throw new IllegalArgumentException("one plan per column");
    }

    /**
     * The decision for one column.
     *
     * @param column          the column
     * @param action          what happens to it
     * @param rule            the rule that matched, {@code null} when the profile's default applies
     * @param ruleIndex       0-based position of that rule in the profile, -1 for the default
     * @param quasiIdentifier whether the column is a quasi-identifier of k-anonymity
     */
    public record ColumnPlan(ColumnSpec column, DeidAction action, DeidRule rule, int ruleIndex,
                             boolean quasiIdentifier) {
    }

    /** The quasi-identifier columns, in dictionary order. */
    public List<ColumnPlan> quasiIdentifiers() {
        return columns.stream().filter(ColumnPlan::quasiIdentifier).toList();
    }

    public ColumnPlan column(String name) {
        return columns.stream().filter(c -> c.column().name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no column " + name));
    }
}
