package kr.max.library.deid;

import java.util.Locale;

/** What a de-identification profile does with one column. */
public enum DeidAction {
    /** The column is released as it is. */
    KEEP,
    /** The column is left out of the release. */
    DROP,
    /** Every value is replaced by a keyed pseudonym: equal values, equal pseudonyms, within one release. */
    PSEUDONYMIZE,
    /** Every value is replaced by a coarser one from its hierarchy (hour, range, group of assets). */
    GENERALIZE,
    /** Every number gets bounded noise. */
    PERTURB,
    /** The column stays, every value becomes null. */
    SUPPRESS;

    /** The word used in profiles: {@code keep}, {@code drop}, … */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether a column with this action may be a quasi-identifier of k-anonymity. */
    public boolean mayBeQuasiIdentifier() {
        return this == KEEP || this == PSEUDONYMIZE || this == GENERALIZE;
    }
}
