package kr.max.factory.twin;

import java.time.Duration;
import java.time.Instant;
import kr.max.core.MaxException;
import kr.max.core.Location;
import kr.max.factory.FactoryError;

/**
 * How a simulation runs: where its clock starts, its fixed step, and the rate raw vibration is synthesized at.
 * Every tag's sample period must be a whole number of steps, and a step a whole number of vibration samples.
 *
 * @param start               simulated time at step 0
 * @param step                the fixed simulation step
 * @param vibrationSampleRate raw vibration values per second (12,800 by default, as a typical data collector)
 */
public record SimulationSettings(Instant start, Duration step, int vibrationSampleRate) {

    /** A Monday morning in Changwon, so runs of different days do not differ by their start. */
    public static final Instant DEFAULT_START = Instant.parse("2026-03-02T00:00:00Z");

    public SimulationSettings {
        if (step.isNegative() || step.isZero() || step.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new MaxException(FactoryError.BAD_SETTING, Location.NOWHERE, "step", step.toString(), "1 ns … 1 s");
        }
        if (vibrationSampleRate < 100) {
            throw new MaxException(FactoryError.BAD_SETTING, Location.NOWHERE, "vibrationSampleRate",
                    Integer.toString(vibrationSampleRate), ">= 100");
        }
        long perStep = (long) vibrationSampleRate * step.toNanos();
        if (perStep % 1_000_000_000L != 0) {
            throw new MaxException(FactoryError.BAD_SETTING, Location.NOWHERE, "vibrationSampleRate",
                    Integer.toString(vibrationSampleRate), "a whole number of values per step of " + step.toMillis() + " ms");
        }
    }

    /** Start {@link #DEFAULT_START}, step 10 ms, vibration at 12.8 kHz (128 values a step). */
    public static SimulationSettings defaults() {
        return new SimulationSettings(DEFAULT_START, Duration.ofMillis(10), 12_800);
    }

    public SimulationSettings withStart(Instant start) {
        return new SimulationSettings(start, step, vibrationSampleRate);
    }

    public SimulationSettings withStep(Duration step) {
        return new SimulationSettings(start, step, vibrationSampleRate);
    }

    public SimulationSettings withVibrationSampleRate(int rate) {
        return new SimulationSettings(start, step, rate);
    }

    /** Raw vibration values per step. */
    public int vibrationValuesPerStep() {
        return (int) ((long) vibrationSampleRate * step.toNanos() / 1_000_000_000L);
    }
}
