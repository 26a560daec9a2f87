package kr.max.library.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kr.max.core.Classification;
import kr.max.core.Principal;
import kr.max.core.Role;
import kr.max.library.agreement.AccessState;
import kr.max.library.agreement.Agreement;
import kr.max.library.agreement.Constraint;
import kr.max.library.agreement.Duty;
import kr.max.library.agreement.PolicyRule;
import kr.max.library.agreement.Terms;
import kr.max.library.agreement.UsagePolicy;
import org.junit.jupiter.api.Test;

/** One test per rule: each sets up the one situation the rule exists for. */
class GovernancePolicyTest {

    private static final Instant NOW = Instant.parse("2026-06-01T09:00:00Z");
    private static final Terms TERMS = new Terms(Set.of(Action.QUERY, Action.TRAIN), Set.of("quality-research"),
            NOW.minus(Duration.ofDays(30)), NOW.plus(Duration.ofDays(30)), Set.of("posco:kim"));

    private final GovernancePolicy engine = new GovernancePolicy();

    // Hyundai owns the data; POSCO asks for it under agreements; Bosch is abroad.
    private final Principal hyundaiProvider = principal("hyundai:lee", "hyundai-motor", "KR", Role.PROVIDER);
    private final Principal hyundaiAnalyst = principal("hyundai:park", "hyundai-motor", "KR", Role.CONSUMER);
    private final Principal poscoAnalyst = principal("posco:kim", "posco", "KR", Role.CONSUMER);
    private final Principal poscoColleague = principal("posco:choi", "posco", "KR", Role.CONSUMER);
    private final Principal boschAnalyst = principal("bosch:muller", "bosch", "DE", Role.CONSUMER);
    private final Principal steward = principal("kamp:steward", "kamp", "KR", Role.STEWARD);

    private static Principal principal(String name, String org, String jurisdiction, Role... roles) {
        return new Principal(name, org, jurisdiction, roles.length == 0 ? Set.of() : EnumSet.of(roles[0], roles));
    }

    private static DatasetFacts dataset(Classification c) {
        return new DatasetFacts("hyundai/press", "hyundai:lee", "hyundai-motor", c, false);
    }

    private Decision decide(Principal p, Action a, DatasetFacts ds, Agreement... agreements) {
        return decideWith(p, a, ds, "quality-research", null, agreements);
    }

    private Decision decideWith(Principal p, Action a, DatasetFacts ds, String purpose, String destination, Agreement... agreements) {
        return engine.decide(new AccessRequest(p, a, ds, purpose, List.of(agreements), NOW, "KR", destination));
    }

    /** POSCO's approved agreement for Hyundai's press data, on {@link #TERMS}. */
    private static Agreement poscoAgreement(Duty... duties) {
        return Agreement.requested("agr-1", "hyundai/press", "hyundai-motor", "posco", TERMS).approve(List.of(duties));
    }

    private static Agreement withPolicy(Agreement a, UsagePolicy policy, Set<String> analysts) {
        return new Agreement(a.id(), a.dataset(), a.provider(), a.consumer(), a.requested(), analysts, policy, a.state(), a.uses());
    }

    private static void permits(Decision d, String rule, Obligation... obligations) {
        assertThat(d).isEqualTo(new Decision.Permit(rule, Set.of(obligations)));
    }

    private static void denies(Decision d, String rule) {
        assertThat(d).isEqualTo(new Decision.Deny(rule));
    }

    // ---- the library as a whole ----

    @Test
    void onlyAuditorsReadTheAuditTrail() {
        permits(decide(principal("a", "kamp", "KR", Role.AUDITOR), Action.AUDIT, null), "role-auditor");
        denies(decide(steward, Action.AUDIT, null), "role-auditor-required");
    }

    @Test
    void onlyAdminsManageIdentities() {
        permits(decide(principal("a", "kamp", "KR", Role.ADMIN), Action.MANAGE_IDENTITIES, null), "role-admin");
        denies(decide(steward, Action.MANAGE_IDENTITIES, null), "role-admin-required");
    }

    // ---- managing datasets ----

