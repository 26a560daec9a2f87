package kr.max.library.fingerprint;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import kr.max.core.Location;
import kr.max.core.MaxException;

/**
 * The 256-bit secret of one export. Every export gets its own, so a leaked copy names the export and,
 * through the library's record of it, the recipient and the time. Only the library holds it: it stores
 * {@link #bytes()} encrypted with the export record and gives it back through {@link #fromBytes}.
 *
 * <p>Never printed: {@link #toString()} is redacted. Equality runs in constant time.
 */
public final class FingerprintSecret {

    /** Length of a secret in bytes. */
    public static final int LENGTH = 32;

    private final byte[] bytes;

    private FingerprintSecret(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A fresh secret from {@code random} (the library's {@link SecureRandom}). */
    public static FingerprintSecret generate(SecureRandom random) {
        var b = new byte[LENGTH];
        random.nextBytes(b);
        return new FingerprintSecret(b);
    }

    /**
     * The secret stored earlier as {@link #bytes()}.
     *
     * @throws MaxException {@code MAX-FP-006} when {@code bytes} is not {@value #LENGTH} bytes long
     */
    public static FingerprintSecret fromBytes(byte[] bytes) {
        if (bytes == null || bytes.length != LENGTH) {
            throw new MaxException(FingerprintError.BAD_SECRET, Location.NOWHERE, bytes == null ? 0 : bytes.length, LENGTH);
        }
        return new FingerprintSecret(bytes.clone());
    }

    /** A copy of the secret's bytes, to be stored encrypted. */
    public byte[] bytes() {
        return bytes.clone();
    }

    byte[] unsafeBytes() {
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FingerprintSecret other && MessageDigest.isEqual(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "FingerprintSecret[redacted]";
    }
}
