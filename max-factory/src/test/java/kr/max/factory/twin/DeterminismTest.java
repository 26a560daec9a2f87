package kr.max.factory.twin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import kr.max.core.AssetPath;
import kr.max.core.MaxException;
import kr.max.factory.FactoryError;
import kr.max.factory.assets.AssetModel;
import kr.max.factory.assets.TagPath;
import org.junit.jupiter.api.Test;

/** Same model, seed and commands: the same samples, bit for bit, at any pace. */
class DeterminismTest {

    static final AssetModel DEMO = AssetModel.demoLine();
    static final String LINE = "changwon/molding/line-1/";
    static final AssetPath IMM = AssetPath.parse(LINE + "molding-cell/IMM-01");
    static final AssetPath MLT = AssetPath.parse(LINE + "molding-cell/MLT-01");
    static final AssetPath CNC = AssetPath.parse(LINE + "machining-cell/CNC-01");
    static final AssetPath PRS = AssetPath.parse(LINE + "press-cell/PRS-01");

    /** The demo line with a script of commands at fixed simulated times, recording every sample. */
    static LineSimulator scripted(long seed, List<Sample> into) {
        var sim = LineSimulator.create(DEMO, seed);
        sim.addListener(into::add);
        Instant t0 = sim.now();
        sim.at(t0.plusSeconds(20), s -> s.write(new TagPath(IMM, "barrel-zone-2-setpoint"), 225));
        sim.at(t0.plusSeconds(30), s -> s.inject(Fault.bearingDefect(CNC, 0.3)));
        sim.at(t0.plusSeconds(40), s -> s.inject(Fault.sensorDrift(new TagPath(MLT, "melt-temperature"), 5)));
        sim.at(t0.plusSeconds(50), s -> s.inject(Fault.communicationLoss(PRS, Duration.ofSeconds(10))));
        sim.at(t0.plusSeconds(60), s -> s.inject(Fault.stuckSensor(new TagPath(IMM, "cushion"))));
        sim.at(t0.plusSeconds(70), s -> s.write(new TagPath(PRS, "strokes-per-minute-setpoint"), 25));
        sim.at(t0.plusSeconds(80), LineSimulator::clearAllFaults);
        return sim;
    }

    @Test
    void sameModelSeedAndCommandsGiveBitIdenticalSamples() {
        var a = new ArrayList<Sample>();
        var b = new ArrayList<Sample>();
        scripted(2026, a).advance(Duration.ofSeconds(100));
        scripted(2026, b).advance(Duration.ofSeconds(100));

        assertThat(a).hasSizeGreaterThan(10_000);
        assertThat(a.size()).isEqualTo(b.size());
        for (int i = 0; i < a.size(); i++) {
            // record equality compares doubles by their bits (Double.compare), not within a tolerance
            assertThat(Double.doubleToRawLongBits(a.get(i).value())).isEqualTo(Double.doubleToRawLongBits(b.get(i).value()));
        }
        assertThat(a).isEqualTo(b);
    }