    @Test
    void newDatasetsAreDepositedByProviders() {
        permits(decide(hyundaiProvider, Action.INGEST, null), "role-provider");
        denies(decide(hyundaiAnalyst, Action.INGEST, null), "role-provider-required");
    }

    @Test
    void managingADatasetNeedsTheProviderRole() {
        denies(decide(hyundaiAnalyst, Action.DELETE, dataset(Classification.INTERNAL)), "role-provider-required");
    }

    @Test
    void onlyProvidersOfTheOwnerOrganizationManageItsDatasets() {
        var colleague = principal("hyundai:kang", "hyundai-motor", "KR", Role.PROVIDER);
        for (Action a : List.of(Action.INGEST, Action.DESCRIBE, Action.DELETE, Action.DECIDE_REQUEST)) {
            permits(decide(colleague, a, dataset(Classification.RESTRICTED)), "owner-organization-provider");
            denies(decide(principal("posco:p", "posco", "KR", Role.PROVIDER), a, dataset(Classification.RESTRICTED)),
                    "provider-owner-organization-only");
        }
    }

    @Test
    void anUnrecordedOwnerOrganizationGrantsNoOwnerPrivilege() {
        var unknownOwner = new DatasetFacts("hyundai/press", "hyundai:lee", null, Classification.INTERNAL, false);
        denies(decide(hyundaiProvider, Action.DELETE, unknownOwner), "provider-owner-organization-only");
        denies(decide(hyundaiProvider, Action.QUERY, unknownOwner), "internal-owner-organization-only");
    }

    @Test
    void onlyAStewardDesignatesOrLiftsADesignation() {
        permits(decide(steward, Action.DESIGNATE, dataset(Classification.RESTRICTED)), "designation-steward");
        denies(decide(hyundaiProvider, Action.DESIGNATE, dataset(Classification.DESIGNATED)), "designation-steward-only");
    }

    @Test
    void anAgreementIsRevokedByTheProviderOrganizationOrAStewardButAStewardNeverApproves() {
        var ds = dataset(Classification.RESTRICTED);
        permits(decide(hyundaiProvider, Action.REVOKE, ds), "revoke-owner-provider-or-steward");
        permits(decide(steward, Action.REVOKE, ds), "revoke-owner-provider-or-steward");
        denies(decide(steward, Action.DECIDE_REQUEST, ds), "role-provider-required");
        denies(decide(hyundaiAnalyst, Action.REVOKE, ds), "revoke-owner-provider-or-steward-only");
        denies(decide(principal("posco:p", "posco", "KR", Role.PROVIDER), Action.REVOKE, ds),
                "revoke-owner-provider-or-steward-only");
    }

    @Test
    void usageIsShownToTheOwnerOrganizationAuditorsAndStewards() {
        var ds = dataset(Classification.RESTRICTED);
        permits(decide(hyundaiProvider, Action.USAGE, ds), "usage-owner-auditor-or-steward");
        permits(decide(steward, Action.USAGE, ds), "usage-owner-auditor-or-steward");
        permits(decide(principal("a", "kamp", "KR", Role.AUDITOR), Action.USAGE, ds), "usage-owner-auditor-or-steward");
        denies(decide(hyundaiAnalyst, Action.USAGE, ds), "usage-owner-auditor-or-steward-only");
    }

    @Test
    void heldOutputIsReviewedByTheOwnerOrganizationOrAsteward() {
        var ds = dataset(Classification.DESIGNATED);
        permits(decide(hyundaiProvider, Action.REVIEW, ds), "review-owner-or-steward");
        permits(decide(steward, Action.REVIEW, ds), "review-owner-or-steward");
        denies(decide(poscoAnalyst, Action.REVIEW, ds, poscoAgreement()), "review-owner-or-steward-only");
    }

    // ---- the catalog and access requests ----

    @Test
    void catalogEntriesOfSharedDataAreVisibleToAnyoneSoTheyCanAsk() {
        var nobody = principal("x", "toyota", "JP");
        permits(decide(nobody, Action.READ_METADATA, dataset(Classification.DESIGNATED)), "catalog-entry");
        permits(decide(nobody, Action.READ_METADATA, dataset(Classification.RESTRICTED)), "catalog-entry");
        permits(decide(hyundaiAnalyst, Action.READ_METADATA, dataset(Classification.INTERNAL)), "catalog-entry");
    }

