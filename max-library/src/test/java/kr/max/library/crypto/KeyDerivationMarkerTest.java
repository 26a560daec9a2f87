package kr.max.library.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import kr.max.core.MaxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The key derivation marker beside a key store (decision 0001). The {@code legacy-keystore} resources were
 * written by the code before markers existed: a passphrase store and a generated-key store, each with one key
 * and a value wrapped under it.
 */
class KeyDerivationMarkerTest {

    private static final String LEGACY_PASSPHRASE = "legacy passphrase for the key store test";

    @TempDir
    Path dir;

    @Test
    void passphraseStoreMadeBeforeMarkersStillOpensAndIsLeftAsItWas() throws IOException {
        Path home = legacy("passphrase");
        var kms = LocalKeyManagementService.open(home.resolve("keys"), MasterKey.of(LEGACY_PASSPHRASE));
        assertThat(kms.unwrap("dataset:legacy", Files.readAllBytes(home.resolve("wrapped.bin")), bytes("ctx")))
                .isEqualTo(bytes("legacy data key"));
        assertThat(home.resolve("keys").resolve("kdf")).doesNotExist();
    }

    @Test
    void keyFileStoreMadeBeforeMarkersStillOpens() throws IOException {
        Path home = legacy("keyfile");
        var kms = LocalKeyManagementService.open(home.resolve("keys"), MasterKey.fromFile(home.resolve("master.key")));
        assertThat(kms.unwrap("dataset:legacy", Files.readAllBytes(home.resolve("wrapped.bin")), bytes("ctx")))
                .isEqualTo(bytes("legacy data key"));
    }

    @Test
    void wrongPassphraseForAStoreMadeBeforeMarkersFailsClearly() throws IOException {
        Path home = legacy("passphrase");
        assertThatThrownBy(() -> LocalKeyManagementService.open(home.resolve("keys"), MasterKey.of("not the legacy passphrase at all")))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(CryptoError.WRONG_MASTER_KEY));
    }

    @Test
    void newStoreFromAKeyFileRecordsHkdfAndReopens() throws IOException {
        MasterKey key = MasterKey.createFile(dir.resolve("master.key"));
        var kms = LocalKeyManagementService.open(dir.resolve("keys"), key);
        kms.createKey("k");
        byte[] wrapped = kms.wrap("k", new byte[] {7}, new byte[0]);
        assertThat(Files.readString(dir.resolve("keys").resolve("kdf"))).isEqualTo("hkdf-sha256/1");
        var again = LocalKeyManagementService.open(dir.resolve("keys"), MasterKey.fromFile(dir.resolve("master.key")));
        assertThat(again.unwrap("k", wrapped, new byte[0])).containsExactly(7);
    }

    @Test
    void newStoreFromAPassphraseRecordsPbkdf2() throws IOException {
        LocalKeyManagementService.open(dir.resolve("keys"), MasterKey.of("a passphrase a person chose, long enough"));
        assertThat(Files.readString(dir.resolve("keys").resolve("kdf"))).isEqualTo("pbkdf2-hmac-sha256/120000");
    }

    @Test
    void aPassphraseForAKeyFileStoreIsToldToGiveTheKeyFile() {
        LocalKeyManagementService.open(dir.resolve("keys"), MasterKey.createFile(dir.resolve("master.key"))).createKey("k");
        // By its shape alone this secret would be stretched with PBKDF2 and fail as a wrong key; the marker says more.
        assertThatThrownBy(() -> LocalKeyManagementService.open(dir.resolve("keys"), MasterKey.of("a passphrase a person chose, long enough")))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(CryptoError.KEY_FILE_NEEDED));
    }

    @Test
    void anotherGeneratedKeyForAKeyFileStoreIsAWrongKey() {
        LocalKeyManagementService.open(dir.resolve("keys"), MasterKey.createFile(dir.resolve("master.key"))).createKey("k");
        MasterKey other = MasterKey.createFile(dir.resolve("other.key"));
        assertThatThrownBy(() -> LocalKeyManagementService.open(dir.resolve("keys"), other))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(CryptoError.WRONG_MASTER_KEY));
    }

    @Test
    void aMarkerChangedToForceAnotherDerivationFailsLikeAWrongKey() throws IOException {
        Path keys = dir.resolve("keys");
        LocalKeyManagementService.open(keys, MasterKey.createFile(dir.resolve("master.key"))).createKey("k");
        Files.writeString(keys.resolve("kdf"), "pbkdf2-hmac-sha256/120000");
        assertThatThrownBy(() -> LocalKeyManagementService.open(keys, MasterKey.fromFile(dir.resolve("master.key"))))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(CryptoError.WRONG_MASTER_KEY));
    }

    @Test
    void anUnknownMarkerIsNamedNotGuessed() throws IOException {
        Path keys = dir.resolve("keys");
        LocalKeyManagementService.open(keys, MasterKey.of("a passphrase a person chose, long enough"));
        Files.writeString(keys.resolve("kdf"), "argon2id/3");
        assertThatThrownBy(() -> LocalKeyManagementService.open(keys, MasterKey.of("a passphrase a person chose, long enough")))
                .isInstanceOfSatisfying(MaxException.class, e -> {
                    assertThat(e.code()).isEqualTo(CryptoError.UNKNOWN_KDF);
                    assertThat(e.getMessage()).contains("argon2id/3");
                });
    }

    /** A copy of a legacy store in the temporary directory (tests may change it). */
    private Path legacy(String kind) throws IOException {
        Path home = dir.resolve(kind);
        Files.createDirectories(home.resolve("keys"));
        String base = "/legacy-keystore/" + kind + "/";
        var files = new java.util.ArrayList<>(java.util.List.of("keys/salt", "keys/check", "keys/646174617365743a6c6567616379.kek", "wrapped.bin"));
        if (kind.equals("keyfile")) files.add("master.key");
        for (String f : files) {
            try (InputStream in = getClass().getResourceAsStream(base + f)) {
                assertThat(in).as(base + f).isNotNull();
                Files.copy(in, home.resolve(f));
            }
        }
        return home;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aKeyFileMadeInANewHomeMakesTheHomeOwnerOnlyAndTheFileOwnerReadable() throws IOException {
        Path home = dir.resolve("new-home");
        MasterKey.createFile(home.resolve("master.key"));
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(home))).isEqualTo("rwx------");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("master.key"))))
                .isEqualTo("rw-------");
    }
}
