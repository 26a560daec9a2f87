package kr.max.library.ingest;

import java.util.ArrayList;
import java.util.List;

/**
 * A timestamp text form that ingest recognises by itself, with the name stored in {@code ColumnSpec.format}.
 * The names are {@link java.time.format.DateTimeFormatter} patterns (optional parts in brackets) so a provider
 * reading the dictionary knows what they mean; {@code iso} stands for the ISO 8601 variants.
 *
 * <p>The list is in order of preference: when several forms fit equally many values of a column, the earlier wins.
 * In particular month/day/year comes before day/month/year: {@code 5/4/20 0:00} is read as 4 May 2020, the way US
 * Excel writes dates. A column holding any value whose first number is above 12 fits only day/month/year and is read
 * that way; a column where every first number is 12 or less is ambiguous and read as month/day (check such columns).
 * Two-digit years are 20yy (manufacturing data after 2000).
 *
 * @param bit        position in the fit masks of {@link TimestampScanner}
 * @param text       the pattern as stored in the dictionary
 * @param order      order of year, month and day
 * @param separator  the date separator
 * @param yearDigits 4 or 2
 * @param twelveHour whether an AM/PM marker (오전/오후, AM/PM) is required and the hour is 1–12
 * @param iso        the ISO 8601 form ({@code 2020-03-04T13:05:07.5+09:00}, {@code T} or a space, date alone allowed)
 */
record TimestampPattern(int bit, String text, Order order, char separator, int yearDigits, boolean twelveHour, boolean iso) {

    enum Order { YMD, MDY, DMY }

    static final String ISO = "iso";

    /** All recognised forms, in order of preference; index = bit. */
    static final List<TimestampPattern> ALL = build();

    static TimestampPattern named(String text) {
        for (var p : ALL) if (p.text.equals(text)) return p;
        return null;
    }

    private static List<TimestampPattern> build() {
        var list = new ArrayList<TimestampPattern>();
        list.add(new TimestampPattern(0, ISO, Order.YMD, '-', 4, false, true));
        for (char s : new char[] {'-', '/', '.'}) {
            list.add(new TimestampPattern(list.size(), "yyyy" + s + "M" + s + "d[ H:mm[:ss]]", Order.YMD, s, 4, false, false));
            list.add(new TimestampPattern(list.size(), "yyyy" + s + "M" + s + "d a h:mm[:ss]", Order.YMD, s, 4, true, false));
        }
        for (Order order : new Order[] {Order.MDY, Order.DMY}) {
            String first = order == Order.MDY ? "M" : "d";
            String second = order == Order.MDY ? "d" : "M";
            for (char s : new char[] {'/', '-', '.'}) {
                for (int y : new int[] {4, 2}) {
                    String date = first + s + second + s + (y == 4 ? "yyyy" : "yy");
                    list.add(new TimestampPattern(list.size(), date + "[ H:mm[:ss]]", order, s, y, false, false));
                    list.add(new TimestampPattern(list.size(), date + " h:mm[:ss] a", order, s, y, true, false));
                }
            }
        }
        if (list.size() > 64) throw new IllegalStateException("fit masks are longs");
        return List.copyOf(list);
    }
}
