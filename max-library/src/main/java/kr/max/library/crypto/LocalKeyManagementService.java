package kr.max.library.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.AesGcmKey;
import com.google.crypto.tink.aead.AesGcmParameters;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.util.SecretBytes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import kr.max.core.Location;
import kr.max.core.MaxException;

/**
 * The default KMS: each key-encryption key is a Tink AES256-GCM keyset in its own file under
 * {@code keys/}, encrypted by an AEAD derived from the {@link MasterKey}. Without the master secret
 * the files are useless; destroying a key overwrites and deletes its file.
 */
public final class LocalKeyManagementService implements KeyManagementService {

    private static final byte[] CHECK_PLAINTEXT = "M.AX key store".getBytes(StandardCharsets.UTF_8);

    static {
        try {
            CryptoProviders.install();
            AeadConfig.register();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Path dir;
    private final Aead masterAead;
    private final Map<String, Aead> open = new ConcurrentHashMap<>();

    private LocalKeyManagementService(Path dir, Aead masterAead) {
        this.dir = dir;
        this.masterAead = masterAead;
    }

    /**
     * Opens (or creates) the key store in {@code dir}. Fails with {@code MAX-CRYPTO-001} when the master
     * key is not the one the store was created with.
     */
    public static LocalKeyManagementService open(Path dir, MasterKey masterKey) {
        try {
            Files.createDirectories(dir);
            Path saltFile = dir.resolve("salt");
            Path checkFile = dir.resolve("check");
            Path kdfFile = dir.resolve("kdf");
            boolean fresh = !Files.exists(saltFile);
            // The marker goes before the salt: a store with a salt and no marker is one made before markers
            // existed, whose secret's shape decided the derivation, as it still does for it.
            String marker = null;
            MasterKey.Kdf kdf;
            if (fresh) {
                kdf = masterKey.forShape();
                marker = kdf.marker;
                writeAtomically(kdfFile, marker.getBytes(StandardCharsets.US_ASCII));
                byte[] salt = new byte[16];
                new SecureRandom().nextBytes(salt);
                writeAtomically(saltFile, salt);
            } else if (Files.exists(kdfFile)) {
                marker = Files.readString(kdfFile, StandardCharsets.US_ASCII).strip();
                kdf = MasterKey.Kdf.ofMarker(marker);
                if (kdf == null) {
                    throw new MaxException(CryptoError.UNKNOWN_KDF, Location.file(kdfFile.toString()),
                            marker.length() > 40 ? marker.substring(0, 40) : marker);
                }
            } else {
                kdf = masterKey.forShape();
            }
            byte[] keyBytes = masterKey.derive(Files.readAllBytes(saltFile), kdf);
            if (keyBytes == null) throw new MaxException(CryptoError.KEY_FILE_NEEDED, Location.NOWHERE);
            Aead master;
            try {
                master = aeadFromRawKey(keyBytes);
            } finally {
                Arrays.fill(keyBytes, (byte) 0);
            }
            // The marker is bound into the check: a marker changed to force another derivation fails like a wrong key.
            byte[] checkContext = (marker == null ? "check" : "check:" + marker).getBytes(StandardCharsets.UTF_8);
            if (!Files.exists(checkFile)) {
                // Only a store without keys may get a new check; otherwise a mistyped key would be enshrined.
                if (!fresh && hasKeys(dir)) throw new MaxException(CryptoError.KEY_STORE_IO, Location.NOWHERE, "check file missing");
                writeAtomically(checkFile, master.encrypt(CHECK_PLAINTEXT, checkContext));
            } else {
                try {
                    master.decrypt(Files.readAllBytes(checkFile), checkContext);
                } catch (GeneralSecurityException e) {
                    throw new MaxException(CryptoError.WRONG_MASTER_KEY, Location.NOWHERE);
                }
            }
            return new LocalKeyManagementService(dir, master);
        } catch (IOException | GeneralSecurityException e) {
            throw new MaxException(CryptoError.KEY_STORE_IO, Location.NOWHERE, e, e.getClass().getSimpleName());
        }
    }

    private static boolean hasKeys(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.anyMatch(p -> p.getFileName().toString().endsWith(".kek"));
        }
    }

    private static Aead aeadFromRawKey(byte[] keyBytes) throws GeneralSecurityException {
        var params = AesGcmParameters.builder().setKeySizeBytes(32).setIvSizeBytes(12).setTagSizeBytes(16)
                .setVariant(AesGcmParameters.Variant.NO_PREFIX).build();
        var key = AesGcmKey.builder().setParameters(params)
                .setKeyBytes(SecretBytes.copyFrom(keyBytes, InsecureSecretKeyAccess.get())).build();
        return KeysetHandle.newBuilder().addEntry(KeysetHandle.importKey(key).withRandomId().makePrimary()).build()
                .getPrimitive(RegistryConfiguration.get(), Aead.class);
    }

    /**
     * A random secret of this key store (for the embedded catalog's password, say), kept sealed by the
     * master key and created on first use. Never logged.
     */
    public synchronized String secret(String name) {
        Path file = dir.resolve(HexFormat.of().formatHex(name.getBytes(StandardCharsets.UTF_8)) + ".secret");
        byte[] context = ("secret:" + name).getBytes(StandardCharsets.UTF_8);
        try {
            if (!Files.exists(file)) {
                byte[] raw = new byte[24];
                new SecureRandom().nextBytes(raw);
                writeAtomically(file, masterAead.encrypt(java.util.Base64.getUrlEncoder().withoutPadding().encode(raw), context));
            }
            return new String(masterAead.decrypt(Files.readAllBytes(file), context), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new MaxException(CryptoError.KEY_STORE_IO, Location.NOWHERE, e, name);
        } catch (GeneralSecurityException e) {
            throw new MaxException(CryptoError.TAMPERED, Location.NOWHERE, e, name);
        }
    }

    @Override
    public synchronized void createKey(String keyId) {
        Path file = fileOf(keyId);
        if (Files.exists(file)) return;
        try {
            KeysetHandle kek = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
            byte[] sealed = TinkProtoKeysetFormat.serializeEncryptedKeyset(kek, masterAead, context(keyId));
            writeAtomically(file, sealed);
        } catch (IOException | GeneralSecurityException e) {
            throw new MaxException(CryptoError.KEY_STORE_IO, Location.NOWHERE, e, keyId);
        }
    }

    @Override
    public boolean exists(String keyId) {
        return Files.exists(fileOf(keyId));
    }

    @Override
    public byte[] wrap(String keyId, byte[] keyMaterial, byte[] context) {
        try {
            return kek(keyId).encrypt(keyMaterial, context);
        } catch (GeneralSecurityException e) {
            throw new MaxException(CryptoError.TAMPERED, Location.NOWHERE, e, keyId);
        }
    }

    @Override
    public byte[] unwrap(String keyId, byte[] wrapped, byte[] context) {
        try {
            return kek(keyId).decrypt(wrapped, context);
        } catch (GeneralSecurityException e) {
            throw new MaxException(CryptoError.TAMPERED, Location.NOWHERE, e, keyId);
        }
    }

    @Override
    public synchronized void destroyKey(String keyId) {
        open.remove(keyId);
        Path file = fileOf(keyId);
        try {
            if (Files.exists(file)) {
                // Overwrite before unlinking: on a plain file system this removes the sealed key bytes.
                long size = Files.size(file);
                try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
                    ch.write(java.nio.ByteBuffer.allocate((int) size));
                    ch.force(true);
                }
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new MaxException(CryptoError.KEY_STORE_IO, Location.NOWHERE, e, keyId);
        }
    }

    private Aead kek(String keyId) {
        Aead aead = open.get(keyId);
        if (aead != null) return aead;
        try {
            byte[] sealed = Files.readAllBytes(fileOf(keyId));
            KeysetHandle handle = TinkProtoKeysetFormat.parseEncryptedKeyset(sealed, masterAead, context(keyId));
            aead = handle.getPrimitive(RegistryConfiguration.get(), Aead.class);
            open.put(keyId, aead);
            return aead;
        } catch (NoSuchFileException e) {
            throw new MaxException(CryptoError.KEY_DESTROYED, Location.NOWHERE, keyId);
        } catch (IOException e) {
            throw new MaxException(CryptoError.KEY_STORE_IO, Location.NOWHERE, e, keyId);
        } catch (GeneralSecurityException e) {
            throw new MaxException(CryptoError.TAMPERED, Location.NOWHERE, e, keyId);
        }
    }

    private Path fileOf(String keyId) {
        // Key ids are library-made (dataset:42); hex keeps any id a safe file name.
        return dir.resolve(HexFormat.of().formatHex(keyId.getBytes(StandardCharsets.UTF_8)) + ".kek");
    }

    private static byte[] context(String keyId) {
        return ("kek:" + keyId).getBytes(StandardCharsets.UTF_8);
    }

    static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
