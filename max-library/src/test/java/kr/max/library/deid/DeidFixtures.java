package kr.max.library.deid;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import kr.max.core.dictionary.ColumnRole;
import kr.max.core.dictionary.ColumnSpec;
import kr.max.core.dictionary.ColumnType;
import kr.max.core.dictionary.DataDictionary;
import kr.max.core.dictionary.Sensitivity;

/** An injection-molding table in the shape of the KAMP data set, with random values, for the de-identification tests. */
final class DeidFixtures {

    static final String[] MACHINES = {"650톤-우진2호기", "850톤-우진1호기", "1300톤-엘지4호기", "1800톤-우진3호기",
            "650톤-엘지1호기", "850톤-엘지2호기", "350톤-동신1호기", "350톤-동신2호기"};
    static final String[] OPERATORS = {"김민수", "이서연", "박지훈", "최유진", "정하늘", "강도윤", "조은비", "윤재현", "장수아",
            "임태양"};
    static final String[] SUPPLIERS = {"(주)한국수지", "대성케미칼", "LG화학 대리점", "삼양사", "코오롱플라스틱"};

    /** Machine → line → plant. */
    static final String ASSETS_CSV = """
            # machine, line, plant
            650톤-우진2호기, line-A, plant-ulsan
            850톤-우진1호기, line-A, plant-ulsan
            1300톤-엘지4호기, line-B, plant-ulsan
            1800톤-우진3호기, line-B, plant-ulsan
            650톤-엘지1호기, line-C, plant-changwon
            850톤-엘지2호기, line-C, plant-changwon
            350톤-동신1호기, line-D, plant-changwon
            "350톤-동신2호기", "line-D", plant-changwon
            """;

    static final long START = Instant.parse("2026-01-05T00:00:00Z").toEpochMilli() * 1000;

    private DeidFixtures() {
    }

    static DataDictionary dictionary() {
        return new DataDictionary(List.of(
                spec("row_id", ColumnRole.ATTRIBUTE, ColumnType.INTEGER, null, Sensitivity.NONE),
                spec("TimeStamp", ColumnRole.TIMESTAMP, ColumnType.TIMESTAMP, null, Sensitivity.NONE),
                spec("machine_name", ColumnRole.ASSET, ColumnType.STRING, null, Sensitivity.NONE),
                spec("operator", ColumnRole.PERSON, ColumnType.STRING, null, Sensitivity.PERSONAL),
                spec("supplier", ColumnRole.ATTRIBUTE, ColumnType.STRING, null, Sensitivity.TRADE_SECRET),
                spec("Barrel_Temperature_1", ColumnRole.MEASUREMENT, ColumnType.DECIMAL, "Cel", Sensitivity.NONE),
                spec("Max_Injection_Pressure", ColumnRole.MEASUREMENT, ColumnType.DECIMAL, "bar", Sensitivity.NONE),
                spec("Cycle_Time", ColumnRole.MEASUREMENT, ColumnType.DECIMAL, "s", Sensitivity.NONE),
                spec("Injection_Speed_Set", ColumnRole.SETPOINT, ColumnType.DECIMAL, "mm/s", Sensitivity.TRADE_SECRET),
                spec("Shot_Count_Set", ColumnRole.SETPOINT, ColumnType.INTEGER, null, Sensitivity.NONE),
                spec("PassOrFail", ColumnRole.LABEL, ColumnType.BOOLEAN, null, Sensitivity.NONE),
                spec("remarks", ColumnRole.FREE_TEXT, ColumnType.STRING, null, Sensitivity.NONE)), "Asia/Seoul");
    }

    static ColumnSpec spec(String name, ColumnRole role, ColumnType type, String unit, Sensitivity s) {
        return new ColumnSpec(name, role, type, unit, null, s, "", "", type == ColumnType.TIMESTAMP ? "iso" : null);
    }