    @Test
    void internalCatalogEntriesStayInTheOwnerOrganization() {
        denies(decide(poscoAnalyst, Action.READ_METADATA, dataset(Classification.INTERNAL)), "internal-owner-organization-only");
        denies(decide(poscoAnalyst, Action.REQUEST_ACCESS, dataset(Classification.INTERNAL)), "internal-owner-organization-only");
    }

    @Test
    void consumersRequestAccessToRestrictedAndDesignatedData() {
        permits(decide(poscoAnalyst, Action.REQUEST_ACCESS, dataset(Classification.RESTRICTED)), "access-request");
        permits(decide(poscoAnalyst, Action.REQUEST_ACCESS, dataset(Classification.DESIGNATED)), "access-request");
        denies(decide(principal("x", "posco", "KR", Role.AUDITOR), Action.REQUEST_ACCESS, dataset(Classification.RESTRICTED)),
                "role-consumer-required");
    }

    @Test
    void publicDataNeedsNoAgreement() {
        denies(decide(poscoAnalyst, Action.REQUEST_ACCESS, dataset(Classification.PUBLIC)), "public-data-needs-no-agreement");
    }

    @Test
    void foreignPrincipalsCannotEvenRequestDesignatedData() {
        denies(decide(boschAnalyst, Action.REQUEST_ACCESS, dataset(Classification.DESIGNATED)), "residency-designated-domestic-only");
    }

    // ---- residency ----

    @Test
    void foreignPrincipalsNeverObtainRowsOfDesignatedData() {
        var foreignAnalyst = principal("posco:kim", "posco", "DE", Role.CONSUMER);
        for (Action a : List.of(Action.QUERY, Action.TRAIN, Action.EXPORT)) {
            denies(decide(foreignAnalyst, a, dataset(Classification.DESIGNATED), poscoAgreement()),
                    "residency-designated-domestic-only");
        }
        // not even the owner organization's own providers when abroad
        denies(decide(principal("hyundai:lee", "hyundai-motor", "US", Role.PROVIDER), Action.QUERY,
                dataset(Classification.DESIGNATED)), "residency-designated-domestic-only");
    }

    @Test
    void foreignPrincipalsNeverExportDomesticOnlyData() {
        var domesticOnly = new DatasetFacts("hyundai/press", "hyundai:lee", "hyundai-motor", Classification.PUBLIC, true);
        denies(decide(boschAnalyst, Action.EXPORT, domesticOnly), "residency-domestic-only-export");
        permits(decide(boschAnalyst, Action.QUERY, domesticOnly), "public-data");
        permits(decide(poscoAnalyst, Action.EXPORT, domesticOnly), "public-data");
    }

    @Test
    void exportsAreWrittenOnlyInsideTheLibrarysJurisdiction() {
        var ds = dataset(Classification.PUBLIC);
        denies(decideWith(poscoAnalyst, Action.EXPORT, ds, "quality-research", "US"), "residency-export-destination");
        permits(decideWith(poscoAnalyst, Action.EXPORT, ds, "quality-research", "KR"), "public-data");
        permits(decideWith(poscoAnalyst, Action.EXPORT, ds, "quality-research", null), "public-data");
    }

    // ---- using data ----

    @Test
    void usingDataNeedsTheConsumerOrProviderRole() {
        denies(decide(steward, Action.QUERY, dataset(Classification.PUBLIC)), "role-consumer-required");
        permits(decide(hyundaiProvider, Action.QUERY, dataset(Classification.PUBLIC)), "public-data");
    }

    @Test
    void designatedDataIsNeverExported() {
        denies(decide(hyundaiProvider, Action.EXPORT, dataset(Classification.DESIGNATED)), "designated-no-raw-export");
        denies(decide(poscoAnalyst, Action.EXPORT, dataset(Classification.DESIGNATED),
                withPolicy(poscoAgreement(), new UsagePolicy(List.of(new PolicyRule(Action.EXPORT)), List.of(), List.of()),
                        Set.of("posco:kim"))), "designated-no-raw-export");
    }

