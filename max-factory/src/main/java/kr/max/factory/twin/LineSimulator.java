package kr.max.factory.twin;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import kr.max.core.AssetPath;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.factory.FactoryError;
import kr.max.factory.assets.AssetModel;
import kr.max.factory.assets.Equipment;
import kr.max.factory.assets.SimulationModel;
import kr.max.factory.assets.Tag;
import kr.max.factory.assets.TagPath;
import kr.max.factory.assets.TagRole;
import kr.max.factory.assets.Units;

/**
 * A digital twin of a line: the equipment of an {@link AssetModel} run as physics models on a simulated clock, each
 * tag producing samples as the real equipment's connector would.
 *
 * <p><b>Time.</b> The simulation advances in fixed steps ({@link SimulationSettings#step()}, 10 ms by default) and
 * only when told to ({@link #step()}, {@link #advance(Duration)}, {@link #runUntil(Instant)}); it never reads a wall
 * clock or sleeps. Running it at a pace (60× real time, say) is the job of a {@link RealTimeDriver}.
 *
 * <p><b>Determinism.</b> The same asset model, seed and sequence of commands (writes, faults, each at the same
 * simulated time) give bit-identical samples, whatever the pacing: every random number comes from generators seeded
 * by the seed and the equipment's path and drawn in a fixed order. Commands meant for a simulation running under a
 * driver should be scheduled with {@link #at(Instant, Consumer)}, so they take effect at a simulated time rather than
 * whenever the call happens to arrive.
 *
 * <p><b>Samples.</b> After each step, every tag whose sample period has come round produces a {@link Sample}, in the
 * model's tag order, to every {@link SampleListener}. CNC spindles also produce raw vibration blocks for
 * {@link WaveformListener}s.
 *
 * <p><b>Commands.</b> {@link #write(TagPath, double)} changes a setpoint (checked against the tag's role, range and
 * type; the physics follow). {@link #inject(Fault)} and {@link #clear(ActiveFault)} add and remove faults.
 *
 * <p>Not thread-safe: use it from one thread at a time. A {@link RealTimeDriver} owns it while running and takes
 * commands through {@link RealTimeDriver#submit(Consumer)}.
 */
public final class LineSimulator {

    private final AssetModel model;
    private final long seed;
    private final SimulationSettings settings;
    private final long stepNanos;
    private final double dt;
    private final List<EquipmentModel> models = new ArrayList<>();
    private final Map<AssetPath, EquipmentModel> modelsByPath = new LinkedHashMap<>();
    private final Map<AssetPath, Source> sources = new LinkedHashMap<>();
    private final List<TagChannel> channels = new ArrayList<>();
    private final Map<TagPath, TagChannel> channelsByPath = new LinkedHashMap<>();
    private final List<SampleListener> listeners = new CopyOnWriteArrayList<>();
    private final List<WaveformListener> waveformListeners = new CopyOnWriteArrayList<>();
    private final PriorityQueue<Scheduled> schedule = new PriorityQueue<>();
    private final Map<String, ActiveFault> faults = new LinkedHashMap<>();
    private long scheduled;
    private long faultIds;
    private long steps;
    private long elapsedNanos;

    private record Scheduled(long atNanos, long order, Consumer<LineSimulator> command) implements Comparable<Scheduled> {
        @Override
        public int compareTo(Scheduled o) {
            int c = Long.compare(atNanos, o.atNanos);
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }

