package kr.max.cli;

import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import kr.max.core.Role;
import kr.max.library.identity.Identities;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code max org …}, {@code max user …} and {@code max token …}: who may use the library. */
final class IdentityCommands {

    private IdentityCommands() {
    }

    static Set<Role> roles(List<String> words) {
        return kr.max.library.identity.Identities.roles(words);
    }

    @Command(name = "org", mixinStandardHelpOptions = true, subcommands = {Org.Create.class, Org.ListOrgs.class})
    static final class Org {
        @ParentCommand MaxCli root;

        @Command(name = "create", mixinStandardHelpOptions = true)
        static final class Create implements Callable<Integer> {
            @ParentCommand Org org;
            @Parameters(index = "0", paramLabel = "NAME") String name;
            @Option(names = "--jurisdiction", required = true, paramLabel = "CC") String jurisdiction;
            @Option(names = "--business-number", paramLabel = "NNN-NN-NNNNN") String businessNumber;

            @Override
            public Integer call() {
                MaxCli root = org.root;
                try (Backend lib = root.backend()) {
                    var o = lib.createOrganization(name, businessNumber, jurisdiction);
                    root.out.println(root.text("org.created", o.name(), o.jurisdiction()));
                }
                return 0;
            }
        }

        @Command(name = "list", mixinStandardHelpOptions = true)
        static final class ListOrgs implements Callable<Integer> {
            @ParentCommand Org org;
            @Mixin MaxCli.FormatOption fmt = new MaxCli.FormatOption();

            @Override
            public Integer call() {
                MaxCli root = org.root;
                Output.Format format = fmt.parsed(root);
                try (Backend lib = root.backend()) {
                    var o = new Output(root.out, format, ZoneId.of("Asia/Seoul"));
                    o.columns(root.columns(format, "organization", "jurisdiction", "business_number", "created"));
                    for (var org : lib.organizations()) {
                        o.row(org.name(), org.jurisdiction(), org.businessNumber(), org.createdAt());
                    }
                    o.end();
                }
                return 0;
            }
        }
    }

    @Command(name = "user", mixinStandardHelpOptions = true, subcommands = {User.Create.class, User.ListUsers.class})
    static final class User {
        @ParentCommand MaxCli root;

        @Command(name = "create", mixinStandardHelpOptions = true)
        static final class Create implements Callable<Integer> {
            @ParentCommand User user;
            @Parameters(index = "0", paramLabel = "NAME") String name;
            @Option(names = "--org", required = true, paramLabel = "ORG") String organization;
            @Option(names = "--roles", required = true, split = ",", paramLabel = "ROLE,…") List<String> roles;

            @Override
            public Integer call() {
                MaxCli root = user.root;
                try (Backend lib = root.backend()) {
                    var u = lib.createUser(name, organization, roles(roles));
                    root.out.println(root.text("user.created", u.name(), u.organization(), Identities.words(u.roles())));
                }
                return 0;
            }
        }

        @Command(name = "list", mixinStandardHelpOptions = true)
        static final class ListUsers implements Callable<Integer> {
            @ParentCommand User user;
            @Option(names = "--org", paramLabel = "ORG") String organization;
            @Mixin MaxCli.FormatOption fmt = new MaxCli.FormatOption();

            @Override
            public Integer call() {
                MaxCli root = user.root;
                Output.Format format = fmt.parsed(root);
                try (Backend lib = root.backend()) {
                    var o = new Output(root.out, format, ZoneId.of("Asia/Seoul"));
                    o.columns(root.columns(format, "user", "organization", "jurisdiction", "roles", "created"));
                    for (var u : lib.users(organization)) {
                        o.row(u.name(), u.organization(), u.jurisdiction(), Identities.words(u.roles()), u.createdAt());
                    }
                    o.end();
                }
                return 0;
            }
        }
    }

    @Command(name = "token", mixinStandardHelpOptions = true, subcommands = {Token.Issue.class, Token.ListTokens.class, Token.Revoke.class})
    static final class Token {
        @ParentCommand MaxCli root;

        @Command(name = "issue", mixinStandardHelpOptions = true)
        static final class Issue implements Callable<Integer> {
            @ParentCommand Token token;
            @Option(names = "--user", required = true, paramLabel = "USER") String user;
            @Option(names = "--scopes", split = ",", paramLabel = "ROLE,…") List<String> scopes;
            @Option(names = "--days", defaultValue = "90", paramLabel = "N") long days;
            @Option(names = "--label", paramLabel = "TEXT") String label;

            @Override
            public Integer call() {
                MaxCli root = token.root;
                try (Backend lib = root.backend()) {
                    var issued = lib.issueToken(user, roles(scopes), days, label);
                    // The secret goes to stdout alone, so a script can capture it; the notice goes to stderr.
                    root.out.println(issued.token());
                    root.err.println(root.text("token.issued", issued.info().id(), user, Identities.words(issued.info().scopes()),
                            issued.info().expiresAt()));
                }
                return 0;
            }
        }

        @Command(name = "list", mixinStandardHelpOptions = true)
        static final class ListTokens implements Callable<Integer> {
            @ParentCommand Token token;
            @Option(names = "--user", paramLabel = "USER") String user;
            @Mixin MaxCli.FormatOption fmt = new MaxCli.FormatOption();

            @Override
            public Integer call() {
                MaxCli root = token.root;
                Output.Format format = fmt.parsed(root);
                try (Backend lib = root.backend()) {
                    var o = new Output(root.out, format, ZoneId.of("Asia/Seoul"));
                    o.columns(root.columns(format, "token", "user", "scopes", "label", "created", "expires", "revoked"));
                    for (var t : lib.tokens(user)) {
                        o.row(t.id(), t.user(), Identities.words(t.scopes()), t.label(), t.createdAt(), t.expiresAt(), t.revokedAt());
                    }
                    o.end();
                }
                return 0;
            }
        }

        @Command(name = "revoke", mixinStandardHelpOptions = true)
        static final class Revoke implements Callable<Integer> {
            @ParentCommand Token token;
            @Parameters(index = "0", paramLabel = "TOKEN_ID") String id;

            @Override
            public Integer call() {
                MaxCli root = token.root;
                try (Backend lib = root.backend()) {
                    var t = lib.revokeToken(id);
                    root.out.println(root.text("token.revoked", t.id(), t.user()));
                }
                return 0;
            }
        }
    }
}
