package kr.max.library.policy;

import static kr.max.library.policy.Action.AUDIT;
import static kr.max.library.policy.Action.DECIDE_REQUEST;
import static kr.max.library.policy.Action.DELETE;
import static kr.max.library.policy.Action.DESCRIBE;
import static kr.max.library.policy.Action.DESIGNATE;
import static kr.max.library.policy.Action.EXPORT;
import static kr.max.library.policy.Action.INGEST;
import static kr.max.library.policy.Action.MANAGE_IDENTITIES;
import static kr.max.library.policy.Action.QUERY;
import static kr.max.library.policy.Action.READ_METADATA;
import static kr.max.library.policy.Action.REQUEST_ACCESS;
import static kr.max.library.policy.Action.REVIEW;
import static kr.max.library.policy.Action.REVOKE;
import static kr.max.library.policy.Action.TRAIN;
import static kr.max.library.policy.Action.USAGE;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import kr.max.core.Classification;
import kr.max.core.Role;
import kr.max.library.agreement.AccessState;
import kr.max.library.agreement.Agreement;
import kr.max.library.agreement.Constraint;
import kr.max.library.agreement.Duty;
import kr.max.library.agreement.PolicyRule;

/**
 * The governance rules restated as one flat decision table over facts computed up front, written
 * without looking at {@link GovernancePolicy}'s rule methods: the first row whose actions include the
 * request's and whose condition holds gives the outcome. Agreements are judged by how many leading term
 * kinds a permission satisfies, rather than by filtering as the engine does.
 */
final class ReferenceOracle {

    /** The expected outcome; {@code obligations} only for permits. */
    record Expected(boolean permit, String rule, Set<Obligation> obligations) {
    }

    /** The request flattened into the facts the table reads. */
    private record Facts(Action action, Classification cls, boolean provider, boolean consumer, boolean steward,
                         boolean auditor, boolean admin, boolean owner, boolean foreign, boolean destinationForeign,
                         boolean domesticOnly, boolean deidRequired, boolean model, int inForce, int admitting,
                         Expected byAgreement) {
    }

    private record Row(Set<Action> actions, Predicate<Facts> when, boolean permit, String rule) {
    }

    private static final Set<Action> USE = EnumSet.of(QUERY, EXPORT, TRAIN);
    private static final Set<Action> USE_OR_REQUEST = EnumSet.of(QUERY, EXPORT, TRAIN, REQUEST_ACCESS);
    private static final Set<Action> MANAGE = EnumSet.of(INGEST, DESCRIBE, DELETE, DECIDE_REQUEST);
    private static final String FROM_AGREEMENT = "(agreement)";

