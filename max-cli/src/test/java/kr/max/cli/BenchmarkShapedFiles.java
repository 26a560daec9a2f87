package kr.max.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Small files in the shapes of the four public benchmark sets as {@code max-bench/run prepare} writes them (and
 * the KAMP file as it comes), made from simple physics with fixed seeds: the headers, label columns and value
 * ranges are the real sets', the sizes are a test's. The benchmark data themselves cannot ship with the project
 * (KAMP may not be redistributed; the others are large), and unit tests must not reach outside it.
 */
final class BenchmarkShapedFiles {

    private BenchmarkShapedFiles() {
    }

    /** C-MAPSS sensors that degrade with wear (the rest stay flat, as in FD001). */
    private static final int[] DEGRADING = {2, 3, 4, 7, 8, 9, 11, 12, 13, 14, 15, 17, 20, 21};
    private static final double[] SENSOR_BASE = {518.67, 642.5, 1590.0, 1408.0, 14.62, 21.61, 553.4, 2388.06, 9065.0,
            1.3, 47.5, 521.4, 2388.06, 8143.0, 8.43, 0.03, 393.0, 2388.0, 100.0, 38.8, 23.3};
    /** Direction and size of each sensor's drift at the end of life (zero: flat). */
    private static final double[] SENSOR_DRIFT = {0, 1.6, 12, 16, 0, 0, -2.2, 0.08, 12, 0, 0.9, -2.0, 0.08, 10, 0.09,
            0, 3.2, 0, 0, -0.5, -0.3};

    /**
     * {@code cmapss_train.csv} (whole lives, run to failure) and {@code cmapss_test.csv} (lives cut at a random
     * cycle, each row carrying {@code rul}: the cycles left after it), in {@code prepare}'s columns.
     */
    static void cmapss(Path train, Path test, int trainUnits, int testUnits, long seed) throws IOException {
        var random = new SplittableRandom(seed);
        var header = new ArrayList<>(List.of("unit", "cycle", "setting1", "setting2", "setting3"));
        IntStream.rangeClosed(1, 21).forEach(i -> header.add("s" + i));
        try (var w = Files.newBufferedWriter(train, StandardCharsets.UTF_8)) {
            w.write(String.join(",", header) + "\n");
            for (int unit = 1; unit <= trainUnits; unit++) {
                int life = 140 + random.nextInt(120);
                writeEngine(w, random, unit, life, life, -1);
            }
        }
        header.add("rul");
        try (var w = Files.newBufferedWriter(test, StandardCharsets.UTF_8)) {
            w.write(String.join(",", header) + "\n");
            for (int unit = 1; unit <= testUnits; unit++) {
                int life = 140 + random.nextInt(120);
                int seen = 40 + random.nextInt(life - 50);
                writeEngine(w, random, unit, life, seen, life - seen);
            }
        }
    }

    private static void writeEngine(BufferedWriter w, SplittableRandom random, int unit, int life, int cycles, int rulAtEnd)
            throws IOException {
        double onset = 0.35 + 0.2 * random.nextDouble();
        for (int cycle = 1; cycle <= cycles; cycle++) {
            double age = (double) cycle / life;
            // wear is invisible until an onset, then grows roughly exponentially to failure
            double wear = age < onset ? 0 : Math.expm1(3 * (age - onset) / (1 - onset)) / Math.expm1(3);
            var row = new StringBuilder();
            row.append(unit).append(',').append(cycle).append(',')
                    .append(f(random.nextGaussian() * 0.002, 4)).append(',').append(f(random.nextGaussian() * 0.0003, 4)).append(",100.0");
            for (int s = 1; s <= 21; s++) {
                double noise = SENSOR_DRIFT[s - 1] == 0 ? 0 : Math.abs(SENSOR_DRIFT[s - 1]) * 0.12 * random.nextGaussian();
                row.append(',').append(f(SENSOR_BASE[s - 1] + SENSOR_DRIFT[s - 1] * wear + noise, 4));
            }
            if (rulAtEnd >= 0) row.append(',').append(rulAtEnd + cycles - cycle);
            w.write(row.append('\n').toString());
        }
    }

