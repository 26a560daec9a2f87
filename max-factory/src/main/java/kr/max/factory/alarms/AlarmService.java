package kr.max.factory.alarms;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.core.Messages;
import kr.max.factory.alarms.AlarmEvent.Change;
import kr.max.factory.assets.AssetModel;
import kr.max.factory.assets.Name;
import kr.max.factory.assets.Tag;
import kr.max.factory.assets.TagPath;
import kr.max.factory.assets.TagRole;
import kr.max.factory.twin.Sample;
import kr.max.factory.twin.SampleListener;

/**
 * The alarms of a line: fed the samples of its equipment (it is a {@link SampleListener}, on the simulator or a
 * connector), it keeps every alarm's state through the ISA-18.2 lifecycle ({@link AlarmState}), answers what is
 * active and what happened, and takes the operators' commands — acknowledge, shelve, unshelve, suppress.
 *
 * <p><b>Which alarms.</b> For every measured tag of the asset model, one alarm per limit it has (HIHI, HI, LO,
 * LOLO, with on-delay and deadband as {@link AlarmSettings} describes) and one for its rate of change when it has a
 * {@code max_rate_per_s}; setpoints, states and counters have none. Model alarms come from {@link ModelWatch}es
 * added with {@link #watch(ModelWatch)}.
 *
 * <p><b>Time.</b> Raises and clears carry the sample's time. Operator commands and shelf expiry read the clock
 * given at creation; without one, the <em>stream's</em> clock: the time of the latest sample (the wall clock before
 * the first), which for a twin is simulated time — shelving for an hour means an hour of the simulation. Shelves
 * expire when a sample or a call finds their time passed; the event carries the expiry time itself.
 *
 * <p><b>Threads.</b> Thread-safe: samples arrive on the stream's thread while operators command from others. One
 * lock guards the state; {@link AlarmListener}s are called after it is released, in event order.
 */
