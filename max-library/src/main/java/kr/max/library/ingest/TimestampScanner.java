package kr.max.library.ingest;

import java.util.List;

/**
 * Reads the shape of a timestamp text in one pass: three date numbers with their separator, an optional time with
 * optional seconds, fraction, AM/PM marker (오전/오후 or AM/PM, before or after the time) and zone offset. Which
 * {@link TimestampPattern}s the text fits follows from the shape ({@link #fits()}), and the instant from the shape
 * and the chosen pattern ({@link #epochMicros}). No regular expressions, no allocation. One instance per column;
 * not thread-safe.
 */
final class TimestampScanner {

    private static final List<TimestampPattern> PATTERNS = TimestampPattern.ALL;
    private static final int FIRST_NOT_YMD = firstNotYmd();
    private static final int AM = 1;
    private static final int PM = 2;

    private int a;
    private int b;
    private int c;
    private int lenA;
    private int lenB;
    private int lenC;
    private char separator;
    private boolean hasTime;
    private char dateTimeSeparator;
    private boolean singleSpace;
    private int hour;
    private int lenHour;
    private int minute;
    private int second;
    private int nanos;
    private int marker;
    private boolean hasZone;
    private int offsetSeconds;

    /** Scans {@code s[from, to)} (already trimmed); false when it is not shaped like a timestamp at all. */
    boolean scan(String s, int from, int to) {
        int p = from;
        int v = 0;
        int n = 0;
        char ch = 0;
        while (p < to && (ch = s.charAt(p)) >= '0' && ch <= '9') {
            if (++n > 4) return false;
            v = v * 10 + ch - '0';
            p++;
        }
        if (n == 0 || p >= to || ch != '-' && ch != '/' && ch != '.') return false;
        a = v;
        lenA = n;
        separator = ch;
        p++;
        v = 0;
        n = 0;
        while (p < to && (ch = s.charAt(p)) >= '0' && ch <= '9') {
            if (++n > 2) return false;
            v = v * 10 + ch - '0';
            p++;
        }
        if (n == 0 || p >= to || ch != separator) return false;
        b = v;
        lenB = n;
        p++;
        v = 0;
        n = 0;
        while (p < to && (ch = s.charAt(p)) >= '0' && ch <= '9') {
            if (++n > 4) return false;
            v = v * 10 + ch - '0';
            p++;
        }
        if (n == 0) return false;
        c = v;
        lenC = n;
        hasTime = false;
        marker = 0;
        hasZone = false;
        hour = minute = second = nanos = 0;
        dateTimeSeparator = 0;
        singleSpace = true;
        if (p == to) return true;

        ch = s.charAt(p);
        if (ch == 'T') {
            dateTimeSeparator = 'T';
            p++;
        } else if (ch == ' ') {
            dateTimeSeparator = ' ';
            p++;
            if (p < to && s.charAt(p) == ' ') {
                singleSpace = false;
                while (p < to && s.charAt(p) == ' ') p++;
            }
        } else {
            return false;
        }
        int m = markerAt(s, p, to);
        if (m != 0) {
            marker = m;
            p += 2;
            if (p >= to || s.charAt(p) != ' ') return false;
            while (p < to && s.charAt(p) == ' ') p++;
        }
        v = 0;
        n = 0;
        while (p < to && (ch = s.charAt(p)) >= '0' && ch <= '9') {
            if (++n > 2) return false;
            v = v * 10 + ch - '0';
            p++;
        }
        if (n == 0 || p >= to || s.charAt(p) != ':') return false;
        hour = v;
        lenHour = n;
        p++;
        int mm = twoDigits(s, p, to);
        if (mm < 0) return false;
        minute = mm;
        p += 2;
        hasTime = true;
        if (p < to && s.charAt(p) == ':') {
            int ss = twoDigits(s, p + 1, to);
            if (ss < 0) return false;
            second = ss;
            p += 3;
            if (p < to && ((ch = s.charAt(p)) == '.' || ch == ',')) {
                p++;
                v = 0;
                n = 0;
                while (p < to && (ch = s.charAt(p)) >= '0' && ch <= '9') {
                    if (++n > 9) return false;
                    v = v * 10 + ch - '0';
                    p++;
                }
                if (n == 0) return false;
                for (int k = n; k < 9; k++) v *= 10;
                nanos = v;
            }
        }
        if (p < to && s.charAt(p) == ' ') {
            while (p < to && s.charAt(p) == ' ') p++;
            m = markerAt(s, p, to);
            if (m == 0 || marker != 0) return false;
            marker = m;
            p += 2;
        }
        if (p < to) {
            ch = s.charAt(p);
            if (ch == 'Z' || ch == 'z') {
                offsetSeconds = 0;
                p++;
            } else if (ch == '+' || ch == '-') {
                int hh = twoDigits(s, p + 1, to);
                if (hh < 0 || hh > 18) return false;
                p += 3;
                int minutes = 0;
                if (p < to && s.charAt(p) == ':') p++;
                if (p < to) {
                    minutes = twoDigits(s, p, to);
                    if (minutes < 0 || minutes > 59) return false;
                    p += 2;
                }
                offsetSeconds = (ch == '-' ? -1 : 1) * (hh * 3600 + minutes * 60);
            } else {
                return false;
            }
            hasZone = true;
        }
        return p == to;
    }

