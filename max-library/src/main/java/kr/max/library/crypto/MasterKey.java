package kr.max.library.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import kr.max.core.Location;
import kr.max.core.MaxException;

/**
 * The master secret that seals the local key store. A key file made by {@link #createFile} holds 256
 * random bits (Base64) and is used through HKDF; any other secret is a passphrase and is stretched
 * with PBKDF2 so that guessing it stays expensive. The secret itself is never stored by the library,
 * only in the key file the operator chose. Which of the two sealed a key store is recorded beside it
 * ({@link Kdf}, decision 0001), so a store never silently changes how its key is derived.
 */
public final class MasterKey {

    /** The environment variable that may hold the master secret. */
    public static final String ENV = "MAX_MASTER_KEY";

    private static final int MIN_SECRET_CHARS = 16;
    private static final int PBKDF2_ITERATIONS = 120_000;

    private final char[] secret;

    private MasterKey(char[] secret) {
        if (secret.length < MIN_SECRET_CHARS) {
            throw new MaxException(CryptoError.BAD_MASTER_KEY, Location.NOWHERE,
                    "shorter than " + MIN_SECRET_CHARS + " characters");
        }
        this.secret = secret;
    }

    public static MasterKey of(String secret) {
        return new MasterKey(secret.strip().toCharArray());
    }

    /** Reads the secret from a key file (first line, trimmed). */
    public static MasterKey fromFile(Path keyFile) {
        try {
            return of(Files.readString(keyFile, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new MaxException(CryptoError.BAD_MASTER_KEY, Location.file(keyFile.toString()), e, "cannot read key file");
        }
    }

    /**
     * Creates a key file holding 32 random bytes (Base64) readable by the owner only.
     *
     * @return the new master key
     */
    public static MasterKey createFile(Path keyFile) {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        String text = Base64.getEncoder().encodeToString(raw);
        try {
            Path dir = keyFile.toAbsolutePath().getParent();
            if (!Files.exists(dir)) {
                // Usually the library's home, made here before the library makes it: only its owner may look inside.
                try {
                    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } catch (UnsupportedOperationException e) {
                    Files.createDirectories(dir);
                }
            }
            try {
                Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(keyFile);
            }
            Files.writeString(keyFile, text + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new MaxException(CryptoError.KEY_STORE_IO, Location.file(keyFile.toString()), e, e.getClass().getSimpleName());
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
        return of(text);
    }

    /**
     * How a key store's sealing key is derived from the master secret. The marker is written beside a new
     * store and bound into its check value, so a changed marker fails like a wrong key; stores made before
     * markers existed have none and derive as {@link #forShape()} says.
     */
    enum Kdf {
        /** RFC 5869 HKDF-SHA256 over the 32 bytes of a generated key: they need no stretching. */
        HKDF_SHA256("hkdf-sha256/1"),
        /** PBKDF2-HMAC-SHA256, 120,000 rounds: a passphrase a person chose must stay expensive to guess. */
        PBKDF2_SHA256("pbkdf2-hmac-sha256/120000");

        final String marker;

        Kdf(String marker) {
            this.marker = marker;
        }

        /** The derivation a marker names; {@code null} for a marker this version does not know. */
        static Kdf ofMarker(String marker) {
            for (Kdf k : values()) if (k.marker.equals(marker)) return k;
            return null;
        }
    }

    /** The derivation a new key store sealed by this secret uses: HKDF for a generated key, PBKDF2 otherwise. */
    Kdf forShape() {
        byte[] raw = rawKey();
        if (raw == null) return Kdf.PBKDF2_SHA256;
        Arrays.fill(raw, (byte) 0);
        return Kdf.HKDF_SHA256;
    }

    /** 32 key bytes for this salt, derived as the secret's shape says. The caller wipes them after use. */
    byte[] derive(byte[] salt) {
        return derive(salt, forShape());
    }

    /**
     * 32 key bytes for this salt by {@code kdf}; {@code null} when the secret cannot be used that way (a
     * passphrase where the store was sealed with a generated key). The caller wipes them after use.
     */
    byte[] derive(byte[] salt, Kdf kdf) {
        if (kdf == Kdf.HKDF_SHA256) {
            byte[] raw = rawKey();
            if (raw == null) return null;
            try {
                return hkdfSha256(raw, salt, "max master key".getBytes(StandardCharsets.UTF_8));
            } finally {
                Arrays.fill(raw, (byte) 0);
            }
        }
        try {
            var spec = new PBEKeySpec(secret, salt, PBKDF2_ITERATIONS, 256);
            try {
                return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            } finally {
                spec.clearPassword();
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every JDK", e);
        }
    }

    /** The 32 bytes of a generated key, or null for a passphrase. */
    private byte[] rawKey() {
        if (secret.length != 44 || secret[43] != '=') return null;
        try {
            byte[] raw = Base64.getDecoder().decode(new String(secret));
            return raw.length == 32 ? raw : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** RFC 5869 HKDF with HMAC-SHA256, one output block. */
    private static byte[] hkdfSha256(byte[] ikm, byte[] salt, byte[] info) {
        try {
            var mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(salt, "HmacSHA256"));
            byte[] prk = mac.doFinal(ikm);
            mac.init(new javax.crypto.spec.SecretKeySpec(prk, "HmacSHA256"));
            mac.update(info);
            mac.update((byte) 1);
            byte[] okm = mac.doFinal();
            Arrays.fill(prk, (byte) 0);
            return okm;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "MasterKey[redacted]";
    }
}
