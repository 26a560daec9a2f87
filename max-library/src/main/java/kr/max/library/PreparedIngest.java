package kr.max.library;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A deposit whose reading has begun before the library is open: {@link Library#prepare(IngestRequest)} starts
 * detecting the file's form, sampling it for the data dictionary and hashing it, which need nothing of the
 * library, so that work overlaps the opening of the key store and the catalog. Nothing is stored or decided
 * until {@link Library#ingest(kr.max.core.Principal, PreparedIngest, IngestProgress)}, which decides first and
 * only then uses what was read; a refused deposit discards it. A problem with the file surfaces there too,
 * after the decision, as it would without preparation.
 */
public final class PreparedIngest {

    private final IngestRequest request;
    private CompletableFuture<Deposit.Sampled> sampled;
    private CompletableFuture<String> sha;

    private PreparedIngest(IngestRequest request) {
        this.request = request;
    }

    /** Starts reading now, on a thread of its own. */
    static PreparedIngest now(IngestRequest request) {
        var p = new PreparedIngest(request);
        p.start();
        return p;
    }

    /** Reads when the deposit runs. */
    static PreparedIngest later(IngestRequest request) {
        return new PreparedIngest(request);
    }

    public IngestRequest request() {
        return request;
    }

    private synchronized void start() {
        if (sampled != null) return;
        sampled = CompletableFuture.supplyAsync(() -> Deposit.sampleOf(request), r -> Thread.ofPlatform().daemon().start(r));
        sha = Deposit.digestOf(request.file());
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
}
