package kr.max.factory.twin;

import java.util.SplittableRandom;
import kr.max.factory.assets.Equipment;
import kr.max.factory.assets.SimulationModel;

/**
 * A mechanical (crank) press.
 *
 * <p><b>Motion.</b> The flywheel speed follows the strokes-per-minute setpoint with τ = 3 s; the crank angle θ
 * advances by 2π per stroke and the ram sits at {@code s = L/2·(1 − cos θ)} below top dead centre (L the stroke).
 *
 * <p><b>Pressure profile per stroke.</b> The die engages in the last {@code e} = engage_depth of the stroke. With
 * depth {@code d = s − (L − e)} into the material, the forming pressure is
 * {@code p = p_base + P_peak·m·(d/e)²} going down and {@code p_base + P_peak·m·(d/e)⁶} coming up (the part springs
 * back and the load falls away fast), where {@code m = 1 + material_variation·N(0,1)} is drawn per stroke (sheet
 * thickness and strength vary). Outside the die: {@code p_base}. Plus 0.5 bar noise.
 *
 * <p><b>Motor current.</b> {@code I = I_idle·(spm/20) + current_per_bar·p}, smoothed by the flywheel (τ = 0.2 s),
 * plus 0.3 A noise.
 */
final class Press extends EquipmentModel {

    private static final double FLYWHEEL_TIME_CONSTANT = 3;
    private static final double CURRENT_TIME_CONSTANT = 0.2;

    private final SplittableRandom process;
    private final double strokeLength;
    private final double engageDepth;
    private final double peakNominal;
    private final double basePressure;
    private final double idleCurrent;
    private final double currentPerBar;
    private final double materialVariation;

    private double setpoint;
    private double spm;
    private double angle;
    private double position;
    private double pressure;
    private double strokePeak;
    private double peakPressure;
    private double material;
    private double current;
    private double currentMeasured;
    private long strokes;

    Press(Equipment equipment, SplittableRandom random) {
        super(equipment, SimulationModel.PRESS);
        process = random.split();
        strokeLength = parameter("stroke_length");
        engageDepth = parameter("engage_depth");
        peakNominal = parameter("peak_pressure");
        basePressure = parameter("base_pressure");
        idleCurrent = parameter("idle_current");
        currentPerBar = parameter("current_per_bar");
        materialVariation = parameter("material_variation");
        setpoint = parameter("strokes_per_minute");
        spm = setpoint;
        material = 1 + materialVariation * process.nextGaussian();
        peakPressure = basePressure + peakNominal;
        current = idleCurrent * spm / 20;
        currentMeasured = current;
        pressure = basePressure;

        signal("ram-position", () -> position);
        signal("pressure", () -> pressure);
        signal("peak-pressure", () -> peakPressure);
        signal("strokes-per-minute", () -> spm);
        signal("stroke-count", () -> strokes);
        signal("motor-current", () -> currentMeasured);
        setpoint("strokes-per-minute-setpoint", () -> setpoint, v -> setpoint = v);
    }

    @Override
    void step(double dt, long elapsedNanos) {
        spm = setpoint + (spm - setpoint) * Math.exp(-dt / FLYWHEEL_TIME_CONSTANT);
        angle += 2 * Math.PI * spm / 60 * dt;
        if (angle >= 2 * Math.PI) {
            angle -= 2 * Math.PI;
            strokes++;
            peakPressure = strokePeak;
            strokePeak = 0;
            material = 1 + materialVariation * process.nextGaussian();
        }
        position = strokeLength / 2 * (1 - Math.cos(angle));
        double depth = position - (strokeLength - engageDepth);
        double p = basePressure;
        if (depth > 0) {
            double x = depth / engageDepth;
            p += peakNominal * material * (angle < Math.PI ? x * x : Math.pow(x, 6));
        }
        strokePeak = Math.max(strokePeak, p);
        pressure = p + 0.5 * process.nextGaussian();
        double load = idleCurrent * spm / 20 + currentPerBar * p;
        current = load + (current - load) * Math.exp(-dt / CURRENT_TIME_CONSTANT);
        currentMeasured = current + 0.3 * process.nextGaussian();
    }
}
