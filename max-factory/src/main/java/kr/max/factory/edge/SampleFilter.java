package kr.max.factory.edge;

import java.util.Map;
import java.util.Set;

/**
 * A rule applied to each sample just before it leaves the plant, so the hub's classification and de-identification
 * rules hold on the wire and not only inside the hub: return the sample (changed or not), or null to keep it in the
 * plant. The buffer keeps the original (encrypted, on the plant's own disk); rules are applied when forwarding, so
 * rules changed while the hub was away apply to the backlog too.
 *
 * <p>A dropped sample leaves a gap in the sequence numbers the hub sees; the edge acknowledges it with the samples
 * around it, so it is never sent later.
 */
@FunctionalInterface
public interface SampleFilter {

    /** The sample to send, or null to send nothing for it. */
    EdgeSample apply(EdgeSample sample);

    /** Sends everything unchanged. */
    static SampleFilter none() {
        return s -> s;
    }

    /** Keeps samples of these tags (tag ids such as {@code operator-id}) in the plant. */
    static SampleFilter dropTags(Set<String> tags) {
        Set<String> copy = Set.copyOf(tags);
        return s -> copy.contains(s.tag()) ? null : s;
    }

    /**
     * Rounds values of these tags to a multiple of their step (a coarser value, as the hub's generalization of
     * person-related measurements asks), for tag id → step &gt; 0.
     */
    static SampleFilter roundTags(Map<String, Double> steps) {
        Map<String, Double> copy = Map.copyOf(steps);
        return s -> {
            Double step = copy.get(s.tag());
            if (step == null || !Double.isFinite(s.value())) return s;
            return s.withValue(Math.round(s.value() / step) * step);
        };
    }

    /** This rule, then {@code next} on what it lets through. */
    default SampleFilter andThen(SampleFilter next) {
        return s -> {
            EdgeSample r = apply(s);
            return r == null ? null : next.apply(r);
        };
    }
}
