package kr.max.factory.twin;

import java.util.SplittableRandom;
import kr.max.factory.assets.Equipment;
import kr.max.factory.assets.SimulationModel;

/**
 * A hydraulic injection molding machine.
 *
 * <p><b>Barrel.</b> Four heater zones, each a {@link HeaterZone} (first-order lag under PI control). The melt
 * temperature is a weighted mean of the zones, the front zones weighing most, plus shear heating:
 * {@code T_melt = 0.15·T1 + 0.2·T2 + 0.3·T3 + 0.35·T4 + 8 °C}.
 *
 * <p><b>Cycle.</b> fill → hold → cooling (screw recovery at back pressure during its first 60 %) → open, eject,
 * close. Injection pressure during fill rises as {@code P_peak·(t/t_fill)^1.5}; colder melt is more viscous and
 * needs more pressure: {@code P_peak = P_ref·exp(0.015·(T_melt,ref − T_melt))·(1 + 1 % noise)}, limited by the
 * relief valve at 2000 bar. During hold the pressure is the hold-pressure setpoint. The cycle time is the sum of
 * the phases, the open/eject/close phase varying by 0.2 s (1 σ).
 *
 * <p><b>Cushion.</b> Material left in front of the screw after hold: more hold pressure and hotter (thinner) melt
 * pack more into the mold: {@code c = 5 mm − 0.004·ΔP_hold − 0.03·ΔT_melt + 0.08 mm noise}.
 *
 * <p><b>Mold.</b> A temperature control unit pulls the mold to its setpoint with time constant τ_m; each shot adds
 * heat while the melt is in the cavity (0.05 K/s during fill, hold and cooling), which the unit removes on average.
 *
 * <p><b>Quality.</b> Each shot is defective with probability
 * {@code p = p0 + (1 − p0)·(1 − exp(−D²/2))}, where D² sums squared deviations from the recipe (the setpoints the
 * machine started with) in units of their tolerance: barrel zones 20 K, mold 10 K, cushion 1.5 mm, hold pressure
 * 150 bar. At the recipe only the base rate p0 remains; a zone 15 K off gives about 26 %.
 */
final class InjectionMoldingMachine extends EquipmentModel {

    private enum Phase { FILL, HOLD, COOLING, DWELL }

    private static final int ZONES = SimulationModel.barrelZones();
    private static final double[] MELT_WEIGHTS = {0.15, 0.2, 0.3, 0.35};
    private static final double SHEAR_HEATING = 8;
    private static final double RELIEF_PRESSURE = 2000;
    private static final double BACK_PRESSURE = 80;
    private static final double NOMINAL_CUSHION = 5;
    /** K/s the melt adds to the mold while in the cavity. */
    private static final double SHOT_HEATING = 0.05;

    private final HeaterZone[] zones = new HeaterZone[ZONES];
    private final double[] recipeZone = new double[ZONES];
    private final SplittableRandom process;
    private final SplittableRandom quality;
    private final double ambient;
    private final double moldTimeConstant;
    private final double fillTime;
    private final double holdTime;
    private final double dwellTime;
    private final double referencePressure;
    private final double baseDefectRate;
    private final double recipeMold;
    private final double recipeHold;
    private final double recipeMelt;

    private double moldSetpoint;
    private double coolingTime;
    private double holdPressure;
    private double moldTemperature;
    private double moldMeasured;
    private double meltMeasured;

    private Phase phase = Phase.FILL;
    private double phaseTime;
    private double phaseLength;
    private double cycleElapsed;
    private double shotPeak;
    private double pressure;
    private double peakPressure;
    private double cushion;
    private double cycleTime;
    private long shots;
    private long defects;
    private boolean lastDefect;

    InjectionMoldingMachine(Equipment equipment, SplittableRandom random) {
        super(equipment, SimulationModel.INJECTION_MOLDING);
        // one stream per purpose, split in a fixed order: the thermocouple noise of zone 1 does not shift when the
        // quality draws change
        SplittableRandom[] zoneRandom = new SplittableRandom[ZONES];
        for (int z = 0; z < ZONES; z++) zoneRandom[z] = random.split();
        process = random.split();
        quality = random.split();

        ambient = parameter("ambient");
        boolean cold = flag("cold_start");
        for (int z = 0; z < ZONES; z++) {
            recipeZone[z] = parameter("zone_" + (z + 1) + "_setpoint");
            zones[z] = new HeaterZone(ambient, parameter("heater_gain"), parameter("heater_time_constant"),
                    heaterPid(), parameter("temperature_noise"), recipeZone[z], cold, zoneRandom[z]);
        }
        moldTimeConstant = parameter("mold_time_constant");
        fillTime = parameter("fill_time");
        holdTime = parameter("hold_time");
        dwellTime = parameter("dwell_time");
        referencePressure = parameter("reference_pressure");
        baseDefectRate = parameter("base_defect_rate");
        recipeMold = parameter("mold_setpoint");
        recipeHold = parameter("hold_pressure");
        moldSetpoint = recipeMold;
        coolingTime = parameter("cooling_time");
        holdPressure = recipeHold;
        moldTemperature = cold ? ambient : moldSetpoint;
        moldMeasured = moldTemperature;
        double melt = SHEAR_HEATING;
        for (int z = 0; z < ZONES; z++) melt += MELT_WEIGHTS[z] * recipeZone[z];
        recipeMelt = melt;
        meltMeasured = meltTemperature();
        // the counters show the first shot's values from its end on; until then the recipe's
        peakPressure = referencePressure;
        cushion = NOMINAL_CUSHION;
        cycleTime = fillTime + holdTime + coolingTime + dwellTime;
        startShot();

        for (int z = 0; z < ZONES; z++) {
            HeaterZone zone = zones[z];
            int n = z + 1;
            signal("barrel-zone-" + n + "-temperature", zone::measured);
            signal("barrel-zone-" + n + "-duty", () -> 100 * zone.duty());
            setpoint("barrel-zone-" + n + "-setpoint", zone::setpoint, zone::setpoint);
        }
        signal("melt-temperature", () -> meltMeasured);
        signal("injection-pressure", () -> pressure);
        signal("peak-injection-pressure", () -> peakPressure);
        signal("cushion", () -> cushion);
        signal("cycle-time", () -> cycleTime);
        signal("mold-temperature", () -> moldMeasured);
        signal("shot-count", () -> shots);
        signal("defect-count", () -> defects);
        signal("last-shot-defect", () -> lastDefect ? 1 : 0);
        setpoint("mold-temperature-setpoint", () -> moldSetpoint, v -> moldSetpoint = v);
        setpoint("cooling-time-setpoint", () -> coolingTime, v -> coolingTime = v);
        setpoint("hold-pressure-setpoint", () -> holdPressure, v -> holdPressure = v);
    }