    @Test
    void aModelOfDesignatedDataLeavesOnlyForItsOwnerOrganizationsProvidersAndOnlyAfterReview() {
        var model = DatasetFacts.model("model:press-rul", "hyundai:lee", "hyundai-motor", Classification.DESIGNATED, false);
        permits(decide(hyundaiProvider, Action.EXPORT, model), "designated-owner-organization", Obligation.REVIEW_OUTPUT);
        denies(decide(hyundaiAnalyst, Action.EXPORT, model), "designated-named-analysts-only");
        denies(decide(poscoAnalyst, Action.EXPORT, model), "designated-named-analysts-only");
        // residency still comes first: never to a foreign destination, never by a foreign principal
        denies(decideWith(hyundaiProvider, Action.EXPORT, model, null, "DE"), "residency-export-destination");
        denies(decide(principal("bosch:lee", "hyundai-motor", "DE", Role.PROVIDER), Action.EXPORT, model),
                "residency-designated-domestic-only");
    }

    @Test
    void publicDataIsOpenToEveryConsumer() {
        permits(decide(boschAnalyst, Action.TRAIN, dataset(Classification.PUBLIC)), "public-data");
    }

    @Test
    void ownerProvidersQueryTheirDesignatedDataButResultsAreReviewed() {
        permits(decide(hyundaiProvider, Action.QUERY, dataset(Classification.DESIGNATED)), "designated-owner-organization",
                Obligation.REVIEW_OUTPUT);
        // a consumer of the owner organization is no named accessor by membership alone
        denies(decide(hyundaiAnalyst, Action.QUERY, dataset(Classification.DESIGNATED)), "designated-named-analysts-only");
    }

    @Test
    void theOwnerOrganizationUsesItsInternalAndRestrictedData() {
        permits(decide(hyundaiAnalyst, Action.EXPORT, dataset(Classification.INTERNAL)), "owner-organization");
        permits(decide(hyundaiAnalyst, Action.TRAIN, dataset(Classification.RESTRICTED)), "owner-organization");
    }

    @Test
    void internalDataIsUsedByTheOwnerOrganizationOnlyEvenUnderAnAgreement() {
        denies(decide(poscoAnalyst, Action.QUERY, dataset(Classification.INTERNAL), poscoAgreement()),
                "internal-owner-organization-only");
    }

    @Test
    void designatedDataIsQueriedOnlyByAnalystsNamedInTheAgreement() {
        var ds = dataset(Classification.DESIGNATED);
        permits(decide(poscoAnalyst, Action.QUERY, ds, poscoAgreement()), "designated-agreement",
                Obligation.REVIEW_OUTPUT, new Obligation.CountUse("agr-1"));
        denies(decide(poscoColleague, Action.QUERY, ds, poscoAgreement()), "designated-named-analysts-only");
        // an agreement naming no one admits a whole organization: never enough for designated data
        denies(decide(poscoAnalyst, Action.QUERY, ds, withPolicy(poscoAgreement(), poscoAgreement().policy(), Set.of())),
                "designated-named-analysts-only");
    }

    @Test
    void aStewardDoesNotReadProtectedRowsByBeingSteward() {
        var stewardConsumer = principal("kamp:steward", "kamp", "KR", Role.STEWARD, Role.CONSUMER);
        denies(decide(stewardConsumer, Action.QUERY, dataset(Classification.DESIGNATED)), "designated-named-analysts-only");
        denies(decide(stewardConsumer, Action.QUERY, dataset(Classification.RESTRICTED)), "restricted-agreement-required");
    }

    @Test
    void restrictedDataNeedsAnAgreement() {
        denies(decide(poscoAnalyst, Action.QUERY, dataset(Classification.RESTRICTED)), "restricted-agreement-required");
    }

