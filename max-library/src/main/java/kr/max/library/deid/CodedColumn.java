package kr.max.library.deid;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;
import kr.max.core.Location;
import kr.max.core.MaxException;

/**
 * One column's values coded densely, with the chain of generalization levels above them: level 0 is the value as it
 * is, {@link #top} is {@code *}, and every level is a function of the level below (a hierarchy), so the
 * equivalence classes of any lattice node can be rolled up from those of a lower node. Codes exist from the
 * column's lowest allowed level ({@link #minLevel}, the <em>bottom</em>) upwards; a missing value keeps a code of
 * its own on every level below the top.
 */
final class CodedColumn {

    /** How a kind of hierarchy (time, numeric ranges, categories, none) names and groups values. */
    interface Kind {
        /** The level of {@code *}. */
        int top();

        /** Language-neutral: {@code exact}, {@code hour}, {@code width 20}, {@code hierarchy 2}, {@code *}. */
        String levelName(int level);

        /** A key equal for the distinct values that share a group at {@code level} (0 ≤ level < top). */
        long key(int level, int raw);

        /** The label of the group of {@code raw} at {@code level} (0 ≤ level < top). */
        String label(int level, int raw);
    }

    final String name;
    final Values.Coding raw;
    final Kind kind;
    final int minLevel;
    final int top;
    /** Raw code to bottom code. */
    final int[] rawToBottom;
    /** [level][bottom code] → code at level, for minLevel ≤ level ≤ top. */
    final int[][] up;
    /** [level] → number of codes. */
    final int[] count;
    /** [level] → code of the missing value, or -1. */
    final int[] nullCode;
    /** [level][code] → rows. */
    final int[][] freq;
    private final int[] bottomRep;
    private final String[][] labels;
    private final int[][][] steps;

    CodedColumn(String name, Values.Coding raw, Kind kind, int minLevel) {
        this.name = name;
        this.raw = raw;
        this.kind = kind;
        this.top = kind.top();
        this.minLevel = Math.min(minLevel, top);
        int levels = top + 1;
        up = new int[levels][];
        count = new int[levels];
        nullCode = new int[levels];
        freq = new int[levels][];
        labels = new String[levels][];
        steps = new int[levels][levels][];
        java.util.Arrays.fill(nullCode, -1);

        int rc = raw.count();
        rawToBottom = new int[rc];
        int bottomCount;
        int[] rep;
        if (this.minLevel == top) {
            bottomCount = rc == 0 ? 0 : 1;
            rep = new int[bottomCount];
        } else if (this.minLevel == 0) {
            for (int r = 0; r < rc; r++) rawToBottom[r] = r;
            bottomCount = rc;
            rep = new int[rc];
            for (int r = 0; r < rc; r++) rep[r] = r;
            nullCode[0] = raw.nullCode();
        } else {
            var map = new LongIntMap(Math.min(rc, 1 << 16));
            rep = new int[Math.max(16, Math.min(rc, 1 << 16))];
            for (int r = 0; r < rc; r++) {
                if (r == raw.nullCode()) continue;
                int before = map.size();
                int b = map.code(kind.key(this.minLevel, r));
                if (b == before) {
                    if (b == rep.length) rep = java.util.Arrays.copyOf(rep, b * 2);
                    rep[b] = r;
                }
                rawToBottom[r] = b;
            }
            bottomCount = map.size();
            if (raw.nullCode() >= 0) {
                nullCode[this.minLevel] = bottomCount;
                rawToBottom[raw.nullCode()] = bottomCount;
                if (bottomCount == rep.length) rep = java.util.Arrays.copyOf(rep, bottomCount + 1);
                rep[bottomCount] = raw.nullCode();
                bottomCount++;
            }
            rep = java.util.Arrays.copyOf(rep, bottomCount);
        }
        bottomRep = rep;
        int bottomNull = nullCode[this.minLevel];
        int[] identity = new int[bottomCount];
        for (int b = 0; b < bottomCount; b++) identity[b] = b;
        up[this.minLevel] = identity;
        count[this.minLevel] = bottomCount;
        for (int l = this.minLevel + 1; l < top; l++) {
            var map = new LongIntMap(Math.min(bottomCount, 1 << 16));
            int[] u = new int[bottomCount];
            for (int b = 0; b < bottomCount; b++) {
                if (b != bottomNull) u[b] = map.code(kind.key(l, bottomRep[b]));
            }
            int c = map.size();
            if (bottomNull >= 0) {
                u[bottomNull] = c;
                nullCode[l] = c;
                c++;
            }
            up[l] = u;
            count[l] = c;
        }
        if (this.minLevel < top) {
            up[top] = new int[bottomCount];
            count[top] = bottomCount == 0 ? 0 : 1;
        }
        int[] bottomFreq = new int[bottomCount];
        for (int r = 0; r < rc; r++) bottomFreq[rawToBottom[r]] += raw.frequency()[r];
        for (int l = this.minLevel; l <= top; l++) {
            int[] f = new int[count[l]];
            for (int b = 0; b < bottomCount; b++) f[up[l][b]] += bottomFreq[b];
            freq[l] = f;
        }
    }

