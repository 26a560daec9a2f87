package kr.max.factory.twin;

import static kr.max.factory.twin.TestLines.IMM;
import static kr.max.factory.twin.TestLines.MLT;
import static kr.max.factory.twin.TestLines.imm;
import static kr.max.factory.twin.TestLines.line;
import static kr.max.factory.twin.TestLines.mean;
import static kr.max.factory.twin.TestLines.tag;
import static kr.max.factory.twin.TestLines.tank;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Barrel heater zones: first-order thermal systems under PI control, and what a degraded heater does to them. */
class HeaterControlTest {

    @Test
    void pidSettlesAColdBarrelZoneAtItsSetpointWithBoundedOvershoot() {
        var sim = LineSimulator.create(line(imm("cold_start: 1")), 7);
        var rec = new TestLines.Recorder();
        sim.addListener(rec);

        sim.advance(Duration.ofMinutes(40));

        double[] zone4 = rec.values(IMM, "barrel-zone-4-temperature");    // one a second, setpoint 230 °C
        assertThat(zone4[0]).isLessThan(30);
        int reached = 0;
        while (zone4[reached] < 229) reached++;
        assertThat(reached).as("seconds to come within 1 K").isBetween(10 * 60, 25 * 60);
        assertThat(Arrays.stream(zone4).max().orElseThrow()).as("overshoot bound").isLessThan(230 + 2.0);
        double[] last10 = Arrays.copyOfRange(zone4, zone4.length - 600, zone4.length);
        assertThat(mean(last10, 0, last10.length)).isCloseTo(230, within(0.3));
        assertThat(Arrays.stream(last10).min().orElseThrow()).isGreaterThan(229);
        // the controller held the heater at full power while far below, and settled to the duty that holds 230 °C
        double[] duty = rec.values(IMM, "barrel-zone-4-duty");
        assertThat(duty[60]).isEqualTo(100.0);
        assertThat(mean(duty, duty.length - 600, duty.length)).isCloseTo(100 * (230 - 25) / 350.0, within(1.0));
    }

    @Test
    void barrelSetpointStepRisesLikeAFirstOrderSystem() {
        var sim = LineSimulator.create(line(imm("")), 11);
        var rec = new TestLines.Recorder();
        sim.addListener(rec);
        sim.advance(Duration.ofSeconds(60));
        sim.write(tag(IMM, "barrel-zone-1-setpoint"), 230);           // from 200 °C
        sim.advance(Duration.ofMinutes(15));

        double[] t = rec.values(IMM, "barrel-zone-1-temperature");    // t[k] at k + 1 s
        assertThat(rec.values(IMM, "barrel-zone-1-setpoint")[70]).isEqualTo(230.0);
        double before = mean(t, 0, 60);
        assertThat(before).isCloseTo(200, within(0.3));
        // tuned as it is (λ = 60 s, Ti = 4λ, setpoint weight 0.6), the loop answers a setpoint step almost as a first-order
        // system of time constant 120 s: 63 % of the step after 120 s, 95 % after 360 s
        double atLambda = mean(t, 59 + 115, 59 + 126) - before;
        double atThreeLambda = mean(t, 59 + 355, 59 + 366) - before;
        assertThat(atLambda / 30).isBetween(0.56, 0.70);
        assertThat(atThreeLambda / 30).isBetween(0.92, 0.98);
        assertThat(Arrays.stream(t).max().orElseThrow()).as("no overshoot beyond the noise").isLessThan(230.8);
        assertThat(mean(t, t.length - 120, t.length)).isCloseTo(230, within(0.3));
    }

    @Test
    void degradedHeaterCannotReachItsSetpointAndRunsAtFullDuty() {
        var sim = LineSimulator.create(line(imm("")), 3);
        var rec = new TestLines.Recorder();
        sim.addListener(rec);
        sim.advance(Duration.ofMinutes(1));
        sim.inject(Fault.heaterDegradation(IMM, 4, 0.5));   // at most 25 + 0.5 × 350 = 200 °C, setpoint 230 °C
        sim.advance(Duration.ofMinutes(60));

        double[] t = rec.values(IMM, "barrel-zone-4-temperature");
        double[] duty = rec.values(IMM, "barrel-zone-4-duty");
        assertThat(mean(t, t.length - 60, t.length)).isBetween(195.0, 205.0);
        assertThat(mean(duty, duty.length - 60, duty.length)).isEqualTo(100.0);
        // the other zones are untouched
        double[] zone3 = rec.values(IMM, "barrel-zone-3-temperature");
        assertThat(mean(zone3, zone3.length - 60, zone3.length)).isCloseTo(225, within(0.3));
    }

    @Test
    void mildHeaterDegradationRaisesTheDutyButHoldsTheSetpoint() {
        var sim = LineSimulator.create(line(imm("")), 3);
        var rec = new TestLines.Recorder();
        sim.addListener(rec);
        sim.advance(Duration.ofMinutes(5));
        ActiveFault fault = sim.inject(Fault.heaterDegradation(IMM, 4, 0.2));
        sim.advance(Duration.ofMinutes(30));
        sim.clear(fault);
        sim.advance(Duration.ofMinutes(30));

        double[] duty = rec.values(IMM, "barrel-zone-4-duty");
        double[] t = rec.values(IMM, "barrel-zone-4-temperature");
        double healthy = mean(duty, 60, 300);
        double degraded = mean(duty, 35 * 60 - 300, 35 * 60);
        double repaired = mean(duty, duty.length - 300, duty.length);
        assertThat(healthy).isCloseTo(100 * 205 / 350.0, within(1.0));
        assertThat(degraded).isCloseTo(healthy / 0.8, within(1.5));
        assertThat(repaired).isCloseTo(healthy, within(1.0));
        assertThat(mean(t, 35 * 60 - 300, 35 * 60)).isCloseTo(230, within(0.3));
        assertThat(sim.activeFaults()).isEmpty();
    }

    @Test
    void meltingTankHeaterDegradationShowsAsLowerDeliveredPower() {
        var sim = LineSimulator.create(line(tank("")), 5);
        var rec = new TestLines.Recorder();
        sim.addListener(rec);
        sim.advance(Duration.ofMinutes(2));
        sim.inject(Fault.heaterDegradation(MLT, 1, 0.9));
        sim.advance(Duration.ofMinutes(60));

        double[] t = rec.values(MLT, "melt-temperature");
        double[] duty = rec.values(MLT, "heater-duty");
        double[] power = rec.values(MLT, "heater-power");
        assertThat(mean(t, t.length - 60, t.length)).isLessThan(200);
        assertThat(duty[duty.length - 1]).isEqualTo(100.0);
        assertThat(power[power.length - 1]).isCloseTo(3.0, within(0.05));   // 10 % of 30 kW
    }
}
