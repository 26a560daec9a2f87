package kr.max.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import kr.max.models.Frame;
import kr.max.models.ModelType;
import kr.max.models.Scorer;
import kr.max.models.TrainedModel;
import kr.max.models.anomaly.AnomalyDetection;
import kr.max.models.monitoring.ProcessMonitoring;

/**
 * Speed of the monitoring and anomaly models on Tennessee Eastman data (52 variables): training time on
 * {@code d00.dat} (500 samples) and on all 22 test runs (21,120 samples, for scale only), batch prediction
 * throughput over the 22 test runs, and the latency of online scoring — one sample through
 * {@link Scorer#score} — at the 50th, 99th and 99.9th percentiles after a warm-up, each call timed on
 * its own with {@link System#nanoTime()} (whose own cost, some tens of nanoseconds, is included).
 *
 * <p>Usage: {@code max-bench/run scoring [--data DIR] [--samples N] [--rounds N]}.
 */
public final class ScoringLatencyBench {

    private ScoringLatencyBench() {
    }

    private static final long SEED = 42;

    record Candidate(String name, ModelType type, Map<String, ?> params) {
    }

    public static void main(String[] args) throws Exception {
        String data = null;
        int samples = 1_000_000;
        int rounds = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data" -> data = args[++i];
                case "--samples" -> samples = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (--data DIR, --samples N, --rounds N)");
            }
        }
        var tep = TepData.at(data);
        var train = tep.normalTraining();
        var runs = new ArrayList<Frame>();
        for (int f = 0; f <= 21; f++) runs.add(tep.test(f));
        var batch = concat(runs);
        var large = new Frame(batch.features(), batch.x(), batch.assets(), null, null);
        System.out.printf(Locale.ROOT, "machine: %d cores, JDK %s, heap %d MiB; data %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20, tep.dir());
        System.out.printf(Locale.ROOT, "training: d00 (%d x %d) and the 22 test runs unlabelled (%,d rows, timing only); batch: the 22 test runs "
                + "(%,d rows, one asset per run); online: %,d samples per model after %,d warm-up calls; best of %d rounds for times%n%n",
                train.rows(), train.features().size(), large.rows(), batch.rows(), samples, samples / 2, rounds);

        var candidates = List.of(
                new Candidate("pca-monitor (9 PCs)", ProcessMonitoring.pca(), Map.of("components", 9)),
                new Candidate("dpca-monitor (lags 2, EWMA)", ProcessMonitoring.dynamicPca(), Map.of()),
                new Candidate("isolation-forest (100 x 256)", AnomalyDetection.isolationForest(), Map.of("holdout", 0)),
                new Candidate("pca-detector", AnomalyDetection.pcaDetector(), Map.of("holdout", 0)));
        System.out.printf(Locale.ROOT, "%-30s %12s %14s %14s %9s %9s %9s %9s%n", "model", "train d00", "train 21,120", "batch rows/s",
                "p50 us", "p99 us", "p99.9 us", "max us");
        for (var c : candidates) {
            var params = c.type().defaults().with(c.params(), c.type().id());
            TrainedModel model = null;
            double small = Double.MAX_VALUE;
            double big = Double.MAX_VALUE;
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                model = c.type().train(train, params, SEED).model();
                small = Math.min(small, (System.nanoTime() - t0) / 1e9);
                t0 = System.nanoTime();
                c.type().train(large, params, SEED);
                big = Math.min(big, (System.nanoTime() - t0) / 1e9);
            }
            double batchSeconds = Double.MAX_VALUE;
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                var p = model.predict(batch);
                batchSeconds = Math.min(batchSeconds, (System.nanoTime() - t0) / 1e9);
                if (p.rows().size() != batch.rows()) throw new IllegalStateException("prediction rows");
            }
            long[] latencies = online(model, batch.x(), samples);
            System.out.printf(Locale.ROOT, "%-30s %10.3f s %12.3f s %14s %9.2f %9.2f %9.2f %9.1f%n", c.name(), small, big,
                    String.format(Locale.ROOT, "%,.0f", batch.rows() / batchSeconds), percentile(latencies, 0.50) / 1e3,
                    percentile(latencies, 0.99) / 1e3, percentile(latencies, 0.999) / 1e3, latencies[latencies.length - 1] / 1e3);
        }
        System.out.println();
        System.out.println("target: online p99 under 1 ms (1000 us) for pca-monitor and isolation-forest; timings are of a shared machine");
    }

    /** Nanoseconds of each of {@code n} calls, sorted, after {@code n / 2} calls of warm-up on another scorer. */
    private static long[] online(TrainedModel model, double[][] rows, int n) {
        var warm = model.scorer();
        double sink = 0;
        for (int i = 0; i < n / 2; i++) sink += value(warm.score(rows[i % rows.length]));
        var scorer = model.scorer();
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            double[] row = rows[i % rows.length];
            long t0 = System.nanoTime();
            var s = scorer.score(row);
            out[i] = System.nanoTime() - t0;
            sink += value(s);
        }
        if (sink == 42.4242) System.out.println();   // keeps the results alive
        Arrays.sort(out);
        return out;
    }

    private static double value(Scorer.Score s) {
        return s.ready() ? s.value() : 0;
    }

    private static double percentile(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static Frame concat(List<Frame> frames) {
        var x = new ArrayList<double[]>();
        var assets = new ArrayList<String>();
        var labels = new ArrayList<String>();
        for (int f = 0; f < frames.size(); f++) {
            var frame = frames.get(f);
            for (int i = 0; i < frame.rows(); i++) {
                x.add(frame.x()[i]);
                assets.add(String.format("d%02d_te", f));
                labels.add(frame.labels()[i]);
            }
        }
        return new Frame(frames.get(0).features(), x.toArray(double[][]::new), assets.toArray(String[]::new), null,
                labels.toArray(String[]::new));
    }
}
