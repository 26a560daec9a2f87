package kr.max.library.audit;

import com.google.crypto.tink.PublicKeySign;
import com.google.crypto.tink.PublicKeyVerify;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import kr.max.library.catalog.Catalog;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * The append-only, hash-chained audit trail with signed checkpoints, kept in the catalog database.
 *
 * <p>Each record carries the SHA-256 of its predecessor; a checkpoint signs (seq, hash) with the
 * library's signature key so that truncating the tail, or rewriting the whole chain consistently,
 * is detected too.
 */
public final class AuditChain {

    /** Hash that precedes the first record. */
    public static final String GENESIS = "0".repeat(64);

    private static final int APPEND_ATTEMPTS = 50;

    /** Writers in this process take turns; other processes meet on the primary key and retry. */
    private final java.util.concurrent.locks.ReentrantLock appendLock = new java.util.concurrent.locks.ReentrantLock();

    private final Jdbi jdbi;
    private final PublicKeySign signer;
    private final PublicKeyVerify verifier;
    private final Clock clock;
    private final java.nio.file.Path headFile;
    /**
     * The last record this process appended or read (guarded by {@link #appendLock}): the next append
     * builds on it without reading the table. When another process has appended since, the insert meets
     * its record on the primary key and the retry reads the true head.
     */
    private long knownSeq = -1;
    private String knownHash;

    /**
     * @param headFile where the signed head (last sequence number and hash) is kept outside the
     *                 database after every append, so that removing the newest records is detected
     *                 even before the next checkpoint; {@code null} for none
     */
    public AuditChain(Jdbi jdbi, PublicKeySign signer, PublicKeyVerify verifier, Clock clock, java.nio.file.Path headFile) {
        this.jdbi = jdbi;
        this.signer = signer;
        this.verifier = verifier;
        this.clock = clock;
        this.headFile = headFile;
    }

    /** An event waiting to be appended, and what became of it. */
    private static final class Pending {
        final AuditEvent event;
        AuditRecord record;
        RuntimeException failure;
        volatile boolean done;

        Pending(AuditEvent event) {
            this.event = event;
        }
    }

    /** Events handed in and not yet written, in the order they were handed in. */
    private final java.util.concurrent.ConcurrentLinkedQueue<Pending> pending = new java.util.concurrent.ConcurrentLinkedQueue<>();

    /**
     * Appends a record after the current head; safe against concurrent writers in other processes. Returns
     * once the record is committed. Writers in this process commit together: whoever holds the lock writes
     * every event handed in meanwhile in one transaction (group commit), in the order they came.
     */
    public AuditRecord append(AuditEvent e) {
        var mine = new Pending(e);
        pending.add(mine);
        appendLock.lock();
        try {
            while (!mine.done) writeBatch();
        } finally {
            appendLock.unlock();
        }
        if (mine.failure != null) throw mine.failure;
        return mine.record;
    }

    /** Writes everything pending now; the caller holds {@link #appendLock}. */
    private void writeBatch() {
        var batch = new java.util.ArrayList<Pending>();
        for (Pending p; batch.size() < MAX_BATCH && (p = pending.poll()) != null; ) batch.add(p);
        try {
            List<AuditRecord> written = appendAll(batch.stream().map(p -> p.event).toList());
            for (int i = 0; i < batch.size(); i++) batch.get(i).record = written.get(i);
            AuditRecord last = written.getLast();
            scheduleHead(last.seq(), last.hash());
        } catch (RuntimeException ex) {
            for (Pending p : batch) p.failure = ex;
        } finally {
            for (Pending p : batch) p.done = true;
        }
    }

    /** Events one transaction writes at most, so that a burst cannot make one transaction unbounded. */
    private static final int MAX_BATCH = 512;

