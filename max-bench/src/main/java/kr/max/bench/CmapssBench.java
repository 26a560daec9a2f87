package kr.max.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import kr.max.models.Frame;
import kr.max.models.Metrics;
import kr.max.models.ModelType;
import kr.max.models.Params;
import kr.max.models.StandardModels;
import kr.max.models.TrainedModel;
import kr.max.models.Training;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Remaining useful life on NASA C-MAPSS (issue 5): the standard model {@code rul-gbm} trained on each of
 * train_FD001…FD004 and measured on the official test split (last cycle of each engine, against RUL_FDxxx.txt)
 * where its labels exist, next to the published figures. Where they do not (only RUL_FD001.txt is in the shared
 * data), the figures are the model's own held-out one — 20 % of the training units, cut at random points — and a
 * 5-fold cross-validation over the training units ({@link CmapssCrossValidation}); neither is comparable one to
 * one with a published test RMSE. The predicted test RULs are summarized too.
 * Also prints training time, batch prediction throughput and the online scorer's latency per sample.
 *
 * <p>Usage: {@code max-bench/run cmapss [--data DIR] [--subsets FD001,FD002] [--seed N] [--param name=value]…
 * [--out DIR] [--no-cv]}. {@code --data} defaults to {@code ../shared/data/cmapss} beside the project root; {@code --out}
 * writes each model's bytes and its figures as JSON.
 */
public final class CmapssBench {

    /** Published test RMSE per subset (see the data README); NaN where a paper gives none. */
    private static final Map<String, double[]> PUBLISHED = new LinkedHashMap<>();

    static {
        PUBLISHED.put("Random forest (Zhang et al. 2017)", new double[] {17.91, Double.NaN, Double.NaN, Double.NaN});
        PUBLISHED.put("CNN, Babu et al. 2016", new double[] {18.45, 30.29, 19.82, 29.16});
        PUBLISHED.put("Deep LSTM, Zheng et al. 2017", new double[] {16.14, 24.49, 16.18, 28.17});
        PUBLISHED.put("MODBNE, Zhang et al. 2017", new double[] {15.04, 25.05, 12.51, 28.66});
        PUBLISHED.put("DCNN, Li, Ding & Sun 2018", new double[] {12.61, 22.36, 12.64, 23.31});
    }

    private static final double DCNN_NASA_FD001 = 274;
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private CmapssBench() {
    }

    record Row(String subset, int trainUnits, int testUnits, long testRows, int regimes, double trainSeconds,
            Metrics heldOut, CmapssCrossValidation.Result cv, Metrics test, double[] predicted, double unitsPerSecond, double rowsPerSecond,
            double p50Micros, double p99Micros) {
    }

    public static void main(String[] args) throws Exception {
        var root = Path.of(System.getProperty("max.root", ".")).toAbsolutePath();
        Path data = root.resolve("../shared/data/cmapss").normalize();
        var subsets = List.of("FD001", "FD002", "FD003", "FD004");
        long seed = 42;
        Path out = null;
        boolean cv = true;
        var overrides = new LinkedHashMap<String, Object>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data" -> data = Path.of(args[++i]);
                case "--subsets" -> subsets = List.of(args[++i].split(","));
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--no-cv" -> cv = false;
                case "--param" -> {
                    var kv = args[++i].split("=", 2);
                    overrides.put(kv[0].trim(), kv[1].trim());
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (--data DIR, --subsets FD001,FD002, --seed N, --param name=value, --out DIR, --no-cv)");
            }
        }
        if (Files.isDirectory(data.resolve("cmapss"))) data = data.resolve("cmapss");
        ModelType type = StandardModels.byId("rul-gbm");
        Params params = type.defaults().with(overrides, type.id());
        System.out.printf(Locale.ROOT, "machine: %d cores, JDK %s; data %s; seed %d%nparameters: %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), data, seed, params);

        var rows = new ArrayList<Row>();
        for (var fd : subsets) {
            rows.add(run(type, params, data, fd, seed, out, cv));
        }
        print(rows);
    }

