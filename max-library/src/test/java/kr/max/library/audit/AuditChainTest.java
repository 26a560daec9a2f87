package kr.max.library.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Random;
import kr.max.library.catalog.Catalog;
import kr.max.library.crypto.AuditKeys;
import kr.max.library.crypto.LocalKeyManagementService;
import kr.max.library.crypto.MasterKey;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditChainTest {

    @TempDir
    Path dir;

    Catalog catalog;
    AuditChain chain;
    Jdbi jdbi;

    @BeforeEach
    void open() {
        catalog = Catalog.open("jdbc:h2:file:" + dir.resolve("catalog").toAbsolutePath(), null, null);
        var kms = LocalKeyManagementService.open(dir.resolve("keys"), MasterKey.of("test master secret 0123456789"));
        var keys = AuditKeys.open(kms, dir.resolve("keys/audit.tink"));
        jdbi = catalog.jdbi();
        chain = new AuditChain(jdbi, keys.signer(), keys.verifier(), Clock.systemUTC(), dir.resolve("audit-head"));
    }

    @AfterEach
    void close() {
        catalog.close();
    }

    private void appendMany(int n) {
        for (int i = 0; i < n; i++) {
            chain.append(AuditEvent.ok("local:alice", i % 2 == 0 ? "ingest" : "query", "kamp/press", i, "rows=" + i));
        }
    }

    @Test
    void freshChainOfRecordsVerifiesIntactWithItsCheckpoint() {
        appendMany(10);
        chain.checkpoint();
        Verification v = chain.verify();
        assertThat(v.intact()).isTrue();
        assertThat(v.records()).isEqualTo(10);
        assertThat(v.checkpoints()).isEqualTo(1);
    }

    @Test
    void concurrentWritersCommitTogetherIntoOneUnbrokenChainEachGettingItsOwnRecord() throws Exception {
        int threads = 16;
        int each = 60;
        var mine = new java.util.concurrent.ConcurrentHashMap<String, AuditRecord>();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(threads)) {
            var futures = new java.util.ArrayList<java.util.concurrent.Future<?>>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        String detail = "thread=" + thread + " i=" + i;
                        mine.put(detail, chain.append(AuditEvent.ok("local:t" + thread, "query", "kamp/press", i, detail)));
                    }
                    return null;
                }));
            }
            for (var f : futures) f.get();
        }
        assertThat(mine).hasSize(threads * each);
        // each caller got the record holding its own event, at a distinct place in the chain
        mine.forEach((detail, r) -> assertThat(r.detail()).isEqualTo(detail));
        assertThat(mine.values().stream().map(AuditRecord::seq).distinct().count()).isEqualTo(threads * each);
        var v = chain.verify();
        assertThat(v.intact()).isTrue();
        assertThat(v.records()).isEqualTo(threads * each);
    }

    @Test
    void recordsLinkEachToItsPredecessor() {
        var a = chain.append(AuditEvent.ok("p", "ingest", "d", 1, null));
        var b = chain.append(AuditEvent.ok("p", "query", "d", 1, null));
        assertThat(a.prevHash()).isEqualTo(AuditChain.GENESIS);
        assertThat(b.prevHash()).isEqualTo(a.hash());
        assertThat(b.seq()).isEqualTo(2);
    }

    @Test
    void changedRecordIsNamed() {
        appendMany(8);
        jdbi.useHandle(h -> h.execute("UPDATE audit_record SET principal = 'local:mallory' WHERE seq = 5"));
        Verification v = chain.verify();
        assertThat(v.intact()).isFalse();
        assertThat(v.firstBrokenSeq()).isEqualTo(5);
        assertThat(v.reason()).isEqualTo("changed");
    }

    @Test
    void removedRecordIsNamed() {
        appendMany(8);
        jdbi.useHandle(h -> h.execute("DELETE FROM audit_record WHERE seq = 3"));
        Verification v = chain.verify();
        assertThat(v.intact()).isFalse();
        assertThat(v.firstBrokenSeq()).isEqualTo(3);
        assertThat(v.reason()).isEqualTo("missing");
    }

    @Test
    void reorderedRecordsAreDetected() {
        appendMany(8);
        // swap the contents of records 4 and 6 while keeping their sequence numbers
        jdbi.useHandle(h -> {
            h.execute("UPDATE audit_record SET seq = -4 WHERE seq = 4");
            h.execute("UPDATE audit_record SET seq = 4 WHERE seq = 6");
            h.execute("UPDATE audit_record SET seq = 6 WHERE seq = -4");
        });
        Verification v = chain.verify();
        assertThat(v.intact()).isFalse();
        assertThat(v.firstBrokenSeq()).isEqualTo(4);
    }

    @Test
    void truncatedTailAfterACheckpointIsDetected() {
        appendMany(6);
        chain.checkpoint();
        jdbi.useHandle(h -> h.execute("DELETE FROM audit_record WHERE seq >= 5"));
        Verification v = chain.verify();
        assertThat(v.intact()).isFalse();
        assertThat(v.reason()).isEqualTo("truncated");
        assertThat(v.firstBrokenSeq()).isEqualTo(5);
    }

    @Test
    void newestRecordsRemovedBeforeAnyCheckpointAreDetectedByTheSignedHead() {
        appendMany(10);
        // no checkpoint yet (a server that crashed); the attacker removes the newest records and any checkpoint
        jdbi.useHandle(h -> {
            h.execute("DELETE FROM audit_record WHERE seq >= 6");
            h.execute("DELETE FROM audit_checkpoint");
        });
        Verification v = chain.verify();
        assertThat(v.intact()).isFalse();
        assertThat(v.reason()).isEqualTo("truncated");
        assertThat(v.firstBrokenSeq()).isEqualTo(6);
    }

    @Test
    void forgedHeadFileIsRejected() throws Exception {
        appendMany(3);
        chain.flushHead();
        var head = dir.resolve("audit-head");
        String[] f = java.nio.file.Files.readString(head).strip().split(" ");
        java.nio.file.Files.writeString(head, "2 " + f[1] + " " + f[2] + " " + f[3] + "\n");
        assertThat(chain.verify().reason()).isEqualTo("bad-signature");
    }

    @Test
    void consistentRewriteOfTheWholeChainFailsTheSignedCheckpoint() {
        appendMany(4);
        chain.checkpoint();
        // An attacker with database access recomputes every hash after changing record 2.
        jdbi.useHandle(h -> h.execute("UPDATE audit_record SET detail = 'rows=0' WHERE seq = 2"));
        String prev = AuditChain.GENESIS;
        for (long s = 1; s <= 4; s++) {
            long seq = s;
            var r = jdbi.withHandle(h -> h.createQuery("SELECT * FROM audit_record WHERE seq = :s").bind("s", seq)
                    .map((rs, ctx) -> new AuditRecord(rs.getLong("seq"), Catalog.instant(rs.getLong("at")), rs.getString("principal"),
                            rs.getString("action"), rs.getString("dataset"), rs.getInt("version"), rs.getString("outcome"),
                            rs.getString("detail"), rs.getString("query_hash"), null, null)).one());
            var relinked = new AuditRecord(r.seq(), r.at(), r.principal(), r.action(), r.dataset(), r.version(), r.outcome(),
                    r.detail(), r.queryHash(), prev, null);
            String hash = AuditChain.hashOf(relinked);
            String p = prev;
            jdbi.useHandle(h -> h.createUpdate("UPDATE audit_record SET prev_hash = :p, hash = :h WHERE seq = :s")
                    .bind("p", p).bind("h", hash).bind("s", seq).execute());
            prev = hash;
        }
        Verification v = chain.verify();
        assertThat(v.intact()).isFalse();
        assertThat(v.reason()).isEqualTo("changed");
        assertThat(v.firstBrokenSeq()).isEqualTo(4);
    }

    @Test
    void randomTamperingIsAlwaysDetectedAtOrBeforeTheTamperedRecord() {
        var random = new Random(20261130);
        appendMany(40);
        chain.checkpoint();
        String[] columns = {"principal", "action", "dataset", "outcome", "detail"};
        for (int trial = 0; trial < 60; trial++) {
            long seq = 1 + random.nextInt(40);
            String column = columns[random.nextInt(columns.length)];
            String original = jdbi.withHandle(h -> h.createQuery("SELECT " + column + " FROM audit_record WHERE seq = :s")
                    .bind("s", seq).mapTo(String.class).one());
            jdbi.useHandle(h -> h.createUpdate("UPDATE audit_record SET " + column + " = :v WHERE seq = :s")
                    .bind("v", "x" + random.nextInt(1000)).bind("s", seq).execute());
            Verification v = chain.verify();
            assertThat(v.intact()).as("trial %d: %s of %d", trial, column, seq).isFalse();
            assertThat(v.firstBrokenSeq()).isEqualTo(seq);
            jdbi.useHandle(h -> h.createUpdate("UPDATE audit_record SET " + column + " = :v WHERE seq = :s")
                    .bind("v", original).bind("s", seq).execute());
        }
        assertThat(chain.verify().intact()).isTrue();
    }
}
