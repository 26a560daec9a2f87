package kr.max.bench;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes the public benchmark sets as headed CSV files a user deposits with {@code max ingest}, with the truth each
 * protocol defines put in a label column, so that {@code max train} and {@code max evaluate} run on them inside the
 * library: C-MAPSS test files get {@code rul} (the RUL file's life left after a unit's last cycle, plus the cycles
 * after each row), Tennessee Eastman rows {@code fault} (0 up to sample 160 of a test run, the fault's number after),
 * CWRU records one file with {@code asset}, {@code sample_index}, {@code acceleration} and {@code fault_class}.
 * Values are copied as written, never reformatted. The KAMP file needs nothing: it ingests as it is. Nothing is
 * written into the project.
 *
 * <pre>./max-bench/run prepare --data ../shared/data --to /tmp/max-benchmark-data</pre>
 */
public final class PrepareBenchmarkData {

    private PrepareBenchmarkData() {
    }

    public static void main(String[] args) throws IOException {
        Path data = Path.of(System.getProperty("max.root", ".")).resolve("../shared/data").normalize();
        Path to = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data" -> data = Path.of(args[++i]);
                case "--to" -> to = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (--data DIR, --to DIR)");
            }
        }
        if (to == null) throw new IllegalArgumentException("give --to DIR (outside the project: the data may not be redistributed)");
        Files.createDirectories(to);
        cmapss(data.resolve("cmapss"), to);
        tep(data.resolve("tep"), to);
        cwru(data.resolve("cwru"), to);
        System.out.println("written to " + to + "; the KAMP file ingests as it is: " + data.resolve("kamp/injection_molding"));
    }

    private static void cmapss(Path dir, Path to) throws IOException {
        if (!Files.isDirectory(dir)) return;
        var header = new ArrayList<>(List.of("unit", "cycle"));
        header.addAll(CmapssData.FEATURES);
        for (String fd : List.of("FD001", "FD002", "FD003", "FD004")) {
            Path train = dir.resolve("train_" + fd + ".txt");
            if (Files.isRegularFile(train)) write(to.resolve("cmapss_train_" + fd + ".csv"), header, tokens(train), null);
            Path test = dir.resolve("test_" + fd + ".txt");
            Path rulFile = dir.resolve("RUL_" + fd + ".txt");
            if (!Files.isRegularFile(test)) continue;
            var rows = tokens(test);
            if (!Files.isRegularFile(rulFile)) {
                write(to.resolve("cmapss_test_" + fd + ".csv"), header, rows, null);
                continue;
            }
            var rul = CmapssData.rul(rulFile);
            var last = new java.util.HashMap<String, Long>();
            for (var r : rows) last.merge(r[0], Long.parseLong(r[1]), Math::max);
            var labels = new ArrayList<String>();
            for (var r : rows) {
                Integer left = rul.get(r[0]);
                if (left == null) throw new IllegalArgumentException("no RUL for unit " + r[0] + " in " + rulFile);
                labels.add(Long.toString(left + last.get(r[0]) - Long.parseLong(r[1])));
            }
            var withRul = new ArrayList<>(header);
            withRul.add("rul");
            write(to.resolve("cmapss_test_" + fd + ".csv"), withRul, rows, labels);
        }
    }

    private static void tep(Path dir, Path to) throws IOException {
        if (!Files.isDirectory(dir)) return;
        var header = new ArrayList<>(TepData.FEATURES);
        header.add("fault");
        var normal = tokens(dir.resolve("d00.dat"));
        if (normal.size() == TepData.VARIABLES && normal.get(0).length != TepData.VARIABLES) normal = transpose(normal);
        write(to.resolve("tep_d00.csv"), header, normal, repeat("0", normal.size()));
        for (int f = 1; f <= 21; f++) {
            Path file = dir.resolve(String.format(Locale.ROOT, "d%02d_te.dat", f));
            if (!Files.isRegularFile(file)) continue;
            var rows = tokens(file);
            var labels = new ArrayList<String>();
            for (int i = 0; i < rows.size(); i++) labels.add(i < TepData.FAULT_STARTS_AFTER ? "0" : Integer.toString(f));
            write(to.resolve(String.format(Locale.ROOT, "tep_d%02d_te.csv", f)), header, rows, labels);
        }
    }

    private static void cwru(Path dir, Path to) throws IOException {
        if (!Files.isDirectory(dir)) return;
        var name = java.util.regex.Pattern.compile("(\\d+)_([A-Za-z]+\\d*)(@\\d+)?_(\\d)_DE\\.csv");
        var byClass = new java.util.HashMap<String, Path>();
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                var m = name.matcher(f.getFileName().toString());
                if (m.matches()) byClass.put(m.group(2), f);
            }
        }
        try (Writer w = Files.newBufferedWriter(to.resolve("cwru_0hp_drive_end.csv"), StandardCharsets.UTF_8)) {
            w.write("asset,sample_index,acceleration,fault_class\n");
            for (String c : CwruBench.CLASSES) {
                Path f = byClass.get(c);
                if (f == null) throw new IllegalArgumentException("no CWRU file for class " + c + " in " + dir);
                String record = f.getFileName().toString().replace(".csv", "");
                long i = 0;
                for (var line : Files.readAllLines(f, StandardCharsets.US_ASCII)) {
                    String v = line.strip();
                    // the files have no header; a line that is not a number would be one
                    if (v.isEmpty() || !v.matches("[-+]?[0-9.]+([eE][-+]?[0-9]+)?")) continue;
                    w.write(record + "," + i++ + "," + v + "," + c + "\n");
                }
            }
        }
    }

    private static List<String[]> tokens(Path file) throws IOException {
        var rows = new ArrayList<String[]>();
        for (var line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
            String t = line.strip();
            if (!t.isEmpty()) rows.add(t.split("\\s+"));
        }
        return rows;
    }

    private static List<String[]> transpose(List<String[]> a) {
        var t = new ArrayList<String[]>();
        for (int j = 0; j < a.get(0).length; j++) {
            var row = new String[a.size()];
            for (int i = 0; i < a.size(); i++) row[i] = a.get(i)[j];
            t.add(row);
        }
        return t;
    }

    private static List<String> repeat(String v, int n) {
        return java.util.Collections.nCopies(n, v);
    }

    private static void write(Path file, List<String> header, List<String[]> rows, List<String> labels) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(String.join(",", header));
            w.write('\n');
            for (int i = 0; i < rows.size(); i++) {
                w.write(String.join(",", rows.get(i)));
                if (labels != null) w.write("," + labels.get(i));
                w.write('\n');
            }
        }
    }
}
