package kr.max.library.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.PublicKeySign;
import com.google.crypto.tink.PublicKeyVerify;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.signature.PredefinedSignatureParameters;
import com.google.crypto.tink.signature.SignatureConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import kr.max.core.Location;
import kr.max.core.MaxException;

/**
 * The Ed25519 key that signs audit checkpoints. Its private half is stored sealed by a KMS key, so it
 * is as safe as the data keys; the public half is kept beside it for verification.
 */
public final class AuditKeys {

    private static final String KEK = "audit-signing";
    private static final byte[] CONTEXT = "audit-signing-key".getBytes(StandardCharsets.UTF_8);

    static {
        try {
            CryptoProviders.install();
            SignatureConfig.register();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final PublicKeySign signer;
    private final PublicKeyVerify verifier;

    private AuditKeys(PublicKeySign signer, PublicKeyVerify verifier) {
        this.signer = signer;
        this.verifier = verifier;
    }

    /** Loads the signing key from {@code file}, creating it on first use. */
    public static AuditKeys open(KeyManagementService kms, Path file) {
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
        try {
            KeysetHandle handle;
            if (Files.exists(file)) {
                handle = TinkProtoKeysetFormat.parseEncryptedKeyset(Files.readAllBytes(file), wrap, CONTEXT);
            } else {
                handle = KeysetHandle.generateNew(PredefinedSignatureParameters.ED25519);
                LocalKeyManagementService.writeAtomically(file, TinkProtoKeysetFormat.serializeEncryptedKeyset(handle, wrap, CONTEXT));
            }
            return new AuditKeys(handle.getPrimitive(RegistryConfiguration.get(), PublicKeySign.class),
                    handle.getPublicKeysetHandle().getPrimitive(RegistryConfiguration.get(), PublicKeyVerify.class));
        } catch (IOException e) {
            throw new MaxException(CryptoError.KEY_STORE_IO, Location.file(file.toString()), e, e.getClass().getSimpleName());
        } catch (GeneralSecurityException e) {
            throw new MaxException(CryptoError.TAMPERED, Location.file(file.toString()), e, "audit signing key");
        }
    }

    public PublicKeySign signer() {
        return signer;
    }

    public PublicKeyVerify verifier() {
        return verifier;
    }
}