    /** Tennessee Eastman variable names: 41 measurements and 11 manipulated variables. */
    static final List<String> TEP_VARIABLES = IntStream.rangeClosed(1, 52)
            .mapToObj(i -> i <= 41 ? "xmeas_" + i : "xmv_" + (i - 41)).toList();

    /**
     * {@code tep_d00.csv} (normal operation, {@code fault} 0) and a test run whose fault enters after sample 160, as
     * the TEP test files: 52 correlated variables driven by a few latent process states; the fault is a step in the
     * feed composition (latent state 0) that control partly compensates.
     */
    static void tep(Path normal, Path faulty, int normalRows, int testRows, int fault, long seed) throws IOException {
        var random = new SplittableRandom(seed);
        int latent = 6;
        double[][] loading = new double[52][latent];
        for (double[] row : loading) for (int k = 0; k < latent; k++) row[k] = random.nextGaussian();
        writeTep(normal, random, loading, normalRows, Integer.MAX_VALUE, fault);
        writeTep(faulty, random, loading, testRows, 160, fault);
    }

    private static void writeTep(Path file, SplittableRandom random, double[][] loading, int rows, int faultAfter, int fault)
            throws IOException {
        try (var w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(String.join(",", TEP_VARIABLES) + ",fault\n");
            double[] state = new double[loading[0].length];
            for (int i = 1; i <= rows; i++) {
                boolean faulty = i > faultAfter;
                for (int k = 0; k < state.length; k++) state[k] = 0.7 * state[k] + 0.7 * random.nextGaussian();
                if (faulty) state[0] += 2.5;
                var row = new StringBuilder();
                for (int v = 0; v < 52; v++) {
                    double x = 0;
                    for (int k = 0; k < state.length; k++) x += loading[v][k] * state[k];
                    // the fault also breaks one relation between variables, as a disturbed unit does
                    if (faulty && v == 8) x += 4;
                    row.append(f(50 + 5 * x + 2 * random.nextGaussian(), 5)).append(',');
                }
                w.write(row.append(faulty ? fault : 0).append('\n').toString());
            }
        }
    }

    /** The CWRU drive-end bearing at 1797 rpm: shaft frequency and the defect frequencies per shaft revolution. */
    private static final double SHAFT_HZ = 1797 / 60.0;
    private static final double BPFI = 5.4152;
    private static final double BPFO = 3.5848;
    private static final double BSF = 2.357;

    /**
     * {@code cwru_0hp_drive_end.csv}: one record per class at 12 kHz (normal, inner race, ball, outer race), each
     * defect a train of impacts at its characteristic frequency ringing a 3 kHz structural resonance, in {@code
     * prepare}'s columns {@code asset, sample_index, acceleration, fault_class}.
     */
    static void cwru(Path file, int samplesPerRecord, long seed) throws IOException {
        var random = new SplittableRandom(seed);
        String[][] records = {{"97_Normal_0_DE", "Normal", "0"}, {"105_IR007_0_DE", "IR007", String.valueOf(BPFI)},
                {"118_B007_0_DE", "B007", String.valueOf(2 * BSF)}, {"130_OR007@6_0_DE", "OR007@6", String.valueOf(BPFO)}};
        double rate = 12_000;
        try (var w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("asset,sample_index,acceleration,fault_class\n");
            for (String[] record : records) {
                double defectHz = Double.parseDouble(record[2]) * SHAFT_HZ;
                double nextImpact = defectHz > 0 ? random.nextDouble() / defectHz : Double.MAX_VALUE;
                double ring = 0;
                double ringPhase = 0;
                for (int i = 0; i < samplesPerRecord; i++) {
                    double t = i / rate;
                    if (t >= nextImpact) {
                        // the inner race turns with the shaft: its impacts are modulated by the load zone
                        ring = record[1].startsWith("IR") ? 1.2 + 0.8 * Math.cos(2 * Math.PI * SHAFT_HZ * t) : 1.5;
                        ringPhase = 0;
                        nextImpact += (1 + 0.01 * random.nextGaussian()) / defectHz;
                    }
                    double value = 0.05 * Math.sin(2 * Math.PI * SHAFT_HZ * t) + 0.03 * random.nextGaussian()
                            + ring * Math.sin(ringPhase) * Math.exp(-ringPhase / 40);
                    ringPhase += 2 * Math.PI * 3000 / rate;
                    if (ringPhase > 400) ring = 0;
                    w.write(record[0] + "," + i + "," + f(value, 8) + "," + record[1] + "\n");
                }
            }
        }
    }

