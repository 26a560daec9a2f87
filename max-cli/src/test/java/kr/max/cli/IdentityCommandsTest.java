package kr.max.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import kr.max.core.Principal;
import kr.max.library.Library;
import kr.max.library.LibraryConfig;
import kr.max.library.crypto.MasterKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code max org|user|token}: registering who may use the library, in Korean and English. */
class IdentityCommandsTest {

    @TempDir
    Path dir;

    @Test
    void anOperatorRegistersOrganizationsUsersAndTokensThatTheLibraryAccepts() throws Exception {
        Cli max = Cli.in(dir);
        var org = max.run("org", "create", "hanbit-press", "--jurisdiction", "KR", "--business-number", "220-81-62517");
        assertThat(org.exit()).as(org.toString()).isZero();
        assertThat(org.out()).contains("hanbit-press").contains("KR");
        assertThat(max.run("org", "create", "bavaria-ai", "--jurisdiction", "de").exit()).isZero();
        var user = max.run("--lang", "ko", "user", "create", "alice", "--org", "hanbit-press", "--roles", "provider,consumer");
        assertThat(user.exit()).as(user.toString()).isZero();
        assertThat(user.out()).contains("사용자 alice").contains("provider,consumer");

        var issued = max.run("token", "issue", "--user", "alice", "--scopes", "consumer", "--days", "7", "--label", "notebook");
        assertThat(issued.exit()).as(issued.toString()).isZero();
        String token = issued.out().strip();
        assertThat(token).matches("max_[a-z0-9]{16}_[A-Za-z0-9_-]{43}");
        assertThat(issued.err()).contains("shown only now");
        String id = token.substring(4, 20);

        var list = max.run("token", "list", "--format", "csv");
        assertThat(list.exit()).as(list.toString()).isZero();
        assertThat(list.out()).contains(id).doesNotContain(token.substring(21));
        var users = max.run("user", "list", "--org", "hanbit-press", "--format", "json");
        assertThat(users.out()).contains("\"user\"").contains("alice");
        assertThat(max.run("org", "list", "--format", "csv").out()).contains("bavaria-ai,DE");
        assertThat(max.run("user", "list").out()).contains("alice");

        // the token works against the library until it is revoked
        try (Library lib = Library.open(LibraryConfig.embedded(max.home(), MasterKey.fromFile(max.keyFile())))) {
            Principal alice = lib.authenticate(token).orElseThrow();
            assertThat(alice.organization()).isEqualTo("hanbit-press");
        }
        var revoked = max.run("token", "revoke", id);
        assertThat(revoked.exit()).as(revoked.toString()).isZero();
        try (Library lib = Library.open(LibraryConfig.embedded(max.home(), MasterKey.fromFile(max.keyFile())))) {
            assertThat(lib.authenticate(token)).isEmpty();
        }
    }

    @Test
    void badIdentitiesGetTheirCodesInBothLanguages() throws Exception {
        Cli max = Cli.in(dir);
        var badCountry = max.run("org", "create", "x-corp", "--jurisdiction", "ZZ");
        assertThat(badCountry.exit()).isEqualTo(1);
        assertThat(badCountry.err()).contains("MAX-ID-004").contains("ISO 3166");
        var badNumber = max.run("--lang", "ko", "org", "create", "y-corp", "--jurisdiction", "KR", "--business-number", "220-81-62518");
        assertThat(badNumber.err()).contains("MAX-ID-005").contains("사업자등록번호");
        assertThat(max.run("org", "create", "hanbit-press", "--jurisdiction", "KR").exit()).isZero();
        var badRole = max.run("user", "create", "bob", "--org", "hanbit-press", "--roles", "superuser");
        assertThat(badRole.err()).contains("MAX-ID-010").contains("superuser");
        var noOrg = max.run("user", "create", "bob", "--org", "nowhere", "--roles", "consumer");
        assertThat(noOrg.err()).contains("MAX-ID-001");
        var noToken = max.run("token", "revoke", "0000000000000000");
        assertThat(noToken.err()).contains("MAX-ID-006");
    }
}
