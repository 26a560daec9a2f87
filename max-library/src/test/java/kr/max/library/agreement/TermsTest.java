package kr.max.library.agreement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import kr.max.core.MaxException;
import kr.max.library.policy.Action;
import org.junit.jupiter.api.Test;

class TermsTest {

    private static final Instant JAN = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant APR = Instant.parse("2026-04-01T00:00:00Z");
    private static final Instant JUL = Instant.parse("2026-07-01T00:00:00Z");
    private static final Instant DEC = Instant.parse("2026-12-31T00:00:00Z");

    private static final Terms REQUESTED = new Terms(Set.of(Action.QUERY, Action.TRAIN),
            Set.of("quality-research", "energy-saving"), JAN, JUL, Set.of("posco:kim", "posco:choi"));

    private static Terms terms(Set<Action> actions, Set<String> purposes, Instant from, Instant until, Set<String> analysts) {
        return new Terms(actions, purposes, from, until, analysts);
    }

    @Test
    void theRequestedTermsNarrowThemselves() {
        assertThat(REQUESTED.narrows(REQUESTED)).isTrue();
    }

    @Test
    void removingActionsPurposesAnalystsOrTimeNarrows() {
        assertThat(terms(Set.of(Action.QUERY), Set.of("energy-saving"), APR, JUL, Set.of("posco:kim")).narrows(REQUESTED)).isTrue();
    }

    @Test
    void addingAnActionWidens() {
        assertThat(terms(Set.of(Action.QUERY, Action.EXPORT), REQUESTED.purposes(), JAN, JUL, REQUESTED.analysts())
                .narrows(REQUESTED)).isFalse();
    }

    @Test
    void addingAPurposeWidens() {
        assertThat(terms(REQUESTED.actions(), Set.of("marketing"), JAN, JUL, REQUESTED.analysts()).narrows(REQUESTED)).isFalse();
    }

    @Test
    void aPeriodReachingOutsideTheRequestedOneWidens() {
        assertThat(terms(REQUESTED.actions(), REQUESTED.purposes(), APR, DEC, REQUESTED.analysts()).narrows(REQUESTED)).isFalse();
        assertThat(terms(REQUESTED.actions(), REQUESTED.purposes(), Instant.parse("2025-12-01T00:00:00Z"), APR,
                REQUESTED.analysts()).narrows(REQUESTED)).isFalse();
    }

    @Test
    void addingAnAnalystOrDroppingTheNamesWidens() {
        assertThat(terms(REQUESTED.actions(), REQUESTED.purposes(), JAN, JUL, Set.of("posco:kim", "posco:lee"))
                .narrows(REQUESTED)).isFalse();
        // no names means anyone of the organization
        assertThat(terms(REQUESTED.actions(), REQUESTED.purposes(), JAN, JUL, Set.of()).narrows(REQUESTED)).isFalse();
    }

    @Test
    void namingAnalystsNarrowsARequestThatNamedNone() {
        var open = terms(REQUESTED.actions(), REQUESTED.purposes(), JAN, JUL, Set.of());
        assertThat(terms(REQUESTED.actions(), REQUESTED.purposes(), JAN, JUL, Set.of("posco:kim")).narrows(open)).isTrue();
    }

    @Test
    void aUseLimitNarrowsARequestWithoutOneAndMayOnlyBeLowered() {
        var limited = new Terms(REQUESTED.actions(), REQUESTED.purposes(), REQUESTED.period(), REQUESTED.analysts(), 10L);
        assertThat(limited.narrows(REQUESTED)).isTrue();
        assertThat(REQUESTED.narrows(limited)).as("dropping the limit").isFalse();
        var lower = new Terms(REQUESTED.actions(), REQUESTED.purposes(), REQUESTED.period(), REQUESTED.analysts(), 3L);
        assertThat(lower.narrows(limited)).isTrue();
        assertThat(limited.narrows(lower)).isFalse();
        assertThat(limited.widenedTerm(lower)).contains("uses");
        assertThat(lower.policy(List.of()).permissions()).allSatisfy(p -> assertThat(p.constraints())
                .contains(new Constraint.CountAtMost(3)));
        assertThatThrownBy(() -> new Terms(Set.of(Action.QUERY), Set.of("x"), REQUESTED.period(), Set.of(), -1L))
                .hasMessageStartingWith("MAX-AGREE-006");
    }