    int bottomCount() {
        return count[minLevel];
    }

    /** The code at {@code level} of row {@code row}'s value. */
    int codeOfRow(int row, int level) {
        return up[level][rawToBottom[raw.codeOfRow()[row]]];
    }

    /** Codes at level {@code from} to codes at level {@code to} (from ≤ to, both ≥ minLevel). */
    int[] step(int from, int to) {
        int[] s = steps[from][to];
        if (s == null) {
            s = new int[count[from]];
            int[] a = up[from];
            int[] b = up[to];
            for (int bottom = 0; bottom < a.length; bottom++) s[a[bottom]] = b[bottom];
            steps[from][to] = s;
        }
        return s;
    }

    /** The labels of the codes at {@code level}: {@code *} at the top, {@code null} for the missing value below it. */
    String[] labels(int level) {
        String[] l = labels[level];
        if (l == null) {
            l = new String[count[level]];
            int[] u = up[level];
            for (int b = 0; b < u.length; b++) {
                int c = u[b];
                if (l[c] != null || c == nullCode[level]) continue;
                l[c] = level == top ? CategoryHierarchy.TOP : kind.label(level, bottomRep[b]);
            }
            labels[level] = l;
        }
        return l;
    }

    String levelName(int level) {
        return level == top ? CategoryHierarchy.TOP : kind.levelName(level);
    }

    // ---------------------------------------------------------------- kinds

    /** Exact instant → hour → day → seven-day block of the month → month → year → {@code *}, in the plant's zone. */
    static final class Time implements Kind {
        private static final long HOUR = 3_600_000_000L;
        private static final String[] NAMES = {"exact", "hour", "day", "week", "month", "year"};
        private static final DateTimeFormatter HOUR_LABEL = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH", Locale.ROOT);
        private final long[] micros;
        private final ZoneId zone;
        private final ZoneRules rules;

        Time(long[] micros, ZoneId zone) {
            this.micros = micros;
            this.zone = zone;
            this.rules = zone.getRules();
        }

        @Override
        public int top() {
            return 6;
        }

        @Override
        public String levelName(int level) {
            return NAMES[level];
        }

        private long localHour(long m) {
            int offset = rules.getOffset(Values.instant(m)).getTotalSeconds();
            return Math.floorDiv(m + offset * 1_000_000L, HOUR);
        }

        @Override
        public long key(int level, int raw) {
            long m = micros[raw];
            if (level == 0) return m;
            long hour = localHour(m);
            if (level == 1) return hour;
            long day = Math.floorDiv(hour, 24);
            if (level == 2) return day;
            LocalDate d = LocalDate.ofEpochDay(day);
            long month = d.getYear() * 12L + d.getMonthValue() - 1;
            return switch (level) {
                case 3 -> month * 5 + (d.getDayOfMonth() - 1) / 7;
                case 4 -> month;
                default -> d.getYear();
            };
        }

        @Override
        public String label(int level, int raw) {
            long m = micros[raw];
            if (level == 0) return Values.timestamp(m, zone);
            long hour = localHour(m);
            LocalDateTime t = LocalDateTime.of(LocalDate.ofEpochDay(Math.floorDiv(hour, 24)),
                    java.time.LocalTime.of(Math.floorMod(hour, 24), 0));
            LocalDate d = t.toLocalDate();
            return switch (level) {
                case 1 -> HOUR_LABEL.format(t);
                case 2 -> d.toString();
                case 3 -> {
                    int block = (d.getDayOfMonth() - 1) / 7;
                    int end = block == 4 ? d.lengthOfMonth() : block * 7 + 7;
                    yield d.withDayOfMonth(block * 7 + 1) + "/" + (end < 10 ? "0" : "") + end;
                }
                case 4 -> java.time.YearMonth.from(d).toString();
                default -> Integer.toString(d.getYear());
            };
        }
    }

    /** Exact number → ranges of width w, 2w, 4w, … aligned at zero, until one range holds every value → {@code *}. */
    static final class Width implements Kind {
        private final double[] numbers;
        private final BigDecimal width;
        private final long[] bin;
        private final int top;

