package kr.max.library.deid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import kr.max.core.MaxException;
import org.junit.jupiter.api.Test;

/** Over many random tables and profiles: what a release must never break. */
class DeidentifierPropertyTest {

    private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");
    private static final String[] TIME = {"hour", "day", "week", "month", "year"};
    private static final String[] WIDTH = {"0.5", "2", "5", "10", "25"};
    private static final String[] LIMIT = {"0", "0.01", "0.05", "0.2", "0.5"};

    record Case(DeidPlan plan, int k, BigDecimal limit) {
    }

    private static Case randomCase(Random rnd) {
        int k = 1 + rnd.nextInt(10);
        String limit = LIMIT[rnd.nextInt(LIMIT.length)];
        String yaml = DeidFixtures.profileYaml(k, limit, TIME[rnd.nextInt(TIME.length)], rnd.nextInt(3),
                WIDTH[rnd.nextInt(WIDTH.length)], rnd.nextInt(3) == 0);
        DeidPlan plan = DeidProfile.parse(yaml, "p.yaml", DeidFixtures.assets()).plan(DeidFixtures.dictionary());
        return new Case(plan, k, new BigDecimal(limit));
    }

    @Test
    void everyReleaseIsKAnonymousWithinTheSuppressionLimitAndKeepsItsPromisesPerColumn() {
        var rnd = new Random(4);
        int releases = 0;
        for (int run = 0; run < 200; run++) {
            Case c = randomCase(rnd);
            int n = 1 + rnd.nextInt(400);
            DeidTable in = DeidFixtures.table(rnd, n, 1 + rnd.nextInt(400), rnd.nextDouble() * 0.15);
            PseudonymKey key = PseudonymKey.generate();
            DeidResult result;
            try {
                result = Deidentifier.run(in, c.plan(), key, run);
            } catch (MaxException e) {
                assertThat(e.code()).isEqualTo(DeidError.K_NOT_REACHABLE);
                assertThat(n).isLessThan(c.k());
                continue;
            }
            releases++;
            String as = "run " + run + " (n " + n + ", k " + c.k() + ", limit " + c.limit() + ")";
            DeidTable out = result.table();
            RiskReport report = result.report();
            List<String> qis = c.plan().quasiIdentifiers().stream().map(p -> p.column().name()).toList();

            // k-anonymity over the released quasi-identifiers, within the suppression limit
            Map<List<String>, Integer> classes = new HashMap<>();
            for (List<String> t : DeidFixtures.tuples(out, qis)) classes.merge(t, 1, Integer::sum);
            assertThat(classes.values()).as(as).allMatch(size -> size >= c.k());
            long limit = c.limit().multiply(BigDecimal.valueOf(n)).setScale(0, RoundingMode.FLOOR).longValue();
            assertThat(report.rowsSuppressed()).as(as).isLessThanOrEqualTo(limit).isEqualTo(n - out.rowCount());
            assertThat(report.rowsOut()).isEqualTo(out.rowCount());
            assertThat(report.equivalenceClasses()).isEqualTo(classes.size());
            assertThat(report.kReached()).isEqualTo(classes.values().stream().mapToInt(i -> i).min().orElse(0));
            assertThat(report.recordsAtRiskAfter()).isZero();

            checkColumns(in, out, report, key, as);
            assertThat(Deidentifier.dryRun(in, c.plan())).isEqualTo(report);

            // the same key and seed give the same release
            DeidTable again = Deidentifier.run(in, c.plan(), key, run).table();
            for (String name : out.names()) assertThat(sameValues(out.column(name), again.column(name))).as(name).isTrue();
        }
        assertThat(releases).isGreaterThan(150);
    }

