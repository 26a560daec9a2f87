package kr.max.library.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.streamingaead.PredefinedStreamingAeadParameters;
import com.google.crypto.tink.streamingaead.StreamingAeadConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import kr.max.core.Location;
import kr.max.core.MaxException;

/**
 * The data key of one dataset version: a Tink StreamingAead (AES256-GCM-HKDF, 1 MB segments) that
 * encrypts its chunks. It exists in plaintext only in memory; at rest it is wrapped by the dataset's
 * key-encryption key in the {@link KeyManagementService}.
 */
public final class DataKey {

    static {
        try {
            CryptoProviders.install();
            StreamingAeadConfig.register();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final StreamingAead streamingAead;
    private final Aead small;

    private DataKey(KeysetHandle handle) throws GeneralSecurityException {
        this.streamingAead = handle.getPrimitive(RegistryConfiguration.get(), StreamingAead.class);
        this.small = new StreamingAeadAsAead(streamingAead);
    }

    /** A fresh data key, and its wrapped form for the catalog. */
    public static Generated generate(KeyManagementService kms, String kekId, String context) {
        try {
            KeysetHandle handle = KeysetHandle.generateNew(PredefinedStreamingAeadParameters.AES256_GCM_HKDF_1MB);
            byte[] wrapped = TinkProtoKeysetFormat.serializeEncryptedKeyset(handle, kmsAead(kms, kekId), bytes(context));
            return new Generated(new DataKey(handle), wrapped);
        } catch (GeneralSecurityException e) {
            throw new MaxException(CryptoError.KEY_STORE_IO, Location.NOWHERE, e, kekId);
        }
    }

    /** Unwraps a data key through the KMS. */
    public static DataKey unwrap(KeyManagementService kms, String kekId, byte[] wrapped, String context) {
        try {
            return new DataKey(TinkProtoKeysetFormat.parseEncryptedKeyset(wrapped, kmsAead(kms, kekId), bytes(context)));
        } catch (GeneralSecurityException e) {
            throw new MaxException(CryptoError.TAMPERED, Location.NOWHERE, e, kekId);
        }
    }

    /** Wraps {@code out}: what is written to the result is encrypted; closing it writes the last segment. */
    public OutputStream encrypting(OutputStream out, String associatedData) {
        try {
            return streamingAead.newEncryptingStream(out, bytes(associatedData));
        } catch (GeneralSecurityException | IOException e) {
            throw new MaxException(CryptoError.KEY_STORE_IO, Location.NOWHERE, e, "encrypt");
        }
    }

    /** Decrypts while reading; a changed or truncated ciphertext raises an {@link IOException} while reading. */
    public InputStream decrypting(InputStream in, String associatedData) {
        try {
            return streamingAead.newDecryptingStream(in, bytes(associatedData));
        } catch (GeneralSecurityException | IOException e) {
            throw new MaxException(CryptoError.TAMPERED, Location.NOWHERE, e, "decrypt");
        }
    }

    /** Encrypts a small value (zone maps, rejected-row details). */
    public byte[] seal(byte[] plaintext, String associatedData) {
        try {
            return small.encrypt(plaintext, bytes(associatedData));
        } catch (GeneralSecurityException e) {
            throw new MaxException(CryptoError.KEY_STORE_IO, Location.NOWHERE, e, "seal");
        }
    }

    public byte[] open(byte[] sealed, String associatedData) {
        try {
            return small.decrypt(sealed, bytes(associatedData));
        } catch (GeneralSecurityException e) {
            throw new MaxException(CryptoError.TAMPERED, Location.NOWHERE, e, associatedData);
        }
    }

    private static Aead kmsAead(KeyManagementService kms, String kekId) {
        return new Aead() {
            @Override
            public byte[] encrypt(byte[] plaintext, byte[] ad) {
                return kms.wrap(kekId, plaintext, ad);
            }

            @Override
            public byte[] decrypt(byte[] ciphertext, byte[] ad) {
                return kms.unwrap(kekId, ciphertext, ad);
            }
        };
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A new data key and its wrapped bytes. */
    public record Generated(DataKey key, byte[] wrapped) {
    }

    /** Small values through the same streaming key, so one data key protects everything of a version. */
    private record StreamingAeadAsAead(StreamingAead sa) implements Aead {
        @Override
        public byte[] encrypt(byte[] plaintext, byte[] ad) throws GeneralSecurityException {
            var bout = new java.io.ByteArrayOutputStream(plaintext.length + 64);
            try (var out = sa.newEncryptingStream(bout, ad)) {
                out.write(plaintext);
            } catch (IOException e) {
                throw new GeneralSecurityException(e);
            }
            return bout.toByteArray();
        }

        @Override
        public byte[] decrypt(byte[] ciphertext, byte[] ad) throws GeneralSecurityException {
            try (var in = sa.newDecryptingStream(new java.io.ByteArrayInputStream(ciphertext), ad)) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new GeneralSecurityException(e);
            }
        }
    }
}
