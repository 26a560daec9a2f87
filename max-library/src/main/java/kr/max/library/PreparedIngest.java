package kr.max.library;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import kr.max.library.store.Scratch;

/**
 * A deposit whose reading has begun before the library is open: {@link Library#prepare(IngestRequest)} starts
 * detecting the file's form, sampling it for the data dictionary and hashing it, which need nothing of the
 * library, so that work overlaps the opening of the key store and the catalog. Nothing is stored or decided
 * until {@link Library#ingest(kr.max.core.Principal, PreparedIngest, IngestProgress)}, which decides first and
 * only then uses what was read; a refused deposit discards it. A problem with the file surfaces there too,
 * after the decision, as it would without preparation.
 *
 * <p>Prepared with the library's configuration ({@link Library#prepare(IngestRequest, LibraryConfig)}), a clean
 * CSV is also converted by DuckDB into plaintext Parquet in a memory-backed scratch directory of its own while
 * the library opens: the conversion needs only the file and the sample's dictionary. That output is the user's
 * own file in another form, in memory only; it is encrypted and stored only after the deposit is permitted, and
 * a refusal, a failure or {@link #close()} cancels the conversion and removes it.
 */
public final class PreparedIngest implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PreparedIngest.class);

    private final IngestRequest request;
    /** Where a conversion ahead writes (null: the default scratch), and the chunk size it lays out; 0: no conversion. */
    private final Path scratchBase;
    private final long chunkBytes;
    private CompletableFuture<Deposit.Sampled> sampled;
    private CompletableFuture<String> sha;
    private CompletableFuture<Converted> converted;
    private final AtomicReference<Statement> running = new AtomicReference<>();
    private volatile boolean discarded;
    /** The deposit's progress listener once it runs; the conversion ahead reports to it. */
    private volatile IngestProgress progress = IngestProgress.NONE;

    private PreparedIngest(IngestRequest request, Path scratchBase, long chunkBytes) {
        this.request = request;
        this.scratchBase = scratchBase;
        this.chunkBytes = chunkBytes;
    }

    /** Starts reading now, on a thread of its own. */
    static PreparedIngest now(IngestRequest request) {
        var p = new PreparedIngest(request, null, 0);
        p.start();
        return p;
    }

    /** Starts reading now and, where the DuckDB path applies, converting into scratch memory under {@code scratchBase}. */
    static PreparedIngest converting(IngestRequest request, Path scratchBase, long chunkBytes) {
        var p = new PreparedIngest(request, scratchBase, chunkBytes);
        p.start();
        return p;
    }

    /** Reads when the deposit runs. */
    static PreparedIngest later(IngestRequest request) {
        return new PreparedIngest(request, null, 0);
    }

    public IngestRequest request() {
        return request;
    }

    private synchronized void start() {
        if (sampled != null) return;
        long t0 = System.nanoTime();
        sampled = CompletableFuture.supplyAsync(() -> {
            Deposit.Sampled s = Deposit.sampleOf(request);
            LOG.debug("sample read in {} ms", (System.nanoTime() - t0) / 1_000_000);
            return s;
        }, r -> Thread.ofPlatform().daemon().start(r));
        sha = Deposit.digestOf(request.file());
        if (chunkBytes > 0) {
            // DuckDB's native library takes about a third of a second to load: beside the sample, not after it
            Thread.ofPlatform().daemon().name("max-duckdb-load").start(() -> {
                try {
                    Deposit.duckdb().close();
                } catch (SQLException | RuntimeException e) {
                    // the conversion opens its own connection and reports what fails there
                }
            });
            // Chained on the sample: the conversion needs its dictionary. A bad file fails the sample, and the
            // deposit reports that; the conversion then simply does not exist.
            var handover = new CompletableFuture<Converted>();
            converted = handover;
            sampled.whenCompleteAsync((s, failed) -> {
                if (failed != null) handover.complete(null);
                else convert(s, handover);
            }, r -> Thread.ofPlatform().daemon().name("max-convert-ahead").start(r));
        }
    }

    Deposit.Sampled sampled() {
        start();
        try {
            return sampled.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            if (e.getCause() instanceof Error err) throw err;
            throw e;
        }
    }

    CompletableFuture<String> sha() {
        start();
        return sha;
    }

    /** Where the deposit's progress goes from now on, the conversion ahead's included. */
    void reportTo(IngestProgress listener) {
        progress = listener;
    }

    /**
     * The conversion ahead, waited for; {@code null} when none was started (the path did not apply, or this
     * was prepared without the library's configuration). The caller owns the result and closes it.
     */
    Converted converted() {
        CompletableFuture<Converted> c;
        synchronized (this) {
            c = converted;
            converted = null; // handed over: a later close() leaves it to its new owner
        }
        if (c == null) return null;
        try {
            return c.join();
        } catch (CompletionException e) {
            return null;
        }
    }

    /**
     * Discards whatever was read or converted and not yet handed to a deposit: a running conversion is cancelled
     * and its scratch memory removed. Idempotent; a deposit that ran, or was refused, has already done this.
     */
    @Override
    public void close() {
        discarded = true;
        Statement st = running.get();
        if (st != null) {
            try {
                st.cancel();
            } catch (SQLException | RuntimeException e) {
                // it ended meanwhile
            }
        }
        CompletableFuture<Converted> c;
        synchronized (this) {
            c = converted;
            converted = null;
        }
        if (c == null) return;
        try {
            Converted result = c.join();
            if (result != null) result.close();
        } catch (CompletionException e) {
            // the sample or the conversion failed; it left nothing (see convert)
        }
    }

    /**
     * Converts on this thread and hands the result over as soon as DuckDB's COPY is done: the checks and zone maps
     * (about half a second for 10 M rows) go on here, as {@link Converted#stats()}, while the deposit may already
     * encrypt. {@code handover} always completes, with null when there is nothing to use.
     */
    private void convert(Deposit.Sampled s, CompletableFuture<Converted> handover) {
        if (discarded || s.sample().hadProblems()) {
            handover.complete(null);
            return;
        }
        Scratch scratch;
        try {
            scratch = Scratch.open(scratchBase);
        } catch (RuntimeException e) {
            handover.complete(null); // the library reports a missing memory scratch when it opens; the deposit then runs as usual
            return;
        }
        var checks = new CompletableFuture<java.util.Map<String, ChunkSink.Stats>>();
        Converted result = null;
        try {
            if (!DuckDbConversion.applies(s.info(), s.sample().dictionary(), request.file(), scratch.dir())) return;
            Path out = scratch.dir().resolve("convert-ahead");
            long t0 = System.nanoTime();
            try (Connection duck = Deposit.duckdb()) {
                LOG.debug("conversion ahead: DuckDB ready in {} ms", (System.nanoTime() - t0) / 1_000_000);
                boolean copied = DuckDbConversion.copy(duck, request.file(), s.info(), s.sample().dictionary(), chunkBytes,
                        out, (phase, fraction) -> progress.update(phase, fraction), running, () -> discarded);
                if (!copied || discarded) {
                    LOG.debug("conversion ahead gave up in {} ms", (System.nanoTime() - t0) / 1_000_000);
                    return;
                }
                result = new Converted(scratch, out, checks);
                handover.complete(result);
                // The zone maps need no key either (they are sealed at the commit).
                long t1 = System.nanoTime();
                java.util.Map<String, ChunkSink.Stats> stats = discarded ? null : DuckDbConversion.checkedStats(duck, s.sample().dictionary(), out);
                LOG.debug("conversion ahead: checks and zone maps {} in {} ms", stats != null ? "hold" : "do not hold",
                        (System.nanoTime() - t1) / 1_000_000);
                checks.complete(stats);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.debug("conversion ahead gave up: {}", e.getClass().getSimpleName());
        } finally {
            checks.complete(null); // (no-op when complete)
            if (result == null) {
                handover.complete(null);
                scratch.close();
            }
        }
    }

    /**
     * Parquet files DuckDB wrote ahead into a private scratch directory, and the checks that still read them: their
     * row counts and zone maps, or null when the sample's types do not hold for the whole file (then the files must not
     * be used). Closing waits for the checks and removes the files.
     */
    record Converted(Scratch scratch, Path dir, CompletableFuture<java.util.Map<String, ChunkSink.Stats>> stats)
            implements AutoCloseable {
        @Override
        public void close() {
            stats.join(); // always completes (null on any failure): the checks read the files being removed
            scratch.close();
        }
    }
}
