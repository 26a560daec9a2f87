package kr.max.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.core.Principal;

/**
 * The server's single-user mode: one operator token stands for one principal. Only the token's
 * SHA-256 is kept; a presented token is hashed and compared in constant time, so neither the token
 * nor how much of it matched can be learnt from the server's memory or its timing.
 */
public final class SingleTokenAuthenticator implements Authenticator {

    /** Shorter tokens are refused: a token is the only secret between the network and the library. */
    public static final int MIN_TOKEN_CHARS = 32;

    private final byte[] tokenSha256;
    private final Principal principal;

    /**
     * @param token     the operator token, at least {@link #MIN_TOKEN_CHARS} characters
     * @param principal who a request with this token acts as
     * @throws MaxException {@link ServerError#WEAK_TOKEN} for a short token
     */
    public SingleTokenAuthenticator(String token, Principal principal) {
        Objects.requireNonNull(token, "token");
        this.principal = Objects.requireNonNull(principal, "principal");
        if (token.strip().length() < MIN_TOKEN_CHARS) {
            throw new MaxException(ServerError.WEAK_TOKEN, Location.NOWHERE, MIN_TOKEN_CHARS);
        }
        this.tokenSha256 = sha256(token.strip());
    }

    /** A new random token: 256 bits, Base64url without padding (43 characters). */
    public static String generateToken() {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    @Override
    public Optional<Principal> authenticate(String bearerToken) {
        if (bearerToken == null) return Optional.empty();
        // Hashing first makes the comparison independent of the candidate's length and content.
        return MessageDigest.isEqual(sha256(bearerToken), tokenSha256) ? Optional.of(principal) : Optional.empty();
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "SingleTokenAuthenticator[" + principal.name() + "]";
    }
}
