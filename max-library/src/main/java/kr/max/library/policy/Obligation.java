package kr.max.library.policy;

/**
 * What the caller must do when it acts on a {@link Decision.Permit}. A caller that cannot discharge an
 * obligation must not act.
 */
public sealed interface Obligation permits Obligation.ReviewOutput, Obligation.CountUse, Obligation.Attribute,
        Obligation.DeleteAtEnd {

    /** Results are held until a reviewer releases them (데이터안심구역). */
    Obligation REVIEW_OUTPUT = new ReviewOutput();

    /** Hold the results for review before anything leaves the library. */
    record ReviewOutput() implements Obligation {
    }

    /** Count this use against the agreement, so its count constraints and the provider's usage report hold. */
    record CountUse(String agreementId) implements Obligation {
    }

    /** Cite the provider organization wherever the results appear. */
    record Attribute(String provider) implements Obligation {
    }

    /** Delete what left the library once the agreement is no longer active. */
    record DeleteAtEnd(String agreementId) implements Obligation {
    }
}
