package kr.max.library.policy;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import kr.max.core.Classification;
import kr.max.core.Role;
import kr.max.library.agreement.AccessState;
import kr.max.library.agreement.Agreement;
import kr.max.library.agreement.Constraint;
import kr.max.library.agreement.Duty;
import kr.max.library.agreement.PolicyRule;
import kr.max.library.policy.Decision.Deny;
import kr.max.library.policy.Decision.Permit;

/**
 * The library's governance: classification, residency, roles and agreements, one method per rule.
 *
 * <p>Each action has a chain of rules, evaluated in order; the first rule that decides names itself in
 * the decision, and the last rule of every chain always decides. Anything a rule does not grant is
 * denied.
 *
 * <ul>
 * <li>{@code audit}: {@code role-auditor} / {@code role-auditor-required}.
 * <li>{@code manage-identities}: {@code role-admin} / {@code role-admin-required}.
 * <li>{@code ingest}: a new dataset needs a provider ({@code role-provider} / {@code role-provider-required});
 *     an existing one is managed as below.
 * <li>{@code ingest}, {@code describe}, {@code delete}, {@code decide-request}: {@code role-provider-required},
 *     then {@code owner-organization-provider} / {@code provider-owner-organization-only}.
 * <li>{@code revoke}: {@code revoke-owner-provider-or-steward} / {@code revoke-owner-provider-or-steward-only}: the
 *     provider organization ends its agreements, and a steward, as the library's operator, may end any; a
 *     steward never approves.
 * <li>{@code designate}: {@code designation-steward} / {@code designation-steward-only}.
 * <li>{@code usage}: {@code usage-owner-auditor-or-steward} / {@code usage-owner-auditor-or-steward-only}.
 * <li>{@code review}: {@code review-owner-or-steward} / {@code review-owner-or-steward-only}.
 * <li>{@code read-metadata}: {@code internal-owner-organization-only}, then {@code catalog-entry}: any
 *     authenticated principal sees the entry of other classifications, so that they can request access.
 * <li>{@code request-access}: {@code residency-designated-domestic-only}, {@code role-consumer-required},
 *     {@code internal-owner-organization-only}, {@code public-data-needs-no-agreement}, then {@code access-request}.
 * <li>{@code query}, {@code export}, {@code train}:
 *   <ol>
 *   <li>{@code residency-designated-domestic-only}: a foreign principal never uses designated data;
 *   <li>{@code residency-domestic-only-export}: a foreign principal never exports domestic-only data;
 *   <li>{@code residency-export-destination}: no export leaves the library's jurisdiction;
 *   <li>{@code role-consumer-required}: using data needs the consumer (or provider) role;
 *   <li>{@code deid-release-required}: where the provider requires it for the action, other organizations use
 *       only a de-identified release of the dataset, never the dataset itself;
 *   <li>{@code designated-no-raw-export}: designated data is never exported, not even by its owner; a model
 *       trained on it is a result, not raw data, and goes on to the next rules, so that only its owner
 *       organization's providers take it out, after review ({@code designated-owner-organization});
 *   <li>{@code public-data}: public data is open to every consumer;
 *   <li>{@code designated-owner-organization}: providers of the owner organization are named accessors
 *       of their designated data; their results are held for review like everyone's;
 *   <li>{@code owner-organization}: the owner organization uses its internal and restricted data;
 *   <li>{@code internal-owner-organization-only}: no one else uses internal data;
 *   <li>{@code designated-named-analysts-only}: designated data needs an agreement in force that names
 *       the principal;
 *   <li>{@code restricted-agreement-required}: restricted data needs an agreement in force;
 *   <li>{@code agreement-named-analysts-only}: an agreement that names analysts admits only them;
 *   <li>the terms of each admitting agreement, in list order, decide: the first that permits gives
 *       {@code restricted-agreement} or {@code designated-agreement} with its obligations; if none does, the
 *       first one's reason denies: {@code agreement-prohibited}, {@code agreement-action-not-permitted},
 *       {@code agreement-release-deidentified} (the agreement allows only de-identified releases), {@code agreement-purpose}, {@code agreement-jurisdiction}, {@code agreement-window},
 *       {@code agreement-count-exhausted}.
 *   </ol>
 * </ul>
 * An agreement is in force when it is {@code ACTIVE}, for this dataset or the dataset it is a release of, between the owner organization as
 * provider and the principal's organization as consumer; in any other state it counts for nothing, so a
 * revocation takes effect on the next decision. Being a steward never opens rows.
 */
