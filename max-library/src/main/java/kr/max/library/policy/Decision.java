package kr.max.library.policy;

/** The outcome of an access decision, naming the rule that decided it. */
public sealed interface Decision permits Decision.Permit, Decision.Deny {

    /** The name of the rule that decided, for the audit record. */
    String rule();

    record Permit(String rule) implements Decision {
    }

    record Deny(String rule) implements Decision {
    }
}