    /** A random table over {@link #dictionary()}; {@code nullShare} of the measurement and text cells missing. */
    static DeidTable table(Random rnd, int rows, int days, double nullShare) {
        var id = new double[rows];
        var ts = new long[rows];
        var machine = new String[rows];
        var operator = new String[rows];
        var supplier = new String[rows];
        var temp = new double[rows];
        var pressure = new double[rows];
        var cycle = new double[rows];
        var speed = new double[rows];
        var shots = new double[rows];
        var pass = new String[rows];
        var remarks = new String[rows];
        double[] speedSettings = {35.5, 40.0, 42.5, 45.0, 50.0, 55.5};
        for (int r = 0; r < rows; r++) {
            id[r] = r;
            ts[r] = START + (long) (rnd.nextDouble() * days * 86_400_000_000L);
            int m = rnd.nextInt(MACHINES.length);
            machine[r] = MACHINES[m];
            operator[r] = OPERATORS[rnd.nextInt(OPERATORS.length)];
            supplier[r] = SUPPLIERS[m % SUPPLIERS.length];
            temp[r] = Math.round((230 + rnd.nextGaussian() * 12) * 10) / 10.0;
            pressure[r] = Math.round((120 + rnd.nextGaussian() * 25) * 100) / 100.0;
            cycle[r] = 30 + rnd.nextDouble() * 30;
            speed[r] = speedSettings[(m + rnd.nextInt(2)) % speedSettings.length];
            shots[r] = 100 + rnd.nextInt(50);
            pass[r] = rnd.nextInt(20) == 0 ? "false" : "true";
            remarks[r] = "메모-" + Long.toHexString(rnd.nextLong()) + "-note";
            if (rnd.nextDouble() < nullShare) temp[r] = Double.NaN;
            if (rnd.nextDouble() < nullShare) operator[r] = null;
            if (rnd.nextDouble() < nullShare) ts[r] = DeidTable.Timestamps.NULL;
            if (rnd.nextDouble() < nullShare) speed[r] = Double.NaN;
        }
        return DeidTable.of(rows, List.of(
                new DeidTable.Numbers("row_id", id),
                new DeidTable.Timestamps("TimeStamp", ts),
                new DeidTable.Texts("machine_name", machine),
                new DeidTable.Texts("operator", operator),
                new DeidTable.Texts("supplier", supplier),
                new DeidTable.Numbers("Barrel_Temperature_1", temp),
                new DeidTable.Numbers("Max_Injection_Pressure", pressure),
                new DeidTable.Numbers("Cycle_Time", cycle),
                new DeidTable.Numbers("Injection_Speed_Set", speed),
                new DeidTable.Numbers("Shot_Count_Set", shots),
                new DeidTable.Texts("PassOrFail", pass),
                new DeidTable.Texts("remarks", remarks)));
    }

    static HierarchySource assets() {
        return HierarchySource.of(Map.of("assets.csv", ASSETS_CSV));
    }

    /** The example profile, with k, limit and the lowest levels given. */
    static String profileYaml(int k, String limit, String timeTo, int assetLevel, String width, boolean operatorQi) {
        return """
                profile: injection-share
                k: %d
                suppression_limit: %s
                rules:
                  - match: { sensitivity: personal }
                    action: pseudonymize
                    quasi_identifier: %s
                  - match: { role: attribute, sensitivity: trade_secret }
                    action: pseudonymize
                  - match: { role: setpoint, sensitivity: trade_secret }
                    action: perturb
                    bound: 0.5
                  - match: { role: setpoint }
                    action: perturb
                    bound: "3%%"
                  - match: { role: timestamp }
                    action: generalize
                    to: %s
                    quasi_identifier: true
                  - match: { role: asset }
                    action: generalize
                    hierarchy: assets.csv
                    level: %d
                    quasi_identifier: true
                  - match: { role: measurement, unit: Cel }
                    action: generalize
                    width: %s
                    quasi_identifier: true
                  - match: { role: measurement, unit: bar }
                    action: generalize
                    width: 25
                  - match: { role: free_text }
                    action: drop
                  - match: { role: label }
                    action: suppress
                default: keep
                """.formatted(k, limit, operatorQi, timeTo, assetLevel, width);
    }

    /** Output rows by their {@code row_id}. */
    static Map<Integer, Integer> outputRowOfInput(DeidTable out) {
        var ids = ((DeidTable.Numbers) out.column("row_id")).values();
        var map = new LinkedHashMap<Integer, Integer>();
        for (int r = 0; r < ids.length; r++) map.put((int) ids[r], r);
        return map;
    }

    /** The released quasi-identifier tuples, one per row. */
    static List<List<String>> tuples(DeidTable out, List<String> columns) {
        var tuples = new ArrayList<List<String>>();
        for (int r = 0; r < out.rowCount(); r++) {
            var t = new ArrayList<String>();
            for (String c : columns) t.add(((DeidTable.Texts) out.column(c)).values()[r]);
            tuples.add(t);
        }
        return tuples;
    }
}