        Width(Values.Coding raw, BigDecimal width, Location where) {
            this.numbers = raw.numbers();
            this.width = width;
            double w = width.doubleValue();
            bin = new long[raw.count()];
            long lo = Long.MAX_VALUE;
            long hi = Long.MIN_VALUE;
            for (int r = 0; r < raw.count(); r++) {
                if (r == raw.nullCode()) continue;
                long b = bin(numbers[r], w, width, where);
                bin[r] = b;
                lo = Math.min(lo, b);
                hi = Math.max(hi, b);
            }
            // widen until one range holds everything, or, for values on both sides of zero (ranges never cross it),
            // until one range on each side does
            int j = 1;
            while (lo < hi && (lo >> (j - 1)) != (hi >> (j - 1)) && !((lo >> (j - 1)) == -1 && (hi >> (j - 1)) == 0)) {
                j++;
            }
            top = j + 1;
        }

        /**
         * The index i of the range {@code [i·w, (i+1)·w)} holding v, where v is the decimal the double stands for
         * (its shortest representation: the double nearest 0.3 counts as 0.3, as it is shown), decided exactly in
         * decimal where v lies near an edge.
         */
        static long bin(double v, double w, BigDecimal width, Location where) {
            double q = v / w;
            if (!(Math.abs(q) < 0x1p52)) {
                if (Double.isInfinite(v) || Math.abs(q) >= 0x1p61) {
                    throw new MaxException(DeidError.NUMBER_TOO_LARGE, where, Values.number(v), width.toPlainString());
                }
                return exactBin(v, width);
            }
            double f = Math.floor(q);
            double frac = q - f;
            if (frac > 1e-9 && frac < 1 - 1e-9) return (long) f;
            return exactBin(v, width);
        }

        private static long exactBin(double v, BigDecimal width) {
            return BigDecimal.valueOf(v).divide(width, 0, RoundingMode.FLOOR).longValueExact();
        }

        @Override
        public int top() {
            return top;
        }

        private BigDecimal widthAt(int level) {
            return width.multiply(BigDecimal.valueOf(1L << (level - 1)));
        }

        @Override
        public String levelName(int level) {
            return level == 0 ? "exact" : "width " + widthAt(level).stripTrailingZeros().toPlainString();
        }

        @Override
        public long key(int level, int raw) {
            return level == 0 ? raw : bin[raw] >> (level - 1);
        }

        @Override
        public String label(int level, int raw) {
            if (level == 0) return Values.number(numbers[raw]);
            BigDecimal w = widthAt(level);
            BigDecimal lo = w.multiply(BigDecimal.valueOf(bin[raw] >> (level - 1)));
            return "[" + plain(lo) + "," + plain(lo.add(w)) + ")";
        }

        private static String plain(BigDecimal d) {
            return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
        }
    }

    /** Value → the labels of a {@link CategoryHierarchy} → {@code *}. */
    static final class Categories implements Kind {
        private final CategoryHierarchy hierarchy;
        private final String[] texts;
        private final List<Map<String, Integer>> ids = new ArrayList<>();

        Categories(Values.Coding raw, ZoneId zone, CategoryHierarchy hierarchy, Location where) {
            this.hierarchy = hierarchy;
            texts = new String[raw.count()];
            for (int r = 0; r < raw.count(); r++) {
                if (r == raw.nullCode()) continue;
                String t = raw.text(r, zone);
                if (!hierarchy.contains(t)) throw new MaxException(DeidError.VALUE_NOT_IN_HIERARCHY, where, t);
                texts[r] = t;
            }
            for (int l = 0; l <= hierarchy.height(); l++) ids.add(new HashMap<>());
        }

        @Override
        public int top() {
            return hierarchy.height() + 1;
        }

        @Override
        public String levelName(int level) {
            return level == 0 ? "exact" : "hierarchy " + level;
        }

        @Override
        public long key(int level, int raw) {
            if (level == 0) return raw;
            var m = ids.get(level);
            return m.computeIfAbsent(hierarchy.generalize(texts[raw], level), s -> m.size());
        }

        @Override
        public String label(int level, int raw) {
            return hierarchy.generalize(texts[raw], level);
        }
    }

    /** The value (or its pseudonym) → {@code *}. */
    static final class Flat implements Kind {
        private final String name;
        private final IntFunction<String> label;

        Flat(String name, IntFunction<String> label) {
            this.name = name;
            this.label = label;
        }

        @Override
        public int top() {
            return 1;
        }

        @Override
        public String levelName(int level) {
            return name;
        }

        @Override
        public long key(int level, int raw) {
            return raw;
        }

        @Override
        public String label(int level, int raw) {
            return label.apply(raw);
        }
    }
}
