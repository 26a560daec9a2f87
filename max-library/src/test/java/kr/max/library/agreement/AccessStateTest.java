package kr.max.library.agreement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import kr.max.core.MaxException;
import kr.max.library.agreement.AccessState.Transition;
import kr.max.library.policy.Action;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AccessStateTest {

    private static final Set<String> ALLOWED = Set.of("REQUESTED->ACTIVE", "REQUESTED->REFUSED", "REQUESTED->WITHDRAWN",
            "ACTIVE->REVOKED", "ACTIVE->EXPIRED");

    @Test
    void exactlyTheIssuesMovesAreAllowed() {
        for (AccessState from : AccessState.values()) {
            for (AccessState to : AccessState.values()) {
                assertThat(from.canMoveTo(to)).as(from + "->" + to).isEqualTo(ALLOWED.contains(from + "->" + to));
            }
        }
    }

    @Test
    void terminalStatesHaveNoExits() {
        for (AccessState s : AccessState.values()) {
            boolean terminal = Set.of(AccessState.REFUSED, AccessState.WITHDRAWN, AccessState.REVOKED, AccessState.EXPIRED)
                    .contains(s);
            assertThat(s.isTerminal()).as(s.name()).isEqualTo(terminal);
            if (terminal) {
                for (AccessState to : AccessState.values()) assertThat(s.canMoveTo(to)).isFalse();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Transition.class)
    void eachTransitionMovesFromItsStateOnlyAndNamesBothStatesOtherwise(Transition t) {
        for (AccessState from : AccessState.values()) {
            if (from == t.from()) {
                assertThat(from.apply(t)).isEqualTo(t.to());
            } else {
                assertThatThrownBy(() -> from.apply(t)).isInstanceOfSatisfying(MaxException.class, e -> {
                    assertThat(e.code()).isEqualTo(AgreementError.ILLEGAL_TRANSITION);
                    assertThat(e.getMessage()).contains(t.word(), from.word(), t.to().word());
                    assertThat(e.message(Locale.KOREAN)).contains(from.word(), t.to().word());
                });
            }
        }
    }

    @Test
    void anAgreementLivesThroughTheNamedTransitions() {
        var terms = new Terms(Set.of(Action.QUERY), Set.of("quality-research"), Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2027-01-01T00:00:00Z"), Set.of("posco:kim"));
        var requested = Agreement.requested("agr-1", "hyundai/press", "hyundai-motor", "posco", terms);
        assertThat(requested.state()).isEqualTo(AccessState.REQUESTED);
        assertThat(requested.approve(List.of()).state()).isEqualTo(AccessState.ACTIVE);
        assertThat(requested.narrow(terms, List.of()).state()).isEqualTo(AccessState.ACTIVE);
        assertThat(requested.refuse().state()).isEqualTo(AccessState.REFUSED);
        assertThat(requested.withdraw().state()).isEqualTo(AccessState.WITHDRAWN);
        assertThat(requested.approve(List.of()).revoke().state()).isEqualTo(AccessState.REVOKED);
        assertThat(requested.approve(List.of()).expire().state()).isEqualTo(AccessState.EXPIRED);

        assertThatThrownBy(requested::revoke).hasMessageContaining("revoke").hasMessageContaining("requested");
        assertThatThrownBy(() -> requested.approve(List.of()).approve(List.of())).hasMessageContaining("active");
        assertThatThrownBy(() -> requested.refuse().withdraw()).hasMessageContaining("refused");
        assertThatThrownBy(() -> requested.approve(List.of()).revoke().approve(List.of())).hasMessageContaining("revoked");
        assertThatThrownBy(() -> requested.approve(List.of()).expire().revoke()).hasMessageContaining("expired");
    }
}