    /** Bit mask of the {@link TimestampPattern}s the scanned text fits. */
    long fits() {
        long mask = 0;
        int from = lenA == 4 ? 0 : FIRST_NOT_YMD;
        int to = lenA == 4 ? FIRST_NOT_YMD : PATTERNS.size();
        for (int i = from; i < to; i++) {
            if (fits(PATTERNS.get(i))) mask |= 1L << i;
        }
        return mask;
    }

    /** Whether the scanned text fits {@code p} (including a valid calendar date and clock time). */
    boolean fits(TimestampPattern p) {
        if (p.iso()) return fitsIso();
        if (hasZone || separator != p.separator()) return false;
        if (hasTime && dateTimeSeparator != ' ') return false;
        if (p.twelveHour() != (marker != 0) || p.twelveHour() && !hasTime) return false;
        int y;
        int m;
        int d;
        switch (p.order()) {
            case YMD -> {
                if (lenA != 4 || lenB > 2 || lenC > 2) return false;
                y = a;
                m = b;
                d = c;
            }
            case MDY -> {
                if (lenC != p.yearDigits() || lenA > 2 || lenB > 2) return false;
                y = year(c, lenC);
                m = a;
                d = b;
            }
            default -> {
                if (lenC != p.yearDigits() || lenA > 2 || lenB > 2) return false;
                y = year(c, lenC);
                m = b;
                d = a;
            }
        }
        if (!validDate(y, m, d)) return false;
        if (!hasTime) return true;
        if (p.twelveHour() ? hour < 1 || hour > 12 : hour > 23) return false;
        return minute <= 59 && second <= 59;
    }

    private boolean fitsIso() {
        if (lenA != 4 || separator != '-' || lenB != 2 || lenC != 2 || marker != 0) return false;
        if (!validDate(a, b, c)) return false;
        if (!hasTime) return true;
        if (lenHour != 2 || !(dateTimeSeparator == 'T' || dateTimeSeparator == ' ' && singleSpace)) return false;
        return hour <= 23 && minute <= 59 && second <= 59;
    }

    /**
     * Microseconds since the epoch (UTC) of the scanned text read with {@code p}, which it must fit. Text without
     * an offset is local time, placed by {@code offsets}.
     */
    long epochMicros(TimestampPattern p, LocalOffsets offsets) {
        int y;
        int m;
        int d;
        switch (p.order()) {
            case YMD -> {
                y = a;
                m = b;
                d = c;
            }
            case MDY -> {
                y = year(c, lenC);
                m = a;
                d = b;
            }
            default -> {
                y = year(c, lenC);
                m = b;
                d = a;
            }
        }
        int h = hour;
        if (marker != 0) h = hour % 12 + (marker == PM ? 12 : 0);
        long local = daysFromCivil(y, m, d) * 86_400L + h * 3600L + minute * 60L + second;
        long offset = hasZone ? offsetSeconds : offsets.offsetSeconds(local);
        return (local - offset) * 1_000_000L + nanos / 1000;
    }

    /** The first pattern (in order of preference) the scanned text fits, or null. */
    TimestampPattern firstFit() {
        long mask = fits();
        return mask == 0 ? null : PATTERNS.get(Long.numberOfTrailingZeros(mask));
    }

    private static int year(int value, int digits) {
        return digits == 2 ? 2000 + value : value;
    }

    private static int markerAt(String s, int p, int to) {
        if (p + 1 >= to) return 0;
        char x = s.charAt(p);
        char y = s.charAt(p + 1);
        if (x == '오') return y == '전' ? AM : y == '후' ? PM : 0;
        if (y != 'M' && y != 'm') return 0;
        if (x == 'A' || x == 'a') return AM;
        if (x == 'P' || x == 'p') return PM;
        return 0;
    }

    private static int twoDigits(String s, int p, int to) {
        if (p + 2 > to) return -1;
        int x = s.charAt(p) - '0';
        int y = s.charAt(p + 1) - '0';
        if (x < 0 || x > 9 || y < 0 || y > 9) return -1;
        return x * 10 + y;
    }

    static boolean validDate(int y, int m, int d) {
        if (m < 1 || m > 12 || d < 1) return false;
        int days = switch (m) {
            case 2 -> (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
        return d <= days;
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
    static long daysFromCivil(long y, int m, int d) {
        y -= m <= 2 ? 1 : 0;
        long era = (y >= 0 ? y : y - 399) / 400;
        long yoe = y - era * 400;
        long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097 + doe - 719_468;
    }

    private static int firstNotYmd() {
        for (int i = 0; i < PATTERNS.size(); i++) {
            if (PATTERNS.get(i).order() != TimestampPattern.Order.YMD) return i;
        }
        return PATTERNS.size();
    }
}
