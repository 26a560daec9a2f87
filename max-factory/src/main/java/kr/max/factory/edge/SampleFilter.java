package kr.max.factory.edge;

import java.util.Map;
import java.util.Set;

/**
 * A rule applied to each sample just before it leaves the plant, so the hub's classification and de-identification
 * rules hold on the wire and not only inside the hub: return the sample (changed or not), or null to keep it in the
 * plant. The buffer keeps the original (encrypted, on the plant's own disk); rules are applied when forwarding, so
 * rules changed while the hub was away apply to the backlog too. The hub's own rules are {@link #hubRules}; the
 * node's options ({@code --drop-tag}, {@code --round-tag}) add to them, never replace them.
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
            return s.withValue(kr.max.library.stream.EdgeRules.round(s.value(), step));
        };
    }

    /**
     * The hub's edge rules: samples of tags they keep in the plant (dropped, or classified above the class limit) are
     * not sent, values of rounded tags go as the multiple of their step.
     */
    static SampleFilter hubRules(kr.max.library.stream.EdgeRules rules) {
        return s -> {
            if (rules.keepsInPlant(s.tag())) return null;
            double v = rules.generalize(s.tag(), s.value());
            return Double.compare(v, s.value()) == 0 ? s : s.withValue(v);
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