    private static Row run(ModelType type, Params params, Path data, String fd, long seed, Path out, boolean cv) throws Exception {
        Frame train = CmapssData.read(data.resolve("train_" + fd + ".txt"));
        Frame test = CmapssData.read(data.resolve("test_" + fd + ".txt"));
        Path rulFile = data.resolve("RUL_" + fd + ".txt");

        long t0 = System.nanoTime();
        Training training = type.train(train, params, seed);
        double trainSeconds = (System.nanoTime() - t0) / 1e9;
        TrainedModel model = training.model();
        System.out.printf(Locale.ROOT, "%n%s: trained in %.1f s on %,d rows of %d units%n  data: %s%n  split: %s%n  held-out: %s%n",
                fd, trainSeconds, train.rows(), train.byAsset().size(), training.card().data(), training.card().split(),
                training.metrics().values());

        Metrics testMetrics = null;
        if (Files.exists(rulFile)) {
            testMetrics = model.evaluate(CmapssData.labelled(test, CmapssData.rul(rulFile)));
            System.out.printf(Locale.ROOT, "  official test (%s): %s%n", rulFile.getFileName(), testMetrics.values());
        } else {
            System.out.printf(Locale.ROOT, "  official test: %s is not in the data, so no test RMSE%n", rulFile.getFileName());
        }

        // batch prediction: the best of a few passes over the whole test file (features from each unit's full history)
        var predictions = model.predict(test);
        double best = Double.POSITIVE_INFINITY;
        for (int r = 0; r < 5; r++) {
            long s = System.nanoTime();
            model.predict(test);
            best = Math.min(best, (System.nanoTime() - s) / 1e9);
        }
        int units = predictions.rows().size();
        var predicted = predictions.rows().stream().mapToDouble(r -> ((Number) r[1]).doubleValue()).sorted().toArray();

        // online scoring: every test engine streamed through its own scorer, sample by sample
        var latencies = new ArrayList<Long>();
        for (int pass = 0; pass < 2; pass++) { // the first pass warms the JIT
            for (var idx : test.byAsset().values()) {
                var scorer = model.scorer();
                for (int i : idx) {
                    long s = System.nanoTime();
                    scorer.score(test.x()[i]);
                    if (pass == 1) latencies.add(System.nanoTime() - s);
                }
            }
        }
        long[] lat = latencies.stream().mapToLong(Long::longValue).sorted().toArray();

        if (out != null) {
            Files.createDirectories(out);
            Files.write(out.resolve("rul-gbm-" + fd + ".bin"), model.toBytes());
            var figures = new LinkedHashMap<String, Object>();
            figures.put("held_out", training.metrics());
            if (testMetrics != null) figures.put("test", testMetrics);
            figures.put("card", training.card());
            figures.put("train_seconds", trainSeconds);
            Files.writeString(out.resolve("rul-gbm-" + fd + ".json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(figures));
        }
        CmapssCrossValidation.Result cross = null;
        if (cv) {
            long c0 = System.nanoTime();
            cross = CmapssCrossValidation.run(type, params, train, seed);
            System.out.printf(Locale.ROOT, "  5-fold cross-validation over training units, %d cuts each: RMSE %.2f, NASA %.2f per cut (%d cuts, %.0f s)%n",
                    CmapssCrossValidation.CUTS, cross.rmse(), cross.nasaPerCut(), cross.cuts(), (System.nanoTime() - c0) / 1e9);
        }
        int regimes = regimesOf(training.card().data());
        return new Row(fd, train.byAsset().size(), units, test.rows(), regimes, trainSeconds, training.metrics(), cross, testMetrics,
                predicted, units / best, test.rows() / best, percentile(lat, 0.50) / 1e3, percentile(lat, 0.99) / 1e3);
    }

    private static int regimesOf(String cardData) {
        var m = java.util.regex.Pattern.compile("(\\d+) operating regime").matcher(cardData);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    private static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) return Double.NaN;
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    private static void print(List<Row> rows) {
        System.out.println();
        System.out.println("| subset | regimes | our test RMSE | our NASA score | held-out RMSE / NASA (20 % of train units, cut at random) "
                + "| 5-fold CV RMSE / NASA per cut (train units, 5 cuts each) | DCNN (Li 2018) RMSE | training | batch prediction | online scoring p50 / p99 |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (var r : rows) {
            int i = index(r.subset);
            String ours = r.test == null ? "unavailable (no RUL file)" : f2(r.test.get("rmse"));
            String nasa = r.test == null ? "–" : f0(r.test.get("nasa_score"));
            String dcnn = i < 0 ? "–" : f2(PUBLISHED.get("DCNN, Li, Ding & Sun 2018")[i]) + (i == 0 ? " (NASA " + f0(DCNN_NASA_FD001) + ")" : "");
            String cv = r.cv == null ? "–" : f2(r.cv.rmse()) + " / " + f2(r.cv.nasaPerCut()) + " (" + r.cv.cuts() + " cuts)";
            System.out.printf(Locale.ROOT, "| %s | %d | %s | %s | %s / %s (%d units) | %s | %s | %.1f s | %,.0f units/s, %,.0f rows/s | %.0f / %.0f µs |%n",
                    r.subset, r.regimes, ours, nasa, f2(r.heldOut.get("rmse")), f0(r.heldOut.get("nasa_score")),
                    (int) r.heldOut.get("units"), cv, dcnn, r.trainSeconds, r.unitsPerSecond, r.rowsPerSecond, r.p50Micros, r.p99Micros);
        }
        System.out.println();
        System.out.println("Predicted RUL at the last test cycle (min / 25 % / median / 75 % / max, mean):");
        for (var r : rows) {
            var p = r.predicted;
            System.out.printf(Locale.ROOT, "  %s (%d units): %.0f / %.0f / %.0f / %.0f / %.0f, mean %.1f%n", r.subset, p.length,
                    p[0], quantile(p, 0.25), quantile(p, 0.5), quantile(p, 0.75), p[p.length - 1], Arrays.stream(p).average().orElse(Double.NaN));
        }
        System.out.println();
        System.out.println("Published test RMSE (data README) against ours:");
        System.out.printf(Locale.ROOT, "| method | %s |%n", String.join(" | ", rows.stream().map(Row::subset).toList()));
        System.out.printf(Locale.ROOT, "|---|%s%n", "---|".repeat(rows.size()));
        for (var e : PUBLISHED.entrySet()) {
            var cells = rows.stream().map(r -> {
                int i = index(r.subset);
                return i < 0 || Double.isNaN(e.getValue()[i]) ? "–" : f2(e.getValue()[i]);
            }).toList();
            System.out.printf(Locale.ROOT, "| %s | %s |%n", e.getKey(), String.join(" | ", cells));
        }
        var ours = rows.stream().map(r -> r.test == null ? "n/a (no test labels)" : "**" + f2(r.test.get("rmse")) + "**").toList();
        System.out.printf(Locale.ROOT, "| rul-gbm (this run) | %s |%n", String.join(" | ", ours));
        for (var r : rows) {
            if (r.test == null) continue;
            int i = index(r.subset);
            double dcnn = i < 0 ? Double.NaN : PUBLISHED.get("DCNN, Li, Ding & Sun 2018")[i];
            System.out.printf(Locale.ROOT, "target %s: test RMSE %.2f below DCNN %.2f: %s; training under 2 minutes: %s%n", r.subset,
                    r.test.get("rmse"), dcnn, r.test.get("rmse") < dcnn ? "met" : "NOT met", r.trainSeconds < 120 ? "met" : "NOT met");
        }
        for (var r : rows) {
            if (r.test != null) continue;
            System.out.printf(Locale.ROOT, "target %s: not measurable (no test labels); training under 2 minutes: %s%n", r.subset,
                    r.trainSeconds < 120 ? "met" : "NOT met");
        }
    }

    private static int index(String subset) {
        return switch (subset) {
            case "FD001" -> 0;
            case "FD002" -> 1;
            case "FD003" -> 2;
            case "FD004" -> 3;
            default -> -1;
        };
    }

    private static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    private static String f2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String f0(double v) {
        return String.format(Locale.ROOT, "%.0f", v);
    }
}
