package kr.max.factory.twin;

import java.util.SplittableRandom;
import kr.max.factory.assets.Equipment;
import kr.max.factory.assets.SimulationModel;

/**
 * A heated melting tank with an agitator, feeding the molding cell.
 *
 * <p><b>Level.</b> Melt is drawn off at {@code drain_rate} %/min. When the level falls to {@code refill_low} %, cold
 * material is charged at {@code refill_rate} %/min until {@code refill_high} %.
 *
 * <p><b>Temperature.</b> A {@link HeaterZone} (first-order lag under PI control) whose thermal mass follows the level,
 * {@code τ = heater_time_constant·level/80}, and into which the charge mixes:
 * {@code dT/dt = (K·u·(1 − d) − (T − T_amb))/τ + (q/L)·(T_charge − T)}, q the charge rate and L the level.
 *
 * <p><b>Agitator.</b> Speed follows its setpoint with τ = 2 s. Motor current follows the torque, which grows with
 * speed, with the fill and with the melt's viscosity, falling exponentially with temperature:
 * {@code I = 1.5 A + 0.06·n·exp(−0.02·(T − 220))·(0.5 + 0.5·L/80)} plus 0.05 A noise. A cold charge shows as a current
 * rise.
 */
final class MeltingTank extends EquipmentModel {

    private static final double AGITATOR_TIME_CONSTANT = 2;

    private final SplittableRandom process;
    private final HeaterZone heater;
    private final double timeConstant;
    private final double heaterPower;
    private final double drainRate;
    private final double refillLow;
    private final double refillHigh;
    private final double refillRate;
    private final double chargeTemperature;

    private double agitatorSetpoint;
    private double agitatorSpeed;
    private double current;
    private double level;
    private boolean charging;

    MeltingTank(Equipment equipment, SplittableRandom random) {
        super(equipment, SimulationModel.MELTING_TANK);
        SplittableRandom thermocouple = random.split();
        process = random.split();
        timeConstant = parameter("heater_time_constant");
        heater = new HeaterZone(parameter("ambient"), parameter("heater_gain"), timeConstant, heaterPid(),
                parameter("temperature_noise"), parameter("setpoint"), flag("cold_start"), thermocouple);
        heaterPower = parameter("heater_power");
        drainRate = parameter("drain_rate") / 60;
        refillLow = parameter("refill_low");
        refillHigh = parameter("refill_high");
        refillRate = parameter("refill_rate") / 60;
        chargeTemperature = parameter("charge_temperature");
        agitatorSetpoint = parameter("agitator_speed");
        agitatorSpeed = agitatorSetpoint;
        level = refillHigh;
        current = motorCurrent();

        signal("melt-temperature", heater::measured);
        signal("heater-duty", () -> 100 * heater.duty());
        signal("heater-power", () -> heaterPower * heater.delivered());
        signal("agitator-speed", () -> agitatorSpeed);
        signal("motor-current", () -> current);
        signal("level", () -> level);
        setpoint("temperature-setpoint", heater::setpoint, heater::setpoint);
        setpoint("agitator-speed-setpoint", () -> agitatorSetpoint, v -> agitatorSetpoint = v);
    }

    @Override
    void step(double dt, long elapsedNanos) {
        if (!charging && level <= refillLow) charging = true;
        if (charging && level >= refillHigh) charging = false;
        double inflow = charging ? refillRate : 0;
        heater.timeConstant(timeConstant * level / 80);
        heater.step(dt, inflow / level, chargeTemperature);
        level += (inflow - drainRate) * dt;
        agitatorSpeed = agitatorSetpoint + (agitatorSpeed - agitatorSetpoint) * Math.exp(-dt / AGITATOR_TIME_CONSTANT);
        current = motorCurrent() + 0.05 * process.nextGaussian();
    }

    private double motorCurrent() {
        double viscosity = Math.exp(-0.02 * (heater.temperature() - 220));
        return 1.5 + 0.06 * agitatorSpeed * viscosity * (0.5 + 0.5 * level / 80);
    }

    @Override
    boolean degradeHeater(int zone, double fraction) {
        if (zone != 1) return false;
        heater.degradation(fraction);
        return true;
    }
}