    private static final List<Row> TABLE = List.of(
            row(EnumSet.of(AUDIT), f -> f.auditor, true, "role-auditor"),
            row(EnumSet.of(AUDIT), f -> true, false, "role-auditor-required"),
            row(EnumSet.of(MANAGE_IDENTITIES), f -> f.admin, true, "role-admin"),
            row(EnumSet.of(MANAGE_IDENTITIES), f -> true, false, "role-admin-required"),
            row(EnumSet.of(INGEST), f -> f.cls == null && f.provider, true, "role-provider"),
            row(EnumSet.of(INGEST), f -> f.cls == null, false, "role-provider-required"),
            row(MANAGE, f -> !f.provider, false, "role-provider-required"),
            row(MANAGE, f -> f.owner, true, "owner-organization-provider"),
            row(MANAGE, f -> true, false, "provider-owner-organization-only"),
            row(EnumSet.of(REVOKE), f -> f.provider && f.owner || f.steward, true, "revoke-owner-provider-or-steward"),
            row(EnumSet.of(REVOKE), f -> true, false, "revoke-owner-provider-or-steward-only"),
            row(EnumSet.of(DESIGNATE), f -> f.steward, true, "designation-steward"),
            row(EnumSet.of(DESIGNATE), f -> true, false, "designation-steward-only"),
            row(EnumSet.of(USAGE), f -> f.provider && f.owner || f.auditor || f.steward, true, "usage-owner-auditor-or-steward"),
            row(EnumSet.of(USAGE), f -> true, false, "usage-owner-auditor-or-steward-only"),
            row(EnumSet.of(REVIEW), f -> f.provider && f.owner || f.steward, true, "review-owner-or-steward"),
            row(EnumSet.of(REVIEW), f -> true, false, "review-owner-or-steward-only"),
            row(EnumSet.of(READ_METADATA), f -> f.cls == Classification.INTERNAL && !f.owner, false, "internal-owner-organization-only"),
            row(EnumSet.of(READ_METADATA), f -> true, true, "catalog-entry"),
            row(USE_OR_REQUEST, f -> f.cls == Classification.DESIGNATED && f.foreign, false, "residency-designated-domestic-only"),
            row(EnumSet.of(EXPORT), f -> f.domesticOnly && f.foreign, false, "residency-domestic-only-export"),
            row(EnumSet.of(EXPORT), f -> f.destinationForeign, false, "residency-export-destination"),
            row(USE_OR_REQUEST, f -> !f.consumer && !f.provider, false, "role-consumer-required"),
            row(USE, f -> f.deidRequired && !f.owner, false, "deid-release-required"),
            row(EnumSet.of(REQUEST_ACCESS), f -> f.cls == Classification.INTERNAL && !f.owner, false, "internal-owner-organization-only"),
            row(EnumSet.of(REQUEST_ACCESS), f -> f.cls == Classification.PUBLIC, false, "public-data-needs-no-agreement"),
            row(EnumSet.of(REQUEST_ACCESS), f -> true, true, "access-request"),
            row(EnumSet.of(EXPORT), f -> f.cls == Classification.DESIGNATED && !f.model, false, "designated-no-raw-export"),
            row(USE, f -> f.cls == Classification.PUBLIC, true, "public-data"),
            row(USE, f -> f.cls == Classification.DESIGNATED && f.owner && f.provider, true, "designated-owner-organization"),
            row(USE, f -> (f.cls == Classification.INTERNAL || f.cls == Classification.RESTRICTED) && f.owner, true, "owner-organization"),
            row(USE, f -> f.cls == Classification.INTERNAL, false, "internal-owner-organization-only"),
            row(USE, f -> f.cls == Classification.DESIGNATED && f.admitting == 0, false, "designated-named-analysts-only"),
            row(USE, f -> f.cls == Classification.RESTRICTED && f.inForce == 0, false, "restricted-agreement-required"),
            row(USE, f -> f.cls == Classification.RESTRICTED && f.admitting == 0, false, "agreement-named-analysts-only"),
            row(USE, f -> true, false, FROM_AGREEMENT));

    /** Term kinds in the order their failure is reported; a permission "reaches" kind k if it satisfies all before it. */
    private static final List<String> KIND_RULES = List.of("agreement-release-deidentified", "agreement-purpose",
            "agreement-jurisdiction", "agreement-window", "agreement-count-exhausted");

    private ReferenceOracle() {
    }

    private static Row row(Set<Action> actions, Predicate<Facts> when, boolean permit, String rule) {
        return new Row(actions, when, permit, rule);
    }

    static Expected decide(AccessRequest r) {
        Facts f = facts(r);
        for (Row row : TABLE) {
            if (!row.actions.contains(f.action) || !row.when.test(f)) continue;
            if (row.rule.equals(FROM_AGREEMENT)) return f.byAgreement;
            Set<Obligation> obligations = row.rule.equals("designated-owner-organization")
                    ? Set.of(new Obligation.ReviewOutput()) : Set.of();
            return new Expected(row.permit, row.rule, row.permit ? obligations : Set.of());
        }
        throw new AssertionError("the table has no row for " + f);
    }

