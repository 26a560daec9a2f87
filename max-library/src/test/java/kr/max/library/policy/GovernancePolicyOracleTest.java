package kr.max.library.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The engine against an independent reference oracle on random principals, datasets and agreements:
 * permit or deny, the deciding rule and the obligations must all agree. {@code -Dmax.pbt.seed=} replays
 * a run, {@code -Dmax.pbt.cases=} scales it.
 */
class GovernancePolicyOracleTest {

    /** Every rule the engine documents; each must decide some case, so the comparison is never vacuous. */
    private static final Set<String> RULES = Set.of(
            "role-auditor", "role-auditor-required", "role-admin", "role-admin-required",
            "role-provider", "role-provider-required", "owner-organization-provider", "provider-owner-organization-only",
            "designation-steward", "designation-steward-only",
            "revoke-owner-provider-or-steward", "revoke-owner-provider-or-steward-only",
            "usage-owner-auditor-or-steward", "usage-owner-auditor-or-steward-only",
            "review-owner-or-steward", "review-owner-or-steward-only",
            "catalog-entry", "access-request", "public-data-needs-no-agreement",
            "residency-designated-domestic-only", "residency-domestic-only-export", "residency-export-destination",
            "role-consumer-required", "deid-release-required", "designated-no-raw-export", "public-data", "designated-owner-organization",
            "owner-organization", "internal-owner-organization-only", "designated-named-analysts-only",
            "restricted-agreement-required", "agreement-named-analysts-only",
            "agreement-prohibited", "agreement-action-not-permitted", "agreement-release-deidentified", "agreement-purpose",
            "agreement-jurisdiction", "agreement-window", "agreement-count-exhausted", "restricted-agreement", "designated-agreement");

    @Test
    void engineAgreesWithTheReferenceOracleOnRandomRequests() {
        long seed = Long.getLong("max.pbt.seed", System.nanoTime());
        int cases = Integer.getInteger("max.pbt.cases", 20_000);
        var requests = new RandomRequests(seed);
        var engine = new GovernancePolicy();
        Map<String, Integer> hits = new TreeMap<>();
        List<String> disagreements = new ArrayList<>();
        for (int i = 0; i < cases; i++) {
            AccessRequest r = requests.next();
            Decision actual = engine.decide(r);
            ReferenceOracle.Expected expected = ReferenceOracle.decide(r);
            var got = switch (actual) {
                case Decision.Permit p -> new ReferenceOracle.Expected(true, p.rule(), p.obligations());
                case Decision.Deny d -> new ReferenceOracle.Expected(false, d.rule(), Set.of());
            };
            hits.merge(got.rule(), 1, Integer::sum);
            if (!got.equals(expected) && disagreements.size() < 5) {
                disagreements.add("case " + i + ": engine " + got + ", oracle " + expected + "\n  for " + r);
            }
        }
        String replay = " (replay with -Dmax.pbt.seed=" + seed + " -Dmax.pbt.cases=" + cases + ")";
        assertThat(disagreements).as("disagreements" + replay).isEmpty();
        assertThat(hits.keySet()).as("rules never reached, hits " + hits + replay).containsAll(RULES);
        assertThat(RULES).as("rules decided that the test does not know" + replay).containsAll(hits.keySet());
    }
}
