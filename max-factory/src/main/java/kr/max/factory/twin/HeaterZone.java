package kr.max.factory.twin;

import java.util.SplittableRandom;

/**
 * One heated zone: a first-order thermal system driven by a heater under PID control.
 *
 * <pre>
 *   dT/dt = (K·u·(1 − d) − (T − T_amb)) / τ
 * </pre>
 *
 * with T the zone temperature, u the heater duty 0…1, d the lost share of heater power (degradation), K the
 * temperature rise above ambient at full power, τ the thermal time constant. Over one step u is held (as a PLC
 * output is), so the step is integrated exactly: T ← T∞ + (T − T∞)·e^(−dt/τ), T∞ = T_amb + K·u·(1 − d); any step
 * length is stable. The controller sees the thermocouple reading, T plus Gaussian noise.
 */
final class HeaterZone {

    private final double ambient;
    private final double gain;
    private final double noise;
    private final Pid pid;
    private final SplittableRandom random;
    private double timeConstant;
    private double temperature;
    private double measured;
    private double setpoint;
    private double duty;
    private double degradation;

    HeaterZone(double ambient, double gain, double timeConstant, Pid pid, double noise, double setpoint,
            boolean coldStart, SplittableRandom random) {
        this.ambient = ambient;
        this.gain = gain;
        this.timeConstant = timeConstant;
        this.noise = noise;
        this.setpoint = setpoint;
        this.random = random;
        this.pid = pid;
        if (coldStart) {
            temperature = ambient;
        } else {
            // in production: at the setpoint, with the duty that holds it there
            temperature = setpoint;
            duty = Math.clamp((setpoint - ambient) / gain, 0, 1);
            pid.preset(duty, setpoint);
        }
        measured = temperature;
    }

    /** The controller acts on the last reading, then the physics run for dt with that duty. */
    void step(double dt) {
        step(dt, 0, 0);
    }

    /**
     * Advances the temperature with extra heat flows: {@code inflowRate} (1/s) of material at {@code inflowTemperature}
     * mixing in, as a melting tank's charge. Still linear in T, so still integrated exactly.
     */
    private void advance(double dt, double inflowRate, double inflowTemperature) {
        double a = (ambient + gain * duty * (1 - degradation)) / timeConstant + inflowRate * inflowTemperature;
        double b = 1 / timeConstant + inflowRate;
        double steady = a / b;
        temperature = steady + (temperature - steady) * Math.exp(-b * dt);
    }

    /** Like {@link #step(double)} but with a material inflow (see {@link #advance}). */
    void step(double dt, double inflowRate, double inflowTemperature) {
        measured = temperature + noise * random.nextGaussian();
        duty = pid.update(setpoint, measured, dt);
        advance(dt, inflowRate, inflowTemperature);
    }

    void timeConstant(double tau) {
        timeConstant = tau;
    }

    double temperature() {
        return temperature;
    }

    /** The thermocouple's last reading. */
    double measured() {
        return measured;
    }

    double setpoint() {
        return setpoint;
    }

    void setpoint(double value) {
        setpoint = value;
    }

    /** Heater duty 0…1 the controller asks for. */
    double duty() {
        return duty;
    }

    /** Heater power actually delivered, as a share of the nominal power. */
    double delivered() {
        return duty * (1 - degradation);
    }

    void degradation(double fraction) {
        degradation = fraction;
    }
}
