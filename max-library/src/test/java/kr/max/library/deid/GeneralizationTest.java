package kr.max.library.deid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Random;
import kr.max.core.Location;
import kr.max.core.MaxException;
import org.junit.jupiter.api.Test;

/** Every generalized value contains the original: a timestamp its hour/day/week/month/year, a number its range. */
class GeneralizationTest {

    private static CodedColumn timeColumn(long[] micros, ZoneId zone) {
        var raw = Values.code(new DeidTable.Timestamps("t", micros));
        return new CodedColumn("t", raw, new CodedColumn.Time(raw.micros(), zone), 0);
    }

    @Test
    void timestampLabelsContainTheInstantInThePlantsZoneAtEveryLevel() {
        var rnd = new Random(7);
        for (String z : List.of("Asia/Seoul", "Europe/Berlin", "Asia/Kolkata", "America/St_Johns", "UTC")) {
            ZoneId zone = ZoneId.of(z);
            long[] micros = new long[2000];
            for (int i = 0; i < micros.length; i++) {
                // 1990 … 2040, some exactly on hour and day edges
                micros[i] = 631_152_000_000_000L + (long) (rnd.nextDouble() * 1_577_836_800_000_000L);
                if (i % 10 == 0) micros[i] -= Math.floorMod(micros[i], 3_600_000_000L);
            }
            CodedColumn c = timeColumn(micros, zone);
            assertThat(c.top).isEqualTo(6);
            for (int r = 0; r < micros.length; r++) {
                LocalDateTime local = LocalDateTime.ofInstant(Values.instant(micros[r]), zone);
                LocalDate day = local.toLocalDate();
                String hour = c.labels(1)[c.codeOfRow(r, 1)];
                assertThat(hour).as(z).isEqualTo(local.withMinute(0).withSecond(0).withNano(0).toString().substring(0, 13));
                assertThat(LocalDateTime.parse(hour + ":00")).isBeforeOrEqualTo(local)
                        .isAfter(local.minusHours(1));
                assertThat(LocalDate.parse(c.labels(2)[c.codeOfRow(r, 2)])).isEqualTo(day);
                String week = c.labels(3)[c.codeOfRow(r, 3)];
                LocalDate from = LocalDate.parse(week.substring(0, week.indexOf('/')));
                LocalDate to = from.withDayOfMonth(Integer.parseInt(week.substring(week.indexOf('/') + 1)));
                assertThat(day).isBetween(from, to);
                assertThat(from.getDayOfMonth() % 7).isEqualTo(1);
                assertThat(to.getDayOfMonth() == from.getDayOfMonth() + 6 || to.getDayOfMonth() == day.lengthOfMonth())
                        .isTrue();
                assertThat(YearMonth.parse(c.labels(4)[c.codeOfRow(r, 4)])).isEqualTo(YearMonth.from(day));
                assertThat(c.labels(5)[c.codeOfRow(r, 5)]).isEqualTo(Integer.toString(day.getYear()));
                assertThat(c.labels(6)[c.codeOfRow(r, 6)]).isEqualTo("*");
                assertThat(ZonedDateTime.parse(c.labels(0)[c.codeOfRow(r, 0)]).toInstant())
                        .isEqualTo(Values.instant(micros[r]));
            }
        }
    }

    @Test
    void timestampLevelsFormAHierarchyEvenWhereAWeekWouldStraddleTwoMonths() {
        ZoneId seoul = ZoneId.of("Asia/Seoul");
        // 2026-01-29 … 2026-02-04 is one ISO week but two months: here it is two blocks
        long[] micros = new long[7];
        for (int d = 0; d < 7; d++) {
            micros[d] = LocalDate.of(2026, 1, 29).plusDays(d).atTime(12, 0).atZone(seoul).toEpochSecond() * 1_000_000L;
        }
        CodedColumn c = timeColumn(micros, seoul);
        assertThat(c.labels(3)[c.codeOfRow(0, 3)]).isEqualTo("2026-01-29/31");
        assertThat(c.labels(3)[c.codeOfRow(6, 3)]).isEqualTo("2026-02-01/07");
        // every code of a level has one parent on the next level
        for (int l = 0; l < c.top; l++) {
            int[] step = c.step(l, l + 1);
            for (int r = 0; r < micros.length; r++) {
                assertThat(step[c.codeOfRow(r, l)]).isEqualTo(c.codeOfRow(r, l + 1));
            }
        }
    }

