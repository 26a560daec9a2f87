package kr.max.library.crypto;

import kr.max.core.ErrorCode;

/** Errors of encryption and key management. Messages never include key material. */
public enum CryptoError implements ErrorCode {
    /** The master secret does not open this library's key store. */
    WRONG_MASTER_KEY("MAX-CRYPTO-001"),
    /** The master secret is missing or too short. */
    BAD_MASTER_KEY("MAX-CRYPTO-002"),
    /** The key was destroyed (crypto-shredded) or never existed. */
    KEY_DESTROYED("MAX-CRYPTO-003"),
    /** Ciphertext failed authentication: changed, truncated, or moved from elsewhere. */
    TAMPERED("MAX-CRYPTO-004"),
    /** The key store could not be read or written. */
    KEY_STORE_IO("MAX-CRYPTO-005"),
    /** The key store was sealed with a generated key, and a passphrase was given. */
    KEY_FILE_NEEDED("MAX-CRYPTO-006"),
    /** The key store names a key derivation this version does not know (made by a newer version, or damaged). */
    UNKNOWN_KDF("MAX-CRYPTO-007");

    private final String code;

    CryptoError(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }

    @Override
    public String bundle() {
        return "kr.max.library.crypto.messages";
    }
}
