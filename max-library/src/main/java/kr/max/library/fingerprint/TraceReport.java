package kr.max.library.fingerprint;

import java.util.List;
import java.util.Optional;

/**
 * The answer of a trace: the exports a suspect copy was made from, or why none can be named. Evidence
 * for every candidate comes along, strongest first.
 */
public sealed interface TraceReport {

    /** Evidence for every candidate, smallest p-value first. */
    List<Evidence> evidence();

    /**
     * The copy was made from these exports: each one's corrected p-value is below the tracer's threshold.
     * More than one means a copy merged from several exports (collusion), or exports that overlap.
     */
    record Identified(List<Evidence> matches, List<Evidence> evidence) implements TraceReport {
        public Identified {
            matches = List.copyOf(matches);
            evidence = List.copyOf(evidence);
        }
    }

    /** No export can be named; {@code strongest} is the best evidence there was, if any. */
    record Inconclusive(Reason reason, Optional<Evidence> strongest, List<Evidence> evidence) implements TraceReport {
        public Inconclusive {
            evidence = List.copyOf(evidence);
        }
    }

    /** Why a trace named nobody. */
    enum Reason {
        /** No candidate exports were given. */
        NO_CANDIDATES,
        /** The copy has none of the candidates' marked columns with a readable value. */
        NOTHING_TO_READ,
        /** Too few marked cells survive: not even a perfect match could pass the threshold. */
        TOO_LITTLE_EVIDENCE,
        /** Enough was read, and it looks like chance: the copy was not made from these exports. */
        NOT_SIGNIFICANT
    }
}
