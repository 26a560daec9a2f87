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
import kr.max.models.Predictions;
import kr.max.models.TrainedModel;
import kr.max.models.monitoring.ProcessMonitoring;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tennessee Eastman fault detection: {@code pca-monitor} (9 components, 99 % limits, as Chiang, Russell and
 * Braatz 2001) and {@code dpca-monitor} (its defaults: lags 2, EWMA 0.2, cross-validated limits), both
 * trained on {@code d00.dat} only, measured on the 21 fault test runs (samples 161–960) and on
 * {@code d00_te.dat} for false alarms. Then the comparison at the same false-alarm rate: every detector's
 * threshold is moved until it gives the same number of alarms on {@code d00_te}, and the detection rates
 * are compared there; with an ablation that shows where the gain comes from.
 *
 * <p>Usage: {@code max-bench/run tep [--data DIR] [--json FILE]}.
 */
public final class TepBench {

    private TepBench() {
    }

    /** Chiang, Russell and Braatz (2001): PCA detection rates T², Q for faults 1, 2 and 6. */
    private static final Map<Integer, double[]> PUBLISHED = Map.of(1, new double[] {0.992, 0.997}, 2, new double[] {0.980, 0.986},
            6, new double[] {0.989, 1.000});
    private static final int FAULTS = 21;
    private static final long SEED = 42;

    record Detector(String name, TrainedModel model, Metrics training, double seconds, Run[] runs) {
    }

    /** One test run through a detector: its metrics with the model's own limits and its per-sample statistics. */
    record Run(Metrics metrics, double[] t2, double[] q, double[] score) {
    }

