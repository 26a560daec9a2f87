package kr.max.core;

import java.util.Objects;
import java.util.Set;

/**
 * Who acts: a user or service of an organization in a jurisdiction (ISO 3166 alpha-2 country code).
 *
 * @param name         login name, never a secret
 * @param organization organization name
 * @param jurisdiction ISO 3166-1 alpha-2 code, such as {@code KR}
 * @param roles        granted roles
 */
public record Principal(String name, String organization, String jurisdiction, Set<Role> roles) {

    public Principal {
        Objects.requireNonNull(name, "name");
        roles = Set.copyOf(roles);
    }

    /**
     * The operator of a single-machine library, used by the CLI until identities exist: the
     * operating-system user, acting as provider, consumer, steward and auditor of a domestic library.
     */
    public static Principal localOperator() {
        String user = System.getProperty("user.name", "operator");
        return new Principal("local:" + user, "local", "KR",
                Set.of(Role.PROVIDER, Role.CONSUMER, Role.STEWARD, Role.AUDITOR, Role.ADMIN));
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }
}