    private LineSimulator(AssetModel model, long seed, SimulationSettings settings) {
        this.model = model;
        this.seed = seed;
        this.settings = settings;
        this.stepNanos = settings.step().toNanos();
        this.dt = stepNanos / 1e9;
        EquipmentModel.WaveformSink sink = new EquipmentModel.WaveformSink() {
            @Override
            public void block(EquipmentModel source, long startNanos, double[] values, int count) {
                var block = new Waveform(source.equipment.path(), settings.start().plusNanos(startNanos),
                        settings.vibrationSampleRate(), Arrays.copyOf(values, count));
                for (WaveformListener l : waveformListeners) l.onWaveform(block);
            }

            @Override
            public boolean wanted() {
                return !waveformListeners.isEmpty();
            }
        };
        for (Equipment e : model.equipment()) {
            SimulationModel kind = model.typeOf(e).model();
            EquipmentModel m = EquipmentModel.create(e, kind, new SplittableRandom(equipmentSeed(seed, e.path())),
                    settings, sink);
            if (m == null) continue;
            for (String signal : kind.signals()) {
                if (!m.signals().containsKey(signal)) throw new IllegalStateException(kind + " lacks signal " + signal);
            }
            models.add(m);
            modelsByPath.put(e.path(), m);
            var source = new Source(e.path());
            sources.put(e.path(), source);
            for (Tag tag : model.tags(e.path())) {
                long periodNanos = tag.spec().sampleMillis() * 1_000_000L;
                if (periodNanos % stepNanos != 0) {
                    throw new MaxException(FactoryError.SAMPLE_PERIOD_NOT_A_MULTIPLE, Location.file(model.source()),
                            tag.path().toString(), Integer.toString(tag.spec().sampleMillis()), plain(stepNanos / 1e6));
                }
                var channel = new TagChannel(tag, source, periodNanos / stepNanos, m.signals().get(tag.spec().signal()),
                        tag.spec().writable() ? m.setters().get(tag.spec().signal()) : null);
                channels.add(channel);
                channelsByPath.put(tag.path(), channel);
            }
        }
    }

    /** A simulator of the model's line with {@link SimulationSettings#defaults()}. */
    public static LineSimulator create(AssetModel model, long seed) {
        return create(model, seed, SimulationSettings.defaults());
    }

    /**
     * A simulator of the model's line, at its start time with no faults.
     *
     * @throws MaxException if a tag's sample period is not a whole number of steps
     */
    public static LineSimulator create(AssetModel model, long seed, SimulationSettings settings) {
        return new LineSimulator(model, seed, settings);
    }

    /** A generator per equipment, from the seed and the path only: adding equipment does not change the others' numbers. */
    private static long equipmentSeed(long seed, AssetPath path) {
        long h = 1125899906842597L;
        for (char c : path.toString().toCharArray()) h = 31 * h + c;
        return seed * 0x9E3779B97F4A7C15L ^ h;
    }

    public AssetModel model() {
        return model;
    }

    public long seed() {
        return seed;
    }

    public SimulationSettings settings() {
        return settings;
    }

    // ---------------------------------------------------------------- time

    /** Simulated time now. */
    public Instant now() {
        return settings.start().plusNanos(elapsedNanos);
    }

    /** Simulated time since the start. */
    public Duration elapsed() {
        return Duration.ofNanos(elapsedNanos);
    }

    /** Steps taken so far. */
    public long steps() {
        return steps;
    }

    /**
     * One step: commands scheduled up to now run, communication losses that have ended are cleared, every
     * equipment's physics advance by the step, and the tags due produce their samples (stamped with the step's end).
     */
    public void step() {
        while (!schedule.isEmpty() && schedule.peek().atNanos() <= elapsedNanos) schedule.poll().command().accept(this);
        for (Source s : sources.values()) {
            if (s.loss != null && elapsedNanos >= s.lossUntilNanos()) clear(s.loss);
        }
        for (EquipmentModel m : models) m.step(dt, elapsedNanos);
        steps++;
        elapsedNanos += stepNanos;
        Instant time = null;
        for (TagChannel c : channels) {
            if (steps % c.periodSteps != 0) continue;
            if (time == null) time = now();
            Sample s = c.read(elapsedNanos, time);
            if (s != null) for (SampleListener l : listeners) l.onSample(s);
        }
    }

    /** Runs whole steps for {@code duration} of simulated time (rounded down to whole steps). */
    public void advance(Duration duration) {
        long n = duration.toNanos() / stepNanos;
        for (long i = 0; i < n; i++) step();
    }

    /** Runs steps until simulated time reaches {@code time} (nothing if it has already). */
    public void runUntil(Instant time) {
        long target = Duration.between(settings.start(), time).toNanos();
        while (elapsedNanos < target) step();
    }

    /**
     * Runs {@code command} on this simulator just before the first step that starts at or after {@code time}: the
     * way to give commands deterministically to a simulation that a driver runs. Commands for the same time run in
     * the order they were scheduled.
     *
     * @throws MaxException if {@code time} is before the simulation's present
     */
    public void at(Instant time, Consumer<LineSimulator> command) {
        long at = Duration.between(settings.start(), time).toNanos();
        if (at < elapsedNanos) {
            throw new MaxException(FactoryError.COMMAND_IN_THE_PAST, Location.NOWHERE, time.toString(), now().toString());
        }
        schedule.add(new Scheduled(at, scheduled++, command));
    }

