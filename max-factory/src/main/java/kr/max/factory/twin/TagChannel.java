package kr.max.factory.twin;

import java.time.Instant;
import java.util.function.DoubleConsumer;
import java.util.function.DoubleSupplier;
import kr.max.factory.assets.DataType;
import kr.max.factory.assets.Tag;
import kr.max.factory.assets.TagSpec;

/**
 * The way from a model's signal to a sample: the sensor (where drift and a stuck value happen), the encoding into
 * the tag's data type (whole numbers of the register's scale, clamped to what the type holds), and the
 * equipment's link (where a communication loss drops or spoils samples).
 */
final class TagChannel {

    final Tag tag;
    final TagSpec spec;
    final Source source;
    final long periodSteps;
    private final DoubleSupplier signal;
    private final DoubleConsumer setter;
    private final double quantum;
    private final double inverseQuantum;

    private boolean stuck;
    private double stuckValue = Double.NaN;
    private boolean drifting;
    private double driftPerHour;
    private long driftSinceNanos;
    private double lastGood = Double.NaN;
    private Sample latest;

    TagChannel(Tag tag, Source source, long periodSteps, DoubleSupplier signal, DoubleConsumer setter) {
        this.tag = tag;
        this.spec = tag.spec();
        this.source = source;
        this.periodSteps = periodSteps;
        this.signal = signal;
        this.setter = setter;
        this.quantum = quantumOf(spec);
        double inverse = 1 / quantum;
        // 0.1, 0.01 … are not exact in binary, but 10, 100 … are: divide by those to get 230.4, not 230.40000000000003
        this.inverseQuantum = inverse == Math.rint(inverse) ? inverse : 0;
    }

    /** The step between representable values: the register scale for integer registers, 1 for other integers, 0 for floats. */
    static double quantumOf(TagSpec spec) {
        if (!spec.type().integral()) return 0;
        return spec.modbus() != null && spec.type() != DataType.BOOL ? spec.modbus().scale() : 1;
    }

    /** Whether a value can be written to this tag's type exactly. */
    boolean representable(double value) {
        if (quantum == 0) return true;
        double raw = value / quantum;
        return Math.abs(raw - Math.rint(raw)) < 1e-6 && raw >= spec.type().min() && raw <= spec.type().max();
    }

    DoubleConsumer setter() {
        return setter;
    }

    /** The sample due now, or null if the link is down and silent. Advances the equipment's sequence either way. */
    Sample read(long elapsedNanos, Instant time) {
        double v = signal.getAsDouble();
        if (stuck) {
            if (Double.isNaN(stuckValue)) stuckValue = v;
            v = stuckValue;
        } else if (drifting) {
            v += driftPerHour * (elapsedNanos - driftSinceNanos) / 3.6e12;
        }
        Quality quality = Quality.GOOD;
        if (quantum != 0) {
            double raw = Math.rint(v / quantum);
            if (spec.type() == DataType.BOOL) raw = v >= 0.5 ? 1 : 0;
            if (raw < spec.type().min() || raw > spec.type().max()) {
                raw = Math.clamp(raw, spec.type().min(), spec.type().max());
                quality = Quality.UNCERTAIN;
            }
            v = inverseQuantum != 0 ? raw / inverseQuantum : raw * quantum;
        } else if (spec.type() == DataType.FLOAT) {
            if (Math.abs(v) > Float.MAX_VALUE) {
                v = Math.clamp(v, -Float.MAX_VALUE, Float.MAX_VALUE);
                quality = Quality.UNCERTAIN;
            }
            v = (float) v;
        }
        long sequence = ++source.sequence;
        if (source.lost(elapsedNanos)) {
            if (source.silent()) return null;
            latest = new Sample(tag.path(), time, lastGood, Quality.BAD, sequence);
            return latest;
        }
        lastGood = v;
        latest = new Sample(tag.path(), time, v, quality, sequence);
        return latest;
    }

    Sample latest() {
        return latest;
    }

    /** Freezes the reading at the last value reported (or at the next reading, if there was none). */
    void stick() {
        stuck = true;
        stuckValue = latest == null ? Double.NaN : latest.quality() == Quality.BAD ? lastGood : latest.value();
    }

    void unstick() {
        stuck = false;
        stuckValue = Double.NaN;
    }

    void drift(double perHour, long sinceNanos) {
        drifting = true;
        driftPerHour = perHour;
        driftSinceNanos = sinceNanos;
    }

    void stopDrift() {
        drifting = false;
    }
}
