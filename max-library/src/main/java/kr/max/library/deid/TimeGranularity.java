package kr.max.library.deid;

import java.util.Locale;

/**
 * The levels of the timestamp hierarchy above the exact instant, in the dataset's time zone. Each level is a
 * function of the one below, as full-domain generalization needs: a <em>week</em> is therefore a seven-day block of
 * its month (days 1–7, 8–14, 15–21, 22–28 and 29 to the month's end), not an ISO week, which may straddle two months
 * and two years.
 */
public enum TimeGranularity {
    /** {@code 2026-03-04T10}. */
    HOUR,
    /** {@code 2026-03-04}. */
    DAY,
    /** {@code 2026-03-01/07}: an ISO 8601 interval of days within one month. */
    WEEK,
    /** {@code 2026-03}. */
    MONTH,
    /** {@code 2026}. */
    YEAR;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The level in the timestamp hierarchy: 0 is the exact instant, hour is 1, year 5, and 6 is {@code *}. */
    public int level() {
        return ordinal() + 1;
    }
}
