package kr.max.factory.twin;

import static kr.max.factory.twin.TestLines.CNC;
import static kr.max.factory.twin.TestLines.IMM;
import static kr.max.factory.twin.TestLines.MLT;
import static kr.max.factory.twin.TestLines.cnc;
import static kr.max.factory.twin.TestLines.imm;
import static kr.max.factory.twin.TestLines.line;
import static kr.max.factory.twin.TestLines.tag;
import static kr.max.factory.twin.TestLines.tank;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import kr.max.core.AssetPath;
import kr.max.core.MaxException;
import kr.max.factory.FactoryError;
import kr.max.factory.assets.TagPath;
import org.junit.jupiter.api.Test;

/** Sensor faults, communication loss, and the checks on setpoint writes and fault commands. */
class FaultsAndCommandsTest {

    static final TagPath MELT = tag(MLT, "melt-temperature");

    @Test
    void stuckSensorRepeatsItsLastValueWithGoodQualityUntilCleared() {
        var sim = LineSimulator.create(line(tank("")), 41);
        var rec = new TestLines.Recorder();
        sim.addListener(rec);
        sim.advance(Duration.ofSeconds(60));
        double last = sim.latest(MELT).orElseThrow().value();
        ActiveFault stuck = sim.inject(Fault.stuckSensor(MELT));
        sim.advance(Duration.ofSeconds(120));
        sim.clear(stuck);
        sim.advance(Duration.ofSeconds(60));

        List<Sample> s = rec.of(MLT, "melt-temperature");
        assertThat(s.subList(60, 180)).allSatisfy(x -> {
            assertThat(x.value()).isEqualTo(last);
            assertThat(x.quality()).isEqualTo(Quality.GOOD);
        });
        assertThat(s.subList(0, 60).stream().mapToDouble(Sample::value).distinct().count()).isGreaterThan(3);
        assertThat(s.subList(180, 240).stream().mapToDouble(Sample::value).distinct().count()).isGreaterThan(3);
        // only the reading was stuck: the heater duty kept moving all along
        assertThat(rec.of(MLT, "heater-duty").subList(60, 180).stream().mapToDouble(Sample::value).distinct().count())
                .isGreaterThan(3);
    }

    @Test
    void driftGrowsLinearlyWithSimulatedTime() {
        var truth = LineSimulator.create(line(tank("")), 42);
        var drifting = LineSimulator.create(line(tank("")), 42);
        var t = new TestLines.Recorder();
        var d = new TestLines.Recorder();
        truth.addListener(t);
        drifting.addListener(d);
        truth.advance(Duration.ofMinutes(10));
        drifting.advance(Duration.ofMinutes(10));
        drifting.inject(Fault.sensorDrift(MELT, 3.0));             // 3 K per hour
        truth.advance(Duration.ofHours(2));
        drifting.advance(Duration.ofHours(2));

        double[] tv = t.values(MLT, "melt-temperature");
        double[] dv = d.values(MLT, "melt-temperature");
        assertThat(dv.length).isEqualTo(tv.length);
        for (int i = 0; i < 600; i++) assertThat(dv[i]).isEqualTo(tv[i]);
        // the same physics underneath (drift consumes no random numbers): the difference is the drift alone, up to the
        // register's 0.1 K resolution
        double sxy = 0;
        double sxx = 0;
        for (int i = 600; i < dv.length; i++) {
            double hours = (i - 599) / 3600.0;
            assertThat(dv[i] - tv[i]).isCloseTo(3.0 * hours, within(0.1 + 1e-9));
            sxy += hours * (dv[i] - tv[i]);
            sxx += hours * hours;
        }
        assertThat(sxy / sxx).as("fitted slope, K/h").isCloseTo(3.0, within(0.005));
    }

