package kr.max.factory.twin;

import java.util.SplittableRandom;
import kr.max.factory.assets.Equipment;
import kr.max.factory.assets.SimulationModel;

/**
 * The spindle of a CNC machining centre running a repeating part program: {@code cut_seconds} cutting, then
 * {@code idle_seconds} for tool approach and part change.
 *
 * <p><b>Speed.</b> Follows its setpoint as a first-order lag with τ = 0.5 s (the drive's acceleration).
 *
 * <p><b>Power.</b> {@code P = P_idle·(n/n₀) + cutting·P_cut·(f/100)·(n/n₀)·(1 + 0.8·W)} + 0.03 kW noise: friction
 * and windage grow with speed, cutting power with the material removal rate (speed × feed), and a worn edge cuts
 * less cleanly and needs more power.
 *
 * <p><b>Tool wear.</b> No temperature law (no Arrhenius term): wear W (0 = new, 1 = worn out) grows only while
 * cutting, at {@code dW/dt = wear_rate/3600 · (n/n₀)²·(f/100)}, faster at higher speed as Taylor's tool-life
 * relation has it.
 *
 * <p><b>Temperature and growth.</b> The spindle housing is a first-order thermal system heated by the power:
 * {@code dT/dt = (T_amb + R·P − T)/τ}. Axial thermal growth is proportional to the rise:
 * {@code δ = growth_per_kelvin·(T − T_amb)} µm.
 *
 * <p><b>Vibration.</b> Synthesized by {@link Vibration} at the simulation's vibration rate: 1× of 0.6 m/s² and 2× of
 * 0.25 m/s² at n₀ (both ∝ n², as unbalance forces are), tooth pass of 1.2 m/s²·(f/100)·(1 + 1.5·W) while cutting,
 * noise {@code vibration_noise·(1 + 0.5·W)} (60 % of it while not cutting), and under a bearing defect impulses of
 * 25 m/s²·severity·(n/n₀) at BPFO or BPFI of the bearing given by the parameters.
 */
final class CncSpindle extends EquipmentModel {

    private static final double SPEED_TIME_CONSTANT = 0.5;

    private final SplittableRandom process;
    private final Vibration vibration;
    private final BearingGeometry bearing;
    private final WaveformSink waveforms;
    private final double[] block;
    private final double ambient;
    private final double nominalSpeed;
    private final double idlePower;
    private final double cuttingPower;
    private final double wearRate;
    private final long cutNanos;
    private final long programNanos;
    private final double thermalResistance;
    private final double thermalTimeConstant;
    private final double growthPerKelvin;
    private final double noise;
    private final int teeth;

    private double speedSetpoint;
    private double feedOverride;
    private double speed;
    private double power;
    private double wear;
    private double temperature;
    private double growth;
    private boolean cutting;
    private double defectSeverity;
    private Fault.BearingDefect.Race defectRace = Fault.BearingDefect.Race.OUTER;

