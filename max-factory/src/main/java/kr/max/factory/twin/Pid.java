package kr.max.factory.twin;

/**
 * Discrete PID controller in standard (ISA) form with setpoint weighting, output limited to [min, max]:
 *
 * <pre>
 *   e  = r − y
 *   u  = Kp·(b·r − y) + I + Kp·Td·(−dy/dt)   derivative on the measurement, so a setpoint step gives no kick
 *   I += Kp·e·dt/Ti                          (backward rectangle)
 * </pre>
 *
 * The setpoint weight b (0 … 1) softens the proportional kick of a setpoint step; the integral still acts on the
 * whole error, so the loop settles at the setpoint. Tuned as the heater models are (λ-tuning with Ti = 4λ, as the
 * SIMC rules advise for lag-dominant processes, and b = 0.6), a setpoint step gives a response close to a first-order
 * one with time constant ≈ 2λ and no overshoot, while a load (a weaker heater, a cold charge) is corrected within
 * minutes rather than the process's own time constant.
 *
 * Anti-windup by conditional integration: while the output is saturated and the error would drive it further into
 * saturation, the integral is frozen. Otherwise a heater that spends minutes at full power on a cold start would
 * build up an integral that overshoots the setpoint by tens of degrees.
 */
final class Pid {

    private final double kp;
    private final double ti;
    private final double td;
    private final double b;
    private final double min;
    private final double max;
    private double integral;
    private double previous = Double.NaN;

    Pid(double kp, double ti, double td, double b, double min, double max) {
        this.kp = kp;
        this.ti = ti;
        this.td = td;
        this.b = b;
        this.min = min;
        this.max = max;
    }

    /** Bumpless start at an operating point (measurement at the setpoint): the output is what the process needs there. */
    void preset(double output, double setpoint) {
        integral = output - kp * (b - 1) * setpoint;
        previous = setpoint;
    }

    double update(double setpoint, double measurement, double dt) {
        double e = setpoint - measurement;
        double derivative = Double.isNaN(previous) ? 0 : -(measurement - previous) / dt;
        previous = measurement;
        double candidate = ti > 0 ? integral + kp * e * dt / ti : integral;
        double u = kp * (b * setpoint - measurement) + candidate + kp * td * derivative;
        if (u > max) {
            u = max;
            if (e > 0) candidate = integral;
        } else if (u < min) {
            u = min;
            if (e < 0) candidate = integral;
        }
        integral = candidate;
        return u;
    }
}
