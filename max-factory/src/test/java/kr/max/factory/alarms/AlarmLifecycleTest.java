package kr.max.factory.alarms;

import static kr.max.factory.alarms.AlarmLines.CNC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import kr.max.core.MaxException;
import kr.max.factory.alarms.AlarmEvent.Change;
import kr.max.factory.twin.ActiveFault;
import kr.max.factory.twin.Fault;
import kr.max.factory.twin.LineSimulator;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * The ISA-18.2 lifecycle on a real twin: a bearing defect drives the spindle's vibration kurtosis over its HI limit
 * of 6 (it sits near 2.3 when healthy and near 7.4 with a defect of severity 0.3), clearing the defect brings it
 * back. Operators acknowledge, shelve and suppress in between.
 */
class AlarmLifecycleTest {

    static final String KURTOSIS_HI = AlarmLines.tag("vibration-kurtosis") + ":hi";

    final LineSimulator sim = LineSimulator.create(AlarmLines.cncLine(""), 21);
    final AlarmService alarms = AlarmService.create(sim.model());
    final List<AlarmEvent> events = new CopyOnWriteArrayList<>();
    ActiveFault defect;

    AlarmLifecycleTest() {
        sim.addListener(alarms);
        alarms.addListener(events::add);
    }

    void raise() {
        defect = sim.inject(Fault.bearingDefect(CNC, 0.3));
        sim.advance(Duration.ofSeconds(10));
        assertThat(alarms.alarm(KURTOSIS_HI).condition()).as("the defect drives kurtosis over 6").isTrue();
    }

    void clear() {
        sim.clear(defect);
        sim.advance(Duration.ofSeconds(10));
        assertThat(alarms.alarm(KURTOSIS_HI).condition()).as("a healthy bearing brings kurtosis back").isFalse();
    }

    List<Change> changes() {
        return events.stream().filter(e -> e.alarm().id().equals(KURTOSIS_HI)).map(AlarmEvent::change).toList();
    }


    static void refused(ThrowingCallable call, String code, String mentions) {
        assertThatThrownBy(call).isInstanceOfSatisfying(MaxException.class, e -> {
            assertThat(e.code().code()).isEqualTo(code);
            assertThat(e.message(Locale.ENGLISH)).contains(mentions);
            assertThat(e.message(Locale.KOREAN)).containsPattern("[가-힣]").contains(mentions);
        });
    }

    @Test
    void raisedAcknowledgedThenClearedReturnsToNormal() {
        sim.advance(Duration.ofSeconds(10));
        assertThat(alarms.active()).isEmpty();
        assertThat(alarms.alarm(KURTOSIS_HI).state()).isEqualTo(AlarmState.NORMAL);

        raise();
        Alarm raised = alarms.alarm(KURTOSIS_HI);
        assertThat(raised.state()).isEqualTo(AlarmState.UNACKNOWLEDGED);
        assertThat(raised.kind()).isEqualTo(AlarmKind.HI);
        assertThat(raised.priority()).isEqualTo(AlarmPriority.MEDIUM);
        assertThat(raised.equipment()).isEqualTo(CNC);
        assertThat(raised.valueAtRaise()).isGreaterThanOrEqualTo(6);
        assertThat(raised.raisedAt()).isAfter(defect.since()).isBefore(sim.now());
        assertThat(raised.message(Locale.ENGLISH)).startsWith("Vibration kurtosis high: ").endsWith("(limit 6)");
        assertThat(raised.message(Locale.KOREAN)).startsWith("진동 첨도 높음: ");
        assertThat(alarms.active()).extracting(Alarm::id).contains(KURTOSIS_HI);

        Alarm acked = alarms.acknowledge(KURTOSIS_HI, "kim.operator", "checking the spindle");
        assertThat(acked.state()).isEqualTo(AlarmState.ACKNOWLEDGED);
        assertThat(acked.acknowledgedBy()).isEqualTo("kim.operator");
        assertThat(acked.acknowledgeNote()).isEqualTo("checking the spindle");
        assertThat(acked.acknowledgedAt()).isEqualTo(sim.now());   // the stream's clock: simulated time

        clear();
        Alarm cleared = alarms.alarm(KURTOSIS_HI);
        assertThat(cleared.state()).isEqualTo(AlarmState.NORMAL);
        assertThat(cleared.clearedAt()).isAfter(acked.acknowledgedAt());
        assertThat(alarms.active()).extracting(Alarm::id).doesNotContain(KURTOSIS_HI);
        assertThat(changes()).containsExactly(Change.RAISED, Change.ACKNOWLEDGED, Change.RETURNED_TO_NORMAL);

        var ack = events.stream().filter(e -> e.change() == Change.ACKNOWLEDGED).findFirst().orElseThrow();
        assertThat(ack.from()).isEqualTo(AlarmState.UNACKNOWLEDGED);
        assertThat(ack.who()).isEqualTo("kim.operator");
        assertThat(ack.note()).isEqualTo("checking the spindle");
        assertThat(events).extracting(AlarmEvent::sequence).isSorted().doesNotHaveDuplicates();
        assertThat(alarms.history()).isEqualTo(events);
    }