    private static void checkColumns(DeidTable in, DeidTable out, RiskReport report, PseudonymKey key, String as) {
        assertThat(out.names()).doesNotContain("remarks")
                .containsExactly("row_id", "TimeStamp", "machine_name", "operator", "supplier", "Barrel_Temperature_1",
                        "Max_Injection_Pressure", "Cycle_Time", "Injection_Speed_Set", "Shot_Count_Set", "PassOrFail");
        var remarks = new HashSet<>(Arrays.asList(((DeidTable.Texts) in.column("remarks")).values()));
        for (DeidTable.Column column : out.columns()) {
            if (column instanceof DeidTable.Texts t) {
                for (String v : t.values()) assertThat(remarks).as(as + " dropped value in " + t.name()).doesNotContain(v);
            }
        }
        assertThat(((DeidTable.Texts) out.column("PassOrFail")).values()).containsOnlyNulls();

        Map<String, Integer> levelOf = new HashMap<>();
        Map<String, String> levelName = new HashMap<>();
        for (var qi : report.quasiIdentifiers()) {
            levelOf.put(qi.column(), qi.height());
            levelName.put(qi.column(), qi.level());
        }
        var hierarchy = CategoryHierarchy.parseCsv(DeidFixtures.ASSETS_CSV, "assets.csv", "assets.csv");
        double[] ids = ((DeidTable.Numbers) out.column("row_id")).values();
        Map<String, String> operatorPseudonym = new HashMap<>();
        Map<String, String> operatorOriginal = new HashMap<>();
        Map<Double, Double> speedNoise = new HashMap<>();
        for (int r = 0; r < out.rowCount(); r++) {
            int i = (int) ids[r];
            // timestamps: the released label contains the instant
            long micros = ((DeidTable.Timestamps) in.column("TimeStamp")).micros()[i];
            String ts = text(out, "TimeStamp", r);
            assertThat(timeContains(ts, levelName.get("TimeStamp"), micros)).as(as + " " + ts).isTrue();
            // machines: the released label is the value's ancestor
            String machine = text(in, "machine_name", i);
            int ml = levelOf.get("machine_name");
            assertThat(text(out, "machine_name", r)).isEqualTo(ml == 0 ? machine : hierarchy.generalize(machine, ml));
            // numbers: the released range contains the value
            double temp = ((DeidTable.Numbers) in.column("Barrel_Temperature_1")).values()[i];
            assertThat(rangeContains(text(out, "Barrel_Temperature_1", r), temp)).as(as).isTrue();
            double pressure = ((DeidTable.Numbers) in.column("Max_Injection_Pressure")).values()[i];
            String pressureRange = text(out, "Max_Injection_Pressure", r);
            assertThat(pressureRange).isNotEqualTo("*");
            assertThat(rangeContains(pressureRange, pressure)).as(as).isTrue();
            // kept as it is
            assertThat(((DeidTable.Numbers) out.column("Cycle_Time")).values()[r])
                    .isEqualTo(((DeidTable.Numbers) in.column("Cycle_Time")).values()[i]);
            // pseudonyms: one per value, different values different pseudonyms, the release key's
            String supplier = text(in, "supplier", i);
            assertThat(text(out, "supplier", r)).isEqualTo(key.pseudonym("injection-share", supplier));
            String operator = text(in, "operator", i);
            String p = text(out, "operator", r);
            if (operator == null) {
                assertThat(p).isIn(null, "*");
            } else if (!"*".equals(p)) {
                assertThat(p).matches("p_[a-z2-7]{16}");
                assertThat(operatorPseudonym.merge(operator, p, (a, b) -> a)).isEqualTo(p);
                assertThat(operatorOriginal.merge(p, operator, (a, b) -> a)).isEqualTo(operator);
            }
            // noise within its bound, the same for the same value
            double speed = ((DeidTable.Numbers) in.column("Injection_Speed_Set")).values()[i];
            double noisy = ((DeidTable.Numbers) out.column("Injection_Speed_Set")).values()[r];
            if (Double.isNaN(speed)) {
                assertThat(noisy).isNaN();
            } else {
                assertThat(Math.abs(noisy - speed)).as(as).isLessThanOrEqualTo(0.5);
                assertThat(speedNoise.merge(speed, noisy, (a, b) -> a)).isEqualTo(noisy);
            }
            double shots = ((DeidTable.Numbers) in.column("Shot_Count_Set")).values()[i];
            double noisyShots = ((DeidTable.Numbers) out.column("Shot_Count_Set")).values()[r];
            assertThat(Math.abs(noisyShots - shots)).isLessThanOrEqualTo(Math.floor(0.03 * shots));
            assertThat(noisyShots).isEqualTo(Math.rint(noisyShots));
        }
    }