    @Override
    void step(double dt, long elapsedNanos) {
        for (HeaterZone zone : zones) zone.step(dt);
        meltMeasured = meltTemperature() + 0.5 * process.nextGaussian();

        // the melt heats the mold while it is in the cavity; the control unit removes that heat on average, so the
        // mold swings around its setpoint by a few tenths of a kelvin each cycle
        double inCavity = fillTime + holdTime + coolingTime;
        double share = inCavity / (inCavity + dwellTime);
        double heat = SHOT_HEATING * ((phase != Phase.DWELL ? 1 : 0) - share);
        double steady = moldSetpoint + heat * moldTimeConstant;
        moldTemperature = steady + (moldTemperature - steady) * Math.exp(-dt / moldTimeConstant);
        moldMeasured = moldTemperature + 0.1 * process.nextGaussian();

        phaseTime += dt;
        cycleElapsed += dt;
        pressure = switch (phase) {
            case FILL -> shotPeak * Math.pow(Math.min(1, phaseTime / fillTime), 1.5);
            case HOLD -> holdPressure * (1 + 0.005 * process.nextGaussian());
            case COOLING -> phaseTime < 0.6 * phaseLength ? BACK_PRESSURE : 0;
            case DWELL -> 0;
        };
        if (phaseTime >= phaseLength - 1e-9) nextPhase();
    }

    private void nextPhase() {
        phaseTime = 0;
        switch (phase) {
            case FILL -> {
                phase = Phase.HOLD;
                phaseLength = holdTime;
            }
            case HOLD -> {
                phase = Phase.COOLING;
                phaseLength = coolingTime;
                endOfHold();
            }
            case COOLING -> {
                phase = Phase.DWELL;
                phaseLength = Math.max(0.5, dwellTime + 0.2 * process.nextGaussian());
            }
            case DWELL -> {
                cycleTime = cycleElapsed;
                startShot();
            }
        }
    }

    private void startShot() {
        phase = Phase.FILL;
        phaseLength = fillTime;
        phaseTime = 0;
        cycleElapsed = 0;
        double viscosity = Math.exp(0.015 * (recipeMelt - meltTemperature()));
        shotPeak = Math.min(RELIEF_PRESSURE, referencePressure * viscosity * (1 + 0.01 * process.nextGaussian()));
    }

    /** The shot is formed: its peak pressure, cushion and whether it is good are known. */
    private void endOfHold() {
        peakPressure = shotPeak;
        double melt = meltTemperature();
        cushion = NOMINAL_CUSHION - 0.004 * (holdPressure - recipeHold) - 0.03 * (melt - recipeMelt)
                + 0.08 * process.nextGaussian();
        shots++;
        lastDefect = quality.nextDouble() < defectProbability();
        if (lastDefect) defects++;
    }

    /** p = p0 + (1 − p0)·(1 − exp(−D²/2)), D² the squared deviations from the recipe in tolerance units. */
    double defectProbability() {
        double d2 = 0;
        for (int z = 0; z < ZONES; z++) d2 += square((zones[z].temperature() - recipeZone[z]) / 20);
        d2 += square((moldTemperature - recipeMold) / 10);
        d2 += square((cushion - NOMINAL_CUSHION) / 1.5);
        d2 += square((holdPressure - recipeHold) / 150);
        return baseDefectRate + (1 - baseDefectRate) * (1 - Math.exp(-d2 / 2));
    }

    private double meltTemperature() {
        double melt = SHEAR_HEATING;
        for (int z = 0; z < ZONES; z++) melt += MELT_WEIGHTS[z] * zones[z].temperature();
        return melt;
    }

    private static double square(double x) {
        return x * x;
    }

    @Override
    boolean degradeHeater(int zone, double fraction) {
        if (zone < 1 || zone > ZONES) return false;
        zones[zone - 1].degradation(fraction);
        return true;
    }

    int zones() {
        return ZONES;
    }
}