    @Test
    void anAgreementOfAnotherDatasetOrOrganizationCountsForNothing() {
        var otherDataset = new Agreement("agr-2", "hyundai/paint", "hyundai-motor", "posco", TERMS, TERMS.analysts(),
                TERMS.policy(List.of()), AccessState.ACTIVE, Map.of());
        var notTheOwner = new Agreement("agr-3", "hyundai/press", "kia", "posco", TERMS, TERMS.analysts(),
                TERMS.policy(List.of()), AccessState.ACTIVE, Map.of());
        denies(decide(poscoAnalyst, Action.QUERY, dataset(Classification.RESTRICTED), otherDataset, notTheOwner),
                "restricted-agreement-required");
        denies(decide(principal("kia:x", "kia", "KR", Role.CONSUMER), Action.QUERY, dataset(Classification.RESTRICTED),
                poscoAgreement()), "restricted-agreement-required");
    }

    @Test
    void revokedAgreementGrantsNothing() {
        var agreement = poscoAgreement();
        var ds = dataset(Classification.RESTRICTED);
        permits(decide(poscoAnalyst, Action.QUERY, ds, agreement), "restricted-agreement", new Obligation.CountUse("agr-1"));
        denies(decide(poscoAnalyst, Action.QUERY, ds, agreement.revoke()), "restricted-agreement-required");
    }

    @Test
    void expiredRefusedWithdrawnAndPendingRequestsGrantNothing() {
        var requested = Agreement.requested("agr-1", "hyundai/press", "hyundai-motor", "posco", TERMS);
        var ds = dataset(Classification.RESTRICTED);
        for (Agreement a : List.of(requested, requested.refuse(), requested.withdraw(), poscoAgreement().expire())) {
            denies(decide(poscoAnalyst, Action.QUERY, ds, a), "restricted-agreement-required");
        }
    }

    @Test
    void anAgreementNamingAnalystsAdmitsOnlyThem() {
        denies(decide(poscoColleague, Action.QUERY, dataset(Classification.RESTRICTED), poscoAgreement()),
                "agreement-named-analysts-only");
        var open = withPolicy(poscoAgreement(), poscoAgreement().policy(), Set.of());
        permits(decide(poscoColleague, Action.QUERY, dataset(Classification.RESTRICTED), open), "restricted-agreement",
                new Obligation.CountUse("agr-1"));
    }

    @Test
    void prohibitionsOverridePermissions() {
        var policy = new UsagePolicy(List.of(new PolicyRule(Action.QUERY)),
                List.of(new PolicyRule(Action.QUERY, new Constraint.PurposeIn(Set.of("marketing")))), List.of());
        var a = withPolicy(poscoAgreement(), policy, Set.of("posco:kim"));
        var ds = dataset(Classification.RESTRICTED);
        denies(decideWith(poscoAnalyst, Action.QUERY, ds, "marketing", null, a), "agreement-prohibited");
        permits(decideWith(poscoAnalyst, Action.QUERY, ds, "quality-research", null, a), "restricted-agreement",
                new Obligation.CountUse("agr-1"));
    }

    @Test
    void anAgreementGrantsOnlyItsActions() {
        denies(decide(poscoAnalyst, Action.EXPORT, dataset(Classification.RESTRICTED), poscoAgreement()),
                "agreement-action-not-permitted");
    }

    @Test
    void anAgreementGrantsOnlyForItsPurposes() {
        var ds = dataset(Classification.RESTRICTED);
        denies(decideWith(poscoAnalyst, Action.QUERY, ds, "marketing", null, poscoAgreement()), "agreement-purpose");
        denies(decideWith(poscoAnalyst, Action.QUERY, ds, null, null, poscoAgreement()), "agreement-purpose");
    }

    @Test
    void anAgreementGrantsOnlyInItsJurisdictions() {
        var policy = new UsagePolicy(List.of(new PolicyRule(Action.QUERY, new Constraint.JurisdictionIn(Set.of("KR")))),
                List.of(), List.of());
        var abroad = principal("posco:kim", "posco", "JP", Role.CONSUMER);
        denies(decide(abroad, Action.QUERY, dataset(Classification.RESTRICTED),
                withPolicy(poscoAgreement(), policy, Set.of())), "agreement-jurisdiction");
    }

