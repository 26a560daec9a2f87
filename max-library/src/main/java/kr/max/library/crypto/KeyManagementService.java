package kr.max.library.crypto;

/**
 * Holds key-encryption keys (KEKs) and wraps data keys with them. The library never sees a KEK,
 * only wrapped bytes, so a KMS or HSM can take this place without other changes.
 *
 * <p>Destroying a key is crypto-shredding: every data key wrapped under it, and so every chunk
 * encrypted with those data keys, becomes unreadable for good.
 */
public interface KeyManagementService {

    /** Creates the key if it does not exist; idempotent. */
    void createKey(String keyId);

    boolean exists(String keyId);

    /** Encrypts key material under the key; {@code context} must be given again to unwrap. */
    byte[] wrap(String keyId, byte[] keyMaterial, byte[] context);

    /**
     * Decrypts what {@link #wrap} returned.
     *
     * @throws kr.max.core.MaxException {@code MAX-CRYPTO-003} if the key was destroyed, {@code MAX-CRYPTO-004} if
     *                                  the bytes or context do not match
     */
    byte[] unwrap(String keyId, byte[] wrapped, byte[] context);

    /** Destroys the key for good. Idempotent. */
    void destroyKey(String keyId);
}
