package kr.max.library.agreement;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.library.policy.Action;

/**
 * What a consumer asks for in an access request, or what a provider grants: actions, purposes, a
 * period and the named analysts.
 *
 * @param actions   actions that use data: {@code query}, {@code export}, {@code train}; at least one
 * @param purposes  the stated purposes; at least one, since an agency grants for a purpose
 * @param period    when the access may be used
 * @param analysts  principal names who may act; empty for anyone of the consumer organization (never
 *                  enough for {@code designated} data, which needs named accessors)
 */
public record Terms(Set<Action> actions, Set<String> purposes, Constraint.TimeWindow period, Set<String> analysts) {

    public Terms {
        actions = Set.copyOf(actions);
        purposes = Set.copyOf(purposes);
        analysts = Set.copyOf(analysts);
        if (actions.isEmpty()) throw new MaxException(AgreementError.EMPTY_VALUES, Location.NOWHERE, "action");
        for (Action a : actions) {
            if (!a.usesData()) {
                throw new MaxException(AgreementError.UNKNOWN_ACTION, Location.NOWHERE, a.word(), "action", UsagePolicy.ACTIONS);
            }
        }
        if (purposes.isEmpty()) throw new MaxException(AgreementError.EMPTY_VALUES, Location.NOWHERE, "purpose");
        if (period == null) throw new MaxException(AgreementError.INCOMPLETE_WINDOW, Location.NOWHERE, "period");
    }

    public Terms(Set<Action> actions, Set<String> purposes, Instant notBefore, Instant notAfter, Set<String> analysts) {
        this(actions, purposes, new Constraint.TimeWindow(notBefore, notAfter), analysts);
    }

    /**
     * Whether these terms grant no more than {@code requested}: actions, purposes and analysts subsets
     * of the requested ones, the period inside the requested period. Naming analysts narrows a request
     * that named none.
     */
    public boolean narrows(Terms requested) {
        return widenedTerm(requested).isEmpty();
    }

    /** The first term in which these terms grant more than {@code requested}, for the error message. */
    Optional<String> widenedTerm(Terms requested) {
        if (!requested.actions.containsAll(actions)) return Optional.of("action");
        if (!requested.purposes.containsAll(purposes)) return Optional.of("purpose");
        if (!period.inside(requested.period)) return Optional.of("period");
        if (!requested.analysts.isEmpty() && (analysts.isEmpty() || !requested.analysts.containsAll(analysts))) {
            return Optional.of("analysts");
        }
        return Optional.empty();
    }

    /** The usage policy granting these terms: per action, the purposes and the period; {@code duties} bind every use. */
    public UsagePolicy policy(List<Duty> duties) {
        var permissions = new ArrayList<PolicyRule>();
        for (Action a : EnumSet.copyOf(actions)) {
            permissions.add(new PolicyRule(a, new Constraint.PurposeIn(purposes), period));
        }
        return new UsagePolicy(permissions, List.of(), duties);
    }
}