    // ---------------------------------------------------------------- samples

    public void addListener(SampleListener listener) {
        listeners.add(listener);
    }

    public void removeListener(SampleListener listener) {
        listeners.remove(listener);
    }

    /** Raw vibration blocks are produced only while at least one of these listens. */
    public void addWaveformListener(WaveformListener listener) {
        waveformListeners.add(listener);
    }

    public void removeWaveformListener(WaveformListener listener) {
        waveformListeners.remove(listener);
    }

    /** The last sample a tag produced (good or bad), as a protocol server answers a read; empty before its first. */
    public Optional<Sample> latest(TagPath tag) {
        return Optional.ofNullable(channel(tag).latest());
    }

    /** The tags the simulator produces samples for: every tag of simulated equipment, in the model's order. */
    public List<TagPath> tags() {
        return List.copyOf(channelsByPath.keySet());
    }

    // ---------------------------------------------------------------- setpoints

    /**
     * Writes a setpoint; the equipment's physics respond from the next step on.
     *
     * @throws MaxException {@code MAX-FACTORY-040} unknown tag, {@code 042} not a writable setpoint, {@code 043} outside
     *                      the tag's normal range, {@code 044} not representable in its data type, {@code 045} the
     *                      equipment does not answer (communication loss), {@code 053} equipment not simulated
     */
    public void write(TagPath tag, double value) {
        TagChannel c = channel(tag);
        if (c.setter() == null) {
            throw new MaxException(FactoryError.NOT_WRITABLE, Location.NOWHERE, tag.toString(), c.spec.role().word());
        }
        if (c.source.lost(elapsedNanos)) {
            throw new MaxException(FactoryError.COMMUNICATION_LOST, Location.NOWHERE, tag.equipment().toString(),
                    settings.start().plusNanos(c.source.lossUntilNanos()).toString());
        }
        var range = c.spec.normal();
        if (!Double.isFinite(value) || !range.contains(value)) {
            throw new MaxException(FactoryError.SETPOINT_OUT_OF_LIMITS, Location.NOWHERE, tag.toString(), plain(value),
                    plain(range.low()), plain(range.high()), Units.symbol(c.spec.unit()));
        }
        if (!c.representable(value)) {
            throw new MaxException(FactoryError.VALUE_NOT_OF_TYPE, Location.NOWHERE, tag.toString(), plain(value),
                    c.spec.type().word() + (c.spec.modbus() != null ? " × " + plain(c.spec.modbus().scale()) : ""));
        }
        c.setter().accept(value);
    }

    private TagChannel channel(TagPath tag) {
        TagChannel c = channelsByPath.get(tag);
        if (c != null) return c;
        if (model.tag(tag).isPresent()) {
            var e = model.equipment(tag.equipment()).orElseThrow();
            throw new MaxException(FactoryError.NOT_SIMULATED, Location.NOWHERE, tag.toString(), e.type());
        }
        throw new MaxException(FactoryError.UNKNOWN_TAG, Location.NOWHERE, tag.toString());
    }

    // ---------------------------------------------------------------- faults