    @Test
    void anotherSeedGivesOtherNoise() {
        var a = new ArrayList<Sample>();
        var b = new ArrayList<Sample>();
        scripted(1, a).advance(Duration.ofSeconds(10));
        scripted(2, b).advance(Duration.ofSeconds(10));
        assertThat(a.size()).isEqualTo(b.size());
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void listeningToTheWaveformDoesNotChangeTheSamples() {
        var a = new ArrayList<Sample>();
        var b = new ArrayList<Sample>();
        scripted(5, a).advance(Duration.ofSeconds(40));
        var withRaw = scripted(5, b);
        withRaw.addWaveformListener(w -> { });
        withRaw.advance(Duration.ofSeconds(40));
        assertThat(a).isEqualTo(b);
    }

    @Test
    void sixtyTimesRealTimeAndAsFastAsPossibleGiveTheSameSamples() {
        Instant end = SimulationSettings.DEFAULT_START.plusSeconds(100);

        var fastSamples = Collections.synchronizedList(new ArrayList<Sample>());
        var fast = scripted(77, fastSamples);
        assertThat(RealTimeDriver.start(fast, Pace.AS_FAST_AS_POSSIBLE, end).finished().join()).isEqualTo(end);

        // 60× against a manual wall clock that jumps by uneven amounts, so the steps fall into uneven batches
        var pacedSamples = new ArrayList<Sample>();
        var paced = scripted(77, pacedSamples);
        var clock = new ManualTicker();
        var driver = RealTimeDriver.start(paced, Pace.times(60), end, clock);
        var jitter = new SplittableRandom(3);
        int ticks = 0;
        while (!driver.finished().isDone()) {
            clock.advance(1_000_000L + jitter.nextLong(40_000_000L));
            ticks++;
        }
        assertThat(driver.finished().join()).isEqualTo(end);
        assertThat(ticks).as("100 s at 60× take 1.67 s of wall time").isBetween(60, 200);

        assertThat(pacedSamples).hasSizeGreaterThan(10_000).isEqualTo(fastSamples);
    }

    @Test
    void pacedDriverKeepsSimulatedTimeAtItsPace() {
        var sim = LineSimulator.create(DEMO, 9);
        var clock = new ManualTicker();
        var driver = RealTimeDriver.start(sim, Pace.parse("60x"), null, clock);
        clock.advance(1_000_000_000L);                   // one wall second
        assertThat(sim.elapsed()).isEqualTo(Duration.ofSeconds(60));
        clock.advance(500_000_000L);
        assertThat(sim.elapsed()).isEqualTo(Duration.ofSeconds(90));
        assertThat(driver.lag()).isEqualTo(Duration.ZERO);

        var written = new ArrayList<Instant>();
        driver.submit(s -> {
            s.write(new TagPath(IMM, "mold-temperature-setpoint"), 65);
            written.add(s.now());
        });
        clock.advance(20_000_000L);                      // 1.2 s simulated: the setpoint's next sample is due
        assertThat(written).containsExactly(SimulationSettings.DEFAULT_START.plusSeconds(90));
        assertThat(sim.latest(new TagPath(IMM, "mold-temperature-setpoint")).orElseThrow().value()).isEqualTo(65.0);

        driver.close();
        clock.advance(10_000_000L);
        assertThat(driver.finished()).isCompleted();
        Duration stopped = sim.elapsed();
        clock.advance(1_000_000_000L);
        assertThat(sim.elapsed()).isEqualTo(stopped);
    }

    @Test
    void anErrorInAListenerEndsTheRunWithThatError() {
        var sim = LineSimulator.create(DEMO, 10);
        sim.addListener(s -> {
            if (s.time().isAfter(SimulationSettings.DEFAULT_START.plusSeconds(3))) throw new IllegalStateException("boom");
        });
        var driver = RealTimeDriver.start(sim, Pace.AS_FAST_AS_POSSIBLE);
        assertThat(driver.finished()).failsWithin(Duration.ofMinutes(1))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void paceReadsTheCommandLinesSpellings() {
        assertThat(Pace.parse("60x").factor()).isEqualTo(60);
        assertThat(Pace.parse("0.5x").factor()).isEqualTo(0.5);
        assertThat(Pace.parse("1").factor()).isEqualTo(1);
        assertThat(Pace.parse("max").asFastAsPossible()).isTrue();
        assertThat(Pace.times(60)).hasToString("60x");
        var e = catchThrowableOfType(MaxException.class, () -> Pace.parse("fast"));
        assertThat(e.code()).isEqualTo(FactoryError.BAD_SPEED);
        assertThat(catchThrowableOfType(MaxException.class, () -> Pace.parse("-2x")).code()).isEqualTo(FactoryError.BAD_SPEED);
    }

    /** A wall clock that moves only when told, running the driver's ticks and tasks as their time comes. */
    static final class ManualTicker implements RealTimeDriver.Ticker {
        private long now = 1_000_000_000_000L;
        private long period;
        private long nextTick = Long.MAX_VALUE;
        private Runnable tick;
        private final Deque<Runnable> tasks = new ArrayDeque<>();
        private boolean shut;

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void every(long periodNanos, Runnable tick) {
            this.period = periodNanos;
            this.tick = tick;
            this.nextTick = now;
        }

        @Override
        public void execute(Runnable task) {
            if (!shut) tasks.add(task);
        }

        @Override
        public void shutdown() {
            shut = true;
        }

        void advance(long nanos) {
            long target = now + nanos;
            while (!shut && tick != null && nextTick <= target) {
                now = nextTick;
                tick.run();
                nextTick += period;
                runTasks();
            }
            now = target;
            runTasks();
        }

        private void runTasks() {
            Runnable r;
            while ((r = tasks.poll()) != null) r.run();
        }
    }
}
