package kr.max.library.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import kr.max.core.MaxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKeyManagementServiceTest {

    @TempDir
    Path dir;

    static final MasterKey MASTER = MasterKey.of("correct horse battery staple 2026");

    @Test
    void wrapsAndUnwrapsUnderAKeyAndContext() {
        var kms = LocalKeyManagementService.open(dir, MASTER);
        kms.createKey("dataset:1");
        byte[] wrapped = kms.wrap("dataset:1", new byte[]{1, 2, 3}, "ctx".getBytes(StandardCharsets.UTF_8));
        assertThat(kms.unwrap("dataset:1", wrapped, "ctx".getBytes(StandardCharsets.UTF_8))).containsExactly(1, 2, 3);
        assertThatThrownBy(() -> kms.unwrap("dataset:1", wrapped, "other".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(CryptoError.TAMPERED));
    }

    @Test
    void keysSurviveReopeningWithTheSameMasterKey() {
        var kms = LocalKeyManagementService.open(dir, MASTER);
        kms.createKey("k");
        byte[] wrapped = kms.wrap("k", new byte[]{42}, new byte[0]);
        var again = LocalKeyManagementService.open(dir, MasterKey.of("correct horse battery staple 2026"));
        assertThat(again.unwrap("k", wrapped, new byte[0])).containsExactly(42);
    }

    @Test
    void wrongMasterKeyIsRefusedWithItsOwnCode() {
        LocalKeyManagementService.open(dir, MASTER).createKey("k");
        assertThatThrownBy(() -> LocalKeyManagementService.open(dir, MasterKey.of("a different secret of enough length")))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(CryptoError.WRONG_MASTER_KEY));
    }

    @Test
    void shortMasterSecretIsRefused() {
        assertThatThrownBy(() -> MasterKey.of("short"))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(CryptoError.BAD_MASTER_KEY));
    }

    @Test
    void destroyedKeyMakesEveryDataKeyUnderItUnreadable() throws IOException {
        var kms = LocalKeyManagementService.open(dir, MASTER);
        kms.createKey("dataset:7");
        var generated = DataKey.generate(kms, "dataset:7", "dek:v1");
        var cipher = new ByteArrayOutputStream();
        try (var out = generated.key().encrypting(cipher, "chunk:0")) {
            out.write("압출기 온도 231.5".getBytes(StandardCharsets.UTF_8));
        }
        // readable before
        var key = DataKey.unwrap(kms, "dataset:7", generated.wrapped(), "dek:v1");
        try (var in = key.decrypting(new ByteArrayInputStream(cipher.toByteArray()), "chunk:0")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("압출기 온도 231.5");
        }
        kms.destroyKey("dataset:7");
        var reopened = LocalKeyManagementService.open(dir, MASTER);
        assertThatThrownBy(() -> DataKey.unwrap(reopened, "dataset:7", generated.wrapped(), "dek:v1"))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(CryptoError.KEY_DESTROYED));
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".kek") && n.contains("3a37"));
        }
    }

    @Test
    void chunkCiphertextBoundToItsPlaceFailsElsewhere() throws IOException {
        var kms = LocalKeyManagementService.open(dir, MASTER);
        kms.createKey("d");
        var key = DataKey.generate(kms, "d", "dek:x").key();
        var cipher = new ByteArrayOutputStream();
        try (var out = key.encrypting(cipher, "chunk:x:0")) {
            out.write(new byte[5000]);
        }
        assertThatThrownBy(() -> {
            try (var in = key.decrypting(new ByteArrayInputStream(cipher.toByteArray()), "chunk:x:1")) {
                in.readAllBytes();
            }
        }).isInstanceOf(IOException.class);
    }
}
