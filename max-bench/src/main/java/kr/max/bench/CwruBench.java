package kr.max.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import kr.max.models.Frame;
import kr.max.models.Metrics;
import kr.max.models.Params;
import kr.max.models.Training;
import kr.max.models.vibration.VibrationDiagnosis;
import tools.jackson.databind.json.JsonMapper;

/**
 * CWRU bearing fault diagnosis, 10 classes, 12 kHz drive end, 0 HP, through the {@code vibration-gbm} model
 * type as the platform runs it: the ten records become one frame (record = asset, sample index = time,
 * acceleration = measurement, fault class = label), the type trains on the first part of each record and
 * tests on the rest. Prints accuracy, recall per class and the confusion matrix on the test windows, training
 * time, batch throughput (windows per second), and the online scorer's latency per sample, fed one sample at a
 * time. Writes the model and its metrics as JSON to {@code --out}.
 *
 * <p>Usage: {@code max-bench/run cwru [--data DIR] [--train-fraction 0.5] [--window 2048] [--step 512]
 * [--seed 42] [--threads 1] [--out DIR]}; DIR holds {@code cwru/*.csv} (one value per line, no header).
 */
public final class CwruBench {

    private CwruBench() {
    }

    /** {@code 130_OR007@6_0_DE.csv}: file number, class (fault and diameter in mils), outer-race position, load. */
    private static final Pattern NAME = Pattern.compile("(\\d+)_([A-Za-z]+\\d*)(@\\d+)?_(\\d)_DE\\.csv");
    static final List<String> CLASSES = List.of("Normal", "IR007", "B007", "OR007", "IR014", "B014", "OR014", "IR021", "B021", "OR021");