    @Test
    void communicationLossStopsTheEquipmentsSamplesForItsDuration() {
        var sim = LineSimulator.create(line(imm(""), tank("")), 43);
        var rec = new TestLines.Recorder();
        sim.addListener(rec);
        sim.advance(Duration.ofSeconds(60));
        ActiveFault loss = sim.inject(Fault.communicationLoss(IMM, Duration.ofSeconds(30)));
        assertThat(sim.activeFaults()).containsExactly(loss);
        sim.advance(Duration.ofSeconds(60));

        Instant lost = sim.settings().start().plusSeconds(60);
        Instant back = lost.plusSeconds(30);
        List<Sample> imm = rec.samples.stream().filter(s -> s.tag().equipment().equals(IMM)).toList();
        assertThat(imm).noneMatch(s -> s.time().isAfter(lost) && s.time().isBefore(back));
        assertThat(imm).anyMatch(s -> s.time().equals(back));
        assertThat(imm).allMatch(s -> s.quality() == Quality.GOOD);
        // the tank kept talking
        assertThat(rec.of(MLT, "level")).hasSize(120);
        // sequence numbers run on at the equipment and show the gap
        List<Sample> zone = rec.of(IMM, "barrel-zone-1-temperature");
        assertThat(zone).hasSize(120 - 29);
        int perSecond = (int) sim.model().tags(IMM).stream().mapToLong(x -> 1000 / x.spec().sampleMillis()).sum();
        Sample before = zone.get(59);
        Sample after = zone.get(60);
        assertThat(after.time()).isEqualTo(back);
        assertThat(after.sequence() - before.sequence()).isEqualTo(30L * perSecond);
        assertThat(sim.activeFaults()).as("the loss ended by itself").isEmpty();
    }

    @Test
    void communicationLossCanDeliverBadQualitySamplesInstead() {
        var sim = LineSimulator.create(line(tank("")), 44);
        var rec = new TestLines.Recorder();
        sim.addListener(rec);
        sim.advance(Duration.ofSeconds(10));
        double last = sim.latest(MELT).orElseThrow().value();
        sim.inject(new Fault.CommunicationLoss(MLT, Duration.ofSeconds(5), Fault.CommunicationLoss.Mode.BAD_QUALITY));
        sim.advance(Duration.ofSeconds(10));

        List<Sample> s = rec.of(MLT, "melt-temperature");
        assertThat(s).hasSize(20);
        assertThat(s.subList(10, 14)).allSatisfy(x -> {
            assertThat(x.quality()).isEqualTo(Quality.BAD);
            assertThat(x.value()).isEqualTo(last);
        });
        assertThat(s.subList(14, 20)).allMatch(x -> x.quality() == Quality.GOOD);
    }

    @Test
    void writesAreRefusedWhileTheEquipmentDoesNotAnswer() {
        var sim = LineSimulator.create(line(tank("")), 45);
        sim.inject(Fault.communicationLoss(MLT, Duration.ofSeconds(5)));
        var e = catchThrowableOfType(MaxException.class, () -> sim.write(tag(MLT, "temperature-setpoint"), 225));
        assertThat(e.code()).isEqualTo(FactoryError.COMMUNICATION_LOST);
        assertThat(e.getMessage()).contains("2026-03-02T00:00:05Z");
        sim.advance(Duration.ofSeconds(5));
        sim.write(tag(MLT, "temperature-setpoint"), 225);
    }

    @Test
    void setpointWriteToAMeasurementIsRefusedWithAClearError() {
        var sim = LineSimulator.create(line(imm("")), 46);
        var e = catchThrowableOfType(MaxException.class, () -> sim.write(tag(IMM, "barrel-zone-1-temperature"), 210));
        assertThat(e.code()).isEqualTo(FactoryError.NOT_WRITABLE);
        assertThat(e.getMessage()).isEqualTo("MAX-FACTORY-042: Tag changwon/molding/line-1/test-cell/IMM-01/"
                + "barrel-zone-1-temperature cannot be written: its role is measurement, and only writable setpoints can be.");
        assertThat(e.message(Locale.KOREAN)).contains("쓸 수 없습니다");
    }

    @Test
    void setpointWriteOutsideTheTagsLimitsIsRefusedAndChangesNothing() {
        var sim = LineSimulator.create(line(imm("")), 47);
        TagPath zone = tag(IMM, "barrel-zone-1-setpoint");
        var e = catchThrowableOfType(MaxException.class, () -> sim.write(zone, 300));
        assertThat(e.code()).isEqualTo(FactoryError.SETPOINT_OUT_OF_LIMITS);
        assertThat(e.getMessage()).endsWith("cannot be set to 300: allowed is 150 to 280 °C.");
        assertThat(catchThrowableOfType(MaxException.class, () -> sim.write(zone, Double.NaN)).code())
                .isEqualTo(FactoryError.SETPOINT_OUT_OF_LIMITS);
        var type = catchThrowableOfType(MaxException.class, () -> sim.write(zone, 230.55));
        assertThat(type.code()).isEqualTo(FactoryError.VALUE_NOT_OF_TYPE);
        assertThat(type.getMessage()).contains("int16 × 0.1");
        sim.advance(Duration.ofSeconds(1));
        assertThat(sim.latest(zone).orElseThrow().value()).isEqualTo(200.0);
        assertThat(catchThrowableOfType(MaxException.class, () -> sim.write(tag(IMM, "no-such-tag"), 1)).code())
                .isEqualTo(FactoryError.UNKNOWN_TAG);
    }