    @Test
    void limitingToDeidentifiedReleasesNarrowsAndLiftingItWidens() {
        var releasesOnly = REQUESTED.withDeidentifiedOnly(true);
        assertThat(releasesOnly.narrows(REQUESTED)).isTrue();
        assertThat(REQUESTED.narrows(releasesOnly)).isFalse();
        assertThat(releasesOnly.widenedTerm(REQUESTED)).isEmpty();
        assertThat(REQUESTED.widenedTerm(releasesOnly)).contains("release");
        assertThat(releasesOnly.policy(List.of()).permissions())
                .allMatch(p -> p.constraints().contains(new Constraint.DeidentifiedRelease()));
        assertThat(REQUESTED.policy(List.of()).permissions())
                .noneMatch(p -> p.constraints().contains(new Constraint.DeidentifiedRelease()));
    }

    @Test
    void narrowingAnAgreementChecksTheGrantAgainstTheRequestAndGrantsOnlyIt() {
        var requested = Agreement.requested("agr-7", "hyundai/press", "hyundai-motor", "posco", REQUESTED);
        var granted = terms(Set.of(Action.QUERY), Set.of("energy-saving"), APR, JUL, Set.of("posco:kim"));
        var active = requested.narrow(granted, List.of(Duty.ATTRIBUTE));
        assertThat(active.analysts()).containsExactly("posco:kim");
        assertThat(active.policy()).isEqualTo(granted.policy(List.of(Duty.ATTRIBUTE)));
        assertThat(active.requested()).isEqualTo(REQUESTED);

        var wider = terms(Set.of(Action.QUERY), Set.of("energy-saving"), APR, DEC, Set.of("posco:kim"));
        assertThatThrownBy(() -> requested.narrow(wider, List.of())).isInstanceOfSatisfying(MaxException.class, e -> {
            assertThat(e.code()).isEqualTo(AgreementError.NOT_A_NARROWING);
            assertThat(e.getMessage()).contains("agr-7", "period");
        });
    }

    @Test
    void approvalGrantsExactlyTheRequest() {
        var active = Agreement.requested("agr-7", "hyundai/press", "hyundai-motor", "posco", REQUESTED).approve(List.of());
        assertThat(active.policy().permissions()).extracting(PolicyRule::action).containsExactlyInAnyOrder(Action.QUERY, Action.TRAIN);
        assertThat(active.policy().permissions()).allSatisfy(p -> assertThat(p.constraints()).containsExactly(
                new Constraint.PurposeIn(REQUESTED.purposes()), REQUESTED.period()));
        assertThat(active.analysts()).isEqualTo(REQUESTED.analysts());
    }

    @Test
    void requestsStateActionsPurposesAndAPeriod() {
        assertThatThrownBy(() -> terms(Set.of(), Set.of("x"), JAN, JUL, Set.of())).hasMessageStartingWith("MAX-AGREE-013");
        assertThatThrownBy(() -> terms(Set.of(Action.QUERY), Set.of(), JAN, JUL, Set.of())).hasMessageStartingWith("MAX-AGREE-013");
        assertThatThrownBy(() -> terms(Set.of(Action.DELETE), Set.of("x"), JAN, JUL, Set.of())).hasMessageStartingWith("MAX-AGREE-002");
        assertThatThrownBy(() -> terms(Set.of(Action.QUERY), Set.of("x"), JUL, JAN, Set.of())).hasMessageStartingWith("MAX-AGREE-005");
    }
}