    @Test
    void noiseIsSpreadOverItsWholeBound() {
        DeidTable in = DeidFixtures.table(new Random(9), 3000, 30, 0);
        double[] speeds = new double[3000];
        for (int r = 0; r < speeds.length; r++) speeds[r] = 40 + r * 0.01; // 3000 distinct setpoints
        var columns = new java.util.ArrayList<>(in.columns());
        columns.replaceAll(col -> col.name().equals("Injection_Speed_Set") ? new DeidTable.Numbers(col.name(), speeds) : col);
        in = DeidTable.of(3000, columns);
        String yaml = DeidFixtures.profileYaml(1, "0", "hour", 0, "10", false);
        DeidPlan plan = DeidProfile.parse(yaml, "p.yaml", DeidFixtures.assets()).plan(DeidFixtures.dictionary());
        double[] out = ((DeidTable.Numbers) Deidentifier.run(in, plan, PseudonymKey.generate(), 5).table()
                .column("Injection_Speed_Set")).values();
        int[] buckets = new int[10];
        for (int r = 0; r < out.length; r++) {
            double d = out[r] - speeds[r];
            assertThat(Math.abs(d)).isLessThanOrEqualTo(0.5);
            buckets[(int) Math.min(9, Math.floor((d + 0.5) * 10))]++;
        }
        assertThat(Arrays.stream(buckets).boxed().toList()).allMatch(b -> b > 200 && b < 400); // about 300 each
    }

    @Test
    void anotherReleaseKeyGivesOtherPseudonymsAndOtherNoise() {
        DeidTable in = DeidFixtures.table(new Random(1), 300, 30, 0);
        DeidPlan plan = DeidProfile.parse(DeidFixtures.profileYaml(2, "0.1", "day", 1, "10", false), "p.yaml",
                DeidFixtures.assets()).plan(DeidFixtures.dictionary());
        DeidTable a = Deidentifier.run(in, plan, PseudonymKey.generate(), 1).table();
        DeidTable b = Deidentifier.run(in, plan, PseudonymKey.generate(), 1).table();
        var pa = new HashSet<>(Arrays.asList(((DeidTable.Texts) a.column("operator")).values()));
        var pb = new HashSet<>(Arrays.asList(((DeidTable.Texts) b.column("operator")).values()));
        pa.retainAll(pb);
        assertThat(pa).isEmpty();
        assertThat(((DeidTable.Numbers) a.column("Injection_Speed_Set")).values())
                .isNotEqualTo(((DeidTable.Numbers) b.column("Injection_Speed_Set")).values());
    }

    @Test
    void aTableThatDoesNotFitTheDictionaryIsRefused() {
        DeidPlan plan = DeidProfile.parse(DeidFixtures.profileYaml(2, "0.1", "day", 1, "10", false), "p.yaml",
                DeidFixtures.assets()).plan(DeidFixtures.dictionary());
        DeidTable in = DeidFixtures.table(new Random(1), 20, 3, 0);
        var columns = new java.util.ArrayList<>(in.columns());
        columns.replaceAll(col -> col.name().equals("Cycle_Time") ? new DeidTable.Texts("Cycle_Time", new String[20]) : col);
        DeidTable wrongKind = DeidTable.of(20, columns);
        assertThatThrownBy(() -> Deidentifier.dryRun(wrongKind, plan)).isInstanceOfSatisfying(MaxException.class, e -> {
            assertThat(e.code()).isEqualTo(DeidError.TABLE_MISMATCH);
            assertThat(e.location().columnName()).isEqualTo("Cycle_Time");
        });
        columns.set(columns.size() - 1, new DeidTable.Texts("secret_notes", new String[20]));
        columns.replaceAll(col -> col.name().equals("Cycle_Time") ? in.column("Cycle_Time") : col);
        DeidTable extra = DeidTable.of(20, columns);
        assertThatThrownBy(() -> Deidentifier.dryRun(extra, plan)).isInstanceOfSatisfying(MaxException.class, e ->
                assertThat(e.code()).isIn(DeidError.TABLE_MISMATCH, DeidError.COLUMN_NOT_IN_DICTIONARY));
    }

    @Test
    void aMachineMissingFromTheHierarchyIsNamedWithTheHierarchyAndTheColumn() {
        DeidPlan plan = DeidProfile.parse(DeidFixtures.profileYaml(2, "0.1", "day", 1, "10", false), "p.yaml",
                DeidFixtures.assets()).plan(DeidFixtures.dictionary());
        DeidTable in = DeidFixtures.table(new Random(1), 20, 3, 0);
        ((DeidTable.Texts) in.column("machine_name")).values()[7] = "2000톤-신규1호기";
        assertThatThrownBy(() -> Deidentifier.dryRun(in, plan)).isInstanceOfSatisfying(MaxException.class, e -> {
            assertThat(e.code()).isEqualTo(DeidError.VALUE_NOT_IN_HIERARCHY);
            assertThat(e.getMessage()).startsWith("MAX-DEID-026 assets.csv (machine_name): ").contains("2000톤-신규1호기");
        });
    }