    public static void main(String[] args) throws IOException {
        Path data = Path.of(System.getProperty("max.root", ".")).resolve("../shared/data");
        var overrides = new LinkedHashMap<String, Object>();
        long seed = 42;
        Path out = Path.of("target", "bench-cwru");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data" -> data = Path.of(args[++i]);
                case "--train-fraction" -> overrides.put("train_fraction", Double.parseDouble(args[++i]));
                case "--window" -> overrides.put("window", Integer.parseInt(args[++i]));
                case "--step" -> overrides.put("step", Integer.parseInt(args[++i]));
                case "--threads" -> overrides.put("threads", Integer.parseInt(args[++i]));
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        System.out.printf(Locale.ROOT, "machine: %d cores, JDK %s%n", Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        long t0 = System.nanoTime();
        Frame frame = read(data.resolve("cwru"));
        System.out.printf(Locale.ROOT, "read %,d samples of %d records in %.1f s%n", frame.rows(), frame.byAsset().size(), (System.nanoTime() - t0) / 1e9);

        var type = new VibrationDiagnosis();
        Params params = type.defaults().with(overrides, type.id());
        System.out.println("parameters: " + params);
        t0 = System.nanoTime();
        Training training = type.train(frame, params, seed);
        double trainS = (System.nanoTime() - t0) / 1e9;
        Metrics m = training.metrics();
        System.out.printf(Locale.ROOT, "trained in %.2f s (features of every window + boosting); split: %s%n", trainS, training.card().split());
        System.out.println("data: " + training.card().data());
        System.out.printf(Locale.ROOT, "%nTEST (%s)%n", m.on());
        System.out.printf(Locale.ROOT, "accuracy %.4f   published: 97–100 %% (split usually random; Zhao et al. 2020)   target ≥ 0.99: %s%n",
                m.get("accuracy"), m.get("accuracy") >= 0.99 ? "met" : "NOT met");
        printRecallAndConfusion(m);

        var model = training.model();
        // batch throughput: every window of every record, features and prediction
        int rounds = 3;
        double best = Double.MAX_VALUE;
        int windows = 0;
        for (int r = 0; r < rounds; r++) {
            t0 = System.nanoTime();
            windows = model.predict(frame).rows().size();
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        System.out.printf(Locale.ROOT, "%nbatch predict: %,d windows (%,d samples) in %.3f s (best of %d) = %,.0f windows/s, %,.0f samples/s%n",
                windows, frame.rows(), best, rounds, windows / best, frame.rows() / best);

        // online: one scorer per record, fed one sample at a time; its windows must equal batch prediction
        var predicted = model.predict(frame);
        var byAsset = frame.byAsset();
        long calls = 0, totalNs = 0, agree = 0, ready = 0;
        var windowNs = new ArrayList<Long>();
        for (int pass = 0; pass < 2; pass++) {   // the first pass warms the JIT; the second is measured
            calls = totalNs = agree = ready = 0;
            windowNs.clear();
            int row = 0;
            for (var e : byAsset.entrySet()) {
                var scorer = model.scorer();
                for (int idx : e.getValue()) {
                    long s = System.nanoTime();
                    var score = scorer.score(frame.x()[idx]);
                    long ns = System.nanoTime() - s;
                    calls++;
                    totalNs += ns;
                    if (score.ready()) {
                        windowNs.add(ns);
                        ready++;
                        var p = predicted.rows().get(row++);
                        if (p[0].equals(e.getKey()) && p[3].equals(score.label()) && Math.abs((double) p[4] - score.value()) < 1e-6) agree++;
                    }
                }
            }
        }
        long[] sorted = windowNs.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "online scorer: %,d samples, mean %.3f µs per sample (%,.0f samples/s); a sample completing a window:"
                        + " p50 %.0f µs, p99 %.0f µs, max %.0f µs; %,d of %,d windows equal to batch predict%n",
                calls, totalNs / 1e3 / calls, calls / (totalNs / 1e9), sorted[sorted.length / 2] / 1e3,
                sorted[(int) (sorted.length * 0.99)] / 1e3, sorted[sorted.length - 1] / 1e3, agree, ready);

        Files.createDirectories(out);
        Files.write(out.resolve("vibration-gbm.model"), model.toBytes());
        var json = JsonMapper.builder().build();
        var figures = new LinkedHashMap<String, Object>();
        figures.put("test", m);
        figures.put("train_seconds", trainS);
        figures.put("batch_windows_per_second", windows / best);
        figures.put("online_mean_us_per_sample", totalNs / 1e3 / calls);
        figures.put("online_p99_us_per_window", sorted[(int) (sorted.length * 0.99)] / 1e3);
        figures.put("params", params.asMap());
        figures.put("seed", seed);
        Files.writeString(out.resolve("vibration-gbm.metrics.json"), json.writerWithDefaultPrettyPrinter().writeValueAsString(figures));
        System.out.println("model and metrics written to " + out.toAbsolutePath());
    }

    static void printRecallAndConfusion(Metrics m) {
        var sb = new StringBuilder("recall per class:");
        for (var c : CLASSES) {
            var v = m.values().get("recall." + c);
            sb.append(String.format(Locale.ROOT, " %s %.3f", c, v == null ? Double.NaN : v));
        }
        System.out.println(sb);
        System.out.println("confusion matrix (rows true, columns predicted):");
        var header = new StringBuilder(String.format(Locale.ROOT, "%8s", ""));
        for (var c : CLASSES) header.append(String.format(Locale.ROOT, "%7s", c));
        System.out.println(header);
        for (var t : CLASSES) {
            var line = new StringBuilder(String.format(Locale.ROOT, "%8s", t));
            for (var p : CLASSES) {
                var v = m.values().get("confusion." + t + "." + p);
                line.append(String.format(Locale.ROOT, "%7d", v == null ? 0 : v.longValue()));
            }
            System.out.println(line);
        }
    }

    /** The ten records as one frame: record = asset, sample index = time, acceleration, class = label. */
    static Frame read(Path dir) throws IOException {
        List<Path> files;
        try (var s = Files.list(dir)) {
            files = s.filter(p -> NAME.matcher(p.getFileName().toString()).matches()).sorted().toList();
        }
        if (files.isEmpty()) throw new IllegalArgumentException("no CWRU files (NNN_CLASS_0_DE.csv) in " + dir);
        var byClass = new LinkedHashMap<String, Path>();
        for (var f : files) {
            var mm = NAME.matcher(f.getFileName().toString());
            if (!mm.matches()) continue;
            byClass.put(mm.group(2), f);
        }
        var x = new ArrayList<double[]>();
        var assets = new ArrayList<String>();
        var times = new ArrayList<Long>();
        var labels = new ArrayList<String>();
        for (var c : CLASSES) {
            var f = byClass.get(c);
            if (f == null) throw new IllegalArgumentException("no file for class " + c + " in " + dir);
            String record = f.getFileName().toString().replace(".csv", "");
            long i = 0;
            try (var lines = Files.lines(f)) {
                for (var line : (Iterable<String>) lines::iterator) {
                    line = line.strip();
                    if (line.isEmpty()) continue;
                    // the files have no header; a line that is not a number would be one, and is skipped
                    double v;
                    try {
                        v = Double.parseDouble(line);
                    } catch (NumberFormatException e) {
                        continue;
                    }
                    x.add(new double[] {v});
                    assets.add(record);
                    times.add(i++);
                    labels.add(c);
                }
            }
        }
        return new Frame(List.of("acceleration"), x.toArray(double[][]::new), assets.toArray(String[]::new),
                times.stream().mapToLong(Long::longValue).toArray(), labels.toArray(String[]::new));
    }
}
