package kr.max.library.query;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import kr.max.library.store.Scratch;

/**
 * Decrypted chunks kept in the memory-backed scratch directory so that repeated queries over the
 * same data skip decryption. A query leases the chunks it was permitted to read; a leased chunk is
 * never evicted, the least recently used unleased ones go when the cache outgrows its budget, and a
 * deleted dataset's chunks go at once (or when their last lease ends).
 *
 * <p>Only the query engine links these files into a query, after the policy engine has decided that
 * query; the SQL itself cannot name files. The directory lives in {@link Scratch}: memory, never disk.
 */
final class DecryptedChunks implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DecryptedChunks.class);

    private final Path dir;
    private final long budgetBytes;
    /** Decryption work: at most one chunk per core at a time, shared by all queries. */
    private final ExecutorService decryptors;

    /** Guarded by {@code this}; access order makes the first entry the least recently used. */
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
    private long cachedBytes;
    /** Makes every entry's file name its own, even for a chunk cached again after it was forgotten. */
    private long generation;

    private static final class Entry {
        final Path file;
        /** Completes when the file is fully written; fails if decryption failed. */
        final CompletableFuture<Void> ready = new CompletableFuture<>();
        long bytes;
        int leases;
        boolean forgotten;

        Entry(Path file) {
            this.file = file;
        }
    }

    /** Chunk files held for one query; {@link #close()} gives them back. */
    final class Lease implements AutoCloseable {
        private final List<Entry> held;
        private final List<Path> files;
        private boolean closed;

        private Lease(List<Entry> held) {
            this.held = held;
            this.files = held.stream().map(e -> e.file).toList();
        }

        /** The chunk files, in the order they were asked for. */
        List<Path> files() {
            return files;
        }

        @Override
        public void close() {
            synchronized (DecryptedChunks.this) {
                if (closed) return;
                closed = true;
                for (Entry e : held) e.leases--;
                trim();
            }
        }
    }

    DecryptedChunks(Path dir, long budgetBytes) {
        this.dir = dir;
        this.budgetBytes = budgetBytes;
        this.decryptors = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()),
                Thread.ofPlatform().name("max-decrypt-", 0).daemon().factory());
    }

    /** The directory every cached chunk lies in: the only one a query's DuckDB may read. */
    Path dir() {
        return dir;
    }

    /**
     * Leases the given chunks, decrypting those not cached (in parallel). On failure nothing stays
     * leased and no partly written file remains.
     */
    Lease lease(List<QueryEngine.ChunkRef> chunks) throws IOException {
        var held = new ArrayList<Entry>(chunks.size());
        var mine = new HashMap<Entry, QueryEngine.ChunkRef>();
        synchronized (this) {
            for (var c : chunks) {
                Entry e = entries.get(c.id());
                if (e == null || e.forgotten || e.ready.isCompletedExceptionally()) {
                    e = new Entry(dir.resolve(c.id() + "-" + (++generation) + ".parquet"));
                    entries.put(c.id(), e);
                    mine.put(e, c);
                }
                e.leases++;
                held.add(e);
            }
        }
        Lease lease = new Lease(held);
        for (var m : mine.entrySet()) {
            Entry e = m.getKey();
            QueryEngine.ChunkRef c = m.getValue();
            decryptors.execute(() -> decrypt(c, e));
        }
        try {
            for (Entry e : held) e.ready.get();
        } catch (ExecutionException | InterruptedException ex) {
            lease.close();
            if (ex instanceof InterruptedException) Thread.currentThread().interrupt();
            if (ex.getCause() instanceof IOException io) throw io;
            if (ex.getCause() instanceof RuntimeException re) throw re;
            throw new IOException(ex);
        }
        return lease;
    }

    private void decrypt(QueryEngine.ChunkRef c, Entry e) {
        Path part = e.file.resolveSibling(e.file.getFileName() + ".part");
        try {
            try (OutputStream out = Files.newOutputStream(part)) {
                c.plaintext().writeTo(out);
            }
            // A file under its final name is always whole: a failed decryption leaves only the .part, removed here.
            Files.move(part, e.file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            long size = Files.size(e.file);
            synchronized (this) {
                e.bytes = size;
                cachedBytes += size;
            }
            e.ready.complete(null);
        } catch (IOException | RuntimeException ex) {
            Scratch.deleteQuietly(part);
            synchronized (this) {
                entries.remove(c.id(), e);
            }
            e.ready.completeExceptionally(ex);
        }
    }

    /** Removes the given chunks (a dataset was deleted): at once, or when their last lease ends. */
    synchronized void forget(Collection<String> ids) {
        for (String id : ids) {
            Entry e = entries.remove(id);
            if (e == null) continue;
            e.forgotten = true;
            if (e.leases == 0) drop(e);
            else doomed.add(e);
        }
    }

    /** Forgotten entries still leased by a running query. */
    private final List<Entry> doomed = new ArrayList<>();

    /** Evicts the least recently used unleased chunks while over budget. Caller holds the lock. */
    private void trim() {
        doomed.removeIf(e -> {
            if (e.leases > 0) return false;
            drop(e);
            return true;
        });
        var it = entries.entrySet().iterator();
        while (cachedBytes > budgetBytes && it.hasNext()) {
            Entry e = it.next().getValue();
            if (e.leases > 0 || !e.ready.isDone()) continue;
            it.remove();
            drop(e);
        }
    }

    /** Caller holds the lock. */
    private void drop(Entry e) {
        cachedBytes -= e.bytes;
        e.bytes = 0;
        Scratch.deleteQuietly(e.file);
    }

    synchronized long cachedBytes() {
        return cachedBytes;
    }

    @Override
    public void close() {
        decryptors.shutdownNow();
        synchronized (this) {
            for (Entry e : entries.values()) drop(e);
            for (Entry e : doomed) drop(e);
            entries.clear();
            doomed.clear();
        }
        LOG.debug("decrypted chunk cache closed");
    }

    /** Test hook: the ids of chunks held now, least recently used first. */
    synchronized List<String> cachedIds() {
        var ids = new ArrayList<String>();
        for (Map.Entry<String, Entry> e : entries.entrySet()) if (e.getValue().ready.isDone()) ids.add(e.getKey());
        return ids;
    }
}