    /**
     * Injects a fault from now on. A fault of the same kind on the same target (the same heater zone, bearing,
     * sensor or link) is replaced.
     *
     * @throws MaxException {@code MAX-FACTORY-041} unknown equipment, {@code 040} unknown tag, {@code 046} the fault
     *                      does not apply to the equipment, {@code 047} a bad argument, {@code 048} a sensor fault on
     *                      a setpoint
     */
    public ActiveFault inject(Fault fault) {
        Runnable apply = switch (fault) {
            case Fault.HeaterDegradation h -> {
                EquipmentModel m = simulated(h.equipment(), fault);
                int zones = m instanceof InjectionMoldingMachine imm ? imm.zones() : m instanceof MeltingTank ? 1 : 0;
                if (zones == 0) throw notApplicable(fault, m);
                if (h.zone() < 1 || h.zone() > zones) throw badArgument(fault, "zone", Integer.toString(h.zone()), "1 … " + zones);
                if (!(h.fraction() >= 0 && h.fraction() <= 1)) throw badArgument(fault, "fraction", plain(h.fraction()), "0 … 1");
                yield () -> m.degradeHeater(h.zone(), h.fraction());
            }
            case Fault.BearingDefect b -> {
                EquipmentModel m = simulated(b.equipment(), fault);
                if (!(m instanceof CncSpindle)) throw notApplicable(fault, m);
                if (!(b.severity() > 0 && b.severity() <= 1)) throw badArgument(fault, "severity", plain(b.severity()), "0 < severity ≤ 1");
                yield () -> m.bearingDefect(b.severity(), b.race());
            }
            case Fault.SensorDrift d -> {
                TagChannel c = sensor(d.tag());
                if (!Double.isFinite(d.perHour())) throw badArgument(fault, "perHour", Double.toString(d.perHour()), "a finite number");
                yield () -> c.drift(d.perHour(), elapsedNanos);
            }
            case Fault.StuckSensor s -> {
                TagChannel c = sensor(s.tag());
                yield c::stick;
            }
            case Fault.CommunicationLoss l -> {
                simulated(l.equipment(), fault);
                if (l.duration().isNegative() || l.duration().isZero()) {
                    throw badArgument(fault, "duration", l.duration().toString(), "> 0");
                }
                yield () -> { };
            }
        };
        String key = fault.kind() + " " + fault.target();
        ActiveFault previous = faults.get(key);
        if (previous != null) clear(previous);
        var active = new ActiveFault(++faultIds, fault, now());
        apply.run();
        if (fault instanceof Fault.CommunicationLoss l) {
            sources.get(l.equipment()).lose(active, elapsedNanos + l.duration().toNanos(), l.mode());
        }
        faults.put(key, active);
        return active;
    }

    /** Ends a fault; nothing if it has already ended. */
    public void clear(ActiveFault active) {
        Fault fault = active.fault();
        String key = fault.kind() + " " + fault.target();
        if (!active.equals(faults.get(key))) return;
        faults.remove(key);
        switch (fault) {
            case Fault.HeaterDegradation h -> modelsByPath.get(h.equipment()).degradeHeater(h.zone(), 0);
            case Fault.BearingDefect b -> modelsByPath.get(b.equipment()).bearingDefect(0, b.race());
            case Fault.SensorDrift d -> channelsByPath.get(d.tag()).stopDrift();
            case Fault.StuckSensor s -> channelsByPath.get(s.tag()).unstick();
            case Fault.CommunicationLoss l -> sources.get(l.equipment()).restore();
        }
    }

    /** Ends every fault. */
    public void clearAllFaults() {
        for (ActiveFault f : List.copyOf(faults.values())) clear(f);
    }

    /** The faults in force, in the order they were injected. */
    public List<ActiveFault> activeFaults() {
        return List.copyOf(faults.values());
    }

    private EquipmentModel simulated(AssetPath equipment, Fault fault) {
        EquipmentModel m = modelsByPath.get(equipment);
        if (m != null) return m;
        var e = model.equipment(equipment)
                .orElseThrow(() -> new MaxException(FactoryError.UNKNOWN_EQUIPMENT, Location.NOWHERE, equipment.toString()));
        throw new MaxException(FactoryError.FAULT_NOT_APPLICABLE, Location.NOWHERE, fault.kind(), equipment.toString(),
                model.typeOf(e).model().word());
    }

    private TagChannel sensor(TagPath tag) {
        TagChannel c = channel(tag);
        if (c.spec.role() == TagRole.SETPOINT) {
            throw new MaxException(FactoryError.SENSOR_FAULT_ON_SETPOINT, Location.NOWHERE, tag.toString());
        }
        return c;
    }

    private static MaxException notApplicable(Fault fault, EquipmentModel m) {
        return new MaxException(FactoryError.FAULT_NOT_APPLICABLE, Location.NOWHERE, fault.kind(),
                m.equipment.path().toString(), m.kind.word());
    }

    private static MaxException badArgument(Fault fault, String argument, String value, String expected) {
        return new MaxException(FactoryError.BAD_FAULT_ARGUMENT, Location.NOWHERE, fault.kind(), argument, value, expected);
    }

    // ---------------------------------------------------------------- for tests in this package

    EquipmentModel modelOf(AssetPath equipment) {
        return modelsByPath.get(equipment);
    }

    static String plain(double v) {
        if (!Double.isFinite(v)) return Double.toString(v);
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
