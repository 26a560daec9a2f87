package kr.max.library.deid;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * The hierarchy a {@code generalize} rule applies, and its lowest level: the release is generalized at least this
 * far; k-anonymity may take a quasi-identifier higher up the same hierarchy.
 */
public sealed interface Generalization {

    /** Timestamps up to {@code to}: hour, day, week, month, year, then {@code *}. */
    record Time(TimeGranularity to) implements Generalization {
        public Time {
            Objects.requireNonNull(to, "to");
        }
    }

    /**
     * Numbers to half-open ranges {@code [lo,hi)} of the given width, aligned at zero; higher levels double the width
     * (w, 2w, 4w, …) until one range holds all values of the data (or, since no range crosses zero, one range on
     * each side of it), then {@code *}. A value belongs to a range as the decimal it is shown as: 0.3 is in
     * {@code [0.3,0.4)} although the nearest double is a little below 0.3.
     */
    record Width(BigDecimal width) implements Generalization {
        public Width {
            Objects.requireNonNull(width, "width");
            if (width.signum() <= 0) throw new IllegalArgumentException("width must be positive: " + width);
        }
    }

    /**
     * Categories through a user-supplied hierarchy, starting at {@code level} (1 is the hierarchy's first level
     * above the value, 0 the value itself).
     */
    record Categories(CategoryHierarchy hierarchy, int level) implements Generalization {
        public Categories {
            Objects.requireNonNull(hierarchy, "hierarchy");
            if (level < 0 || level > hierarchy.height() + 1) {
                throw new IllegalArgumentException("level " + level + " outside 0.." + (hierarchy.height() + 1));
            }
        }
    }
}
