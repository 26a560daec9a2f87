package kr.max.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import kr.max.models.Frame;
import kr.max.models.Metrics;
import kr.max.models.ModelType;
import kr.max.models.Training;
import kr.max.models.quality.QualityPrediction;
import tools.jackson.databind.json.JsonMapper;

/**
 * KAMP injection molding pass/fail prediction (7,996 shots, 71 fails) through the {@code quality-gbm} type and
 * its {@code quality-logistic} baseline, with the time-ordered split both use: the first 70 % of shots by time
 * train, the last 30 % test. Prints class counts, PR-AUC, recall at 90 % precision, ROC-AUC, precision and
 * recall at the alarm threshold chosen on training data, training time, batch throughput and online scoring
 * latency; then the same on the file without its exact duplicate rows, and gbm over several seeds. Writes
 * the gbm model and the figures as JSON to {@code --out} (the data itself is never written).
 *
 * <p>Usage: {@code max-bench/run kamp-quality [--data DIR] [--train-fraction 0.7] [--seed 42] [--seeds 5] [--out DIR]};
 * DIR holds {@code kamp/injection_molding/injection_molding_labeled.csv}.
 */
public final class KampQualityBench {

    private KampQualityBench() {
    }

    public static void main(String[] args) throws IOException {
        Path data = Path.of(System.getProperty("max.root", ".")).resolve("../shared/data");
        var overrides = new LinkedHashMap<String, Object>();
        long seed = 42;
        int seeds = 5;
        Path out = Path.of("target", "bench-kamp-quality");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data" -> data = Path.of(args[++i]);
                case "--train-fraction" -> overrides.put("train_fraction", Double.parseDouble(args[++i]));
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--seeds" -> seeds = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path file = data.resolve("kamp/injection_molding/injection_molding_labeled.csv");
        System.out.printf(Locale.ROOT, "machine: %d cores, JDK %s%n", Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        var shots = KampCsv.read(file);
        Frame frame = shots.frame();
        System.out.printf(Locale.ROOT, "%s: %,d shots, labels %s; %,d rows repeat an earlier row in every column but _id%n", file,
                frame.rows(), counts(frame.labels()), shots.duplicates());
        System.out.printf(Locale.ROOT, "features (%d, process measurements only; ids, dates, part, machine and Reason left out): %s%n",
                frame.features().size(), frame.features());
        System.out.println("published: no PR-AUC with a time-ordered split is published for this set; the baseline is our own logistic regression");

        var figures = new LinkedHashMap<String, Object>();
        var gbm = QualityPrediction.gbm();
        var logistic = QualityPrediction.logistic();
        System.out.printf(Locale.ROOT, "%n== the file as given ==%n");
        Training g = run(gbm, frame, overrides, seed, figures, "as_given");
        run(logistic, frame, overrides, seed, figures, "as_given");
        System.out.printf(Locale.ROOT, "%n== without the %,d duplicate rows ==%n", shots.duplicates());
        run(gbm, shots.deduplicated(), overrides, seed, figures, "deduplicated");
        run(logistic, shots.deduplicated(), overrides, seed, figures, "deduplicated");

        System.out.printf(Locale.ROOT, "%n== quality-gbm over %d seeds (file as given) ==%n", seeds);
        var pr = new ArrayList<Double>();
        var rec = new ArrayList<Double>();
        for (long s = seed; s < seed + seeds; s++) {
            var m = gbm.train(frame, gbm.defaults().with(overrides, gbm.id()), s).metrics();
            pr.add(m.get("pr_auc"));
            rec.add(m.get("recall_at_90_precision"));
        }
        System.out.printf(Locale.ROOT, "PR-AUC %s; recall@90%%precision %s%n", list(pr), list(rec));

        var model = g.model();
        int rounds = 5;
        double best = Double.MAX_VALUE;
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            model.predict(frame);
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        System.out.printf(Locale.ROOT, "%nbatch predict (gbm): %,d shots in %.4f s (best of %d) = %,.0f shots/s%n", frame.rows(), best, rounds, frame.rows() / best);
        var scorer = model.scorer();
        var ns = new long[frame.rows()];
        for (int pass = 0; pass < 2; pass++) {   // the first pass warms the JIT
            for (int i = 0; i < frame.rows(); i++) {
                long t0 = System.nanoTime();
                scorer.score(frame.x()[i]);
                ns[i] = System.nanoTime() - t0;
            }
        }
        java.util.Arrays.sort(ns);
        double mean = java.util.Arrays.stream(ns).average().orElse(Double.NaN) / 1e3;
        System.out.printf(Locale.ROOT, "online scorer (gbm), one shot at a time: mean %.1f µs, p50 %.1f µs, p99 %.1f µs%n", mean,
                ns[ns.length / 2] / 1e3, ns[(int) (ns.length * 0.99)] / 1e3);
        figures.put("gbm_batch_shots_per_second", frame.rows() / best);
        figures.put("gbm_online_mean_us", mean);
        figures.put("gbm_pr_auc_over_seeds", pr);

        Files.createDirectories(out);
        Files.write(out.resolve("quality-gbm.model"), model.toBytes());
        Files.writeString(out.resolve("quality.metrics.json"), JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValueAsString(figures));
        System.out.println("model and metrics written to " + out.toAbsolutePath());
    }

    private static Training run(ModelType type, Frame frame, Map<String, Object> overrides, long seed, Map<String, Object> figures, String variant) {
        long t0 = System.nanoTime();
        var t = type.train(frame, type.defaults().with(overrides, type.id()), seed);
        double s = (System.nanoTime() - t0) / 1e9;
        Metrics m = t.metrics();
        System.out.printf(Locale.ROOT, "%-16s train %,d shots / %d fails, test %,d shots / %d fails (base rate %.4f); trained in %.2f s"
                        + " (threshold search included)%n", type.id(), (long) m.get("train_shots"), (long) m.get("train_fails"),
                (long) m.get("shots"), (long) m.get("fails"), m.get("base_rate"), s);
        System.out.printf(Locale.ROOT, "%-16s PR-AUC %.3f   recall@90%%precision %.3f   ROC-AUC %.3f   alarm threshold %.3f (precision %.2f, recall %.2f"
                        + " out-of-fold on training) → on test: %d alarms, precision %.2f, recall %.2f%n", "",
                m.get("pr_auc"), m.get("recall_at_90_precision"), m.get("roc_auc"), m.get("threshold"),
                m.get("threshold_precision_on_training"), m.get("threshold_recall_on_training"), (long) m.get("alarms_at_threshold"),
                m.get("precision_at_threshold"), m.get("recall_at_threshold"));
        // what an operator would see: of the highest-scored test shots, how many failed
        double fraction = ((Number) type.defaults().with(overrides, type.id()).asMap().get("train_fraction")).doubleValue();
        var test = testPart(frame, fraction);
        var p = t.model().predict(test);
        int col = p.columns().indexOf("p_fail");
        Integer[] order = java.util.stream.IntStream.range(0, test.rows()).boxed().toArray(Integer[]::new);
        java.util.Arrays.sort(order, (a, b) -> Double.compare((double) p.rows().get(b)[col], (double) p.rows().get(a)[col]));
        var top = new StringBuilder();
        for (int k : new int[] {10, 25, 50, 100}) {
            long hits = java.util.Arrays.stream(order, 0, Math.min(k, order.length)).filter(i -> test.labels()[i].equals("N")).count();
            top.append(String.format(Locale.ROOT, "  top %d: %d", k, hits));
        }
        System.out.printf(Locale.ROOT, "%-16s fails among the highest-scored test shots:%s%n", "", top);
        var entry = new LinkedHashMap<String, Object>();
        entry.put("metrics", m);
        entry.put("train_seconds", s);
        entry.put("split", t.card().split());
        figures.put(variant + "." + type.id(), entry);
        return t;
    }

    /** The test part as the quality types cut it: the last shots by time, the cut moved past shots of its time. */
    static Frame testPart(Frame frame, double fraction) {
        Integer[] idx = java.util.stream.IntStream.range(0, frame.rows()).boxed().toArray(Integer[]::new);
        java.util.Arrays.sort(idx, java.util.Comparator.comparingLong(i -> frame.times()[i]));
        int cut = (int) Math.round(idx.length * fraction);
        while (cut > 0 && cut < idx.length && frame.times()[idx[cut]] == frame.times()[idx[cut - 1]]) cut++;
        return frame.select(java.util.Arrays.stream(idx, cut, idx.length).mapToInt(Integer::intValue).toArray());
    }

    private static Map<String, Integer> counts(String[] labels) {
        var out = new TreeMap<String, Integer>();
        for (var l : labels) out.merge(l, 1, Integer::sum);
        return out;
    }

    private static String list(List<Double> v) {
        var sb = new StringBuilder("[");
        for (var d : v) sb.append(sb.length() > 1 ? ", " : "").append(String.format(Locale.ROOT, "%.3f", d));
        return sb.append(']').toString();
    }
}
