package kr.max.server;

import java.util.Optional;
import kr.max.core.Principal;

/**
 * Turns the bearer token of a request into the {@link Principal} that acts. The server asks nothing
 * else of identities: what the principal may do is decided by the library's policy engine, the same
 * as on the command line.
 *
 * <p>Implementations: {@link SingleTokenAuthenticator} (one operator token, the server's single-user
 * mode); an identity service holding API tokens hashed at rest; later an OpenID Connect verifier that
 * checks a signed access token and maps its claims to a principal.
 *
 * <p>Contract: compare secrets in constant time; never log, store or echo the token; answer
 * {@link Optional#empty()} for any token that is not valid now (unknown, expired, revoked, malformed)
 * rather than throwing, so every refusal looks the same to a caller. Called concurrently from many
 * request threads.
 */
@FunctionalInterface
public interface Authenticator {

    /**
     * @param bearerToken the token after {@code Authorization: Bearer }, never {@code null} or blank
     * @return the acting principal, or empty when the token is not valid
     */
    Optional<Principal> authenticate(String bearerToken);
}