    CncSpindle(Equipment equipment, SplittableRandom random, SimulationSettings settings, WaveformSink waveforms) {
        super(equipment, SimulationModel.CNC_SPINDLE);
        process = random.split();
        SplittableRandom vibrationNoise = random.split();
        SplittableRandom jitter = random.split();
        this.waveforms = waveforms;
        block = new double[settings.vibrationValuesPerStep()];
        vibration = new Vibration(settings.vibrationSampleRate(), parameter("resonance"), vibrationNoise, jitter);
        bearing = new BearingGeometry((int) parameter("balls"), parameter("ball_diameter"), parameter("pitch_diameter"),
                parameter("contact_angle"));
        ambient = parameter("ambient");
        nominalSpeed = parameter("speed");
        idlePower = parameter("idle_power");
        cuttingPower = parameter("cutting_power");
        wearRate = parameter("wear_rate");
        cutNanos = (long) (parameter("cut_seconds") * 1e9);
        programNanos = cutNanos + (long) (parameter("idle_seconds") * 1e9);
        thermalResistance = parameter("thermal_resistance");
        thermalTimeConstant = parameter("thermal_time_constant");
        growthPerKelvin = parameter("growth_per_kelvin");
        noise = parameter("vibration_noise");
        teeth = (int) parameter("tool_teeth");
        speedSetpoint = nominalSpeed;
        speed = nominalSpeed;
        feedOverride = parameter("feed_override");
        wear = parameter("initial_wear");
        double cutShare = (double) cutNanos / programNanos;
        double meanPower = idlePower + cutShare * cuttingPower * feedOverride / 100 * (1 + 0.8 * wear);
        temperature = flag("cold_start") ? ambient : ambient + thermalResistance * meanPower;
        growth = growthPerKelvin * (temperature - ambient);

        signal("spindle-speed", () -> speed);
        signal("spindle-power", () -> power);
        signal("spindle-temperature", () -> temperature);
        signal("thermal-growth", () -> growth);
        signal("tool-wear", () -> 100 * wear);
        signal("cutting", () -> cutting ? 1 : 0);
        signal("vibration-acceleration-rms", () -> vibration.accelerationRms);
        signal("vibration-velocity-rms", () -> vibration.velocityRms);
        signal("vibration-kurtosis", () -> vibration.kurtosis);
        signal("vibration-crest-factor", () -> vibration.crestFactor);
        signal("envelope-bpfo", () -> vibration.envelopeBpfo);
        signal("envelope-bpfi", () -> vibration.envelopeBpfi);
        setpoint("spindle-speed-setpoint", () -> speedSetpoint, v -> speedSetpoint = v);
        setpoint("feed-override", () -> feedOverride, v -> feedOverride = v);
    }

    @Override
    void step(double dt, long elapsedNanos) {
        speed = speedSetpoint + (speed - speedSetpoint) * Math.exp(-dt / SPEED_TIME_CONSTANT);
        cutting = elapsedNanos % programNanos < cutNanos;
        double relative = speed / nominalSpeed;
        double feed = feedOverride / 100;
        power = idlePower * relative + (cutting ? cuttingPower * feed * relative * (1 + 0.8 * wear) : 0)
                + 0.03 * process.nextGaussian();
        if (cutting) wear += wearRate / 3600 * relative * relative * feed * dt;
        double steady = ambient + thermalResistance * power;
        temperature = steady + (temperature - steady) * Math.exp(-dt / thermalTimeConstant);
        growth = growthPerKelvin * (temperature - ambient) + 0.2 * process.nextGaussian();

        double shaftHz = speed / 60;
        double bpfo = bearing.bpfo(shaftHz);
        double bpfi = bearing.bpfi(shaftHz);
        double defectHz = defectSeverity > 0 ? (defectRace == Fault.BearingDefect.Race.OUTER ? bpfo : bpfi) : 0;
        vibration.synthesize(block, block.length, shaftHz, 0.6 * relative * relative, 0.25 * relative * relative,
                cutting ? 1.2 * feed * (1 + 1.5 * wear) : 0, teeth, noise * (1 + 0.5 * wear) * (cutting ? 1 : 0.6),
                defectHz, 25 * defectSeverity * relative, defectRace == Fault.BearingDefect.Race.INNER);
        vibration.accumulate(block, block.length, bpfo, bpfi);
        if (waveforms.wanted()) waveforms.block(this, elapsedNanos, block, block.length);
    }

    @Override
    boolean bearingDefect(double severity, Fault.BearingDefect.Race race) {
        defectSeverity = severity;
        defectRace = race;
        return true;
    }

    /** The bearing's outer-race frequency at the current speed, for tests and displays. */
    double bpfo() {
        return bearing.bpfo(speed / 60);
    }

    double bpfi() {
        return bearing.bpfi(speed / 60);
    }
}