    @Test
    void clearedBeforeAcknowledgedStaysOnTheListUntilAcknowledgedAndReRaisesUnacknowledged() {
        raise();
        clear();
        assertThat(alarms.alarm(KURTOSIS_HI).state()).isEqualTo(AlarmState.RETURNED_UNACKNOWLEDGED);
        assertThat(alarms.active()).extracting(Alarm::id).contains(KURTOSIS_HI);

        raise();   // comes back before anyone looked
        Alarm again = alarms.alarm(KURTOSIS_HI);
        assertThat(again.state()).isEqualTo(AlarmState.UNACKNOWLEDGED);
        assertThat(again.occurrences()).isEqualTo(2);
        assertThat(again.clearedAt()).isNull();
        clear();

        assertThat(alarms.acknowledge(KURTOSIS_HI, "lee.operator", null).state()).isEqualTo(AlarmState.NORMAL);
        assertThat(alarms.active()).extracting(Alarm::id).doesNotContain(KURTOSIS_HI);
        assertThat(changes()).containsExactly(Change.RAISED, Change.RETURNED_TO_NORMAL, Change.RAISED,
                Change.RETURNED_TO_NORMAL, Change.ACKNOWLEDGED);
    }

    @Test
    void commandsTheStateDoesNotAllowAreRefusedWithCodes() {
        sim.advance(Duration.ofSeconds(5));
        refused(() -> alarms.acknowledge(KURTOSIS_HI, "kim", null), "MAX-ALARM-002", KURTOSIS_HI);
        refused(() -> alarms.acknowledge("no/such/alarm:hi", "kim", null), "MAX-ALARM-001", "no/such/alarm:hi");
        refused(() -> alarms.unshelve(KURTOSIS_HI, "kim"), "MAX-ALARM-006", "normal");
        refused(() -> alarms.unsuppress(KURTOSIS_HI, "kim"), "MAX-ALARM-010", "normal");
        refused(() -> alarms.acknowledge(KURTOSIS_HI, " ", null), "MAX-ALARM-008", "acknowledge");
        refused(() -> alarms.shelve(KURTOSIS_HI, "kim", Duration.ofMinutes(10), ""), "MAX-ALARM-009", KURTOSIS_HI);
        refused(() -> alarms.shelve(KURTOSIS_HI, "kim", Duration.ZERO, "sensor loose"), "MAX-ALARM-007", "PT8H");
        refused(() -> alarms.shelve(KURTOSIS_HI, "kim", Duration.ofHours(9), "sensor loose"), "MAX-ALARM-007", "PT9H");

        raise();
        alarms.acknowledge(KURTOSIS_HI, "kim", null);
        refused(() -> alarms.acknowledge(KURTOSIS_HI, "park", null), "MAX-ALARM-003", "kim");

        alarms.shelve(KURTOSIS_HI, "kim", Duration.ofMinutes(30), "bearing replacement ordered");
        refused(() -> alarms.acknowledge(KURTOSIS_HI, "park", null), "MAX-ALARM-004", "shelved");
        refused(() -> alarms.shelve(KURTOSIS_HI, "park", Duration.ofMinutes(5), "again"), "MAX-ALARM-005", "kim");
        alarms.suppress(KURTOSIS_HI, "park", "spindle stopped for maintenance");
        refused(() -> alarms.suppress(KURTOSIS_HI, "kim", "twice"), "MAX-ALARM-011", "park");
        refused(() -> alarms.shelve(KURTOSIS_HI, "kim", Duration.ofMinutes(5), "x"), "MAX-ALARM-004", "suppressed");

        // refused commands leave no trace
        assertThat(changes()).containsExactly(Change.RAISED, Change.ACKNOWLEDGED, Change.SHELVED, Change.SUPPRESSED);
    }

