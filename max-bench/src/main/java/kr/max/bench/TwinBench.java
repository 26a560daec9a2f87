package kr.max.bench;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import kr.max.factory.assets.AssetModel;
import kr.max.factory.assets.EquipmentType;
import kr.max.factory.twin.LineSimulator;
import kr.max.factory.twin.Pace;
import kr.max.factory.twin.RealTimeDriver;
import kr.max.factory.twin.SimulationSettings;

/**
 * Speed of the line simulator on the demo line: simulated seconds per wall second and samples per second, as fast
 * as possible, for the whole line and for each equipment alone (the others switched to {@code model: none}), with
 * and without a raw-waveform listener, and through the {@link RealTimeDriver}. A paced run (`--speed 60x`) shows
 * whether the machine keeps the pace and how far it lags.
 *
 * <p>Usage: {@code max-bench/run twin [--minutes N] [--seed N] [--rate HZ] [--rounds N] [--speed 60x]}.
 */
public final class TwinBench {

    private TwinBench() {
    }

    record Result(double simPerWall, double samplesPerSecond, double rawPerSecond) {
    }

    public static void main(String[] args) {
        int minutes = 30;
        long seed = 42;
        int rate = 12_800;
        int rounds = 3;
        Pace paced = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--minutes" -> minutes = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--speed" -> paced = Pace.parse(args[++i]);
                default -> throw new IllegalArgumentException(
                        "unknown option " + args[i] + " (--minutes N, --seed N, --rate HZ, --rounds N, --speed 60x)");
            }
        }
        AssetModel demo = AssetModel.demoLine();
        var settings = SimulationSettings.defaults().withVibrationSampleRate(rate);
        Duration run = Duration.ofMinutes(minutes);
        System.out.printf(Locale.ROOT, "machine: %d cores, JDK %s; demo line: %d equipment, %d tags; step %d ms, vibration %,d Hz; "
                        + "%d simulated minutes per run, best of %d rounds after a 2-minute warm-up%n%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), demo.equipment().size(),
                demo.tags().size(), settings.step().toMillis(), rate, minutes, rounds);

        measure(demo, settings, seed, Duration.ofMinutes(2), 1, false, false);   // warm-up
        System.out.printf(Locale.ROOT, "%-40s %16s %14s %16s%n", "configuration", "sim s / wall s", "samples/s", "raw values/s");
        print("whole line, as fast as possible", measure(demo, settings, seed, run, rounds, false, false));
        print("whole line + raw waveform listener", measure(demo, settings, seed, run, rounds, true, false));
        print("whole line through RealTimeDriver (max)", measure(demo, settings, seed, run, rounds, false, true));
        for (EquipmentType type : demo.equipmentTypes()) {
            print("  only " + type.id(), measure(only(demo, type), settings, seed, run, rounds, false, false));
        }
        if (paced != null) pacedRun(demo, settings, seed, paced, Math.min(run.toSeconds(), 600));
    }

    /** The demo line with every other equipment type switched to {@code model: none}. */
    static AssetModel only(AssetModel demo, EquipmentType keep) {
        String text = demo.text();
        for (EquipmentType t : demo.equipmentTypes()) {
            if (t != keep) text = text.replace("    model: " + t.model().word() + "\n", "");
        }
        return AssetModel.parse(text, "only-" + keep.id() + ".yaml");
    }

    static Result measure(AssetModel model, SimulationSettings settings, long seed, Duration run, int rounds,
            boolean raw, boolean driver) {
        Result best = null;
        for (int r = 0; r < rounds; r++) {
            var sim = LineSimulator.create(model, seed, settings);
            var samples = new AtomicLong();
            var values = new AtomicLong();
            sim.addListener(s -> samples.incrementAndGet());
            if (raw) sim.addWaveformListener(w -> values.addAndGet(w.acceleration().length));
            long t0 = System.nanoTime();
            if (driver) {
                RealTimeDriver.start(sim, Pace.AS_FAST_AS_POSSIBLE, sim.now().plus(run)).finished().join();
            } else {
                sim.advance(run);
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            var result = new Result(run.toNanos() / 1e9 / wall, samples.get() / wall, values.get() / wall);
            if (best == null || result.simPerWall() > best.simPerWall()) best = result;
        }
        return best;
    }

    static void print(String name, Result r) {
        System.out.printf(Locale.ROOT, "%-40s %16.0f %14.0f %16s%n", name, r.simPerWall(), r.samplesPerSecond(),
                r.rawPerSecond() == 0 ? "-" : String.format(Locale.ROOT, "%.0f", r.rawPerSecond()));
    }

    static void pacedRun(AssetModel model, SimulationSettings settings, long seed, Pace pace, long simSeconds) {
        var sim = LineSimulator.create(model, seed, settings);
        var samples = new AtomicLong();
        sim.addListener(s -> samples.incrementAndGet());
        long t0 = System.nanoTime();
        var driver = RealTimeDriver.start(sim, pace, sim.now().plusSeconds(simSeconds));
        long maxLagMs = 0;
        while (true) {
            try {
                driver.finished().get(200, TimeUnit.MILLISECONDS);
                break;
            } catch (TimeoutException e) {
                maxLagMs = Math.max(maxLagMs, driver.lag().toMillis());
            } catch (InterruptedException | ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "%npaced at %s: %d simulated s in %.2f wall s (achieved %.1fx), %.0f samples/s, largest lag %d ms%n",
                pace, simSeconds, wall, simSeconds / wall, samples.get() / wall, maxLagMs);
    }
}