    public static void main(String[] args) throws Exception {
        String data = null;
        Path json = Path.of(System.getProperty("max.root", ".")).resolve("max-bench/target/bench-tep/metrics.json");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data" -> data = args[++i];
                case "--json" -> json = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (--data DIR, --json FILE)");
            }
        }
        var tep = TepData.at(data);
        System.out.printf(Locale.ROOT, "machine: %d cores, JDK %s; data %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), tep.dir());
        var train = tep.normalTraining();
        var tests = new Frame[FAULTS + 1];
        for (int f = 0; f <= FAULTS; f++) tests[f] = tep.test(f);
        System.out.printf(Locale.ROOT, "training: d00.dat, %d samples x %d variables (stored transposed, read back); "
                + "tests: d00_te (false alarms, 960 samples) and d01_te..d21_te (detection on samples 161-960)%n%n", train.rows(), train.features().size());

        var pca = detector("PCA (9 PCs, 99 %)", ProcessMonitoring.pca(), Map.of("components", 9), train, tests);
        var strong = detector("DPCA+EWMA", ProcessMonitoring.dynamicPca(), Map.of(), train, tests);
        // ablation: which part gives the gain
        var dpcaOnly = detector("DPCA alone", ProcessMonitoring.dynamicPca(), Map.of("smoothing", 1.0), train, tests);
        var pcaEwma = detector("PCA+EWMA", ProcessMonitoring.dynamicPca(), Map.of("lags", 0, "components", 9), train, tests);
        var dpcaLambda01 = detector("DPCA+EWMA 0.1", ProcessMonitoring.dynamicPca(), Map.of("smoothing", 0.1), train, tests);

        for (var d : List.of(pca, strong)) {
            System.out.printf(Locale.ROOT, "%s: trained in %.3f s; %s%n", d.name(), d.seconds(), d.training().values());
        }
        System.out.println();
        perFaultTable(pca, strong);
        var matched = matchedComparison(pca, List.of(strong, dpcaOnly, pcaEwma, dpcaLambda01));
        writeJson(json, pca, strong, matched);
    }

    private static Detector detector(String name, ModelType type, Map<String, ?> overrides, Frame train, Frame[] tests) {
        var params = type.defaults().with(overrides, type.id());
        long t0 = System.nanoTime();
        var training = type.train(train, params, SEED);
        double seconds = (System.nanoTime() - t0) / 1e9;
        var runs = new Run[tests.length];
        for (int f = 0; f < tests.length; f++) {
            var model = training.model();
            Predictions p = model.predict(tests[f]);
            int t2 = p.columns().indexOf("t2");
            int q = p.columns().indexOf("q");
            int score = p.columns().indexOf("score");
            runs[f] = new Run(model.evaluate(tests[f]), column(p, t2), column(p, q), column(p, score));
        }
        return new Detector(name, training.model(), training.metrics(), seconds, runs);
    }

    private static double[] column(Predictions p, int c) {
        return p.rows().stream().mapToDouble(r -> ((Number) r[c]).doubleValue()).toArray();
    }

    private static void perFaultTable(Detector pca, Detector strong) {
        System.out.println("Detection rate per fault with each model's own limits (samples 161-960), published PCA figures in brackets");
        System.out.printf(Locale.ROOT, "%-6s %-15s %-15s %-10s %-12s | %-10s %-10s%n", "fault", "PCA T2", "PCA Q", "PCA T2|Q", "DPCA+EWMA",
                "delay PCA", "delay DPCA+EWMA");
        double[] sum = new double[4];
        for (int f = 1; f <= FAULTS; f++) {
            var a = pca.runs()[f].metrics();
            var b = strong.runs()[f].metrics();
            var pub = PUBLISHED.get(f);
            String t2 = String.format(Locale.ROOT, "%.3f", a.get("detection_rate_t2")) + (pub == null ? "" : String.format(Locale.ROOT, " (%.3f)", pub[0]));
            String q = String.format(Locale.ROOT, "%.3f", a.get("detection_rate_q")) + (pub == null ? "" : String.format(Locale.ROOT, " (%.3f)", pub[1]));
            System.out.printf(Locale.ROOT, "%-6d %-15s %-15s %-10.3f %-12.3f | %-10s %-10s%n", f, t2, q, a.get("detection_rate"), b.get("detection_rate"),
                    delay(a), delay(b));
            sum[0] += a.get("detection_rate_t2");
            sum[1] += a.get("detection_rate_q");
            sum[2] += a.get("detection_rate");
            sum[3] += b.get("detection_rate");
        }
        System.out.printf(Locale.ROOT, "%-6s %-15.3f %-15.3f %-10.3f %-12.3f%n", "mean", sum[0] / FAULTS, sum[1] / FAULTS, sum[2] / FAULTS, sum[3] / FAULTS);
        var a0 = pca.runs()[0].metrics();
        var b0 = strong.runs()[0].metrics();
        System.out.printf(Locale.ROOT, "%-6s %-15s %-15s %-10.3f %-12.3f   (false-alarm rate on d00_te, 960 samples)%n", "FAR",
                String.format(Locale.ROOT, "%.3f (~0.02)", a0.get("false_alarm_rate_t2")),
                String.format(Locale.ROOT, "%.3f (~0.05)", a0.get("false_alarm_rate_q")), a0.get("false_alarm_rate"), b0.get("false_alarm_rate"));
        System.out.println("(delay: samples of 3 min from the first fault sample to the first alarm; '-' never)");
        System.out.println();
    }

    private static String delay(Metrics m) {
        double d = m.get("detection_delay");
        return Double.isNaN(d) ? "-" : String.format(Locale.ROOT, "%.0f", d);
    }

    /**
     * At each target false-alarm rate, every score's threshold is the value exceeded by exactly that many
     * d00_te samples; the detection rates over the 21 faults are then compared. PCA competes with the best
     * of its three scores (T² alone, Q alone, either with both limits scaled alike) at each rate.
     */
    private static Map<String, Double> matchedComparison(Detector pca, List<Detector> others) {
        double own = pca.runs()[0].metrics().get("false_alarm_rate");
        double[] targets = {own, 0.05, 0.01};
        var out = new LinkedHashMap<String, Double>();
        System.out.println("Mean detection rate over the 21 faults at the same false-alarm rate on d00_te (threshold of each score set on d00_te)");
        var header = new StringBuilder(String.format(Locale.ROOT, "%-22s", "FAR on d00_te"));
        for (double t : targets) header.append(String.format(Locale.ROOT, "%-12.3f", t));
        System.out.println(header);
        double[][] pcaRates = new double[3][targets.length];
        String[] pcaNames = {"PCA T2", "PCA Q", "PCA T2|Q"};
        for (int s = 0; s < 3; s++) {
            var line = new StringBuilder(String.format(Locale.ROOT, "%-22s", pcaNames[s]));
            for (int k = 0; k < targets.length; k++) {
                final int which = s;
                pcaRates[s][k] = meanDetectionAtFar(pca, run -> which == 0 ? run.t2() : which == 1 ? run.q() : run.score(), targets[k]);
                line.append(String.format(Locale.ROOT, "%-12.3f", pcaRates[s][k]));
            }
            System.out.println(line);
        }
        double[] best = new double[targets.length];
        for (int k = 0; k < targets.length; k++) best[k] = Math.max(pcaRates[0][k], Math.max(pcaRates[1][k], pcaRates[2][k]));
        for (var d : others) {
            var line = new StringBuilder(String.format(Locale.ROOT, "%-22s", d.name()));
            for (int k = 0; k < targets.length; k++) {
                double r = meanDetectionAtFar(d, Run::score, targets[k]);
                line.append(String.format(Locale.ROOT, "%-12s", String.format(Locale.ROOT, "%.3f %+.1f", r, 100 * (r - best[k]))));
                if (d == others.get(0)) {
                    out.put(String.format(Locale.ROOT, "matched_far_%.3f_pca_best", targets[k]), best[k]);
                    out.put(String.format(Locale.ROOT, "matched_far_%.3f_stronger", targets[k]), r);
                }
            }
            System.out.println(line);
            // the model alarms on either statistic; how each does alone shows which one carries the gain
            var l2 = new StringBuilder(String.format(Locale.ROOT, "%-22s", "  T2 alone, Q alone"));
            for (int k = 0; k < targets.length; k++) {
                l2.append(String.format(Locale.ROOT, "%-12s", String.format(Locale.ROOT, "%.3f,%.3f", meanDetectionAtFar(d, Run::t2, targets[k]),
                        meanDetectionAtFar(d, Run::q, targets[k]))));
            }
            System.out.println(l2);
        }
        System.out.println("(+x.x: points above the best of the three PCA scores at that false-alarm rate; the first column is the rate PCA's own "
                + "99 % limits give when it alarms on T2 or Q. The detectors below PCA score by their own rule: alarm on either statistic, "
                + "both limits moved by the same factor)");
        System.out.println();
        return out;
    }

    private static double meanDetectionAtFar(Detector d, java.util.function.Function<Run, double[]> score, double far) {
        double[] normal = Arrays.stream(score.apply(d.runs()[0])).filter(v -> !Double.isNaN(v)).sorted().toArray();
        int alarms = (int) Math.round(far * normal.length);
        // the threshold is exceeded by exactly `alarms` normal samples (ties aside)
        double threshold = alarms >= normal.length ? Double.NEGATIVE_INFINITY : normal[normal.length - 1 - alarms];
        double sum = 0;
        for (int f = 1; f <= FAULTS; f++) {
            double[] s = score.apply(d.runs()[f]);
            int hit = 0;
            for (int i = TepData.FAULT_STARTS_AFTER; i < s.length; i++) if (s[i] > threshold) hit++;
            sum += (double) hit / (s.length - TepData.FAULT_STARTS_AFTER);
        }
        return sum / FAULTS;
    }

    private static void writeJson(Path json, Detector pca, Detector strong, Map<String, Double> matched) throws Exception {
        var doc = new LinkedHashMap<String, Object>();
        for (var d : List.of(pca, strong)) {
            var m = new LinkedHashMap<String, Object>();
            m.put("type", d.model().type());
            m.put("training_seconds", d.seconds());
            m.put("training", Map.of("on", d.training().on(), "values", d.training().values()));
            var perFault = new ArrayList<Object>();
            for (int f = 0; f <= FAULTS; f++) perFault.add(Map.of("run", String.format("d%02d_te", f), "values", d.runs()[f].metrics().values()));
            m.put("tests", perFault);
            doc.put(d.name(), m);
        }
        doc.put("matched_false_alarm_rate", matched);
        Files.createDirectories(json.toAbsolutePath().getParent());
        JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValue(json.toFile(), doc);
        System.out.println("metrics written to " + json);
    }
}