public final class GovernancePolicy implements PolicyEngine {

    /** Decides, or returns {@code null} to leave the decision to the next rule. */
    @FunctionalInterface
    private interface Rule {
        Decision check(AccessRequest r);
    }

    /** Keeps the permissions of an agreement that survive one of its terms; none left denies under {@code name}. */
    private record Term(String name, TermRule rule) {
    }

    @FunctionalInterface
    private interface TermRule {
        List<PolicyRule> keep(AccessRequest r, Agreement a, List<PolicyRule> permissions);
    }

    private static final List<Term> TERMS = List.of(
            new Term("agreement-action-not-permitted", GovernancePolicy::permissionsForTheAction),
            new Term("agreement-release-deidentified", GovernancePolicy::deidentifiedReleaseWhereTheAgreementSaysSo),
            new Term("agreement-purpose", GovernancePolicy::purposeWithinTheAgreement),
            new Term("agreement-jurisdiction", GovernancePolicy::jurisdictionWithinTheAgreement),
            new Term("agreement-window", GovernancePolicy::decisionTimeWithinTheWindow),
            new Term("agreement-count-exhausted", GovernancePolicy::usesLeftUnderTheCount));

    private static final Map<Action, List<Rule>> CHAINS = chains();

    private static Map<Action, List<Rule>> chains() {
        List<Rule> managing = List.of(GovernancePolicy::managingNeedsTheProviderRole,
                GovernancePolicy::onlyTheOwnerOrganizationManages);
        List<Rule> using = List.of(
                GovernancePolicy::designatedDataStaysInTheCountry,
                GovernancePolicy::domesticOnlyDataIsNotExportedByForeigners,
                GovernancePolicy::exportsStayInTheLibrarysJurisdiction,
                GovernancePolicy::usingDataNeedsTheConsumerRole,
                GovernancePolicy::providerRequiresADeidentifiedRelease,
                GovernancePolicy::designatedDataIsNeverExported,
                GovernancePolicy::publicDataIsOpenToConsumers,
                GovernancePolicy::designatedOwnerProvidersAreNamedAccessors,
                GovernancePolicy::ownerOrganizationUsesItsOwnData,
                GovernancePolicy::internalDataStaysInTheOwnerOrganization,
                GovernancePolicy::designatedDataNeedsANamedAnalyst,
                GovernancePolicy::restrictedDataNeedsAnAgreement,
                GovernancePolicy::agreementMustNameTheAnalyst,
                GovernancePolicy::agreementTermsDecide);
        var m = new EnumMap<Action, List<Rule>>(Action.class);
        m.put(Action.AUDIT, List.of(GovernancePolicy::auditTrailIsForAuditors));
        m.put(Action.MANAGE_IDENTITIES, List.of(GovernancePolicy::identitiesAreManagedByAdmins));
        var ingest = new ArrayList<Rule>();
        ingest.add(GovernancePolicy::newDatasetsAreDepositedByProviders);
        ingest.addAll(managing);
        m.put(Action.INGEST, List.copyOf(ingest));
        m.put(Action.DESCRIBE, managing);
        m.put(Action.DELETE, managing);
        m.put(Action.DECIDE_REQUEST, managing);
        m.put(Action.REVOKE, List.of(GovernancePolicy::agreementsAreRevokedByTheirProviderOrAStewardOnly));
        m.put(Action.DESIGNATE, List.of(GovernancePolicy::onlyStewardsDesignate));
        m.put(Action.USAGE, List.of(GovernancePolicy::usageIsShownToOwnerAuditorsAndStewards));
        m.put(Action.REVIEW, List.of(GovernancePolicy::outputIsReviewedByOwnerOrSteward));
        m.put(Action.READ_METADATA, List.of(GovernancePolicy::internalDataStaysInTheOwnerOrganization,
                GovernancePolicy::catalogEntriesAreVisible));
        m.put(Action.REQUEST_ACCESS, List.of(
                GovernancePolicy::designatedDataStaysInTheCountry,
                GovernancePolicy::usingDataNeedsTheConsumerRole,
                GovernancePolicy::internalDataStaysInTheOwnerOrganization,
                GovernancePolicy::publicDataNeedsNoAgreement,
                GovernancePolicy::requestsAreFiled));
        m.put(Action.QUERY, using);
        m.put(Action.EXPORT, using);
        m.put(Action.TRAIN, using);
        if (m.size() != Action.values().length) throw new IllegalStateException("an action without rules");
        return m;
    }

