package kr.max.factory.twin;

import java.time.Duration;
import kr.max.core.AssetPath;
import kr.max.factory.assets.TagPath;

/**
 * A fault the simulator can be told to have. Physical faults change the physics (a weaker heater, a damaged
 * bearing); sensor faults change only what a tag reports; a communication loss changes only whether samples arrive.
 * Each fault is cleared by {@link LineSimulator#clear(ActiveFault)}; a communication loss also ends by itself.
 * Injecting a fault on a target that already has one of the same kind replaces it.
 */
public sealed interface Fault permits Fault.HeaterDegradation, Fault.BearingDefect, Fault.SensorDrift,
        Fault.StuckSensor, Fault.CommunicationLoss {

    /** The word for messages and logs: {@code heater-degradation}, … */
    String kind();

    /** What it is attached to, to find one of the same kind on the same target. */
    String target();

    /**
     * A heater that delivers only {@code 1 − fraction} of its power (an aged heater band, a failed element):
     * the zone needs more duty, and beyond some fraction cannot reach its setpoint.
     *
     * @param equipment an injection molding machine (zones 1–4) or a melting tank (zone 1)
     * @param zone      1-based heater zone
     * @param fraction  lost share of the power, 0 … 1
     */
    record HeaterDegradation(AssetPath equipment, int zone, double fraction) implements Fault {
        @Override
        public String kind() {
            return "heater-degradation";
        }

        @Override
        public String target() {
            return equipment + "#" + zone;
        }
    }

    /**
     * A spall on a spindle bearing's race: every ball passing it strikes, adding impulses at the race's
     * characteristic frequency (BPFO or BPFI, from the bearing's geometry and the shaft speed) that ring the
     * housing's resonance.
     *
     * @param equipment a CNC spindle
     * @param severity  0 … 1, scales the impulses (1: a large spall)
     * @param race      which race is damaged
     */
    record BearingDefect(AssetPath equipment, double severity, Race race) implements Fault {
        /** The damaged race. Inner-race impulses are modulated once per revolution as the spall passes the load zone. */
        public enum Race { OUTER, INNER }

        @Override
        public String kind() {
            return "bearing-defect";
        }

        @Override
        public String target() {
            return equipment.toString();
        }
    }

    /**
     * A sensor whose reading walks away from the truth at a constant rate from the moment of injection.
     *
     * @param tag     a measured tag (not a setpoint)
     * @param perHour drift in the tag's unit per simulated hour
     */
    record SensorDrift(TagPath tag, double perHour) implements Fault {
        @Override
        public String kind() {
            return "sensor-drift";
        }

        @Override
        public String target() {
            return tag.toString();
        }
    }

    /** A sensor that keeps reporting its last reading, with good quality (which is what makes it hard to see). */
    record StuckSensor(TagPath tag) implements Fault {
        @Override
        public String kind() {
            return "stuck-sensor";
        }

        @Override
        public String target() {
            return tag.toString();
        }
    }

    /**
     * The equipment stops answering for a while: its samples stop ({@link Mode#SILENT}) or arrive with bad quality
     * and the last good value ({@link Mode#BAD_QUALITY}); setpoint writes to it are refused. The physics go on.
     */
    record CommunicationLoss(AssetPath equipment, Duration duration, Mode mode) implements Fault {
        public enum Mode { SILENT, BAD_QUALITY }

        @Override
        public String kind() {
            return "communication-loss";
        }

        @Override
        public String target() {
            return equipment.toString();
        }
    }

    static Fault heaterDegradation(AssetPath equipment, int zone, double fraction) {
        return new HeaterDegradation(equipment, zone, fraction);
    }

    static Fault bearingDefect(AssetPath equipment, double severity) {
        return new BearingDefect(equipment, severity, BearingDefect.Race.OUTER);
    }

    static Fault sensorDrift(TagPath tag, double perHour) {
        return new SensorDrift(tag, perHour);
    }

    static Fault stuckSensor(TagPath tag) {
        return new StuckSensor(tag);
    }

    static Fault communicationLoss(AssetPath equipment, Duration duration) {
        return new CommunicationLoss(equipment, duration, CommunicationLoss.Mode.SILENT);
    }
}
