package kr.max.factory.edge;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.library.crypto.CryptoError;
import kr.max.library.crypto.KeyManagementService;
import kr.max.library.crypto.LocalKeyManagementService;
import kr.max.library.crypto.MasterKey;

/**
 * The buffer's record key: a Tink AES256-GCM keyset, stored wrapped by a key-encryption key of a local key store
 * (the library's {@link LocalKeyManagementService}) that the edge's master secret seals. Records are small (a
 * commit group), so a plain AEAD serves better than the library's streaming data keys.
 */
final class BufferKey {

    private static final String KEK = "edge-buffer";
    private static final byte[] CONTEXT = "max-edge-buffer-key".getBytes(StandardCharsets.UTF_8);

    static {
        try {
            kr.max.library.crypto.CryptoProviders.install();
            AeadConfig.register();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private BufferKey() {
    }

    /** Opens the record key of the buffer in {@code dir}, creating key store and key on first use. */
    static Aead open(Path dir, MasterKey masterKey) {
        KeyManagementService kms = LocalKeyManagementService.open(dir.resolve("keys"), masterKey);
        kms.createKey(KEK);
        Aead wrap = new Aead() {
            @Override
            public byte[] encrypt(byte[] plaintext, byte[] ad) {
                return kms.wrap(KEK, plaintext, ad);
            }

            @Override
            public byte[] decrypt(byte[] ciphertext, byte[] ad) {
                return kms.unwrap(KEK, ciphertext, ad);
            }
        };
        Path file = dir.resolve("buffer.key");
        try {
            KeysetHandle handle;
            if (Files.exists(file)) {
                handle = TinkProtoKeysetFormat.parseEncryptedKeyset(Files.readAllBytes(file), wrap, CONTEXT);
            } else {
                handle = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
                Durable.writeAtomically(file, TinkProtoKeysetFormat.serializeEncryptedKeyset(handle, wrap, CONTEXT));
            }
            return handle.getPrimitive(RegistryConfiguration.get(), Aead.class);
        } catch (IOException e) {
            throw new MaxException(EdgeError.BUFFER_IO, Location.file(file.toString()), e, file.toString(), e.toString());
        } catch (GeneralSecurityException e) {
            throw new MaxException(CryptoError.TAMPERED, Location.file(file.toString()), e, "edge buffer key");
        }
    }
}
