package kr.max.library.agreement;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.library.agreement.AccessState.Transition;
import kr.max.library.policy.Action;

/**
 * An access request and the agreement it becomes, with the facts the policy engine needs. Immutable:
 * each transition or counted use gives a new value.
 *
 * @param id        stable identifier
 * @param dataset   the dataset's name
 * @param provider  the provider organization (the dataset's owner organization)
 * @param consumer  the consumer organization
 * @param requested what the consumer asked for, kept so that what was granted can be compared with it
 * @param analysts  principal names who may act; empty for anyone of the consumer organization
 * @param policy    the usage policy in force (while {@code REQUESTED}, the one asked for)
 * @param state     where the request is in its life; only {@link AccessState#ACTIVE} grants anything
 * @param uses      uses so far, per action
 */
public record Agreement(String id, String dataset, String provider, String consumer, Terms requested,
                        Set<String> analysts, UsagePolicy policy, AccessState state, Map<Action, Long> uses) {

    public Agreement {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(consumer, "consumer");
        Objects.requireNonNull(requested, "requested");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(state, "state");
        analysts = Set.copyOf(analysts);
        uses = Map.copyOf(uses);
        for (long n : uses.values()) {
            if (n < 0) throw new IllegalArgumentException("negative use count in agreement " + id);
        }
    }

    /** A consumer organization files an access request for a provider's dataset. */
    public static Agreement requested(String id, String dataset, String provider, String consumer, Terms terms) {
        return new Agreement(id, dataset, provider, consumer, terms, terms.analysts(), terms.policy(List.of()),
                AccessState.REQUESTED, Map.of());
    }

    /** The provider grants what was requested, binding {@code duties}. */
    public Agreement approve(List<Duty> duties) {
        return new Agreement(id, dataset, provider, consumer, requested, requested.analysts(), requested.policy(duties),
                state.apply(Transition.APPROVE), uses);
    }

    /** The provider grants less than was requested; {@code granted} must narrow the request. */
    public Agreement narrow(Terms granted, List<Duty> duties) {
        AccessState next = state.apply(Transition.NARROW);
        granted.widenedTerm(requested).ifPresent(term -> {
            throw new MaxException(AgreementError.NOT_A_NARROWING, Location.dataset(dataset, null), id, term);
        });
        return new Agreement(id, dataset, provider, consumer, requested, granted.analysts(), granted.policy(duties),
                next, uses);
    }

    public Agreement refuse() {
        return moved(Transition.REFUSE);
    }

    public Agreement withdraw() {
        return moved(Transition.WITHDRAW);
    }

    public Agreement revoke() {
        return moved(Transition.REVOKE);
    }

    public Agreement expire() {
        return moved(Transition.EXPIRE);
    }

    private Agreement moved(Transition t) {
        return new Agreement(id, dataset, provider, consumer, requested, analysts, policy, state.apply(t), uses);
    }

    public long usesOf(Action action) {
        return uses.getOrDefault(action, 0L);
    }

    /** This agreement with one more use of {@code action}, as a {@code COUNT_USE} obligation asks. */
    public Agreement counted(Action action) {
        var more = new EnumMap<Action, Long>(Action.class);
        more.putAll(uses);
        more.merge(action, 1L, Long::sum);
        return new Agreement(id, dataset, provider, consumer, requested, analysts, policy, state, more);
    }
}