    @Test
    void faultsAreCheckedAgainstTheEquipmentTheyName() {
        var sim = LineSimulator.create(line(imm(""), cnc("")), 48);
        assertThat(code(() -> sim.inject(Fault.bearingDefect(IMM, 0.5)))).isEqualTo(FactoryError.FAULT_NOT_APPLICABLE);
        assertThat(code(() -> sim.inject(Fault.heaterDegradation(CNC, 1, 0.5)))).isEqualTo(FactoryError.FAULT_NOT_APPLICABLE);
        assertThat(code(() -> sim.inject(Fault.heaterDegradation(IMM, 5, 0.5)))).isEqualTo(FactoryError.BAD_FAULT_ARGUMENT);
        assertThat(code(() -> sim.inject(Fault.heaterDegradation(IMM, 1, 1.5)))).isEqualTo(FactoryError.BAD_FAULT_ARGUMENT);
        assertThat(code(() -> sim.inject(Fault.bearingDefect(CNC, 0)))).isEqualTo(FactoryError.BAD_FAULT_ARGUMENT);
        assertThat(code(() -> sim.inject(Fault.stuckSensor(tag(IMM, "barrel-zone-1-setpoint")))))
                .isEqualTo(FactoryError.SENSOR_FAULT_ON_SETPOINT);
        assertThat(code(() -> sim.inject(Fault.communicationLoss(AssetPath.parse("a/b/c/d/e"), Duration.ofSeconds(1)))))
                .isEqualTo(FactoryError.UNKNOWN_EQUIPMENT);
        assertThat(code(() -> sim.inject(Fault.communicationLoss(IMM, Duration.ZERO)))).isEqualTo(FactoryError.BAD_FAULT_ARGUMENT);
        assertThat(sim.activeFaults()).isEmpty();
    }

    @Test
    void aSecondFaultOfTheSameKindOnTheSameTargetReplacesTheFirst() {
        var sim = LineSimulator.create(line(imm("")), 49);
        ActiveFault first = sim.inject(Fault.heaterDegradation(IMM, 2, 0.3));
        sim.advance(Duration.ofSeconds(1));
        ActiveFault second = sim.inject(Fault.heaterDegradation(IMM, 2, 0.1));
        ActiveFault other = sim.inject(Fault.heaterDegradation(IMM, 3, 0.1));
        assertThat(sim.activeFaults()).containsExactly(second, other);
        assertThat(second.since()).isEqualTo(first.since().plusSeconds(1));
        sim.clear(first);    // already gone: nothing happens
        assertThat(sim.activeFaults()).containsExactly(second, other);
        sim.clearAllFaults();
        assertThat(sim.activeFaults()).isEmpty();
    }

    @Test
    void commandsCannotBeScheduledInThePast() {
        var sim = LineSimulator.create(line(tank("")), 50);
        sim.advance(Duration.ofSeconds(2));
        assertThat(code(() -> sim.at(sim.settings().start().plusSeconds(1), s -> { })))
                .isEqualTo(FactoryError.COMMAND_IN_THE_PAST);
    }

    @Test
    void samplePeriodsMustBeWholeSteps() {
        var e = catchThrowableOfType(MaxException.class, () -> LineSimulator.create(line(imm("")), 1,
                SimulationSettings.defaults().withStep(Duration.ofMillis(30)).withVibrationSampleRate(1000)));
        assertThat(e.code()).isEqualTo(FactoryError.SAMPLE_PERIOD_NOT_A_MULTIPLE);
        assertThat(code(() -> SimulationSettings.defaults().withVibrationSampleRate(12_345)))
                .isEqualTo(FactoryError.BAD_SETTING);
    }

    static FactoryError code(Runnable r) {
        var e = catchThrowableOfType(MaxException.class, r::run);
        assertThat(e).isNotNull();
        return (FactoryError) e.code();
    }
}
