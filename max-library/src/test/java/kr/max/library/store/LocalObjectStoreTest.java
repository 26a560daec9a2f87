package kr.max.library.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalObjectStoreTest {

    @TempDir
    Path dir;

    @Test
    void stagedObjectsAreInvisibleUntilPublished() throws IOException {
        var store = new LocalObjectStore(dir);
        String hash;
        try (var staging = store.stage("ingest-1")) {
            hash = staging.write(out -> out.write("abc".getBytes(StandardCharsets.UTF_8))).hash();
            assertThat(store.list()).isEmpty();
            assertThat(hash).isEqualTo(kr.max.library.audit.AuditChain.sha256("abc"));
            staging.publish();
        }
        assertThat(store.list()).containsExactly(hash);
        try (var in = store.open(hash)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("abc");
        }
    }

    @Test
    void recoveryPublishesCommittedAreasAndRemovesOrphans() throws IOException {
        var store = new LocalObjectStore(dir);
        String committed;
        String orphan;
        try (var a = store.stage("committed")) {
            committed = a.write(out -> out.write(1)).hash();
        }
        try (var b = store.stage("orphan")) {
            orphan = b.write(out -> out.write(2)).hash();
        }
        int removed = store.recover(Set.of("committed")::contains);
        assertThat(removed).isEqualTo(1);
        assertThat(store.list()).containsExactly(committed);
        assertThat(store.exists(orphan)).isFalse();
        try (var files = Files.list(dir.resolve("staging"))) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void recoveryLeavesAreasOfLiveWritersAlone() {
        var store = new LocalObjectStore(dir);
        try (var live = store.stage("live")) {
            live.write(out -> out.write(3));
            assertThat(store.recover(id -> false)).isZero();
            assertThat(Files.exists(dir.resolve("staging/live"))).isTrue();
            live.discard();
        }
    }

    @Test
    void committedButUnpublishedObjectsCanBeRead() throws IOException {
        var store = new LocalObjectStore(dir);
        try (var s = store.stage("window")) {
            String hash = s.write(out -> out.write(7)).hash();
            try (var in = store.open(hash)) {
                assertThat(in.read()).isEqualTo(7);
            }
            s.discard();
        }
    }
}
