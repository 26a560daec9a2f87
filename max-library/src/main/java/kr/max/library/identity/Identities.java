package kr.max.library.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.core.Principal;
import kr.max.core.Role;
import kr.max.library.catalog.Catalog;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * Organizations, their users and the users' API tokens, kept in the catalog database. A token is
 * {@code max_<id>_<secret>}: the id finds the row, the 256-bit secret is checked against its stored
 * SHA-256 in constant time, and only the id and the hash are ever stored. This class checks facts
 * (names, jurisdictions, scopes); who may call it is the policy engine's business, in the library.
 *
 * <p>{@link #authenticate} is the seam where OpenID Connect plugs in later: anything that turns a
 * presented credential into a {@link Principal} of a known organization.
 */
public final class Identities {

    /** Lifetime of a token when none is asked for. */
    public static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofDays(90);

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Pattern TOKEN = Pattern.compile("max_([a-z0-9]{16})_([A-Za-z0-9_-]{43})");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

    private final Jdbi jdbi;
    private final Clock clock;

    public Identities(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** An organization that deposits or uses data. */
    public record Organization(String name, String businessNumber, String jurisdiction, Instant createdAt) {
    }

    /** A person or service account of an organization. */
    public record User(String name, String organization, String jurisdiction, Set<Role> roles, Instant createdAt,
                       Instant disabledAt) {
        public Principal principal() {
            return new Principal(name, organization, jurisdiction, roles);
        }
    }

    /** What is known of a token without its secret. */
    public record TokenInfo(String id, String user, Set<Role> scopes, String label, Instant createdAt, Instant expiresAt,
                            Instant revokedAt) {
        public boolean activeAt(Instant t) {
            return revokedAt == null && t.isBefore(expiresAt);
        }
    }

    /** A new token: {@code token} is shown once and never stored. */
    public record IssuedToken(String token, TokenInfo info) {
        @Override
        public String toString() {
            return "IssuedToken[id=" + info.id() + "]"; // never the secret, even in a debugger or a log
        }
    }

    public Organization createOrganization(String name, String businessNumber, String jurisdiction) {
        requireName(name);
        String country = jurisdiction == null ? "" : jurisdiction.strip().toUpperCase(Locale.ROOT);
        if (!COUNTRIES.contains(country)) throw new MaxException(IdentityError.BAD_JURISDICTION, Location.NOWHERE, jurisdiction);
        String number = businessNumber == null || businessNumber.isBlank() ? null : businessNumber.strip();
        if (number != null && country.equals("KR") && !isKoreanBusinessNumber(number)) {
            throw new MaxException(IdentityError.BAD_BUSINESS_NUMBER, Location.NOWHERE, number);
        }
        long now = Catalog.micros(clock.instant());
        try {
            jdbi.useHandle(h -> h.createUpdate("INSERT INTO organization (name, business_number, jurisdiction, created_at) "
                    + "VALUES (:n, :b, :j, :t)").bind("n", name).bind("b", number).bind("j", country).bind("t", now).execute());
        } catch (UnableToExecuteStatementException e) {
            if (organization(name).isPresent()) throw new MaxException(IdentityError.ALREADY_EXISTS, Location.NOWHERE, "organization", name);
            throw e;
        }
        return organization(name).orElseThrow();
    }

    public Optional<Organization> organization(String name) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM organization WHERE name = :n").bind("n", name)
                .map((rs, ctx) -> new Organization(rs.getString("name"), rs.getString("business_number"),
                        rs.getString("jurisdiction"), Catalog.instant(rs.getLong("created_at"))))
                .findOne());
    }

    public List<Organization> organizations() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM organization ORDER BY name")
                .map((rs, ctx) -> new Organization(rs.getString("name"), rs.getString("business_number"),
                        rs.getString("jurisdiction"), Catalog.instant(rs.getLong("created_at"))))
                .list());
    }

    public User createUser(String name, String organization, Set<Role> roles) {
        requireName(name);
        if (organization(organization).isEmpty()) {
            throw new MaxException(IdentityError.NO_SUCH_ORGANIZATION, Location.NOWHERE, organization);
        }
        long now = Catalog.micros(clock.instant());
        try {
            jdbi.useHandle(h -> h.createUpdate("INSERT INTO app_user (name, organization_id, roles, created_at) "
                            + "SELECT :n, id, :r, :t FROM organization WHERE name = :o")
                    .bind("n", name).bind("o", organization).bind("r", words(roles)).bind("t", now).execute());
        } catch (UnableToExecuteStatementException e) {
            if (user(name).isPresent()) throw new MaxException(IdentityError.ALREADY_EXISTS, Location.NOWHERE, "user", name);
            throw e;
        }
        return user(name).orElseThrow();
    }

    public Optional<User> user(String name) {
        return jdbi.withHandle(h -> h.createQuery(USER_SELECT + " WHERE u.name = :n").bind("n", name).map((rs, ctx) -> user(rs))
                .findOne());
    }

    /** Users, of one organization or (null) of all. */
    public List<User> users(String organization) {
        return jdbi.withHandle(h -> {
            var q = h.createQuery(USER_SELECT + (organization == null ? "" : " WHERE o.name = :o") + " ORDER BY u.name");
            if (organization != null) q.bind("o", organization);
            return q.map((rs, ctx) -> user(rs)).list();
        });
    }

    public boolean anyUser() {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM app_user").mapTo(Long.class).one()) > 0;
    }

    /**
     * Issues a token for a user.
     *
     * @param scopes roles the token carries, a subset of the user's; empty for all of them
     */
    public IssuedToken issueToken(String userName, Set<Role> scopes, Duration lifetime, String label) {
        User u = user(userName).orElseThrow(() -> new MaxException(IdentityError.NO_SUCH_USER, Location.NOWHERE, userName));
        Duration life = lifetime == null ? DEFAULT_TOKEN_LIFETIME : lifetime;
        if (life.compareTo(Duration.ofMinutes(1)) < 0 || life.compareTo(Duration.ofDays(366)) > 0) {
            throw new MaxException(IdentityError.BAD_LIFETIME, Location.NOWHERE, life);
        }
        Set<Role> carried = scopes == null || scopes.isEmpty() ? u.roles() : Set.copyOf(scopes);
        for (Role r : carried) {
            if (!u.roles().contains(r)) throw new MaxException(IdentityError.SCOPE_BEYOND_ROLES, Location.NOWHERE, userName, r.word());
        }
        String id = randomId();
        byte[] secretBytes = new byte[32];
        RANDOM.nextBytes(secretBytes);
        String secret = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
        Instant now = clock.instant();
        Instant expires = now.plus(life);
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO api_token (id, user_id, secret_sha256, scopes, label, created_at, expires_at) "
                        + "SELECT :id, id, :h, :s, :l, :c, :e FROM app_user WHERE name = :u")
                .bind("id", id).bind("h", sha256(secret)).bind("s", words(carried)).bind("l", label).bind("u", userName)
                .bind("c", Catalog.micros(now)).bind("e", Catalog.micros(expires)).execute());
        return new IssuedToken("max_" + id + "_" + secret, new TokenInfo(id, userName, carried, label, now, expires, null));
    }

    /** Tokens of one user or (null) of all, newest first; never their secrets. */
    public List<TokenInfo> tokens(String userName) {
        return jdbi.withHandle(h -> {
            var q = h.createQuery("SELECT t.*, u.name AS user_name FROM api_token t JOIN app_user u ON u.id = t.user_id"
                    + (userName == null ? "" : " WHERE u.name = :u") + " ORDER BY t.created_at DESC");
            if (userName != null) q.bind("u", userName);
            return q.map((rs, ctx) -> tokenInfo(rs)).list();
        });
    }

    public Optional<TokenInfo> token(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT t.*, u.name AS user_name FROM api_token t JOIN app_user u ON u.id = t.user_id "
                + "WHERE t.id = :id").bind("id", id).map((rs, ctx) -> tokenInfo(rs)).findOne());
    }

    /** Revokes a token; the next call that presents it is refused. Revoking twice is harmless. */
    public TokenInfo revokeToken(String id) {
        long now = Catalog.micros(clock.instant());
        jdbi.useHandle(h -> h.createUpdate("UPDATE api_token SET revoked_at = :t WHERE id = :id AND revoked_at IS NULL")
                .bind("t", now).bind("id", id).execute());
        return token(id).orElseThrow(() -> new MaxException(IdentityError.NO_SUCH_TOKEN, Location.NOWHERE, id));
    }

    /**
     * The principal a presented token stands for, if the token is well formed, known, unrevoked and
     * unexpired and its user is enabled; its roles are the user's roles the token carries.
     */
    public Optional<Principal> authenticate(String presented) {
        if (presented == null) return Optional.empty();
        var m = TOKEN.matcher(presented.strip());
        if (!m.matches()) return Optional.empty();
        String id = m.group(1);
        byte[] presentedHash = sha256(m.group(2)).getBytes(StandardCharsets.US_ASCII);
        Instant now = clock.instant();
        return jdbi.withHandle(h -> h.createQuery("SELECT t.secret_sha256, t.scopes, t.expires_at, t.revoked_at, u.roles, u.disabled_at, "
                        + "u.name AS user_name, o.name AS org_name, o.jurisdiction FROM api_token t JOIN app_user u ON u.id = t.user_id "
                        + "JOIN organization o ON o.id = u.organization_id WHERE t.id = :id")
                .bind("id", id)
                .map((rs, ctx) -> {
                    boolean secretMatches = MessageDigest.isEqual(presentedHash,
                            rs.getString("secret_sha256").getBytes(StandardCharsets.US_ASCII));
                    boolean isRevoked = rs.getObject("revoked_at") != null;
                    boolean disabled = rs.getObject("disabled_at") != null;
                    boolean expired = !now.isBefore(Catalog.instant(rs.getLong("expires_at")));
                    if (!secretMatches || isRevoked || disabled || expired) return null;
                    Set<Role> roles = EnumSet.noneOf(Role.class);
                    roles.addAll(roles(rs.getString("roles")));
                    roles.retainAll(roles(rs.getString("scopes")));
                    return new Principal(rs.getString("user_name"), rs.getString("org_name"), rs.getString("jurisdiction"), roles);
                })
                .findOne());
    }

    /**
     * Whether a Korean business registration number (사업자등록번호) is well formed: ten digits whose
     * last is the check digit over weights 1,3,7,1,3,7,1,3,5 (the ninth digit's weighted value adds
     * its tens too).
     */
    public static boolean isKoreanBusinessNumber(String number) {
        String digits = number.replace("-", "");
        if (!digits.matches("[0-9]{10}")) return false;
        int[] weights = {1, 3, 7, 1, 3, 7, 1, 3, 5};
        int sum = 0;
        for (int i = 0; i < 9; i++) sum += (digits.charAt(i) - '0') * weights[i];
        sum += (digits.charAt(8) - '0') * 5 / 10;
        return (10 - sum % 10) % 10 == digits.charAt(9) - '0';
    }

    private static final String USER_SELECT = "SELECT u.*, o.name AS org_name, o.jurisdiction FROM app_user u "
            + "JOIN organization o ON o.id = u.organization_id";

    private static User user(java.sql.ResultSet rs) throws java.sql.SQLException {
        long disabled = rs.getLong("disabled_at");
        Instant disabledAt = rs.wasNull() ? null : Catalog.instant(disabled);
        return new User(rs.getString("name"), rs.getString("org_name"), rs.getString("jurisdiction"), roles(rs.getString("roles")),
                Catalog.instant(rs.getLong("created_at")), disabledAt);
    }

    private static TokenInfo tokenInfo(java.sql.ResultSet rs) throws java.sql.SQLException {
        long revoked = rs.getLong("revoked_at");
        Instant revokedAt = rs.wasNull() ? null : Catalog.instant(revoked);
        return new TokenInfo(rs.getString("id"), rs.getString("user_name"), roles(rs.getString("scopes")), rs.getString("label"),
                Catalog.instant(rs.getLong("created_at")), Catalog.instant(rs.getLong("expires_at")), revokedAt);
    }

    private static void requireName(String name) {
        if (name == null || !NAME.matcher(name).matches()) throw new MaxException(IdentityError.BAD_NAME, Location.NOWHERE, name);
    }

    /** Roles as the comma-separated words stored and shown: {@code consumer,provider}. */
    public static String words(Set<Role> roles) {
        return roles.stream().sorted().map(Role::word).collect(Collectors.joining(","));
    }

    /**
     * Roles from their words ({@code provider}, {@code consumer}, …), as users type them.
     *
     * @throws MaxException {@link IdentityError#UNKNOWN_ROLE} naming a word that is no role
     */
    public static Set<Role> roles(List<String> words) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        if (words == null) return roles;
        for (String w : words) {
            try {
                roles.add(Role.valueOf(w.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new MaxException(IdentityError.UNKNOWN_ROLE, Location.NOWHERE, w);
            }
        }
        return roles;
    }

    static Set<Role> roles(String words) {
        if (words == null || words.isBlank()) return Set.of();
        return Arrays.stream(words.split(",")).map(w -> Role.valueOf(w.strip().toUpperCase(Locale.ROOT)))
                .collect(Collectors.toUnmodifiableSet());
    }

    private static String randomId() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        var sb = new StringBuilder(16);
        for (int i = 0; i < 16; i++) sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        return sb.toString();
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
