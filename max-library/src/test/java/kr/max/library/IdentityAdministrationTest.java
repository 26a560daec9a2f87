package kr.max.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Set;
import kr.max.core.MaxException;
import kr.max.core.Principal;
import kr.max.core.Role;
import kr.max.library.audit.AuditRecord;
import kr.max.library.crypto.MasterKey;
import kr.max.library.policy.PolicyError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Organizations, users and tokens through the library: decided by the policy engine, on the audit record. */
class IdentityAdministrationTest {

    @TempDir
    Path dir;

    Library lib;

    @BeforeEach
    void open() {
        lib = Library.open(LibraryConfig.embedded(dir.resolve("home"), MasterKey.of("identity test master secret 01")));
    }

    @AfterEach
    void close() {
        lib.close();
    }

    @Test
    void theFirstAdminIsBootstrappedOnceAndManagesOrganizationsUsersAndTokens() {
        var issued = lib.bootstrapAdmin("national-library", "KR", "admin").orElseThrow();
        assertThat(lib.bootstrapAdmin("national-library", "KR", "admin")).isEmpty();
        Principal admin = lib.authenticate(issued.token()).orElseThrow();
        assertThat(admin.roles()).containsExactly(Role.ADMIN);

        lib.createOrganization(admin, "hanbit-press", "220-81-62517", "KR");
        lib.createUser(admin, "alice", "hanbit-press", Set.of(Role.PROVIDER, Role.CONSUMER));
        var aliceToken = lib.issueToken(admin, "alice", Set.of(), null, "laptop");
        Principal alice = lib.authenticate(aliceToken.token()).orElseThrow();

        // a user may issue and revoke their own tokens, but not manage anyone else
        var own = lib.issueToken(alice, "alice", Set.of(Role.CONSUMER), java.time.Duration.ofHours(8), "notebook");
        assertThat(lib.tokens(alice, "alice")).hasSize(2);
        lib.revokeToken(alice, own.info().id());
        assertThat(lib.authenticate(own.token())).isEmpty();
        assertThatThrownBy(() -> lib.createUser(alice, "mallory", "hanbit-press", Set.of(Role.ADMIN)))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(PolicyError.DENIED));
        assertThatThrownBy(() -> lib.issueToken(alice, "admin", Set.of(), null, null))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(PolicyError.DENIED));
        assertThatThrownBy(() -> lib.revokeToken(alice, issued.info().id()))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(PolicyError.DENIED));
        assertThat(lib.authenticate(issued.token())).isPresent();

        var records = new ArrayList<AuditRecord>();
        lib.audit(Principal.localOperator(), null, records::add);
        assertThat(records).extracting(AuditRecord::action).contains("bootstrap", "org-create", "user-create", "token-issue",
                "token-revoke", "authenticate");
        assertThat(records).filteredOn(r -> r.principal().equals("alice") && r.outcome().equals("denied")).hasSize(3);
        // no record carries a token's secret
        for (var r : records) {
            assertThat(String.valueOf(r.detail())).doesNotContain(issued.token().substring(21))
                    .doesNotContain(aliceToken.token().substring(21));
        }
    }
}
