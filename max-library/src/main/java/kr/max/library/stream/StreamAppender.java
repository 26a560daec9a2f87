package kr.max.library.stream;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import kr.max.core.AssetPath;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.library.catalog.Catalog;

/**
 * Appends the samples of one source to a stream dataset. Get one from {@link Streams#appender}; opening it was
 * decided by the policy engine and is on the audit record, and so is its close with its counts.
 *
 * <p>Samples wait in memory and are committed about once per flush interval (one second unless given), and at
 * {@link #flush()} and {@link #close()}. Once committed they are durable and visible to queries; what was not
 * committed when a process died is simply sent again by the source, and dropped where it was committed already
 * (the source's mark, {@link #committedThrough()}).
 *
 * <p>Rules for the sequence numbers: they grow within each append (else {@link StreamError#SEQUENCE_BACKWARDS}
 * and nothing of the append is taken), and a sample at or below the highest sequence this source has had accepted
 * is a replay, dropped and counted. A sample's <em>time</em> may be anything: a late sample goes into a chunk of
 * its own hour, so a query sees the same rows whatever order they came in.
 *
 * <p>Thread-safe; one appender per source is the intended use.
 */
public final class StreamAppender implements AutoCloseable {

    private final Streams streams;
    private final StreamWriter writer;
    private final String principal;
    private final String source;
    private final long intervalNanos;
    private final AtomicLong appended = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong committed = new AtomicLong();
    private final AtomicLong chunks = new AtomicLong();
    private volatile boolean closed;

    StreamAppender(Streams streams, StreamWriter writer, String principal, String source, long intervalNanos) {
        this.streams = streams;
        this.writer = writer;
        this.principal = principal;
        this.source = source;
        this.intervalNanos = intervalNanos;
    }

    /** What an appender did: samples taken, replays dropped, samples committed, and chunks its samples went into. */
    public record Counts(long appended, long duplicates, long committed, long chunks) {
    }

    /** The dataset this appender writes to. */
    public String dataset() {
        return writer.dataset;
    }

    /** The principal who opened this appender. */
    public String principal() {
        return principal;
    }

    /** Whether the appender was closed. */
    public boolean isClosed() {
        return closed;
    }

    long datasetId() {
        return writer.datasetId;
    }

    /** The source whose samples this appender takes. */
    public String source() {
        return source;
    }

    /** Appends one sample; see {@link #append(List)}. */
    public void append(StreamSample sample) {
        append(List.of(sample));
    }

    /**
     * Appends samples of this source, in sequence order. The whole list is checked first: a bad sample
     * ({@link StreamError#BAD_SAMPLE}) or a sequence not above the one before it ({@link StreamError#SEQUENCE_BACKWARDS})
     * refuses the whole list, naming the sample by its index. Replays are dropped and counted.
     *
     * @return how many of the samples were taken (the others were replays)
     */
    public int append(List<StreamSample> samples) {
        ensureOpen();
        long previous = Long.MIN_VALUE;
        for (int i = 0; i < samples.size(); i++) {
            StreamSample s = samples.get(i);
            check(s, i);
            if (i > 0 && s.sequence() <= previous) {
                throw new MaxException(StreamError.SEQUENCE_BACKWARDS, Location.dataset(writer.dataset, null), source, i,
                        s.sequence(), previous);
            }
            previous = s.sequence();
        }
        if (samples.isEmpty()) return 0;
        int dropped = writer.offer(this, source, samples, intervalNanos);
        duplicates.addAndGet(dropped);
        appended.addAndGet(samples.size() - dropped);
        return samples.size() - dropped;
    }

    private void check(StreamSample s, int index) {
        String problem = null;
        if (s == null) {
            problem = "no sample";
        } else if (s.sequence() < 0) {
            problem = "negative sequence " + s.sequence();
        } else if (s.time() == null) {
            problem = "no time";
        } else if (s.tag() == null || s.tag().isBlank()) {
            problem = "no tag";
        } else if (s.asset() == null || s.asset().isBlank()) {
            problem = "no asset";
        } else if (s.tag().length() > 200) {
            problem = "tag longer than 200 characters";
        } else if (s.quality() != null && s.quality().length() > 40) {
            problem = "quality longer than 40 characters";
        } else {
            try {
                Catalog.micros(s.time());
                if (!s.asset().equals(s.asset().strip())) problem = "asset with surrounding spaces";
                else AssetPath.parse(s.asset());
            } catch (ArithmeticException e) {
                problem = "time out of range";
            } catch (MaxException e) {
                problem = "asset is no ISA-95 path site/area/line/cell/equipment";
            }
        }
        if (problem != null) {
            throw new MaxException(StreamError.BAD_SAMPLE, Location.dataset(writer.dataset, null), source, index, problem);
        }
    }

    /**
     * Commits everything appended so far (by any appender of this dataset in this process) and returns once it
     * is durable and visible to queries.
     *
     * @return the source's committed mark: every sequence up to it is stored
     */
    public long flush() {
        ensureOpen();
        writer.flush();
        return writer.committed(source);
    }

    /** The highest sequence of this source that is committed (-1: none yet). */
    public long committedThrough() {
        return writer.committed(source);
    }

    public Counts counts() {
        return new Counts(appended.get(), duplicates.get(), committed.get(), chunks.get());
    }

    /** Commits what waits and closes; the close and the counts go on the audit record. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        streams.closed(this, writer, principal);
    }

    void committed(long samples, int chunkCount) {
        committed.addAndGet(samples);
        chunks.addAndGet(chunkCount);
    }

    /** A sample taken here that another process committed first: a replay after all. */
    void replayedElsewhere() {
        appended.decrementAndGet();
        duplicates.incrementAndGet();
    }

    private void ensureOpen() {
        if (closed) throw new MaxException(StreamError.CLOSED, Location.dataset(writer.dataset, null), source, writer.dataset);
    }
}
