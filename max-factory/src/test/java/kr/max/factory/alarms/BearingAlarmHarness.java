package kr.max.factory.alarms;

import static kr.max.factory.alarms.AlarmLines.CNC;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import kr.max.factory.alarms.AlarmEvent.Change;
import kr.max.factory.twin.Fault;
import kr.max.factory.twin.LineSimulator;
import kr.max.models.Scorer;

/**
 * Measurements for the report, not a test: scoring cost per window and how long after a bearing defect appears the
 * model alarm and the limit alarms sound. Run from the module with the test class path:
 * {@code java -cp target/test-classes:target/classes:$(cat cp.txt) kr.max.factory.alarms.BearingAlarmHarness}.
 */
public final class BearingAlarmHarness {

    public static void main(String[] args) {
        var features = SpindleVibrationFeatures.standard();
        long t0 = System.nanoTime();
        var normal = NormalOperation.record(LineSimulator.create(AlarmLines.cncLine(""), 7), CNC, features, Duration.ofMinutes(20));
        System.out.printf(Locale.ROOT, "normal operation: %d windows of 5 s recorded in %.1f s wall%n", normal.rows(), (System.nanoTime() - t0) / 1e9);

        for (String type : List.of("pca-detector", "isolation-forest")) {
            t0 = System.nanoTime();
            var trained = NormalOperation.train(normal, type, Map.of(), 7);
            System.out.printf(Locale.ROOT, "%n== %s: trained in %.0f ms; %s%n", type, (System.nanoTime() - t0) / 1e6, trained.metrics().values());
            latency(trained.model().scorer(), features);
            for (long seed = 11; seed <= 15; seed++) detectionDelays(type, trained, normal, seed);
        }
    }

    /** Features plus score of one window, over real windows of a healthy and a damaged spindle: mean, median, p99. */
    static void latency(Scorer scorer, FeatureExtractor features) {
        var sim = LineSimulator.create(AlarmLines.cncLine(""), 99);
        var rows = new RowWindows(CNC, features);
        var collected = new ArrayList<double[][]>();
        sim.addListener(s -> {
            var w = rows.onSample(s);
            if (w != null) collected.add(w.rows());
        });
        sim.advance(Duration.ofMinutes(3));
        sim.inject(Fault.bearingDefect(CNC, 0.1));
        sim.advance(Duration.ofMinutes(2));
        double[][][] windows = collected.toArray(double[][][]::new);
        int n = 50_000;
        long[] nanos = new long[n];
        double sink = 0;
        for (int warm = 0; warm < 20_000; warm++) sink += scorer.score(features.features(windows[warm % windows.length])).value();
        for (int i = 0; i < n; i++) {
            long s = System.nanoTime();
            sink += scorer.score(features.features(windows[i % windows.length])).value();
            nanos[i] = System.nanoTime() - s;
        }
        Arrays.sort(nanos);
        System.out.printf(Locale.ROOT, "scoring latency per window (features + score): mean %.2f µs, median %.2f µs, p99 %.2f µs (%s)%n",
                Arrays.stream(nanos).average().orElseThrow() / 1e3, nanos[n / 2] / 1e3, nanos[(int) (n * 0.99)] / 1e3,
                sink == 42 ? "" : n + " scorings of " + windows.length + " windows");
    }

    /** A spall growing from severity 0.01, doubling each minute, injected 2 min into a 12 min run. */
    static void detectionDelays(String type, kr.max.models.Training trained, kr.max.models.Frame normal, long seed) {
        var sim = LineSimulator.create(AlarmLines.cncLine(""), seed);
        var alarms = AlarmService.create(sim.model());
        alarms.watch(ModelWatch.of("spindle-vibration", CNC, SpindleVibrationFeatures.standard(), trained.model(),
                NormalOperation.reference(trained, normal, 7), 3));
        var events = new ArrayList<AlarmEvent>();
        alarms.addListener(events::add);
        long[] serviceNanos = {0};
        long[] samples = {0};
        sim.addListener(s -> {
            long a = System.nanoTime();
            alarms.onSample(s);
            serviceNanos[0] += System.nanoTime() - a;
            samples[0]++;
        });
        Instant faultAt = sim.settings().start().plus(Duration.ofMinutes(2));
        double severity = 0.01;
        for (int m = 0; m < 10; m++) {
            var defect = Fault.bearingDefect(CNC, Math.min(1, severity));
            sim.at(faultAt.plus(Duration.ofMinutes(m)), x -> x.inject(defect));
            severity *= 2;
        }
        sim.advance(Duration.ofMinutes(12));
        var sb = new StringBuilder();
        for (AlarmEvent e : events) {
            if (e.change() != Change.RAISED) continue;
            if (sb.indexOf(e.alarm().id()) >= 0) continue;   // first raise of each alarm only
            long after = Duration.between(faultAt, e.time()).toSeconds();
            double sev = Math.min(1, 0.01 * Math.pow(2, Math.floor(after / 60.0)));
            sb.append(String.format(Locale.ROOT, "  %-40s +%4d s (severity %.2f)%n",
                    e.alarm().id().substring(e.alarm().id().lastIndexOf('/') + 1), after, sev));
        }
        System.out.printf(Locale.ROOT, "seed %d: first raise of each alarm after the defect appeared; service %.2f µs per sample%n%s",
                seed, serviceNanos[0] / 1e3 / samples[0], sb);
    }

    private BearingAlarmHarness() {
    }
}
