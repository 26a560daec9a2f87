package kr.max.factory.assets;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The physics model the line simulator runs for an equipment type, with the signals tags can read and the
 * parameters an equipment may set. The parser checks tags and parameters against this list, so a wrong signal
 * name is reported with its line and column, not when a simulation starts.
 *
 * <p>Parameter units: temperatures °C, times s, pressures bar, powers kW, speeds rpm, lengths mm, rates as
 * named. Heater controllers are tuned by λ-tuning for the default heater (closed-loop λ = 60 s for a barrel zone,
 * 120 s for the tank; Kp = τ/(K·λ), Ti = 4λ, setpoint weight b = 0.6); retune pid_* when changing heater_gain or
 * heater_time_constant. The physics behind each signal is documented on the simulator's model classes and in decision 0013.
 */
public enum SimulationModel {
    /** No physics: the equipment's tags exist in the model but produce no samples. */
    NONE("none", List.of(), List.of(), Map.of()),

    /**
     * Injection molding machine: four barrel heater zones (first-order thermal systems under PI control), a shot
     * cycle with injection pressure profile, cushion and cycle time, a mold temperature controller, and a
     * defect probability that rises with deviation from the recipe.
     */
    INJECTION_MOLDING("injection-molding",
            withZones(List.of("barrel-zone-{z}-temperature", "barrel-zone-{z}-duty", "melt-temperature",
                    "injection-pressure", "peak-injection-pressure", "cushion", "cycle-time", "mold-temperature",
                    "shot-count", "defect-count", "last-shot-defect")),
            withZones(List.of("barrel-zone-{z}-setpoint", "mold-temperature-setpoint", "cooling-time-setpoint",
                    "hold-pressure-setpoint")),
            parameters("ambient", 25, "heater_gain", 350, "heater_time_constant", 600,
                    "pid_kp", 0.0286, "pid_ti", 240, "pid_td", 0, "pid_b", 0.6, "temperature_noise", 0.2,
                    "zone_1_setpoint", 200, "zone_2_setpoint", 215, "zone_3_setpoint", 225, "zone_4_setpoint", 230,
                    "mold_setpoint", 60, "mold_time_constant", 120, "cooling_time", 12, "hold_pressure", 600,
                    "hold_time", 4, "fill_time", 1.2, "dwell_time", 5, "reference_pressure", 1200,
                    "base_defect_rate", 0.02, "cold_start", 0)),

    /**
     * CNC machining spindle: speed and feed under setpoint, cutting power rising with tool wear, spindle
     * temperature and axial thermal growth, and vibration synthesized at the simulation's vibration sample rate
     * (shaft 1× and 2×, tooth pass, noise and, under a bearing defect, impulses at BPFO or BPFI), exposed as
     * per-second features.
     */
    CNC_SPINDLE("cnc-spindle",
            List.of("spindle-speed", "spindle-power", "spindle-temperature", "thermal-growth", "tool-wear",
                    "cutting", "vibration-acceleration-rms", "vibration-velocity-rms", "vibration-kurtosis",
                    "vibration-crest-factor", "envelope-bpfo", "envelope-bpfi"),
            List.of("spindle-speed-setpoint", "feed-override"),
            parameters("ambient", 25, "speed", 3600, "feed_override", 100, "balls", 16, "ball_diameter", 7.938,
                    "pitch_diameter", 46, "contact_angle", 15, "resonance", 3500, "tool_teeth", 4,
                    "cutting_power", 5.5, "idle_power", 0.8, "wear_rate", 0.05, "initial_wear", 0,
                    "cut_seconds", 45, "idle_seconds", 15, "thermal_resistance", 3, "thermal_time_constant", 1200,
                    "growth_per_kelvin", 2.9, "vibration_noise", 0.5, "cold_start", 0)),

    /** Mechanical press: crank motion, a forming pressure profile per stroke near bottom dead centre, motor current. */
    PRESS("press",
            List.of("ram-position", "pressure", "peak-pressure", "strokes-per-minute", "stroke-count",
                    "motor-current"),
            List.of("strokes-per-minute-setpoint"),
            parameters("strokes_per_minute", 20, "stroke_length", 200, "engage_depth", 20, "peak_pressure", 180,
                    "base_pressure", 5, "idle_current", 18, "current_per_bar", 0.25, "material_variation", 0.02)),

    /**
     * Melting tank: a heater under PI control whose thermal mass follows the level, periodic charges of cold
     * material, and an agitator motor whose current follows the melt's viscosity.
     */
    MELTING_TANK("melting-tank",
            List.of("melt-temperature", "heater-duty", "heater-power", "agitator-speed", "motor-current", "level"),
            List.of("temperature-setpoint", "agitator-speed-setpoint"),
            parameters("ambient", 25, "setpoint", 220, "heater_gain", 320, "heater_time_constant", 1800,
                    "heater_power", 30, "pid_kp", 0.0469, "pid_ti", 480, "pid_td", 0, "pid_b", 0.6, "temperature_noise", 0.3,
                    "agitator_speed", 60, "drain_rate", 0.5, "refill_low", 70, "refill_high", 80, "refill_rate", 2,
                    "charge_temperature", 25, "cold_start", 0));

    private static final int ZONES = 4;

    private final String word;
    private final Set<String> readOnlySignals;
    private final Set<String> writableSignals;
    private final Map<String, Double> parameters;

    SimulationModel(String word, List<String> readOnly, List<String> writable, Map<String, Double> parameters) {
        this.word = word;
        this.readOnlySignals = Collections.unmodifiableSet(new LinkedHashSet<>(readOnly));
        this.writableSignals = Collections.unmodifiableSet(new LinkedHashSet<>(writable));
        this.parameters = Collections.unmodifiableMap(parameters);
    }

    /** The word in YAML: {@code injection-molding}, {@code cnc-spindle}, {@code press}, {@code melting-tank}, {@code none}. */
    public String word() {
        return word;
    }

    /** Number of barrel heater zones of the injection molding model. */
    public static int barrelZones() {
        return ZONES;
    }

    /** Every signal a tag can read: the read-only ones, then the writable ones (which read back the setpoint). */
    public Set<String> signals() {
        var all = new LinkedHashSet<>(readOnlySignals);
        all.addAll(writableSignals);
        return Collections.unmodifiableSet(all);
    }

    /** The signals a writable tag may be bound to. */
    public Set<String> writableSignals() {
        return writableSignals;
    }

    /** Parameter names with their default values, in a stable order. */
    public Map<String, Double> parameters() {
        return parameters;
    }

    public static SimulationModel ofWord(String word) {
        for (SimulationModel m : values()) if (m.word.equals(word)) return m;
        return null;
    }

    private static List<String> withZones(List<String> names) {
        var out = new ArrayList<String>();
        for (String n : names) {
            if (n.contains("{z}")) for (int z = 1; z <= ZONES; z++) out.add(n.replace("{z}", Integer.toString(z)));
            else out.add(n);
        }
        return out;
    }

    private static Map<String, Double> parameters(Object... pairs) {
        var m = new LinkedHashMap<String, Double>();
        for (int i = 0; i < pairs.length; i += 2) m.put((String) pairs[i], ((Number) pairs[i + 1]).doubleValue());
        return m;
    }
}