    private List<AuditRecord> appendAll(List<AuditEvent> events) {
        for (int attempt = 1; ; attempt++) {
            try {
                boolean trustKnown = attempt == 1 && knownSeq >= 0;
                long baseSeq = knownSeq;
                String baseHash = knownHash;
                knownSeq = -1; // whatever fails below, the next append reads the true head
                List<AuditRecord> appended = jdbi.inTransaction(h -> {
                    long seq;
                    String prev;
                    if (trustKnown) {
                        seq = baseSeq + 1;
                        prev = baseHash;
                    } else {
                        var head = h.createQuery("SELECT seq, hash FROM audit_record ORDER BY seq DESC LIMIT 1")
                                .map((rs, ctx) -> new Object[]{rs.getLong("seq"), rs.getString("hash")}).findOne();
                        seq = head.map(a -> (Long) a[0] + 1).orElse(1L);
                        prev = head.map(a -> (String) a[1]).orElse(GENESIS);
                    }
                    var out = new java.util.ArrayList<AuditRecord>(events.size());
                    var insert = h.prepareBatch("""
                            INSERT INTO audit_record (seq, at, principal, action, dataset, version, outcome, detail,
                              query_hash, prev_hash, hash)
                            VALUES (:seq, :at, :principal, :action, :dataset, :version, :outcome, :detail, :queryHash,
                              :prevHash, :hash)""");
                    for (AuditEvent e : events) {
                        long at = Catalog.micros(clock.instant());
                        var rec = new AuditRecord(seq, Catalog.instant(at), e.principal(), e.action(), e.dataset(), e.version(),
                                e.outcome(), truncate(e.detail()), e.queryHash(), prev, null);
                        String hash = hashOf(rec);
                        insert.bind("seq", seq).bind("at", at).bind("principal", rec.principal()).bind("action", rec.action())
                                .bind("dataset", rec.dataset()).bind("version", rec.version()).bind("outcome", rec.outcome())
                                .bind("detail", rec.detail()).bind("queryHash", rec.queryHash()).bind("prevHash", prev)
                                .bind("hash", hash).add();
                        out.add(new AuditRecord(seq, rec.at(), rec.principal(), rec.action(), rec.dataset(), rec.version(),
                                rec.outcome(), rec.detail(), rec.queryHash(), prev, hash));
                        seq++;
                        prev = hash;
                    }
                    insert.execute();
                    return out;
                });
                knownSeq = appended.getLast().seq();
                knownHash = appended.getLast().hash();
                return appended;
            } catch (org.jdbi.v3.core.statement.UnableToExecuteStatementException ex) {
                if (attempt >= APPEND_ATTEMPTS) throw ex; // another writer took the same seq: try on top of it
                try {
                    Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextInt(1, 2 + attempt));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw ex;
                }
            }
        }
    }

    /**
     * Asks the head writer to sign and write this head soon. Appends do not wait for it: the records are
     * in the database already, and a head that lags by a few milliseconds is never mistaken for
     * tampering (only a head ahead of the records would be). The writer waits {@link #HEAD_DELAY_MS} before
     * it signs, so that a busy server signs one head for a burst of records instead of one per record
     * (an Ed25519 signature and a file rename cost about as much as the request that wrote the record).
     */
    private void scheduleHead(long seq, String hash) {
        if (headFile == null) return;
        synchronized (headLock) {
            if (seq <= wantedSeq) return;
            wantedSeq = seq;
            wantedHash = hash;
            if (headScheduled) return;
            headScheduled = true;
        }
        HEAD_WRITER.schedule(() -> {
            try {
                flushHead();
            } catch (RuntimeException ex) {
                LOG.warn("audit head not written: {}", ex.getMessage());
            }
        }, HEAD_DELAY_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Writes the newest head this process appended, if it is not written yet; returns when it is. */
    public void flushHead() {
        if (headFile == null) return;
        synchronized (headWriteLock) {
            long seq;
            String hash;
            synchronized (headLock) {
                headScheduled = false;
                if (wantedSeq <= writtenSeq) return;
                seq = wantedSeq;
                hash = wantedHash;
            }
            writeHead(seq, hash);
            synchronized (headLock) {
                writtenSeq = Math.max(writtenSeq, seq);
            }
        }
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AuditChain.class);
    /** One background writer for the heads of every chain in this process; it holds no state of its own. */
    private static final java.util.concurrent.ScheduledExecutorService HEAD_WRITER =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("max-audit-head").daemon().factory());
    /** How long the signed head may lag behind the records while the process runs (close and verify flush it). */
    static final long HEAD_DELAY_MS = 200;
    private final Object headLock = new Object();
    private final Object headWriteLock = new Object();
    private long wantedSeq;
    private String wantedHash;
    private long writtenSeq;
    private boolean headScheduled;

    /** Keeps the signed head beside the database; a newer head written by another process wins. */
    private void writeHead(long seq, String hash) {
        if (headFile == null) return;
        try {
            Head current = readHead();
            if (current != null && current.seq() >= seq) return;
            long at = Catalog.micros(clock.instant());
            byte[] sig = signer.sign(checkpointBytes(seq, hash, at));
            String text = seq + " " + hash + " " + at + " " + java.util.Base64.getEncoder().encodeToString(sig) + "\n";
            java.nio.file.Path tmp = headFile.resolveSibling(headFile.getFileName() + "." + java.util.UUID.randomUUID() + ".tmp");
            // Not forced to disk: the head must never be more durable than the records it vouches for
            // (an embedded catalog flushes commits shortly after them), or a power cut would look like tampering.
            java.nio.file.Files.writeString(tmp, text);
            java.nio.file.Files.move(tmp, headFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (java.io.IOException | GeneralSecurityException ex) {
            throw new IllegalStateException("audit head could not be written", ex);
        }
    }

    private record Head(long seq, String hash, long at, byte[] signature) {
    }

    private Head readHead() throws java.io.IOException {
        if (headFile == null || !java.nio.file.Files.exists(headFile)) return null;
        String[] f = java.nio.file.Files.readString(headFile).strip().split(" ");
        if (f.length != 4) return new Head(Long.MAX_VALUE, "", 0, new byte[0]);
        try {
            return new Head(Long.parseLong(f[0]), f[1], Long.parseLong(f[2]), java.util.Base64.getDecoder().decode(f[3]));
        } catch (IllegalArgumentException e) {
            return new Head(Long.MAX_VALUE, "", 0, new byte[0]); // unreadable head: verification names it
        }
    }

    /** Signs the current head, so that later truncation or a consistent rewrite is detected. */
    public void checkpoint() {
        flushHead();
        jdbi.useTransaction(h -> {
            var head = h.createQuery("SELECT seq, hash FROM audit_record ORDER BY seq DESC LIMIT 1")
                    .map((rs, ctx) -> new Object[]{rs.getLong("seq"), rs.getString("hash")}).findOne();
            if (head.isEmpty()) return;
            long seq = (Long) head.get()[0];
            String hash = (String) head.get()[1];
            boolean exists = h.createQuery("SELECT COUNT(*) FROM audit_checkpoint WHERE seq = :s").bind("s", seq)
                    .mapTo(Integer.class).one() > 0;
            if (exists) return;
            long at = Catalog.micros(clock.instant());
            byte[] sig;
            try {
                sig = signer.sign(checkpointBytes(seq, hash, at));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("audit signing failed", e);
            }
            h.createUpdate("INSERT INTO audit_checkpoint (seq, hash, at, signature) VALUES (:s, :h, :at, :sig)")
                    .bind("s", seq).bind("h", hash).bind("at", at).bind("sig", sig).execute();
        });
    }

    /** Records in order, streamed to {@code sink}, optionally only those of one dataset. */
    public void forEach(String dataset, Consumer<AuditRecord> sink) {
        jdbi.useHandle(h -> {
            var q = dataset == null
                    ? h.createQuery("SELECT * FROM audit_record ORDER BY seq")
                    : h.createQuery("SELECT * FROM audit_record WHERE dataset = :d ORDER BY seq").bind("d", dataset);
            try (var it = q.setFetchSize(1000).map((rs, ctx) -> record(rs)).iterator()) {
                it.forEachRemaining(sink);
            }
        });
    }


    /**
     * Walks the whole chain and every checkpoint; names the first record that does not fit.
     */
    public Verification verify() {
        flushHead();
        return jdbi.withHandle(h -> {
            long expectedSeq = 1;
            String prev = GENESIS;
            long count = 0;
            var byHash = new java.util.HashMap<Long, String>();
            try (var it = h.createQuery("SELECT * FROM audit_record ORDER BY seq").setFetchSize(1000)
                    .map((rs, ctx) -> record(rs)).iterator()) {
                while (it.hasNext()) {
                    AuditRecord r = it.next();
                    count++;
                    if (r.seq() != expectedSeq) {
                        return new Verification(false, count, 0, expectedSeq, "missing");
                    }
                    if (!r.prevHash().equals(prev)) {
                        // Either this record was moved here, or its predecessor was removed and the rest renumbered.
                        return new Verification(false, count, 0, r.seq(), "reordered");
                    }
                    if (!hashOf(r).equals(r.hash())) {
                        return new Verification(false, count, 0, r.seq(), "changed");
                    }
                    byHash.put(r.seq(), r.hash());
                    prev = r.hash();
                    expectedSeq++;
                }
            }
            long last = expectedSeq - 1;
            var checkpoints = h.createQuery("SELECT * FROM audit_checkpoint ORDER BY seq").map((rs, ctx) ->
                    new Object[]{rs.getLong("seq"), rs.getString("hash"), rs.getLong("at"), rs.getBytes("signature")}).list();
            long verified = 0;
            for (Object[] cp : checkpoints) {
                long seq = (Long) cp[0];
                String hash = (String) cp[1];
                try {
                    verifier.verify((byte[]) cp[3], checkpointBytes(seq, hash, (Long) cp[2]));
                } catch (GeneralSecurityException e) {
                    return new Verification(false, count, verified, seq, "bad-signature");
                }
                if (seq > last) return new Verification(false, count, verified, last + 1, "truncated");
                if (!hash.equals(byHash.get(seq))) return new Verification(false, count, verified, seq, "changed");
                verified++;
            }
            try {
                Head head = readHead();
                if (head != null) {
                    try {
                        verifier.verify(head.signature(), checkpointBytes(head.seq(), head.hash(), head.at()));
                    } catch (GeneralSecurityException e) {
                        return new Verification(false, count, verified, head.seq() == Long.MAX_VALUE ? last + 1 : head.seq(),
                                "bad-signature");
                    }
                    if (head.seq() > last) return new Verification(false, count, verified, last + 1, "truncated");
                    if (!head.hash().equals(byHash.get(head.seq()))) {
                        return new Verification(false, count, verified, head.seq(), "changed");
                    }
                }
            } catch (java.io.IOException e) {
                return new Verification(false, count, verified, last + 1, "truncated");
            }
            return new Verification(true, count, verified, -1, null);
        });
    }

    /** The canonical encoding: each field length-prefixed, so no two records encode alike. */
    static String hashOf(AuditRecord r) {
        var sb = new StringBuilder(256);
        sb.append(r.prevHash());
        field(sb, Long.toString(r.seq()));
        field(sb, Long.toString(Catalog.micros(r.at())));
        field(sb, r.principal());
        field(sb, r.action());
        field(sb, r.dataset());
        field(sb, r.version() == null ? null : r.version().toString());
        field(sb, r.outcome());
        field(sb, r.detail());
        field(sb, r.queryHash());
        return sha256(sb.toString());
    }

    private static void field(StringBuilder sb, String value) {
        if (value == null) {
            sb.append("|-");
        } else {
            sb.append('|').append(value.length()).append(':').append(value);
        }
    }

    private static byte[] checkpointBytes(long seq, String hash, long at) {
        return ("max-audit-checkpoint|" + seq + "|" + hash + "|" + at).getBytes(StandardCharsets.UTF_8);
    }

    /** Hex SHA-256 of UTF-8 text. */
    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 2000 ? s : s.substring(0, 2000);
    }

    private static AuditRecord record(java.sql.ResultSet rs) throws java.sql.SQLException {
        int v = rs.getInt("version");
        Integer version = rs.wasNull() ? null : v;
        return new AuditRecord(rs.getLong("seq"), Catalog.instant(rs.getLong("at")), rs.getString("principal"),
                rs.getString("action"), rs.getString("dataset"), version, rs.getString("outcome"), rs.getString("detail"),
                rs.getString("query_hash"), rs.getString("prev_hash"), rs.getString("hash"));
    }
}
