package kr.max.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.core.Principal;
import kr.max.library.Library;
import kr.max.library.stream.StreamAppender;
import kr.max.library.stream.StreamError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's open stream appenders, one per (dataset, principal, source), kept between an edge's posts and closed after
 * an idle time or when the server stops: a steady edge costs one open record (with its permit) and one close record
 * per source on the audit chain, not a pair per post. Each use after the first is decided again by the library's
 * policy ({@link kr.max.library.stream.Streams#mayAppend}): a withdrawn permission stops the next post, and its denial is
 * on the record. An appender whose use failed is closed (a fresh one is opened by the next post), except after a
 * refusal of the post's content, which leaves the appender as it was.
 */
final class StreamAppenders implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamAppenders.class);

    /** How long an appender nobody uses stays open. */
    static final Duration DEFAULT_IDLE = Duration.ofSeconds(60);

    private record Key(String dataset, String principal, String source) {
    }

    private static final class Entry {
        final StreamAppender appender;
        int inUse;
        long lastUsed;
        boolean retired;

        Entry(StreamAppender appender) {
            this.appender = appender;
        }
    }

    private final Library library;
    private final long idleNanos;
    private final LongSupplier nanoTime;
    private final Map<Key, Entry> entries = new HashMap<>();
    private final ScheduledExecutorService sweeper;
    private boolean closed;

    /**
     * @param idle     how long an unused appender stays open
     * @param nanoTime the clock idleness is measured by ({@link System#nanoTime} in service)
     * @param sweep    whether a thread of its own closes idle appenders; without it only {@link #sweep()} does
     */
    StreamAppenders(Library library, Duration idle, LongSupplier nanoTime, boolean sweep) {
        this.library = library;
        this.idleNanos = idle.toNanos();
        this.nanoTime = nanoTime;
        if (sweep) {
            long period = Math.clamp(idle.toMillis() / 2, 1_000, 10_000);
            sweeper = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("max-stream-appenders").factory());
            sweeper.scheduleWithFixedDelay(this::sweepQuietly, period, period, TimeUnit.MILLISECONDS);
        } else {
            sweeper = null;
        }
    }

    /** Appenders closed after {@link #DEFAULT_IDLE} without use, by a thread of their own. */
    static StreamAppenders standard(Library library) {
        return new StreamAppenders(library, DEFAULT_IDLE, System::nanoTime, true);
    }

    /**
     * Runs {@code use} with the appender of {@code who}'s samples of {@code source} into {@code dataset}: opened (decided
     * and recorded) if none is open, otherwise decided again for this use.
     */
    <T> T with(Principal who, String dataset, String source, Function<StreamAppender, T> use) {
        var key = new Key(dataset, who.name(), source);
        Entry e;
        boolean opened = false;
        synchronized (this) {
            ensureOpen(dataset, source);
            e = entries.get(key);
            if (e != null) e.inUse++;
        }
        if (e == null) {
            StreamAppender fresh = library.streams().appender(who, dataset, source);
            StreamAppender loser = null;
            synchronized (this) {
                Entry existing = closed ? null : entries.get(key);
                if (closed) {
                    loser = fresh;
                } else if (existing != null) {
                    // another request opened the same appender meanwhile: use that one, close this
                    existing.inUse++;
                    e = existing;
                    loser = fresh;
                } else {
                    e = new Entry(fresh);
                    e.inUse = 1;
                    entries.put(key, e);
                    opened = true;
                }
            }
            if (loser != null) closeQuietly(loser);
            if (e == null) throw new MaxException(StreamError.CLOSED, Location.dataset(dataset, null), source, dataset);
        }
        try {
            if (!opened) library.streams().mayAppend(who, e.appender);
            return use.apply(e.appender);
        } catch (RuntimeException failure) {
            if (!contentRefused(failure)) retire(key, e);
            throw failure;
        } finally {
            release(e);
        }
    }

    /** Closes the appenders unused for the idle time; returns how many. */
    int sweep() {
        long now = nanoTime.getAsLong();
        var idle = new ArrayList<StreamAppender>();
        synchronized (this) {
            var it = entries.values().iterator();
            while (it.hasNext()) {
                Entry e = it.next();
                if (e.inUse == 0 && now - e.lastUsed >= idleNanos) {
                    it.remove();
                    e.retired = true;
                    idle.add(e.appender);
                }
            }
        }
        idle.forEach(StreamAppenders::closeQuietly);
        return idle.size();
    }

    /** How many appenders are open. */
    synchronized int open() {
        return entries.size();
    }

    /** Closes every appender (each commits what it holds and records its close); later uses are refused. */
    @Override
    public void close() {
        if (sweeper != null) sweeper.shutdownNow();
        List<StreamAppender> now = new ArrayList<>();
        synchronized (this) {
            if (closed) return;
            closed = true;
            for (Entry e : entries.values()) {
                e.retired = true;
                if (e.inUse == 0) now.add(e.appender);
            }
            entries.clear();
        }
        now.forEach(StreamAppenders::closeQuietly);
    }

    private void ensureOpen(String dataset, String source) {
        if (closed) throw new MaxException(StreamError.CLOSED, Location.dataset(dataset, null), source, dataset);
    }

    private void release(Entry e) {
        boolean close;
        synchronized (this) {
            e.inUse--;
            e.lastUsed = nanoTime.getAsLong();
            close = e.retired && e.inUse == 0;
        }
        if (close) closeQuietly(e.appender);
    }

    private synchronized void retire(Key key, Entry e) {
        if (entries.get(key) == e) entries.remove(key);
        e.retired = true;
    }

    /** The post's samples were refused, not the appender: it stays open for the next post. */
    private static boolean contentRefused(RuntimeException e) {
        return e instanceof MaxException me && me.code() instanceof StreamError s
                && (s == StreamError.BAD_SAMPLE || s == StreamError.SEQUENCE_BACKWARDS || s == StreamError.EDGE_RULES_VIOLATED);
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.warn("closing idle stream appenders failed: {}", e.toString());
        }
    }

    private static void closeQuietly(StreamAppender a) {
        try {
            a.close();
        } catch (RuntimeException e) {
            LOG.warn("stream appender of {} closed with samples not committed: {}", a.dataset(),
                    e instanceof MaxException me ? me.code().code() : e.getClass().getSimpleName());
        }
    }
}