    @Override
    public Decision decide(AccessRequest r) {
        for (Rule rule : CHAINS.get(r.action())) {
            Decision d = rule.check(r);
            if (d != null) return d;
        }
        throw new IllegalStateException("no rule decided " + r.action().word());
    }

    // ---- the library as a whole ----

    private static Decision auditTrailIsForAuditors(AccessRequest r) {
        return r.principal().has(Role.AUDITOR) ? new Permit("role-auditor") : new Deny("role-auditor-required");
    }

    private static Decision identitiesAreManagedByAdmins(AccessRequest r) {
        return r.principal().has(Role.ADMIN) ? new Permit("role-admin") : new Deny("role-admin-required");
    }

    // ---- residency: first, whoever asks ----

    private static Decision designatedDataStaysInTheCountry(AccessRequest r) {
        return classification(r) == Classification.DESIGNATED && r.foreign()
                ? new Deny("residency-designated-domestic-only") : null;
    }

    private static Decision domesticOnlyDataIsNotExportedByForeigners(AccessRequest r) {
        return r.action() == Action.EXPORT && r.dataset().domesticOnly() && r.foreign()
                ? new Deny("residency-domestic-only-export") : null;
    }

    private static Decision exportsStayInTheLibrarysJurisdiction(AccessRequest r) {
        return r.action() == Action.EXPORT && r.destination() != null && !r.destination().equals(r.libraryJurisdiction())
                ? new Deny("residency-export-destination") : null;
    }

    // ---- managing datasets ----

    private static Decision newDatasetsAreDepositedByProviders(AccessRequest r) {
        if (r.dataset() != null) return null;
        return r.principal().has(Role.PROVIDER) ? new Permit("role-provider") : new Deny("role-provider-required");
    }

    private static Decision managingNeedsTheProviderRole(AccessRequest r) {
        return r.principal().has(Role.PROVIDER) ? null : new Deny("role-provider-required");
    }

    private static Decision onlyTheOwnerOrganizationManages(AccessRequest r) {
        return r.ownerOrganization() ? new Permit("owner-organization-provider") : new Deny("provider-owner-organization-only");
    }

    private static Decision onlyStewardsDesignate(AccessRequest r) {
        return r.principal().has(Role.STEWARD) ? new Permit("designation-steward") : new Deny("designation-steward-only");
    }

    private static Decision agreementsAreRevokedByTheirProviderOrAStewardOnly(AccessRequest r) {
        var p = r.principal();
        return p.has(Role.PROVIDER) && r.ownerOrganization() || p.has(Role.STEWARD)
                ? new Permit("revoke-owner-provider-or-steward") : new Deny("revoke-owner-provider-or-steward-only");
    }

    private static Decision usageIsShownToOwnerAuditorsAndStewards(AccessRequest r) {
        var p = r.principal();
        return p.has(Role.PROVIDER) && r.ownerOrganization() || p.has(Role.AUDITOR) || p.has(Role.STEWARD)
                ? new Permit("usage-owner-auditor-or-steward") : new Deny("usage-owner-auditor-or-steward-only");
    }

    private static Decision outputIsReviewedByOwnerOrSteward(AccessRequest r) {
        var p = r.principal();
        return p.has(Role.PROVIDER) && r.ownerOrganization() || p.has(Role.STEWARD)
                ? new Permit("review-owner-or-steward") : new Deny("review-owner-or-steward-only");
    }

    // ---- the catalog and access requests ----

    private static Decision catalogEntriesAreVisible(AccessRequest r) {
        return new Permit("catalog-entry");
    }

    private static Decision publicDataNeedsNoAgreement(AccessRequest r) {
        return classification(r) == Classification.PUBLIC ? new Deny("public-data-needs-no-agreement") : null;
    }