    @Test
    void shelvedAlarmIsOffTheListAndReturnsByItselfWhenTheShelfExpires() {
        raise();
        Instant shelvedAt = sim.now();
        Alarm shelved = alarms.shelve(KURTOSIS_HI, "kim", Duration.ofMinutes(2), "bearing replacement ordered");
        assertThat(shelved.state()).isEqualTo(AlarmState.SHELVED);
        assertThat(shelved.shelvedUntil()).isEqualTo(shelvedAt.plus(Duration.ofMinutes(2)));
        assertThat(alarms.active()).extracting(Alarm::id).doesNotContain(KURTOSIS_HI);
        assertThat(alarms.shelved()).extracting(Alarm::id).containsExactly(KURTOSIS_HI);

        // the condition clears and comes back while shelved: tracked, not annunciated
        clear();
        raise();
        assertThat(alarms.alarm(KURTOSIS_HI).state()).isEqualTo(AlarmState.SHELVED);
        assertThat(alarms.alarm(KURTOSIS_HI).occurrences()).isEqualTo(2);

        sim.runUntil(shelvedAt.plus(Duration.ofMinutes(2)).minusSeconds(1));
        assertThat(alarms.alarm(KURTOSIS_HI).state()).isEqualTo(AlarmState.SHELVED);
        sim.advance(Duration.ofSeconds(2));
        Alarm back = alarms.alarm(KURTOSIS_HI);
        assertThat(back.state()).as("still beyond its limit: back as a new, unacknowledged alarm").isEqualTo(AlarmState.UNACKNOWLEDGED);
        assertThat(back.shelvedBy()).isNull();
        assertThat(alarms.shelved()).isEmpty();
        var expiry = events.stream().filter(e -> e.change() == Change.SHELF_EXPIRED).findFirst().orElseThrow();
        assertThat(expiry.time()).isEqualTo(shelvedAt.plus(Duration.ofMinutes(2)));
        assertThat(expiry.who()).isNull();
        assertThat(changes()).containsExactly(Change.RAISED, Change.SHELVED, Change.SHELF_EXPIRED);
    }

    @Test
    void unshelvedOrUnsuppressedEarlyLandsWhereTheConditionIs() {
        sim.advance(Duration.ofSeconds(5));
        alarms.shelve(KURTOSIS_HI, "kim", Duration.ofHours(1), "sensor being recalibrated");
        assertThat(alarms.unshelve(KURTOSIS_HI, "kim").state()).isEqualTo(AlarmState.NORMAL);

        alarms.suppress(KURTOSIS_HI, "kim", "spindle in warm-up program");
        raise();
        assertThat(alarms.alarm(KURTOSIS_HI).state()).isEqualTo(AlarmState.SUPPRESSED);
        assertThat(alarms.active()).isNotEmpty().extracting(Alarm::id).doesNotContain(KURTOSIS_HI);
        assertThat(alarms.unsuppress(KURTOSIS_HI, "kim").state()).isEqualTo(AlarmState.UNACKNOWLEDGED);
        assertThat(changes()).containsExactly(Change.SHELVED, Change.UNSHELVED, Change.SUPPRESSED, Change.UNSUPPRESSED);
    }

    @Test
    void operatorsOnOtherThreadsAndTheStreamSeeOneOrderOfEvents() throws Exception {
        // the stream runs on its own thread while three operators acknowledge whatever is unacknowledged
        var done = new CountDownLatch(1);
        var stream = new Thread(() -> {
            for (int i = 0; i < 6; i++) {
                ActiveFault f = sim.inject(Fault.bearingDefect(CNC, 0.3));
                sim.advance(Duration.ofSeconds(15));
                sim.clear(f);
                sim.advance(Duration.ofSeconds(15));
            }
            done.countDown();
        });
        var operators = new ArrayList<Thread>();
        var refusals = new CopyOnWriteArrayList<String>();
        for (String who : List.of("kim", "lee", "park")) {
            operators.add(Thread.ofPlatform().start(() -> {
                while (done.getCount() > 0) {
                    for (Alarm a : alarms.active()) {
                        if (a.state() == AlarmState.ACKNOWLEDGED) continue;
                        try {
                            alarms.acknowledge(a.id(), who, null);
                        } catch (MaxException e) {
                            refusals.add(e.code().code());   // another operator was quicker, or it cleared
                        }
                    }
                    Thread.onSpinWait();
                }
            }));
        }
        stream.start();
        assertThat(done.await(2, TimeUnit.MINUTES)).isTrue();
        for (Thread t : operators) t.join();

        assertThat(events).extracting(AlarmEvent::sequence)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, events.size()).boxed().toList());
        assertThat(alarms.history()).isEqualTo(events);
        assertThat(changes()).contains(Change.RAISED, Change.RETURNED_TO_NORMAL).hasSizeGreaterThanOrEqualTo(12);
        assertThat(refusals).allMatch(c -> c.equals("MAX-ALARM-002") || c.equals("MAX-ALARM-003"));
        // each alarm's own events follow the lifecycle: every event starts from the state the previous one left
        var byAlarm = new java.util.HashMap<String, AlarmState>();
        for (AlarmEvent e : events) {
            AlarmState before = byAlarm.getOrDefault(e.alarm().id(), AlarmState.NORMAL);
            assertThat(e.from()).as("event %d of %s", e.sequence(), e.alarm().id()).isEqualTo(before);
            byAlarm.put(e.alarm().id(), e.alarm().state());
        }
    }
}
