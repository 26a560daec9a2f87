package kr.max.library.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
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

/**
 * Seeded random access requests: principals of several organizations and jurisdictions with role
 * subsets, datasets of every classification, agreements in every state with random constraints, purposes,
 * times and export destinations. Biased towards the interesting cases (own organization, agreements that
 * nearly apply) so that every rule is reached in a few thousand draws.
 */
public final class RandomRequests {

    static final String LIBRARY = "KR";
    static final Instant BASE = Instant.parse("2026-06-01T00:00:00Z");

    private static final List<String> ORGANIZATIONS = List.of("hyundai-motor", "kamp", "posco", "bosch", "toyota", "acme");
    private static final List<String> HOMES = List.of("KR", "KR", "KR", "DE", "JP", "US");
    private static final List<String> JURISDICTIONS = List.of("KR", "US", "DE", "JP");
    private static final List<String> DATASETS = List.of("kamp/press", "kamp/injection", "posco/furnace", "acme/paint");
    private static final List<String> PURPOSES = List.of("quality-research", "predictive-maintenance", "marketing", "energy-saving");
    private static final List<Action> USES = List.of(Action.QUERY, Action.EXPORT, Action.TRAIN);
    private static final Terms FILED = new Terms(Set.of(Action.QUERY), Set.of("quality-research"),
            BASE.minus(Duration.ofDays(365)), BASE.plus(Duration.ofDays(365)), Set.of());

    private final SplittableRandom random;
    private int agreementSeq;

    public RandomRequests(long seed) {
        this.random = new SplittableRandom(seed);
    }

    public AccessRequest next() {
        int o = random.nextInt(ORGANIZATIONS.size());
        String org = ORGANIZATIONS.get(o);
        String jurisdiction = chance(0.7) ? HOMES.get(o) : pick(JURISDICTIONS);
        var roles = EnumSet.noneOf(Role.class);
        for (Role role : Role.values()) {
            if (chance(role == Role.CONSUMER || role == Role.PROVIDER ? 0.6 : 0.25)) roles.add(role);
        }
        var principal = new Principal(org + "-" + random.nextInt(3), org, jurisdiction, roles);

        Action action = chance(0.5) ? pick(USES) : pick(List.of(Action.values()));
        DatasetFacts dataset = null;
        if (action.onDataset() && !(action == Action.INGEST && chance(0.3))) {
            String ownerOrg = chance(0.45) ? org : pick(ORGANIZATIONS);
            String owner = ownerOrg + "-" + random.nextInt(3);
            String name = pick(DATASETS);
            // A release is named after its source here, so agreements on either can meet it.
            String releaseOf = chance(0.25) ? pick(DATASETS) : null;
            var deidFor = EnumSet.noneOf(Action.class);
            for (Action u : USES) {
                if (chance(0.2)) deidFor.add(u);
            }
            dataset = new DatasetFacts(releaseOf == null ? name : releaseOf + "-deid", owner, chance(0.05) ? null : ownerOrg,
                    pick(List.of(Classification.values())), chance(0.3), releaseOf, deidFor, releaseOf == null && chance(0.2));
        }
        String purpose = chance(0.15) ? null : pick(PURPOSES);
        Instant at = BASE.plus(Duration.ofHours(random.nextInt(-24 * 200, 24 * 200)));
        String destination = chance(0.5) ? null : chance(0.5) ? LIBRARY : pick(JURISDICTIONS);
        var agreements = new ArrayList<Agreement>();
        if (dataset != null) {
            int n = random.nextInt(4);
            for (int i = 0; i < n; i++) agreements.add(agreement(principal, action, dataset));
        }
        return new AccessRequest(principal, action, dataset, purpose, agreements, at, LIBRARY, destination);
    }

    private Agreement agreement(Principal p, Action action, DatasetFacts ds) {
        String dataset = ds.releaseOf() != null && chance(0.6) ? ds.releaseOf() : chance(0.9) ? ds.name() : pick(DATASETS);
        String provider = ds.ownerOrganization() != null && chance(0.9) ? ds.ownerOrganization() : pick(ORGANIZATIONS);
        String consumer = chance(0.85) ? p.organization() : pick(ORGANIZATIONS);
        AccessState state = chance(0.65) ? AccessState.ACTIVE : pick(List.of(AccessState.values()));
        Set<String> analysts = new HashSet<>();
        double a = random.nextDouble();
        if (a < 0.55) analysts.add(p.name());
        if (a > 0.3) analysts.add(p.organization() + "-" + random.nextInt(3));

        var permissions = new ArrayList<PolicyRule>();
        int nPermissions = random.nextInt(4);
        for (int i = 0; i < nPermissions; i++) {
            Action permitted = action.usesData() && chance(0.75) ? action : pick(USES);
            permissions.add(new PolicyRule(permitted, constraints(0.4)));
        }
        var prohibitions = new ArrayList<PolicyRule>();
        if (chance(0.2)) prohibitions.add(new PolicyRule(action.usesData() && chance(0.7) ? action : pick(USES), constraints(0.25)));
        var duties = new ArrayList<Duty>();
        for (Duty d : Duty.values()) {
            if (chance(0.3)) duties.add(d);
        }
        Map<Action, Long> uses = new EnumMap<>(Action.class);
        for (Action u : USES) {
            if (chance(0.6)) uses.put(u, (long) random.nextInt(6));
        }
        return new Agreement("agr-" + agreementSeq++, dataset, provider, consumer, FILED, analysts,
                new UsagePolicy(permissions, prohibitions, duties), state, uses);
    }

    private List<Constraint> constraints(double each) {
        var out = new ArrayList<Constraint>();
        if (chance(each)) out.add(new Constraint.PurposeIn(subset(PURPOSES)));
        if (chance(each)) out.add(new Constraint.JurisdictionIn(subset(JURISDICTIONS)));
        if (chance(each)) {
            Instant start = BASE.plus(Duration.ofDays(random.nextInt(-300, 150)));
            out.add(new Constraint.TimeWindow(start, start.plus(Duration.ofDays(random.nextInt(1, 300)))));
        }
        if (chance(Math.min(1, 1.5 * each))) out.add(new Constraint.CountAtMost(random.nextInt(7)));
        if (chance(each / 2)) out.add(new Constraint.DeidentifiedRelease());
        // The engine must not depend on the order constraints are written in.
        for (int i = out.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            var t = out.get(i);
            out.set(i, out.get(j));
            out.set(j, t);
        }
        return out;
    }

    private Set<String> subset(List<String> values) {
        var out = new HashSet<String>();
        out.add(pick(values));
        for (String v : values) {
            if (chance(0.35)) out.add(v);
        }
        return out;
    }

    private boolean chance(double p) {
        return random.nextDouble() < p;
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}