    private static Decision requestsAreFiled(AccessRequest r) {
        return new Permit("access-request");
    }

    // ---- using data ----

    private static Decision usingDataNeedsTheConsumerRole(AccessRequest r) {
        var p = r.principal();
        return p.has(Role.CONSUMER) || p.has(Role.PROVIDER) ? null : new Deny("role-consumer-required");
    }

    private static Decision providerRequiresADeidentifiedRelease(AccessRequest r) {
        DatasetFacts d = r.dataset();
        return !d.isRelease() && d.deidRequiredFor().contains(r.action()) && !r.ownerOrganization()
                ? new Deny("deid-release-required") : null;
    }

    private static Decision designatedDataIsNeverExported(AccessRequest r) {
        // A model is a result of the analysis inside; like a query's result it leaves only after review.
        return r.action() == Action.EXPORT && classification(r) == Classification.DESIGNATED && !r.dataset().model()
                ? new Deny("designated-no-raw-export") : null;
    }

    private static Decision publicDataIsOpenToConsumers(AccessRequest r) {
        return classification(r) == Classification.PUBLIC ? new Permit("public-data") : null;
    }

    private static Decision designatedOwnerProvidersAreNamedAccessors(AccessRequest r) {
        // Their results are reviewed too: otherwise SELECT * would be the raw export designation forbids.
        return classification(r) == Classification.DESIGNATED && r.ownerOrganization() && r.principal().has(Role.PROVIDER)
                ? new Permit("designated-owner-organization", Set.of(Obligation.REVIEW_OUTPUT)) : null;
    }

    private static Decision ownerOrganizationUsesItsOwnData(AccessRequest r) {
        var c = classification(r);
        return (c == Classification.INTERNAL || c == Classification.RESTRICTED) && r.ownerOrganization()
                ? new Permit("owner-organization") : null;
    }

    private static Decision internalDataStaysInTheOwnerOrganization(AccessRequest r) {
        return classification(r) == Classification.INTERNAL && !r.ownerOrganization()
                ? new Deny("internal-owner-organization-only") : null;
    }

    private static Decision designatedDataNeedsANamedAnalyst(AccessRequest r) {
        return classification(r) == Classification.DESIGNATED && !anyInForce(r, a -> admits(r, a))
                ? new Deny("designated-named-analysts-only") : null;
    }

    private static Decision restrictedDataNeedsAnAgreement(AccessRequest r) {
        return classification(r) == Classification.RESTRICTED && !anyInForce(r, a -> true)
                ? new Deny("restricted-agreement-required") : null;
    }

    private static Decision agreementMustNameTheAnalyst(AccessRequest r) {
        return classification(r) == Classification.RESTRICTED && !anyInForce(r, a -> admits(r, a))
                ? new Deny("agreement-named-analysts-only") : null;
    }

    private static Decision agreementTermsDecide(AccessRequest r) {
        Decision first = null;
        for (Agreement a : r.agreements()) {
            if (!inForce(r, a) || !admits(r, a)) continue;
            Decision d = underTerms(r, a);
            if (d instanceof Permit) return d;
            if (first == null) first = d;
        }
        return first;
    }

    private static Decision underTerms(AccessRequest r, Agreement a) {
        if (prohibitionsOverridePermissions(r, a)) return new Deny("agreement-prohibited");
        List<PolicyRule> left = a.policy().permissions();
        for (Term term : TERMS) {
            left = term.rule().keep(r, a, left);
            if (left.isEmpty()) return new Deny(term.name());
        }
        boolean designated = classification(r) == Classification.DESIGNATED;
        var obligations = new HashSet<Obligation>();
        obligations.add(new Obligation.CountUse(a.id()));
        if (designated) obligations.add(Obligation.REVIEW_OUTPUT);
        for (Duty duty : a.policy().duties()) {
            obligations.add(switch (duty) {
                case ATTRIBUTE -> new Obligation.Attribute(a.provider());
                case REVIEW_OUTPUT -> Obligation.REVIEW_OUTPUT;
                case DELETE_AT_END -> new Obligation.DeleteAtEnd(a.id());
            });
        }
        return new Permit(designated ? "designated-agreement" : "restricted-agreement", obligations);
    }