    @Test
    void numberRangesContainTheValueExactlyEvenOnEdgesAndForNegativeValues() {
        var rnd = new Random(11);
        for (String w : List.of("0.1", "0.25", "1", "3", "7.5", "10", "0.003")) {
            BigDecimal width = new BigDecimal(w);
            double[] values = new double[3000];
            for (int i = 0; i < values.length; i++) {
                values[i] = switch (i % 4) {
                    case 0 -> (rnd.nextDouble() - 0.3) * 500;
                    case 1 -> width.multiply(BigDecimal.valueOf(rnd.nextInt(2000) - 700)).doubleValue(); // on an edge
                    case 2 -> Math.round(rnd.nextGaussian() * 1000) / 10.0;
                    default -> -rnd.nextDouble() * 1e-3;
                };
            }
            var raw = Values.code(new DeidTable.Numbers("x", values));
            var c = new CodedColumn("x", raw, new CodedColumn.Width(raw, width, Location.NOWHERE), 1);
            for (int l = 1; l < c.top; l++) {
                for (int r = 0; r < values.length; r++) {
                    String label = c.labels(l)[c.codeOfRow(r, l)];
                    assertThat(label).startsWith("[").endsWith(")");
                    BigDecimal lo = new BigDecimal(label.substring(1, label.indexOf(',')));
                    BigDecimal hi = new BigDecimal(label.substring(label.indexOf(',') + 1, label.length() - 1));
                    BigDecimal v = BigDecimal.valueOf(values[r]); // the decimal the double stands for
                    assertThat(lo.compareTo(v)).as("%s in %s (width %s)", values[r], label, w).isLessThanOrEqualTo(0);
                    assertThat(v.compareTo(hi)).as("%s in %s (width %s)", values[r], label, w).isLessThan(0);
                    assertThat(hi.subtract(lo)).isEqualByComparingTo(width.multiply(BigDecimal.valueOf(1L << (l - 1))));
                }
            }
            // the widest level holds everything in one range, or one range on each side of zero
            assertThat(c.count[c.top - 1]).isLessThanOrEqualTo(2);
            assertThat(c.count[c.top - 2]).isGreaterThan(1);
        }
    }

    @Test
    void aNumberOnAnEdgeBelongsToTheRangeItStarts() {
        double[] values = {0.3, 20, -10, 0.1 + 0.2, 29.999999999999996};
        var raw = Values.code(new DeidTable.Numbers("x", values));
        var c = new CodedColumn("x", raw, new CodedColumn.Width(raw, new BigDecimal("0.1"), Location.NOWHERE), 1);
        assertThat(c.labels(1)[c.codeOfRow(0, 1)]).isEqualTo("[0.3,0.4)");
        assertThat(c.labels(1)[c.codeOfRow(1, 1)]).isEqualTo("[20,20.1)");
        assertThat(c.labels(1)[c.codeOfRow(2, 1)]).isEqualTo("[-10,-9.9)");
        assertThat(c.labels(1)[c.codeOfRow(3, 1)]).isEqualTo("[0.3,0.4)"); // 0.30000000000000004
        assertThat(c.labels(1)[c.codeOfRow(4, 1)]).isEqualTo("[29.9,30)");
    }

    @Test
    void categoriesGoUpTheirHierarchyAndAValueMissingFromItIsNamed() {
        var h = CategoryHierarchy.parseCsv(DeidFixtures.ASSETS_CSV, "assets.csv", "assets.csv");
        String[] values = {"650톤-우진2호기", "350톤-동신2호기", null, "1300톤-엘지4호기"};
        var raw = Values.code(new DeidTable.Texts("m", values));
        var c = new CodedColumn("m", raw, new CodedColumn.Categories(raw, ZoneId.of("UTC"), h, Location.NOWHERE), 1);
        assertThat(c.top).isEqualTo(3);
        for (int r = 0; r < values.length; r++) {
            for (int l = 1; l <= c.top; l++) {
                String label = c.labels(l)[c.codeOfRow(r, l)];
                if (values[r] == null) {
                    assertThat(label).isEqualTo(l == c.top ? "*" : null);
                } else {
                    assertThat(label).isEqualTo(l <= h.height() ? h.ancestors().get(values[r]).get(l - 1) : "*");
                }
            }
        }
        var missing = Values.code(new DeidTable.Texts("m", new String[] {"650톤-우진2호기", "9999톤-신규"}));
        var where = new Location("assets.csv", 0, 0, "machine_name", null, null);
        assertThatThrownBy(() -> new CodedColumn.Categories(missing, ZoneId.of("UTC"), h, where))
                .isInstanceOfSatisfying(MaxException.class, e -> {
                    assertThat(e.code()).isEqualTo(DeidError.VALUE_NOT_IN_HIERARCHY);
                    assertThat(e.location()).isEqualTo(where);
                    assertThat(e.getMessage()).contains("9999톤-신규").contains("assets.csv (machine_name)");
                });
    }

    @Test
    void inlineHierarchiesAreCheckedLikeFiles() {
        var h = CategoryHierarchy.of(Map.of("a", List.of("x", "top"), "b", List.of("y", "top")), Location.NOWHERE);
        assertThat(h.height()).isEqualTo(2);
        assertThat(h.generalize("b", 1)).isEqualTo("y");
        assertThat(h.generalize("b", 3)).isEqualTo("*");
        assertThat(h.generalize("zzz", 1)).isNull();
    }
}