    @Test
    void anAgreementGrantsOnlyInsideItsWindow() {
        var later = new Constraint.TimeWindow(NOW.plusSeconds(1), NOW.plus(Duration.ofDays(1)));
        var ending = new Constraint.TimeWindow(NOW.minus(Duration.ofDays(1)), NOW);
        var starting = new Constraint.TimeWindow(NOW, NOW.plus(Duration.ofDays(1)));
        var ds = dataset(Classification.RESTRICTED);
        for (var w : List.of(later, ending)) {
            var a = withPolicy(poscoAgreement(), new UsagePolicy(List.of(new PolicyRule(Action.QUERY, w)), List.of(), List.of()), Set.of());
            denies(decide(poscoAnalyst, Action.QUERY, ds, a), "agreement-window");
        }
        var a = withPolicy(poscoAgreement(), new UsagePolicy(List.of(new PolicyRule(Action.QUERY, starting)), List.of(), List.of()), Set.of());
        permits(decide(poscoAnalyst, Action.QUERY, ds, a), "restricted-agreement", new Obligation.CountUse("agr-1"));
    }

    @Test
    void anAgreementGrantsNoMoreUsesThanItsCount() {
        var policy = new UsagePolicy(List.of(new PolicyRule(Action.QUERY, new Constraint.CountAtMost(2))), List.of(), List.of());
        var a = withPolicy(poscoAgreement(), policy, Set.of());
        var ds = dataset(Classification.RESTRICTED);
        permits(decide(poscoAnalyst, Action.QUERY, ds, a.counted(Action.QUERY)), "restricted-agreement",
                new Obligation.CountUse("agr-1"));
        denies(decide(poscoAnalyst, Action.QUERY, ds, a.counted(Action.QUERY).counted(Action.QUERY)), "agreement-count-exhausted");
        // uses of another action do not count
        permits(decide(poscoAnalyst, Action.QUERY, ds, a.counted(Action.TRAIN).counted(Action.TRAIN)), "restricted-agreement",
                new Obligation.CountUse("agr-1"));
    }

    @Test
    void anyPermissionOfAnyAgreementInForceMayGrant() {
        var ds = dataset(Classification.RESTRICTED);
        var marketingOnly = withPolicy(poscoAgreement(), new UsagePolicy(List.of(
                new PolicyRule(Action.QUERY, new Constraint.PurposeIn(Set.of("marketing")))), List.of(), List.of()), Set.of());
        var second = new Agreement("agr-9", "hyundai/press", "hyundai-motor", "posco", TERMS, Set.of(),
                TERMS.policy(List.of(Duty.ATTRIBUTE)), AccessState.ACTIVE, Map.of());
        permits(decide(poscoAnalyst, Action.QUERY, ds, marketingOnly, second), "restricted-agreement",
                new Obligation.CountUse("agr-9"), new Obligation.Attribute("hyundai-motor"));
        // with none granting, the first agreement's reason is given
        denies(decideWith(poscoAnalyst, Action.QUERY, ds, "energy-saving", null, marketingOnly, second), "agreement-purpose");
    }

    @Test
    void agreementDutiesBecomeObligations() {
        permits(decide(poscoAnalyst, Action.QUERY, dataset(Classification.RESTRICTED),
                        poscoAgreement(Duty.ATTRIBUTE, Duty.REVIEW_OUTPUT, Duty.DELETE_AT_END)), "restricted-agreement",
                new Obligation.CountUse("agr-1"), new Obligation.Attribute("hyundai-motor"), Obligation.REVIEW_OUTPUT,
                new Obligation.DeleteAtEnd("agr-1"));
    }

    @Test
    void aRequestWithoutTheFactsItNeedsIsRefusedRatherThanDecided() {
        assertThatThrownBy(() -> new AccessRequest(poscoAnalyst, Action.QUERY, null, null, List.of(), NOW, "KR", null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AccessRequest(new Principal("x", null, "KR", Set.of(Role.CONSUMER)), Action.QUERY,
                dataset(Classification.PUBLIC), null, List.of(), NOW, "KR", null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void everyActionIsDecidedForEveryClassification() {
        var decided = new ArrayList<Decision>();
        for (Action a : Action.values()) {
            for (Classification c : Classification.values()) {
                decided.add(decide(hyundaiProvider, a, a.onDataset() ? dataset(c) : null));
            }
        }
        assertThat(decided).hasSize(Action.values().length * Classification.values().length).doesNotContainNull();
    }
}