    // ---- the terms of one agreement, in order ----

    private static boolean prohibitionsOverridePermissions(AccessRequest r, Agreement a) {
        for (PolicyRule prohibition : a.policy().prohibitions()) {
            if (prohibition.action() == r.action()
                    && prohibition.constraints().stream().allMatch(c -> holds(c, r, a))) {
                return true;
            }
        }
        return false;
    }

    private static List<PolicyRule> permissionsForTheAction(AccessRequest r, Agreement a, List<PolicyRule> permissions) {
        return keep(permissions, p -> p.action() == r.action());
    }

    private static List<PolicyRule> deidentifiedReleaseWhereTheAgreementSaysSo(AccessRequest r, Agreement a,
                                                                               List<PolicyRule> permissions) {
        return keep(permissions, p -> all(p, Constraint.DeidentifiedRelease.class, c -> c.holds(r.dataset().isRelease())));
    }

    private static List<PolicyRule> purposeWithinTheAgreement(AccessRequest r, Agreement a, List<PolicyRule> permissions) {
        return keep(permissions, p -> all(p, Constraint.PurposeIn.class, c -> c.holds(r.purpose())));
    }

    private static List<PolicyRule> jurisdictionWithinTheAgreement(AccessRequest r, Agreement a, List<PolicyRule> permissions) {
        return keep(permissions, p -> all(p, Constraint.JurisdictionIn.class, c -> c.holds(r.principal().jurisdiction())));
    }

    private static List<PolicyRule> decisionTimeWithinTheWindow(AccessRequest r, Agreement a, List<PolicyRule> permissions) {
        return keep(permissions, p -> all(p, Constraint.TimeWindow.class, c -> c.holds(r.at())));
    }

    private static List<PolicyRule> usesLeftUnderTheCount(AccessRequest r, Agreement a, List<PolicyRule> permissions) {
        return keep(permissions, p -> all(p, Constraint.CountAtMost.class, c -> c.holds(a.usesOf(r.action()))));
    }

    // ---- helpers ----

    private static Classification classification(AccessRequest r) {
        return r.dataset() == null ? null : r.dataset().classification();
    }

    private static boolean inForce(AccessRequest r, Agreement a) {
        // An agreement on a dataset reaches its de-identified releases too; its terms say whether only them.
        return a.state() == AccessState.ACTIVE
                && (a.dataset().equals(r.dataset().name()) || a.dataset().equals(r.dataset().releaseOf()))
                && a.consumer().equals(r.principal().organization())
                && a.provider().equals(r.dataset().ownerOrganization());
    }

    /** Designated data has named accessors only; elsewhere an agreement naming no one admits its whole organization. */
    private static boolean admits(AccessRequest r, Agreement a) {
        if (a.analysts().contains(r.principal().name())) return true;
        return a.analysts().isEmpty() && classification(r) != Classification.DESIGNATED;
    }

    private static boolean anyInForce(AccessRequest r, Predicate<Agreement> also) {
        for (Agreement a : r.agreements()) {
            if (inForce(r, a) && also.test(a)) return true;
        }
        return false;
    }

    private static boolean holds(Constraint c, AccessRequest r, Agreement a) {
        return switch (c) {
            case Constraint.PurposeIn p -> p.holds(r.purpose());
            case Constraint.JurisdictionIn j -> j.holds(r.principal().jurisdiction());
            case Constraint.TimeWindow w -> w.holds(r.at());
            case Constraint.CountAtMost n -> n.holds(a.usesOf(r.action()));
            case Constraint.DeidentifiedRelease d -> d.holds(r.dataset().isRelease());
        };
    }

    private static <C extends Constraint> boolean all(PolicyRule rule, Class<C> kind, Predicate<C> test) {
        for (Constraint c : rule.constraints()) {
            if (kind.isInstance(c) && !test.test(kind.cast(c))) return false;
        }
        return true;
    }

    private static List<PolicyRule> keep(List<PolicyRule> rules, Predicate<PolicyRule> test) {
        var out = new ArrayList<PolicyRule>(rules.size());
        for (PolicyRule rule : rules) {
            if (test.test(rule)) out.add(rule);
        }
        return out;
    }
}
