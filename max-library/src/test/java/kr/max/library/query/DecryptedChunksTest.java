package kr.max.library.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache of decrypted chunks, on real files: reuse, budget, leases, deletion and failures. */
class DecryptedChunksTest {

    @TempDir
    Path dir;

    DecryptedChunks cache;
    final ConcurrentHashMap<String, AtomicInteger> decryptions = new ConcurrentHashMap<>();

    @BeforeEach
    void open() {
        cache = new DecryptedChunks(dir, 3 * 1000);
    }

    @AfterEach
    void close() {
        cache.close();
    }

    /** A chunk whose "plaintext" is 1,000 bytes starting with its id; counts how often it is written. */
    QueryEngine.ChunkRef chunk(String id) {
        return new QueryEngine.ChunkRef(0, id, null, out -> {
            decryptions.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            out.write((id + " ".repeat(1000)).substring(0, 1000).getBytes(StandardCharsets.US_ASCII));
        });
    }

    List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    @Test
    void aChunkReadAgainIsNotDecryptedAgain() throws IOException {
        try (var lease = cache.lease(List.of(chunk("a"), chunk("b")))) {
            assertThat(lease.files()).hasSize(2);
            assertThat(Files.readString(lease.files().get(1))).startsWith("b");
        }
        try (var lease = cache.lease(List.of(chunk("b"), chunk("a")))) {
            assertThat(Files.readString(lease.files().getFirst())).startsWith("b");
        }
        assertThat(decryptions.get("a")).hasValue(1);
        assertThat(decryptions.get("b")).hasValue(1);
    }

    @Test
    void overBudgetTheLeastRecentlyUsedUnleasedChunksGoFirst() throws IOException {
        var held = cache.lease(List.of(chunk("held")));
        try (var lease = cache.lease(List.of(chunk("old")))) {
            assertThat(lease.files()).hasSize(1);
        }
        try (var lease = cache.lease(List.of(chunk("new1"), chunk("new2")))) {
            assertThat(lease.files()).hasSize(2);
        }
        // 4,000 bytes against a budget of 3,000: the oldest unleased chunk went, the leased one stayed
        assertThat(cache.cachedIds()).containsExactlyInAnyOrder("held", "new1", "new2");
        assertThat(Files.exists(held.files().getFirst())).isTrue();
        held.close();
        assertThat(cache.cachedBytes()).isLessThanOrEqualTo(3_000);
        assertThat(files()).hasSize(3);
    }

    @Test
    void aForgottenChunkIsRemovedAtOnceOrWhenItsLastLeaseEnds() throws IOException {
        try (var lease = cache.lease(List.of(chunk("idle")))) {
            assertThat(lease.files()).hasSize(1);
        }
        var running = cache.lease(List.of(chunk("busy")));
        cache.forget(List.of("idle", "busy"));
        assertThat(files()).containsExactly(running.files().getFirst());
        assertThat(Files.readString(running.files().getFirst())).startsWith("busy"); // the running query still reads it
        running.close();
        assertThat(files()).isEmpty();
        assertThat(cache.cachedBytes()).isZero();
        // asked for again, it is decrypted again
        try (var lease = cache.lease(List.of(chunk("idle")))) {
            assertThat(Files.readString(lease.files().getFirst())).startsWith("idle");
        }
        assertThat(decryptions.get("idle")).hasValue(2);
    }

    @Test
    void aFailedDecryptionLeavesNoFileNoLeaseAndIsTriedAgain() throws IOException {
        var broken = new QueryEngine.ChunkRef(0, "broken", null, out -> {
            out.write(new byte[500]);
            throw new IOException("authentication tag mismatch");
        });
        assertThatThrownBy(() -> cache.lease(List.of(chunk("good"), broken))).hasMessageContaining("tag mismatch");
        assertThat(files()).allSatisfy(f -> assertThat(f.getFileName().toString()).doesNotContain("broken"));
        assertThat(cache.cachedIds()).containsExactly("good");
        try (var lease = cache.lease(List.of(chunk("broken")))) {
            assertThat(Files.readString(lease.files().getFirst())).startsWith("broken");
        }
        // nothing stayed leased by the failed attempt: all of it can be removed
        cache.forget(List.of("good", "broken"));
        assertThat(files()).isEmpty();
    }

    @Test
    void closingRemovesEveryFile() throws IOException {
        try (var lease = cache.lease(List.of(chunk("a"), chunk("b")))) {
            assertThat(lease.files()).hasSize(2);
        }
        cache.close();
        assertThat(files()).isEmpty();
    }
}