public final class AlarmService implements SampleListener {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AlarmService.class);

    private final AssetModel model;
    private final AlarmSettings settings;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final ReentrantLock delivery = new ReentrantLock();
    private final Map<String, AlarmPoint> points = new LinkedHashMap<>();
    private final Map<TagPath, LimitCheck> checks = new HashMap<>();
    private final Map<ModelWatch, AlarmPoint> watches = new LinkedHashMap<>();
    private final ArrayDeque<AlarmEvent> history = new ArrayDeque<>();
    private final ConcurrentLinkedQueue<AlarmEvent> pending = new ConcurrentLinkedQueue<>();
    private final List<AlarmListener> listeners = new CopyOnWriteArrayList<>();
    private long sequence;
    private Instant streamTime;

    private AlarmService(AssetModel model, AlarmSettings settings, Clock clock) {
        this.model = model;
        this.settings = settings;
        this.clock = clock;
        for (Tag tag : model.tags()) {
            if (tag.spec().role() != TagRole.MEASUREMENT) continue;
            var created = new ArrayList<AlarmPoint>();
            var check = new LimitCheck(tag, settings, created);
            if (check.isEmpty()) continue;
            checks.put(tag.path(), check);
            for (AlarmPoint p : created) points.put(p.id, p);
        }
    }

    /** The alarms of the model's tags with {@link AlarmSettings#defaults()}, on the stream's clock. */
    public static AlarmService create(AssetModel model) {
        return create(model, AlarmSettings.defaults(), null);
    }

    /**
     * @param clock the clock for operator commands and shelf expiry; {@code null} for the stream's clock
     */
    public static AlarmService create(AssetModel model, AlarmSettings settings, Clock clock) {
        return new AlarmService(model, settings, clock);
    }

    public AlarmSettings settings() {
        return settings;
    }

    // ---------------------------------------------------------------- model watches

    /**
     * Adds a model alarm fed by {@code watch}; its id is {@code <equipment>/<watch name>:model}.
     *
     * @return the new alarm, normal
     * @throws MaxException {@code MAX-ALARM-020} unknown equipment, {@code 021} a tag the watch reads is not the
     *                      equipment's, {@code 025} a watch of that name on that equipment exists
     */
    public Alarm watch(ModelWatch watch) {
        var equipment = model.equipment(watch.equipment()).orElseThrow(() -> new MaxException(
                AlarmError.WATCH_UNKNOWN_EQUIPMENT, Location.NOWHERE, watch.equipment().toString()));
        for (String input : watch.extractor().inputs()) {
            if (model.tag(new TagPath(equipment.path(), input)).isEmpty()) {
                throw new MaxException(AlarmError.WATCH_MISSING_TAG, Location.NOWHERE, equipment.path().toString(), input,
                        model.tags(equipment.path()).stream().map(t -> t.path().tag()).collect(Collectors.joining(", ")));
            }
        }
        var subject = new Name(equipment.name().ko() + " " + watchWord(watch.name(), Locale.KOREAN),
                equipment.name().en() + " " + watchWord(watch.name(), Locale.ENGLISH));
        var point = new AlarmPoint(equipment.path() + "/" + watch.name(), equipment.path(), AlarmKind.MODEL,
                AlarmKind.MODEL.defaultPriority(), subject, "", Double.NaN, watch.modelRef());
        lock.lock();
        try {
            if (points.containsKey(point.id)) throw new MaxException(AlarmError.DUPLICATE_WATCH, Location.NOWHERE, point.id);
            points.put(point.id, point);
            watches.put(watch, point);
            return point.snapshot();
        } finally {
            lock.unlock();
        }
    }

    private static String watchWord(String name, Locale locale) {
        String key = "watch." + name;
        String text = Messages.text(Alarm.BUNDLE, key, locale);
        return text.equals(key) ? name : text;
    }

    // ---------------------------------------------------------------- the stream

    @Override
    public void onSample(Sample s) {
        lock.lock();
        try {
            if (streamTime == null || s.time().isAfter(streamTime)) streamTime = s.time();
            expireShelves(s.time());
            LimitCheck check = checks.get(s.tag());
            if (check != null) check.onSample(s, this::condition);
            for (var e : watches.entrySet()) {
                ModelWatch.WindowScore ws = e.getKey().onSample(s);
                if (ws != null) modelScore(e.getKey(), e.getValue(), ws);
            }
        } finally {
            lock.unlock();
        }
        deliver();
    }

    private void modelScore(ModelWatch watch, AlarmPoint p, ModelWatch.WindowScore ws) {
        if (!p.condition && ws.abnormalRun() >= watch.consecutive()) {
            p.limit = ws.limit();
            condition(p, true, ws.score(), ws.time());
        } else if (p.condition && ws.normalRun() >= watch.consecutive()) {
            condition(p, false, ws.score(), ws.time());
        }
    }

    private void condition(AlarmPoint p, boolean present, double value, Instant time) {
        p.condition = present;
        if (present) {
            p.occurrences++;
            p.raisedAt = time;
            p.valueAtRaise = value;
            p.clearedAt = null;
            p.acknowledgedAt = null;
            p.acknowledgedBy = null;
            p.acknowledgeNote = null;
        } else {
            p.clearedAt = time;
        }
        Change change = present ? Change.RAISED : Change.RETURNED_TO_NORMAL;
        AlarmState next = Lifecycle.next(p, change, present);
        if (next != null) move(p, change, next, time, null, null);
    }

    private void move(AlarmPoint p, Change change, AlarmState next, Instant time, String who, String note) {
        AlarmState from = p.state;
        p.state = next;
        var event = new AlarmEvent(++sequence, time, change, from, p.snapshot(), who, note);
        history.addLast(event);
        while (history.size() > settings.historyLimit()) history.removeFirst();
        pending.add(event);
    }

    private void expireShelves(Instant now) {
        for (AlarmPoint p : points.values()) {
            if (p.state == AlarmState.SHELVED && !p.shelvedUntil.isAfter(now)) {
                Instant until = p.shelvedUntil;
                AlarmState next = Lifecycle.next(p, Change.SHELF_EXPIRED, p.condition);
                clearShelf(p);
                move(p, Change.SHELF_EXPIRED, next, until, null, null);
            }
        }
    }

    // ---------------------------------------------------------------- operator commands

    /**
     * Acknowledges an alarm: an active one stays on the list as acknowledged, one that has returned to normal leaves it.
     *
     * @param note what the operator says, may be {@code null}
     * @throws MaxException {@code MAX-ALARM-001} unknown, {@code 002} nothing to acknowledge (normal),
     *                      {@code 003} already acknowledged, {@code 004} shelved or suppressed, {@code 008} no operator
     */
    public Alarm acknowledge(String id, String who, String note) {
        requireOperator(who, "acknowledge");
        return command(id, p -> {
            AlarmState next = Lifecycle.next(p, Change.ACKNOWLEDGED, p.condition);
            Instant now = now();
            p.acknowledgedAt = now;
            p.acknowledgedBy = who;
            p.acknowledgeNote = blankToNull(note);
            move(p, Change.ACKNOWLEDGED, next, now, who, blankToNull(note));
        });
    }

    /**
     * Shelves an alarm for a while: it leaves the operator's list whatever its condition and returns by itself when
     * the time runs out (unacknowledged if the condition is still present).
     *
     * @throws MaxException {@code MAX-ALARM-001} unknown, {@code 004} suppressed, {@code 005} already shelved,
     *                      {@code 007} a duration not above zero or beyond {@link AlarmSettings#maxShelve()},
     *                      {@code 008} no operator, {@code 009} no reason
     */
    public Alarm shelve(String id, String who, Duration duration, String reason) {
        requireOperator(who, "shelve");
        requireReason(id, reason, "shelve");
        if (duration == null || duration.isNegative() || duration.isZero() || duration.compareTo(settings.maxShelve()) > 0) {
            throw new MaxException(AlarmError.BAD_SHELVE_DURATION, Location.NOWHERE, id, String.valueOf(duration),
                    settings.maxShelve().toString());
        }
        return command(id, p -> {
            AlarmState next = Lifecycle.next(p, Change.SHELVED, p.condition);
            Instant now = now();
            p.shelvedAt = now;
            p.shelvedBy = who;
            p.shelvedUntil = now.plus(duration);
            p.shelveReason = reason.strip();
            move(p, Change.SHELVED, next, now, who, p.shelveReason);
        });
    }

    /**
     * Returns a shelved alarm to service before its time: normal, or unacknowledged if the condition is present.
     *
     * @throws MaxException {@code MAX-ALARM-001} unknown, {@code 006} not shelved, {@code 008} no operator
     */
    public Alarm unshelve(String id, String who) {
        requireOperator(who, "unshelve");
        return command(id, p -> {
            AlarmState next = Lifecycle.next(p, Change.UNSHELVED, p.condition);
            clearShelf(p);
            move(p, Change.UNSHELVED, next, now(), who, null);
        });
    }

    /**
     * Suppresses an alarm by design (the equipment is stopped or in a mode where the alarm means nothing) until
     * {@link #unsuppress released}; unlike shelving it has no expiry, so it is for conditions, not convenience.
     *
     * @throws MaxException {@code MAX-ALARM-001} unknown, {@code 011} already suppressed, {@code 008}, {@code 009}
     */
    public Alarm suppress(String id, String who, String reason) {
        requireOperator(who, "suppress");
        requireReason(id, reason, "suppress");
        return command(id, p -> {
            AlarmState next = Lifecycle.next(p, Change.SUPPRESSED, p.condition);
            Instant now = now();
            p.shelvedAt = now;
            p.shelvedBy = who;
            p.shelvedUntil = null;
            p.shelveReason = reason.strip();
            move(p, Change.SUPPRESSED, next, now, who, p.shelveReason);
        });
    }

    /** Releases a suppressed alarm. @throws MaxException {@code MAX-ALARM-001}, {@code 010} not suppressed, {@code 008} */
    public Alarm unsuppress(String id, String who) {
        requireOperator(who, "unsuppress");
        return command(id, p -> {
            AlarmState next = Lifecycle.next(p, Change.UNSUPPRESSED, p.condition);
            clearShelf(p);
            move(p, Change.UNSUPPRESSED, next, now(), who, null);
        });
    }

    private interface Command {
        void apply(AlarmPoint p);
    }

    private Alarm command(String id, Command c) {
        Alarm out;
        lock.lock();
        try {
            expireShelves(now());
            AlarmPoint p = point(id);
            c.apply(p);
            out = p.snapshot();
        } finally {
            lock.unlock();
        }
        deliver();
        return out;
    }

    private static void clearShelf(AlarmPoint p) {
        p.shelvedAt = null;
        p.shelvedBy = null;
        p.shelvedUntil = null;
        p.shelveReason = null;
    }

    private static void requireOperator(String who, String command) {
        if (who == null || who.isBlank()) throw new MaxException(AlarmError.OPERATOR_REQUIRED, Location.NOWHERE, command);
    }

    private static void requireReason(String id, String reason, String command) {
        if (reason == null || reason.isBlank()) throw new MaxException(AlarmError.REASON_REQUIRED, Location.NOWHERE, id, command);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private AlarmPoint point(String id) {
        AlarmPoint p = points.get(id);
        if (p == null) throw new MaxException(AlarmError.UNKNOWN_ALARM, Location.NOWHERE, String.valueOf(id));
        return p;
    }

    /** Guarded by {@link #lock}. */
    private Instant now() {
        if (clock != null) return clock.instant();
        return streamTime != null ? streamTime : Instant.now();
    }

    // ---------------------------------------------------------------- queries

    /**
     * The operator's list: alarms unacknowledged, acknowledged and returned-unacknowledged, highest priority first,
     * then the most recently raised first.
     */
    public List<Alarm> active() {
        return query(p -> p.state.annunciated(), Comparator.comparing(Alarm::priority)
                .thenComparing(Alarm::raisedAt, Comparator.nullsLast(Comparator.reverseOrder())));
    }

    /** Alarms shelved or suppressed, the soonest to return first. */
    public List<Alarm> shelved() {
        return query(p -> p.state == AlarmState.SHELVED || p.state == AlarmState.SUPPRESSED,
                Comparator.comparing(Alarm::shelvedUntil, Comparator.nullsLast(Comparator.naturalOrder())));
    }

    /** Every alarm the service knows, in the asset model's tag order, then the watches in the order added. */
    public List<Alarm> all() {
        return query(p -> true, null);
    }

    /** One alarm. @throws MaxException {@code MAX-ALARM-001} unknown */
    public Alarm alarm(String id) {
        lock.lock();
        try {
            expireShelves(now());
            return point(id).snapshot();
        } finally {
            lock.unlock();
            deliver();
        }
    }

    /** Every change kept (up to {@link AlarmSettings#historyLimit()}), oldest first. */
    public List<AlarmEvent> history() {
        lock.lock();
        try {
            return List.copyOf(history);
        } finally {
            lock.unlock();
        }
    }

    private List<Alarm> query(java.util.function.Predicate<AlarmPoint> which, Comparator<Alarm> order) {
        List<Alarm> out = new ArrayList<>();
        lock.lock();
        try {
            expireShelves(now());
            for (AlarmPoint p : points.values()) if (which.test(p)) out.add(p.snapshot());
        } finally {
            lock.unlock();
        }
        deliver();
        if (order != null) out.sort(order);
        return List.copyOf(out);
    }

    // ---------------------------------------------------------------- listeners

    public void addListener(AlarmListener listener) {
        listeners.add(listener);
    }

    public void removeListener(AlarmListener listener) {
        listeners.remove(listener);
    }

    /** Hands out pending events in sequence order; one thread at a time, so listeners never see them reordered. */
    private void deliver() {
        if (pending.isEmpty()) return;
        delivery.lock();
        try {
            AlarmEvent e;
            while ((e = pending.poll()) != null) {
                for (AlarmListener l : listeners) {
                    try {
                        l.onAlarmEvent(e);
                    } catch (RuntimeException ex) {
                        // a broken listener (a closed console) must not stop the stream or the other listeners
                        LOG.warn("alarm listener {} failed on event {}", l, e.sequence(), ex);
                    }
                }
            }
        } finally {
            delivery.unlock();
        }
    }
}
