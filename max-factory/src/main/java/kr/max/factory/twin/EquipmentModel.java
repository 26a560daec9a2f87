package kr.max.factory.twin;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleConsumer;
import java.util.function.DoubleSupplier;
import kr.max.factory.assets.Equipment;
import kr.max.factory.assets.SimulationModel;

/**
 * The physics of one equipment. A model advances in fixed steps of simulated time and never looks at a wall clock;
 * its randomness comes only from the generator it was given, drawn in the same order every run, so the same seed
 * gives the same numbers. Tags read its signals; setpoint writes go to its setters.
 */
abstract class EquipmentModel {

    final Equipment equipment;
    final SimulationModel kind;
    private final Map<String, Double> parameters;
    private final Map<String, DoubleSupplier> signals = new LinkedHashMap<>();
    private final Map<String, DoubleConsumer> setters = new LinkedHashMap<>();

    EquipmentModel(Equipment equipment, SimulationModel kind) {
        this.equipment = equipment;
        this.kind = kind;
        var p = new LinkedHashMap<>(kind.parameters());
        p.putAll(equipment.parameters());
        this.parameters = p;
    }

    static EquipmentModel create(Equipment equipment, SimulationModel kind, SplittableRandom random,
            SimulationSettings settings, WaveformSink waveforms) {
        return switch (kind) {
            case INJECTION_MOLDING -> new InjectionMoldingMachine(equipment, random);
            case CNC_SPINDLE -> new CncSpindle(equipment, random, settings, waveforms);
            case PRESS -> new Press(equipment, random);
            case MELTING_TANK -> new MeltingTank(equipment, random);
            case NONE -> null;
        };
    }

    /** Advances the physics by {@code dt} seconds; {@code elapsedNanos} is the simulated time at the step's start. */
    abstract void step(double dt, long elapsedNanos);

    double parameter(String name) {
        Double v = parameters.get(name);
        if (v == null) throw new IllegalArgumentException("no parameter " + name + " in " + kind);
        return v;
    }

    /** The PID of a heater from the parameters pid_kp, pid_ti, pid_td and pid_b, output 0 … 1. */
    Pid heaterPid() {
        return new Pid(parameter("pid_kp"), parameter("pid_ti"), parameter("pid_td"), parameter("pid_b"), 0, 1);
    }

    boolean flag(String name) {
        return parameter(name) != 0;
    }

    void signal(String name, DoubleSupplier read) {
        signals.put(name, read);
    }

    void setpoint(String name, DoubleSupplier read, DoubleConsumer write) {
        signals.put(name, read);
        setters.put(name, write);
    }

    Map<String, DoubleSupplier> signals() {
        return signals;
    }

    Map<String, DoubleConsumer> setters() {
        return setters;
    }

    /** Sets the lost share of a heater zone's power; false if the model has no such heater. */
    boolean degradeHeater(int zone, double fraction) {
        return false;
    }

    /** Starts (severity > 0) or ends (severity 0) a bearing defect; false if the model has no bearing. */
    boolean bearingDefect(double severity, Fault.BearingDefect.Race race) {
        return false;
    }

    /** Where raw waveform blocks go. */
    interface WaveformSink {
        /** {@code values[0 … count)} start at {@code startNanos} of simulated time (since the start). */
        void block(EquipmentModel source, long startNanos, double[] values, int count);

        boolean wanted();
    }
}
