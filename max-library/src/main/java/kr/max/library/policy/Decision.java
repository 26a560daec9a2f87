package kr.max.library.policy;

import java.util.Set;

/** The outcome of an access decision, naming the rule that decided it. */
public sealed interface Decision permits Decision.Permit, Decision.Deny {

    /** The name of the rule that decided, for the audit record. */
    String rule();

    /** Go ahead, discharging every obligation. */
    record Permit(String rule, Set<Obligation> obligations) implements Decision {

        public Permit {
            obligations = Set.copyOf(obligations);
        }

        public Permit(String rule) {
            this(rule, Set.of());
        }
    }

    record Deny(String rule) implements Decision {
    }
}
