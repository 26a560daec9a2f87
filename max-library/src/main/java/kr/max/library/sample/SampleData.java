package kr.max.library.sample;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Synthetic files shaped like the ones factories deposit, for the demo, the tests and the benchmarks
 * (KAMP's own files may not be redistributed, so the project ships KAMP-shaped data instead). Values
 * are invented but physically plausible; a few are distinctive so that tests can look for them in the
 * library's files.
 */
public final class SampleData {

    /** A machine name and a worker name that occur nowhere but in these files. */
    public static final String DISTINCT_MACHINE = "사출기-ZQX7731호";
    public static final String DISTINCT_WORKER = "김장인QXW";
    public static final String DISTINCT_PART = "CN7-RH-QZW-5521";

    private SampleData() {
    }

    /**
     * KAMP-shaped injection molding shots: ISO timestamps, Korean machine names, Y/N labels; about 2 % fail, most of
     * them when the barrel temperature is off or the injection pressure sags.
     */
    public static Path injectionMolding(Path dir, int rows, long seed) throws IOException {
        Path file = dir.resolve("injection_molding.csv");
        var r = new Random(seed);
        var start = LocalDateTime.of(2020, 10, 16, 4, 57, 47);
        var iso = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'.000Z'", Locale.ROOT);
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("_id,TimeStamp,PART_NAME,EQUIP_CD,EQUIP_NAME,Worker,PassOrFail,Reason,Cycle_Time,"
                    + "Max_Injection_Pressure,Barrel_Temperature_1,Mold_Temperature_1\n");
            for (int i = 0; i < rows; i++) {
                double u = r.nextDouble();
                String machine = i % 3 == 0 ? DISTINCT_MACHINE : "650톤-우진" + (1 + i % 3) + "호기";
                double cycle = 59.5 + r.nextGaussian() * 0.1;
                double pressure = 141.8 + r.nextGaussian();
                double barrel = 276.5 + r.nextGaussian();
                double mold = 24.8 + r.nextGaussian() * 0.3;
                // A weak, planted mechanism, as on a real line: shots fail more often when the barrel runs far from
                // its usual temperature or the injection pressure sags (short shots); otherwise rarely, at random.
                double failChance = 0.004 + (Math.abs(barrel - 276.5) > 2.0 ? 0.25 : 0) + (pressure < 139.6 ? 0.25 : 0);
                boolean fail = u < failChance;
                w.write(String.format(Locale.ROOT, "%024x,%s,%s,S%02d,%s,%s,%s,%s,%.2f,%.1f,%.1f,%.1f%n",
                        0x5f8928bb9c0189ccL + i, iso.format(start.plusSeconds(61L * i)),
                        i % 5 == 0 ? DISTINCT_PART : "CN7 W/S SIDE MLD'G RH", 14 + i % 3, machine,
                        i % 7 == 0 ? DISTINCT_WORKER : "작업자" + (i % 4),
                        fail ? "N" : "Y", fail ? (pressure < 139.6 ? "Short" : "Flash") : "None",
                        cycle, pressure, barrel, mold));
            }
        }
        return file;
    }

    /** Operators of the KAMP-shaped molding shop (made up; no real person). */
    static final List<String> OPERATORS = List.of("김민준", "이서연", "박지호", "최수아", "정예준", "강하은", "조도윤", "윤지우",
            "장서준", "임하린", "한지민", "오승현");
    static final List<String> INSPECTORS = List.of("송검사", "배품질", "신정밀", "유측정", "문판정");
    /** Resin suppliers (made up): a trade partner is a trade secret of the molding shop. */
    static final List<String> SUPPLIERS = List.of("대한수지㈜", "한울케미칼", "동방폴리머", "세진소재");
    static final List<String> PLANTS = List.of("화성공장", "울산공장", "창원공장");

    /**
     * KAMP-shaped injection molding shots with the people and partners a provider has to protect before
     * sharing: operator and inspector names (personal data), the resin supplier (a trade secret), the plant,
     * shift, measured process values and a hold-pressure setpoint. Process values carry one decimal, so
     * their inferred resolution is 0.1. Shots fail more often when the barrel runs hot.
     */
    public static Path injectionMoldingWithPeople(Path dir, int rows, long seed) throws IOException {
        Path file = dir.resolve("injection_molding_people.csv");
        var r = new Random(seed);
        var start = LocalDateTime.of(2026, 3, 2, 6, 0, 0);
        var iso = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("TimeStamp,Plant,EQUIP_NAME,PART_NAME,Shift,Operator,Inspector,Supplier,Resin_Lot,PassOrFail,Cycle_Time,"
                    + "Max_Injection_Pressure,Barrel_Temperature_1,Mold_Temperature_1,Hold_Pressure_Setpoint\n");
            for (int i = 0; i < rows; i++) {
                var at = start.plusSeconds(37L * i + r.nextInt(20));
                int plant = r.nextInt(PLANTS.size());
                String machine = "650톤-우진" + (1 + r.nextInt(4)) + "호기";
                double barrel = 276.5 + r.nextGaussian() * 1.5;
                boolean fail = r.nextDouble() < 0.004 + Math.max(0, barrel - 278) * 0.02;
                w.write(String.format(Locale.ROOT, "%s,%s,%s,%s,%s,%s,%s,%s,L%05d,%s,%.1f,%.1f,%.1f,%.1f,%.1f%n",
                        iso.format(at), PLANTS.get(plant), machine, r.nextInt(3) == 0 ? "CN7 W/S SIDE MLD'G LH" : "CN7 W/S SIDE MLD'G RH",
                        at.getHour() >= 8 && at.getHour() < 20 ? "주간" : "야간", OPERATORS.get(r.nextInt(OPERATORS.size())),
                        INSPECTORS.get(r.nextInt(INSPECTORS.size())), SUPPLIERS.get(r.nextInt(SUPPLIERS.size())), 10_000 + i / 500,
                        fail ? "N" : "Y", 59.5 + r.nextGaussian() * 0.3, 141.8 + r.nextGaussian(), barrel,
                        24.8 + r.nextGaussian() * 0.3, 85.0 + (r.nextInt(3) - 1) * 2.5));
            }
        }
        return file;
    }

    /** A KAMP-style melting tank log in CP949 with Korean headers and `2020-03-04 0:00` times. */
    public static Path meltingTankCp949(Path dir, int rows) throws IOException {
        Path file = dir.resolve("melting_tank_ko.csv");
        Charset cp949 = Charset.forName("x-windows-949");
        var start = LocalDateTime.of(2020, 3, 4, 0, 0);
        var f = DateTimeFormatter.ofPattern("yyyy-MM-dd H:mm", Locale.ROOT);
        try (Writer w = Files.newBufferedWriter(file, cp949)) {
            w.write("일시,설비,용해온도,교반속도,판정\n");
            for (int i = 0; i < rows; i++) {
                w.write(f.format(start.plusMinutes(i)) + ",용해탱크" + (1 + i % 2) + "," + (640 + i % 17) + "," + (1200 + i % 31)
                        + "," + (i % 50 == 0 ? "불량" : "양품") + "\n");
            }
        }
        return file;
    }

    /** C-MAPSS-shaped whitespace text: unit, cycle, 3 settings, 21 sensors, trailing spaces, no header. */
    public static Path cmapss(Path dir, int units, int cycles) throws IOException {
        Path file = dir.resolve("train_FD001.txt");
        var r = new Random(7);
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
            for (int u = 1; u <= units; u++) {
                for (int c = 1; c <= cycles; c++) {
                    var sb = new StringBuilder();
                    sb.append(u).append(' ').append(c);
                    sb.append(String.format(Locale.ROOT, " %.4f %.4f 100.0", r.nextGaussian() * 0.002, r.nextGaussian() * 0.0003));
                    for (int s = 0; s < 21; s++) sb.append(String.format(Locale.ROOT, " %.2f", 500 + s * 10 + c * 0.01 + r.nextGaussian()));
                    sb.append("  \n");
                    w.write(sb.toString());
                }
            }
        }
        return file;
    }

    /**
     * A sensor log of {@code rows} rows: time (naive, Asia/Seoul), asset and 8 measurements, one row per
     * asset every 10 seconds from 2026-01-01 00:00, time-ordered. Streams; any size.
     */
    public static Path sensors(Path file, long rows, int assets) throws IOException {
        var r = new java.util.SplittableRandom(11);
        var start = LocalDateTime.of(2026, 1, 1, 0, 0);
        var f = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("timestamp,asset,temperature,pressure,vibration,current,speed,flow,humidity,power\n");
            String ts = null;
            long step = -1;
            var sb = new StringBuilder(128);
            for (long i = 0; i < rows; i++) {
                long s = i / assets;
                if (s != step) {
                    step = s;
                    ts = f.format(start.plusSeconds(10 * s));
                }
                sb.setLength(0);
                sb.append(ts).append(",press-").append(i % assets);
                for (int m = 0; m < 8; m++) {
                    sb.append(',').append(Math.round((100 + m * 10 + r.nextDouble() * 4 - 2) * 1000) / 1000.0);
                }
                sb.append('\n');
                w.write(sb.toString());
            }
        }
        return file;
    }
}
