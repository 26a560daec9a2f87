package kr.max.factory.alarms;

import static kr.max.factory.alarms.AlarmLines.CNC;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import kr.max.factory.Twins;
import kr.max.factory.alarms.AlarmEvent.Change;
import kr.max.factory.twin.Fault;
import kr.max.factory.twin.LineSimulator;
import kr.max.factory.twin.Sample;
import kr.max.factory.twin.SimulationSettings;
import org.junit.jupiter.api.Test;

/** Limit and rate-of-change alarms from the asset model's limits, on the twin's real streams. */
class LimitAlarmTest {

    /** Samples of one tag. */
    static List<Sample> record(LineSimulator sim, String tag) {
        var out = new ArrayList<Sample>();
        sim.addListener(s -> {
            if (s.tag().equals(AlarmLines.tag(tag))) out.add(s);
        });
        return out;
    }

    static int crossings(List<Sample> samples, double limit) {
        int n = 0;
        for (int i = 1; i < samples.size(); i++) {
            if ((samples.get(i).value() >= limit) != (samples.get(i - 1).value() >= limit)) n++;
        }
        return n;
    }

    static List<AlarmEvent> events(List<AlarmEvent> all, String id, Change change) {
        return all.stream().filter(e -> e.alarm().id().equals(id) && e.change() == change).toList();
    }

    @Test
    void slowRippleAcrossTheLimitRaisesOnceAndTheDeadbandHoldsIt() {
        // a thermal resistance that puts the spindle's temperature right at its HI limit of 50 °C; the part
        // program's cut and idle make it ripple a few tenths across the limit every minute
        var settings = SimulationSettings.defaults().withVibrationSampleRate(1000);
        var sim = LineSimulator.create(AlarmLines.cncLine("thermal_resistance: 5.0457"), 3, settings);
        var temperature = record(sim, "spindle-temperature");
        var alarms = AlarmService.create(sim.model());
        var events = new ArrayList<AlarmEvent>();
        alarms.addListener(events::add);
        sim.addListener(alarms);
        sim.advance(Duration.ofMinutes(10));

        String id = AlarmLines.tag("spindle-temperature") + ":hi";
        double deadband = 0.01 * (45 - 15);   // temperatures: 1 % of the normal range 15–45 °C
        assertThat(crossings(temperature, 50)).as("the reading crosses the limit again and again").isGreaterThanOrEqualTo(10);
        assertThat(temperature).allMatch(s -> s.value() > 50 - deadband, "stays within the deadband below the limit");
        assertThat(events(events, id, Change.RAISED)).hasSize(1);
        assertThat(events(events, id, Change.RETURNED_TO_NORMAL)).isEmpty();
        assertThat(alarms.alarm(id).state()).isEqualTo(AlarmState.UNACKNOWLEDGED);
    }

    @Test
    void noisyEnvelopeHoveringAtItsLimitDoesNotChatter() {
        // a bearing defect of a severity that puts the BPFO envelope (HI 0.5 m/s²) right at its limit, ±0.15
        var sim = LineSimulator.create(AlarmLines.cncLine(""), 4);
        var envelope = record(sim, "envelope-bpfo");
        var alarms = AlarmService.create(sim.model());
        var bare = AlarmService.create(sim.model(), AlarmSettings.defaults().withDelays(1, 1), null);
        var events = new ArrayList<AlarmEvent>();
        var bareEvents = new ArrayList<AlarmEvent>();
        alarms.addListener(events::add);
        bare.addListener(bareEvents::add);
        sim.addListener(alarms);
        sim.addListener(bare);
        sim.inject(Fault.bearingDefect(CNC, 0.17));
        sim.advance(Duration.ofMinutes(5));

        String id = AlarmLines.tag("envelope-bpfo") + ":hi";
        List<Instant> raises = events(events, id, Change.RAISED).stream().map(AlarmEvent::time).toList();
        int bareRaises = events(bareEvents, id, Change.RAISED).size();
        assertThat(crossings(envelope, 0.5)).as("the reading crosses the limit many times a minute").isGreaterThanOrEqualTo(60);
        assertThat(bareRaises).as("without delays the alarm chatters").isGreaterThanOrEqualTo(30);
        assertThat(raises).isNotEmpty().hasSizeLessThanOrEqualTo(bareRaises / 5);
        // ISA-18.2's measure of a chattering alarm: three or more raises within a minute
        for (int i = 2; i < raises.size(); i++) {
            assertThat(Duration.between(raises.get(i - 2), raises.get(i))).as("raises %d to %d", i - 2, i)
                    .isGreaterThan(Duration.ofMinutes(1));
        }
    }

    @Test
    void driftingSensorRaisesTheRateOfChangeAlarmBeforeTheLimit() {
        var settings = SimulationSettings.defaults().withVibrationSampleRate(1000);
        var sim = LineSimulator.create(AlarmLines.cncLine(""), 5, settings);
        var alarms = AlarmService.create(sim.model());
        var events = new ArrayList<AlarmEvent>();
        alarms.addListener(events::add);
        sim.addListener(alarms);
        sim.advance(Duration.ofSeconds(30));
        // 0.5 °C/s, faster than the 0.2 °C/s the asset model calls plausible for the spindle's temperature
        sim.inject(Fault.sensorDrift(AlarmLines.tag("spindle-temperature"), 1800));
        sim.advance(Duration.ofSeconds(30));   // from about 40 °C to 55: past HI (50), short of HIHI (60)

        var raised = events.stream().filter(e -> e.change() == Change.RAISED).toList();
        assertThat(raised).extracting(e -> e.alarm().kind()).containsExactly(AlarmKind.RATE_OF_CHANGE, AlarmKind.HI);
        Alarm rate = raised.get(0).alarm();
        assertThat(rate.id()).isEqualTo(AlarmLines.tag("spindle-temperature") + ":rate");
        assertThat(rate.priority()).isEqualTo(AlarmPriority.LOW);
        assertThat(rate.limit()).isEqualTo(0.2);
        assertThat(rate.valueAtRaise()).isBetween(0.3, 0.7);
        assertThat(rate.message(java.util.Locale.ENGLISH)).contains("°C/s (at most 0.2 °C/s)");
    }

    @Test
    void demoLineInNormalOperationRaisesNoAlarm() {
        var sim = Twins.demo(5);
        var alarms = AlarmService.create(sim.model());
        sim.addListener(alarms);
        sim.advance(Duration.ofMinutes(30));

        assertThat(alarms.history()).isEmpty();
        assertThat(alarms.active()).isEmpty();
        // one alarm per limit of every measured tag and one per rate of change, none for setpoints
        assertThat(alarms.all()).extracting(Alarm::id)
                .contains("changwon/molding/line-1/molding-cell/IMM-01/barrel-zone-1-temperature:hihi",
                        "changwon/molding/line-1/molding-cell/IMM-01/barrel-zone-1-temperature:lolo",
                        "changwon/molding/line-1/molding-cell/IMM-01/barrel-zone-1-temperature:rate",
                        "changwon/molding/line-1/molding-cell/MLT-01/level:lo")
                .noneMatch(id -> id.contains("setpoint"));
    }
}
