package kr.max.factory.twin;

import static kr.max.factory.twin.TestLines.IMM;
import static kr.max.factory.twin.TestLines.MLT;
import static kr.max.factory.twin.TestLines.PRS;
import static kr.max.factory.twin.TestLines.imm;
import static kr.max.factory.twin.TestLines.line;
import static kr.max.factory.twin.TestLines.mean;
import static kr.max.factory.twin.TestLines.press;
import static kr.max.factory.twin.TestLines.tag;
import static kr.max.factory.twin.TestLines.tank;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import kr.max.factory.assets.TagPath;
import org.junit.jupiter.api.Test;

/** The injection molding cycle and its quality, the press stroke, the melting tank. */
class ProcessPhysicsTest {

    /** Shots made and defects among them from {@code from} to the end of a run. */
    static long[] shotsAndDefects(TestLines.Recorder rec, int from) {
        double[] shots = rec.values(IMM, "shot-count");
        double[] defects = rec.values(IMM, "defect-count");
        int last = shots.length - 1;
        return new long[] {(long) (shots[last] - shots[from]), (long) (defects[last] - defects[from])};
    }

    @Test
    void defectsRiseWhenABarrelZoneIsFifteenDegreesOffTheRecipe() {
        var recipe = LineSimulator.create(line(imm("")), 21);
        var deviated = LineSimulator.create(line(imm("")), 21);
        var atRecipe = new TestLines.Recorder();
        var off = new TestLines.Recorder();
        recipe.addListener(atRecipe);
        deviated.addListener(off);
        deviated.write(tag(IMM, "barrel-zone-2-setpoint"), 230);    // recipe 215 °C

        recipe.advance(Duration.ofHours(3));
        deviated.advance(Duration.ofHours(3));

        int settled = 15 * 60;   // the zone has reached its new setpoint
        long[] good = shotsAndDefects(atRecipe, settled);
        long[] bad = shotsAndDefects(off, settled);
        assertThat(good[0]).as("shots in 2¾ h of 22 s cycles").isBetween(420L, 470L);
        double baseRate = (double) good[1] / good[0];
        double offRate = (double) bad[1] / bad[0];
        assertThat(baseRate).isBetween(0.005, 0.05);               // p0 = 2 %
        assertThat(offRate).isBetween(0.18, 0.36);                  // 1 − e^(−(15/20)²/2) ≈ 25 %, plus p0
        assertThat(offRate).isGreaterThan(5 * baseRate);
        // the defect flag of each shot is visible as a tag, and adds up to the counter
        assertThat(off.values(IMM, "last-shot-defect")).contains(0.0, 1.0);
    }

    @Test
    void colderMeltNeedsMorePressureAndCushionFollowsHoldPressure() {
        var sim = LineSimulator.create(line(imm("")), 4);
        var rec = new TestLines.Recorder();
        sim.addListener(rec);
        sim.advance(Duration.ofMinutes(5));
        for (int z = 1; z <= 4; z++) {
            TagPath zone = tag(IMM, "barrel-zone-" + z + "-setpoint");
            sim.write(zone, sim.latest(zone).orElseThrow().value() - 10);
        }
        sim.write(tag(IMM, "hold-pressure-setpoint"), 800);
        sim.advance(Duration.ofMinutes(30));

        double[] peak = rec.values(IMM, "peak-injection-pressure");
        double[] cushion = rec.values(IMM, "cushion");
        double[] melt = rec.values(IMM, "melt-temperature");
        int n = peak.length;
        // melt 10 K colder: P = P_ref·e^(0.015·10) ≈ 1.16·1200 bar; cushion −0.004·200 + 0.03·10 = −0.5 mm
        assertThat(mean(melt, 60, 300) - mean(melt, n - 300, n)).isCloseTo(10, within(0.5));
        assertThat(mean(peak, n - 600, n) / mean(peak, 60, 300)).isCloseTo(Math.exp(0.15), within(0.02));
        assertThat(mean(cushion, n - 600, n) - mean(cushion, 60, 300)).isCloseTo(-0.5, within(0.1));
        // the cycle: pressure samples every 100 ms rise during fill to the peak, then hold at the hold pressure
        double[] pressure = rec.values(IMM, "injection-pressure");
        assertThat(pressure.length).isEqualTo(10 * peak.length);
        assertThat(Arrays.stream(pressure, pressure.length - 3000, pressure.length).max().orElseThrow())
                .isGreaterThan(1300);
        assertThat(Arrays.stream(pressure).filter(p -> Math.abs(p - 800) < 15).count()).isGreaterThan(1000);
        double[] cycle = rec.values(IMM, "cycle-time");
        assertThat(mean(cycle, n - 300, n)).isCloseTo(1.2 + 4 + 12 + 5, within(0.2));
    }

    @Test
    void pressPressurePeaksAtBottomDeadCentreOnceAStroke() {
        var sim = LineSimulator.create(line(press("")), 8);
        var rec = new TestLines.Recorder();
        sim.addListener(rec);
        sim.advance(Duration.ofMinutes(2));
        sim.write(tag(PRS, "strokes-per-minute-setpoint"), 12);
        sim.advance(Duration.ofMinutes(2));

        double[] position = rec.values(PRS, "ram-position");        // every 50 ms
        double[] pressure = rec.values(PRS, "pressure");
        double[] strokes = rec.values(PRS, "stroke-count");
        assertThat(strokes[119]).isCloseTo(40, within(1.0));          // 20 strokes a minute
        assertThat(strokes[239] - strokes[119]).isBetween(22.0, 26.0); // slowing down to 12 with τ = 3 s
        for (int i = 0; i < position.length; i++) {
            if (position[i] < 170) assertThat(pressure[i]).isLessThan(8);   // no load above the die
        }
        int top = 0;
        for (int i = 1; i < 1200; i++) if (pressure[i] > pressure[top]) top = i;
        assertThat(position[top]).isGreaterThan(195);
        double[] peaks = rec.values(PRS, "peak-pressure");
        assertThat(mean(peaks, 10, peaks.length)).isCloseTo(185, within(3.0));
        List<Double> distinct = Arrays.stream(peaks).boxed().distinct().toList();
        assertThat(distinct.size()).as("material varies stroke to stroke").isGreaterThan(20);
    }

    @Test
    void coldChargeCoolsTheMeltAndRaisesTheAgitatorCurrent() {
        var sim = LineSimulator.create(line(tank("")), 12);
        var rec = new TestLines.Recorder();
        sim.addListener(rec);
        sim.advance(Duration.ofMinutes(40));

        double[] level = rec.values(MLT, "level");
        double[] t = rec.values(MLT, "melt-temperature");
        double[] current = rec.values(MLT, "motor-current");
        // 80 % → 70 % at 0.5 %/min takes 20 minutes, then charging at 2 %/min
        int charge = 0;
        while (level[charge] > 70.05) charge++;
        assertThat(charge).isBetween(19 * 60, 21 * 60);
        double before = mean(t, charge - 120, charge);
        double coldest = Arrays.stream(t, charge, Math.min(t.length, charge + 900)).min().orElseThrow();
        assertThat(before).isCloseTo(220, within(0.5));
        assertThat(before - coldest).isBetween(1.5, 10.0);
        assertThat(Arrays.stream(current, charge, Math.min(current.length, charge + 900)).max().orElseThrow())
                .isGreaterThan(mean(current, charge - 120, charge) + 0.1);
        assertThat(Arrays.stream(level).max().orElseThrow()).isLessThanOrEqualTo(80.1);
        assertThat(mean(t, t.length - 60, t.length)).isCloseTo(220, within(1.0));
    }
}
