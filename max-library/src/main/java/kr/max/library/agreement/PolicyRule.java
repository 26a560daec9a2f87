package kr.max.library.agreement;

import java.util.List;
import java.util.Objects;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.library.policy.Action;

/**
 * A permission or prohibition of a usage policy: an action and the constraints under which the rule
 * applies. Only actions that use data ({@code query}, {@code export}, {@code train}) can be governed.
 */
public record PolicyRule(Action action, List<Constraint> constraints) {

    public PolicyRule {
        Objects.requireNonNull(action, "action");
        if (!action.usesData()) {
            throw new MaxException(AgreementError.UNKNOWN_ACTION, Location.NOWHERE, action.word(), "action", UsagePolicy.ACTIONS);
        }
        constraints = List.copyOf(constraints);
    }

    public PolicyRule(Action action, Constraint... constraints) {
        this(action, List.of(constraints));
    }
}