    @Test
    void fewerRowsThanKWithoutRoomToSuppressThemAllIsRefused() {
        DeidPlan plan = DeidProfile.parse(DeidFixtures.profileYaml(5, "0.5", "day", 1, "10", false), "p.yaml",
                DeidFixtures.assets()).plan(DeidFixtures.dictionary());
        assertThatThrownBy(() -> Deidentifier.dryRun(DeidFixtures.table(new Random(1), 4, 3, 0), plan))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(DeidError.K_NOT_REACHABLE));
        DeidPlan all = DeidProfile.parse(DeidFixtures.profileYaml(5, "1", "day", 1, "10", false), "p.yaml",
                DeidFixtures.assets()).plan(DeidFixtures.dictionary());
        DeidResult nothing = Deidentifier.run(DeidFixtures.table(new Random(1), 4, 3, 0), all, PseudonymKey.generate(), 1);
        assertThat(nothing.table().rowCount()).isZero();
        assertThat(nothing.report().rowsSuppressed()).isEqualTo(4);
        assertThat(nothing.report().kReached()).isZero();
    }

    @Test
    void anEmptyTableGivesAnEmptyReleaseAndAReportOfZeros() {
        DeidPlan plan = DeidProfile.parse(DeidFixtures.profileYaml(5, "0", "day", 1, "10", true), "p.yaml",
                DeidFixtures.assets()).plan(DeidFixtures.dictionary());
        DeidResult result = Deidentifier.run(DeidFixtures.table(new Random(1), 0, 3, 0), plan, PseudonymKey.generate(), 1);
        assertThat(result.table().rowCount()).isZero();
        assertThat(result.table().names()).hasSize(11);
        RiskReport r = result.report();
        assertThat(r.rowsIn()).isZero();
        assertThat(r.rowsSuppressed()).isZero();
        assertThat(r.kReached()).isZero();
        assertThat(r.nonUniformEntropy()).isZero();
        assertThat(r.render(java.util.Locale.ENGLISH)).doesNotContain("NaN").doesNotContain("Infinity");
    }

    private static String text(DeidTable t, String column, int row) {
        return ((DeidTable.Texts) t.column(column)).values()[row];
    }

    static boolean timeContains(String label, String level, long micros) {
        if (micros == DeidTable.Timestamps.NULL) return label == null || label.equals("*");
        if (label.equals("*")) return level.equals("*");
        LocalDateTime local = LocalDateTime.ofInstant(Values.instant(micros), SEOUL);
        LocalDate day = local.toLocalDate();
        return switch (level) {
            case "hour" -> LocalDateTime.parse(label + ":00").equals(local.withMinute(0).withSecond(0).withNano(0));
            case "day" -> LocalDate.parse(label).equals(day);
            case "week" -> {
                LocalDate from = LocalDate.parse(label.substring(0, 10));
                int to = Integer.parseInt(label.substring(11));
                yield YearMonth.from(from).equals(YearMonth.from(day)) && !day.isBefore(from) && day.getDayOfMonth() <= to;
            }
            case "month" -> YearMonth.parse(label).equals(YearMonth.from(day));
            case "year" -> label.equals(Integer.toString(day.getYear()));
            default -> false;
        };
    }

    static boolean rangeContains(String label, double v) {
        if (Double.isNaN(v)) return label == null || label.equals("*");
        if (label.equals("*")) return true;
        BigDecimal lo = new BigDecimal(label.substring(1, label.indexOf(',')));
        BigDecimal hi = new BigDecimal(label.substring(label.indexOf(',') + 1, label.length() - 1));
        BigDecimal x = BigDecimal.valueOf(v);
        return lo.compareTo(x) <= 0 && x.compareTo(hi) < 0;
    }

    private static boolean sameValues(DeidTable.Column a, DeidTable.Column b) {
        return switch (a) {
            case DeidTable.Timestamps t -> Arrays.equals(t.micros(), ((DeidTable.Timestamps) b).micros());
            case DeidTable.Numbers x -> Arrays.equals(x.values(), ((DeidTable.Numbers) b).values());
            case DeidTable.Texts s -> Arrays.equals(s.values(), ((DeidTable.Texts) b).values());
        };
    }
}
