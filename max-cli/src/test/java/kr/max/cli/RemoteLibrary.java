package kr.max.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import kr.max.core.Principal;
import kr.max.core.Role;
import kr.max.library.Library;
import kr.max.library.LibraryConfig;
import kr.max.library.crypto.MasterKey;
import kr.max.server.MaxServer;
import kr.max.server.ServerOptions;

/**
 * A real library in a test's directory served by a real server on a free port, as {@code max serve}
 * serves it: tokens are the library's own API tokens, the first admin's from {@code bootstrapAdmin}.
 * Start one per test class; the CLI reaches it through {@link #cli(String)}.
 */
final class RemoteLibrary implements AutoCloseable {

    static final String SECRET = "cli against a server test master secret 0001";

    final Library library;
    final MaxServer server;
    final String adminToken;
    private final Principal admin;

    private RemoteLibrary(Library library, MaxServer server, String adminToken) {
        this.library = library;
        this.server = server;
        this.adminToken = adminToken;
        this.admin = library.authenticate(adminToken).orElseThrow();
    }

    static RemoteLibrary start(Path dir) {
        Library library = Library.open(LibraryConfig.embedded(dir.resolve("server-home"), MasterKey.of(SECRET)));
        try {
            String admin = library.bootstrapAdmin("national-library", "KR", "admin").orElseThrow().token();
            return new RemoteLibrary(library, MaxServer.start(ServerOptions.of(library, library::authenticate)), admin);
        } catch (RuntimeException e) {
            library.close();
            throw e;
        }
    }

    String url() {
        return server.url().toString();
    }

    void organization(String name, String jurisdiction) {
        library.createOrganization(admin, name, null, jurisdiction);
    }

    /** A user of {@code organization} with {@code roles}, and a week's token for them. */
    String user(String name, String organization, Role... roles) {
        library.createUser(admin, name, organization, Set.of(roles));
        return library.issueToken(admin, name, Set.of(), Duration.ofDays(7), "cli test").token();
    }

    /** The {@code max} command against this server with {@code token} (null: none). */
    Cli cli(String token) {
        return Cli.against(url(), token);
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            library.close();
        }
    }
}
