package kr.max.factory.alarms;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import kr.max.factory.assets.Tag;
import kr.max.factory.assets.TagSpec;
import kr.max.factory.assets.Units;
import kr.max.factory.twin.Quality;
import kr.max.factory.twin.Sample;

/** The limit and rate-of-change alarms of one tag: on-delay and deadband as {@link AlarmSettings} describes. */
final class LimitCheck {

    /** Where conditions go: the service moves the alarm's state. */
    interface Conditions {
        void condition(AlarmPoint point, boolean present, double value, Instant time);
    }

    private record Level(AlarmPoint point, double limit, boolean high, double deadband) {
    }

    private record Reading(long nanos, double value) {
    }

    private final List<Level> levels = new ArrayList<>();
    private final int[] counts;
    private final AlarmPoint rate;
    private final double maxRate;
    private final long rateWindowNanos;
    private final double rateDeadband;
    private final int onDelay;
    private final int offDelay;
    private final ArrayDeque<Reading> readings = new ArrayDeque<>();
    private int rateCount;

    LimitCheck(Tag tag, AlarmSettings settings, List<AlarmPoint> points) {
        TagSpec spec = tag.spec();
        String unit = Units.symbol(spec.unit());
        double share = AlarmSettings.deadbandShare(spec.unit());
        var a = spec.alarms();
        add(tag, spec, AlarmKind.HIHI, a.hiHi(), true, share, unit, points);
        add(tag, spec, AlarmKind.HI, a.hi(), true, share, unit, points);
        add(tag, spec, AlarmKind.LO, a.lo(), false, share, unit, points);
        add(tag, spec, AlarmKind.LOLO, a.loLo(), false, share, unit, points);
        counts = new int[levels.size()];
        if (spec.maxRatePerSecond() != null) {
            rate = new AlarmPoint(tag.path().toString(), tag.equipment(), AlarmKind.RATE_OF_CHANGE,
                    AlarmKind.RATE_OF_CHANGE.defaultPriority(), spec.name(), unit, spec.maxRatePerSecond(), null);
            points.add(rate);
        } else {
            rate = null;
        }
        maxRate = spec.maxRatePerSecond() == null ? Double.NaN : spec.maxRatePerSecond();
        rateWindowNanos = settings.rateWindow().toNanos();
        rateDeadband = settings.rateDeadband();
        onDelay = settings.onDelaySamples();
        offDelay = settings.offDelaySamples();
    }

    private void add(Tag tag, TagSpec spec, AlarmKind kind, Double limit, boolean high, double share, String unit,
            List<AlarmPoint> points) {
        if (limit == null) return;
        double span = spec.normal() != null ? spec.normal().high() - spec.normal().low() : Math.abs(limit);
        var p = new AlarmPoint(tag.path().toString(), tag.equipment(), kind, kind.defaultPriority(), spec.name(), unit, limit, null);
        points.add(p);
        levels.add(new Level(p, limit, high, share * (span > 0 ? span : 1)));
    }

    boolean isEmpty() {
        return levels.isEmpty() && rate == null;
    }

    /**
     * Checks one sample. Samples of bad or uncertain quality are skipped (their value is not the process's) and
     * restart the rate measurement; a stale value must not hold an alarm in or out.
     */
    void onSample(Sample s, Conditions out) {
        if (s.quality() != Quality.GOOD || !Double.isFinite(s.value())) {
            readings.clear();
            return;
        }
        double v = s.value();
        for (int i = 0; i < levels.size(); i++) {
            Level l = levels.get(i);
            // counts[i] counts the readings in a row that would change the condition; any other reading resets it
            if (!l.point.condition) {
                boolean beyond = l.high ? v >= l.limit : v <= l.limit;
                counts[i] = beyond ? counts[i] + 1 : 0;
                if (counts[i] >= onDelay) {
                    counts[i] = 0;
                    out.condition(l.point, true, v, s.time());
                }
            } else {
                boolean back = l.high ? v < l.limit - l.deadband : v > l.limit + l.deadband;
                counts[i] = back ? counts[i] + 1 : 0;
                if (counts[i] >= offDelay) {
                    counts[i] = 0;
                    out.condition(l.point, false, v, s.time());
                }
            }
        }
        if (rate != null) checkRate(s, v, out);
    }

    private void checkRate(Sample s, double v, Conditions out) {
        long t = nanos(s.time());
        readings.addLast(new Reading(t, v));
        // keep the newest reading at least a window old as the reference
        while (readings.size() > 2) {
            var it = readings.iterator();
            it.next();
            if (t - it.next().nanos() >= rateWindowNanos) readings.removeFirst();
            else break;
        }
        Reading first = readings.peekFirst();
        if (t - first.nanos() < rateWindowNanos) return;
        double perSecond = Math.abs(v - first.value()) / ((t - first.nanos()) / 1e9);
        if (!rate.condition) {
            rateCount = perSecond > maxRate ? rateCount + 1 : 0;
            if (rateCount >= onDelay) {
                rateCount = 0;
                out.condition(rate, true, perSecond, s.time());
            }
        } else {
            rateCount = perSecond < maxRate * (1 - rateDeadband) ? rateCount + 1 : 0;
            if (rateCount >= offDelay) {
                rateCount = 0;
                out.condition(rate, false, perSecond, s.time());
            }
        }
    }

    private static long nanos(Instant t) {
        return Duration.between(Instant.EPOCH, t).toNanos();
    }
}