    /**
     * A KAMP-shaped injection molding file (the columns of {@code injection_molding_labeled.csv}, Korean machine and
     * date values included): shots every minute or so on two machines, a few percent {@code N} (fail), fails
     * coming from short shots (low cushion, low peak pressure) and a cold mold.
     */
    static void kampMolding(Path file, int shots, double failRate, long seed) throws IOException {
        var random = new SplittableRandom(seed);
        String[] columns = {"_id", "TimeStamp", "PART_FACT_PLAN_DATE", "PART_FACT_SERIAL", "PART_NAME", "EQUIP_CD", "EQUIP_NAME",
                "PassOrFail", "Reason", "Injection_Time", "Filling_Time", "Plasticizing_Time", "Cycle_Time", "Clamp_Close_Time",
                "Cushion_Position", "Switch_Over_Position", "Plasticizing_Position", "Clamp_Open_Position", "Max_Injection_Speed",
                "Max_Screw_RPM", "Average_Screw_RPM", "Max_Injection_Pressure", "Max_Switch_Over_Pressure", "Max_Back_Pressure",
                "Average_Back_Pressure", "Barrel_Temperature_1", "Barrel_Temperature_2", "Barrel_Temperature_3",
                "Hopper_Temperature", "Mold_Temperature_1", "Mold_Temperature_2"};
        Instant time = Instant.parse("2020-10-16T04:57:47Z");
        try (var w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(String.join(",", columns) + "\n");
            for (int i = 0; i < shots; i++) {
                boolean fail = random.nextDouble() < failRate;
                boolean second = i % 2 == 1;
                double shortShot = fail ? 0.6 + 0.8 * random.nextDouble() : 0;
                var values = new double[]{9.59 + 0.05 * random.nextGaussian(), 4.47 + 0.03 * random.nextGaussian() - 0.2 * shortShot,
                        16.9 + 0.2 * random.nextGaussian(), 59.5 + 0.3 * random.nextGaussian(), 7.13 + 0.02 * random.nextGaussian(),
                        653.4 + 0.4 * random.nextGaussian() - 2.0 * shortShot, 0, 68.8 + 0.2 * random.nextGaussian(),
                        648.0 + 0.3 * random.nextGaussian(), 55.4 + 0.4 * random.nextGaussian(), 30.7 + 0.3 * random.nextGaussian(),
                        292.5 + 2 * random.nextGaussian(), 141.8 + 1.2 * random.nextGaussian() - 6 * shortShot,
                        136.8 + 1.1 * random.nextGaussian() - 5 * shortShot, 37.4 + 0.5 * random.nextGaussian(),
                        59.3 + 0.5 * random.nextGaussian(), 276.5 + 0.8 * random.nextGaussian(), 274.7 + 0.8 * random.nextGaussian(),
                        274.8 + 0.8 * random.nextGaussian(), 66.3 + 0.6 * random.nextGaussian(),
                        24.8 + 0.4 * random.nextGaussian() - (fail && random.nextBoolean() ? 2.5 : 0), 27.5 + 0.4 * random.nextGaussian()};
                var row = new StringBuilder();
                row.append(String.format(Locale.ROOT, "%024x", 0x5f8928bb9c0189ccL + i)).append(',').append(time).append(',')
                        .append("2020-10-16 오전 12:00:00,").append(24 + i / 400).append(",CN7 W/S SIDE MLD'G RH,")
                        .append(second ? "S14,650톤-우진2호기," : "S13,650톤-우진1호기,")
                        .append(fail ? "N" : "Y").append(',').append(fail ? "미성형" : "None");
                for (double v : values) row.append(',').append(f(v, 6));
                w.write(row.append('\n').toString());
                time = time.plusSeconds(58 + random.nextInt(4));
            }
        }
    }

    private static String f(double value, int digits) {
        return String.format(Locale.ROOT, "%." + digits + "f", value);
    }
}