    private static Facts facts(AccessRequest r) {
        var p = r.principal();
        DatasetFacts ds = r.dataset();
        boolean datasetKnown = ds != null && r.action() != AUDIT && r.action() != MANAGE_IDENTITIES;
        Classification cls = datasetKnown ? ds.classification() : null;
        boolean owner = datasetKnown && ds.ownerOrganization() != null && p.organization().equals(ds.ownerOrganization());
        String home = r.libraryJurisdiction();
        int inForce = 0;
        var admitting = new ArrayList<Agreement>();
        if (datasetKnown) {
            for (Agreement a : r.agreements()) {
                boolean sameData = a.dataset().equals(ds.name()) || ds.releaseOf() != null && a.dataset().equals(ds.releaseOf());
                boolean applies = a.state() == AccessState.ACTIVE && sameData
                        && a.consumer().equals(p.organization()) && a.provider().equals(ds.ownerOrganization());
                if (!applies) continue;
                inForce++;
                boolean named = a.analysts().contains(p.name());
                boolean open = a.analysts().isEmpty();
                if (cls == Classification.DESIGNATED ? named : named || open) admitting.add(a);
            }
        }
        Expected byAgreement = null;
        for (Agreement a : admitting) {
            Expected e = judge(r, a, cls == Classification.DESIGNATED);
            if (e.permit) {
                byAgreement = e;
                break;
            }
            if (byAgreement == null) byAgreement = e;
        }
        return new Facts(r.action(), cls, p.has(Role.PROVIDER), p.has(Role.CONSUMER), p.has(Role.STEWARD),
                p.has(Role.AUDITOR), p.has(Role.ADMIN), owner, !home.equals(p.jurisdiction()),
                r.destination() != null && !home.equals(r.destination()), datasetKnown && ds.domesticOnly(),
                datasetKnown && ds.releaseOf() == null && ds.deidRequiredFor().contains(r.action()),
                datasetKnown && ds.model(), inForce, admitting.size(), byAgreement);
    }

    private static Expected judge(AccessRequest r, Agreement a, boolean designated) {
        for (PolicyRule prohibition : a.policy().prohibitions()) {
            if (prohibition.action() != r.action()) continue;
            boolean all = true;
            for (Constraint c : prohibition.constraints()) all &= satisfied(c, r, a);
            if (all) return new Expected(false, "agreement-prohibited", Set.of());
        }
        int best = -1;
        for (PolicyRule permission : a.policy().permissions()) {
            if (permission.action() != r.action()) continue;
            best = Math.max(best, reach(permission, r, a));
        }
        if (best < 0) return new Expected(false, "agreement-action-not-permitted", Set.of());
        if (best < KIND_RULES.size()) return new Expected(false, KIND_RULES.get(best), Set.of());
        var obligations = new HashSet<Obligation>();
        obligations.add(new Obligation.CountUse(a.id()));
        if (designated || a.policy().duties().contains(Duty.REVIEW_OUTPUT)) obligations.add(new Obligation.ReviewOutput());
        if (a.policy().duties().contains(Duty.ATTRIBUTE)) obligations.add(new Obligation.Attribute(a.provider()));
        if (a.policy().duties().contains(Duty.DELETE_AT_END)) obligations.add(new Obligation.DeleteAtEnd(a.id()));
        return new Expected(true, designated ? "designated-agreement" : "restricted-agreement", obligations);
    }

    /** How many term kinds, in reporting order, the permission satisfies before its first failing one. */
    private static int reach(PolicyRule permission, AccessRequest r, Agreement a) {
        boolean[] ok = {true, true, true, true, true};
        for (Constraint c : permission.constraints()) {
            int kind = c instanceof Constraint.DeidentifiedRelease ? 0 : c instanceof Constraint.PurposeIn ? 1
                    : c instanceof Constraint.JurisdictionIn ? 2 : c instanceof Constraint.TimeWindow ? 3 : 4;
            if (!satisfied(c, r, a)) ok[kind] = false;
        }
        int k = 0;
        while (k < ok.length && ok[k]) k++;
        return k;
    }

    private static boolean satisfied(Constraint c, AccessRequest r, Agreement a) {
        if (c instanceof Constraint.DeidentifiedRelease) return r.dataset().releaseOf() != null;
        if (c instanceof Constraint.PurposeIn p) return r.purpose() != null && p.purposes().contains(r.purpose());
        if (c instanceof Constraint.JurisdictionIn j) return j.jurisdictions().contains(r.principal().jurisdiction());
        if (c instanceof Constraint.TimeWindow w) {
            return r.at().compareTo(w.notBefore()) >= 0 && r.at().compareTo(w.notAfter()) < 0;
        }
        long used = a.uses().containsKey(r.action()) ? a.uses().get(r.action()) : 0L;
        return used < ((Constraint.CountAtMost) c).max();
    }
}
