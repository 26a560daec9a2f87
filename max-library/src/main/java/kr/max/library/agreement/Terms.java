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
 * period, the named analysts and a limit on uses.
 *
 * @param actions   actions that use data: {@code query}, {@code export}, {@code train}; at least one
 * @param purposes  the stated purposes; at least one, since an agency grants for a purpose
 * @param period    when the access may be used
 * @param analysts  principal names who may act; empty for anyone of the consumer organization (never
 *                  enough for {@code designated} data, which needs named accessors)
 * @param maxUses   how many times each action may be used under the agreement; {@code null} for no limit. A
 *                  provider may set one when narrowing a request that asked for none
 * @param deidentifiedOnly only de-identified releases of the dataset, never the dataset itself. A provider may
 *                  require it when narrowing a request that did not
 */
public record Terms(Set<Action> actions, Set<String> purposes, Constraint.TimeWindow period, Set<String> analysts,
                    Long maxUses, boolean deidentifiedOnly) {

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
        if (maxUses != null) new Constraint.CountAtMost(maxUses); // the same check, the same error, as in a policy
    }

    /** Terms for the dataset itself or its releases. */
    public Terms(Set<Action> actions, Set<String> purposes, Constraint.TimeWindow period, Set<String> analysts, Long maxUses) {
        this(actions, purposes, period, analysts, maxUses, false);
    }

    /** Terms without a limit on uses. */
    public Terms(Set<Action> actions, Set<String> purposes, Constraint.TimeWindow period, Set<String> analysts) {
        this(actions, purposes, period, analysts, null, false);
    }

    public Terms(Set<Action> actions, Set<String> purposes, Instant notBefore, Instant notAfter, Set<String> analysts) {
        this(actions, purposes, new Constraint.TimeWindow(notBefore, notAfter), analysts, null, false);
    }

    /** These terms, limited or not to de-identified releases. */
    public Terms withDeidentifiedOnly(boolean only) {
        return new Terms(actions, purposes, period, analysts, maxUses, only);
    }

    /**
     * Whether these terms grant no more than {@code requested}: actions, purposes and analysts subsets
     * of the requested ones, the period inside the requested period, the use limit no higher, releases only
     * where releases only were asked for. Naming analysts, setting a limit, or limiting to de-identified
     * releases narrows a request that had none.
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
        if (requested.maxUses != null && (maxUses == null || maxUses > requested.maxUses)) return Optional.of("uses");
        if (requested.deidentifiedOnly && !deidentifiedOnly) return Optional.of("release");
        return Optional.empty();
    }

    /**
     * The usage policy granting these terms: per action, the purposes, the period and the use limit;
     * {@code duties} bind every use.
     */
    public UsagePolicy policy(List<Duty> duties) {
        var permissions = new ArrayList<PolicyRule>();
        for (Action a : EnumSet.copyOf(actions)) {
            var constraints = new ArrayList<Constraint>(List.of(new Constraint.PurposeIn(purposes), period));
            if (maxUses != null) constraints.add(new Constraint.CountAtMost(maxUses));
            if (deidentifiedOnly) constraints.add(new Constraint.DeidentifiedRelease());
            permissions.add(new PolicyRule(a, constraints));
        }
        return new UsagePolicy(permissions, List.of(), duties);
    }
}
