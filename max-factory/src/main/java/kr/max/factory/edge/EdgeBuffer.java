package kr.max.factory.edge;

import com.google.crypto.tink.Aead;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;
import kr.max.core.AssetPath;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.factory.twin.Quality;
import kr.max.factory.twin.Sample;
import kr.max.factory.twin.SampleListener;
import kr.max.library.crypto.MasterKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge's durable, encrypted, append-only sample log on local disk, which holds samples while the hub is away
 * and until the hub has acknowledged them.
 *
 * <p><b>Capture.</b> {@link #onSample} (the buffer is a {@link SampleListener}, so a {@link kr.max.factory.Connector}
 * can deliver straight into it) queues a sample in memory and returns. A commit thread takes the queue every
 * {@linkplain Options#commitInterval commit interval} (20 ms by default), numbers its samples per equipment
 * (contiguously from 1, continuing from the last durable number after a restart), encrypts them in records, appends
 * the records to the active segment and calls {@code fsync} (group commit). A sample is <em>captured</em> once its
 * group is fsynced; only captured samples have numbers and only captured samples are ever read back or forwarded.
 * A full queue ({@linkplain Options#maxPending}) makes {@code onSample} wait, which slows the connector rather than
 * dropping samples.
 *
 * <p><b>What a crash loses.</b> Killing the process ({@code kill -9}, the OS alive) loses only the samples still in
 * the in-memory queue — at most one commit interval's worth, which never got numbers, so no gap and no reuse
 * follows; everything written reaches the file through the page cache. A power failure loses the same, because a
 * group counts only after its fsync; a write torn by either is detected on open (length, CRC-32C, then AEAD
 * authentication) and the incomplete tail of the last segment is cut off with a warning ({@code MAX-EDGE-005}).
 * Damage anywhere else — a bad record in an earlier segment, or a complete record that fails authentication — is
 * not a crash's doing and stops the open with {@code MAX-EDGE-002} instead of being skipped.
 *
 * <p><b>On disk.</b> {@code dir/keys/} is a library key store sealed by the edge's master secret;
 * {@code buffer.key} the record key (Tink AES256-GCM) wrapped by it; {@code segment-N.log} the records, each
 * {@code [length][CRC-32C][AEAD ciphertext]}, the ciphertext bound to its segment and offset; {@code cursor} (sealed
 * too) the sequence number the hub has acknowledged per equipment. A segment rolls at {@linkplain
 * Options#segmentBytes its size limit}; a segment whose samples are all acknowledged is deleted (never the active
 * one). Sample values, tags and paths never touch the disk in plaintext. One process at a time holds a buffer
 * ({@code lock}, released by the OS when the process dies).
 */
public final class EdgeBuffer implements SampleListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeBuffer.class);
    private static final byte[] MAGIC = "MAXEDGE1".getBytes(StandardCharsets.US_ASCII);
    static final int HEADER = MAGIC.length;
    private static final int RECORD_HEADER = 8;
    private static final int MAX_RECORD = 64 << 20;
    private static final byte[] CURSOR_AD = "max-edge-cursor".getBytes(StandardCharsets.UTF_8);
    static final long CURSOR_PERIOD_MS = 250;

    /**
     * How the buffer commits and stores.
     *
     * @param commitInterval  group commit period: the longest a sample waits in memory before its fsync
     * @param segmentBytes    a segment rolls once it reaches this size
     * @param maxPending      samples queued in memory before {@link #onSample} waits
     * @param samplesPerRecord samples encrypted together in one record
     */
    public record Options(Duration commitInterval, long segmentBytes, int maxPending, int samplesPerRecord) {

        public static Options defaults() {
            return new Options(Duration.ofMillis(20), 64L << 20, 200_000, 4096);
        }

        public Options withCommitInterval(Duration d) {
            return new Options(d, segmentBytes, maxPending, samplesPerRecord);
        }

        public Options withSegmentBytes(long bytes) {
            return new Options(commitInterval, bytes, maxPending, samplesPerRecord);
        }

        public Options withSamplesPerRecord(int n) {
            return new Options(commitInterval, segmentBytes, maxPending, n);
        }
    }

    /** One segment file and what it holds, so acknowledged segments can be found without reading them. */
    private static final class Segment {
        final long number;
        final Path path;
        final Map<String, Long> maxSeq = new ConcurrentHashMap<>();
        volatile long size;

        Segment(long number, Path path) {
            this.number = number;
            this.path = path;
        }
    }

    private record Position(long segment, long offset) {
    }

    private final Path dir;
    private final Options options;
    private final Aead aead;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final TreeMap<Long, Segment> segments = new TreeMap<>();
    private final Map<String, Long> lastSeq = new ConcurrentHashMap<>();
    private final Map<String, Long> acked = new ConcurrentHashMap<>();
    private final ReentrantLock queueLock = new ReentrantLock();
    private final Condition notEmpty = queueLock.newCondition();
    private final Condition notFull = queueLock.newCondition();
    private final Condition durable = queueLock.newCondition();
    private ArrayList<Sample> pending = new ArrayList<>();
    private long enqueued;
    private long durableCount;
    private boolean flushRequested;
    private boolean closing;
    private volatile MaxException failure;
    private volatile Position durableEnd;
    private volatile Instant lastTime;
    private final long tornBytes;
    private boolean cursorDirty;
    private long cursorWritten = System.nanoTime();
    private Segment active;
    private FileChannel activeChannel;
    private final Thread committer;

    private EdgeBuffer(Path dir, Options options, Aead aead, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.options = options;
        this.aead = aead;
        this.lockChannel = lockChannel;
        this.lock = lock;
        readCursor();
        this.tornBytes = recover();
        this.committer = Thread.ofPlatform().name("max-edge-commit").daemon().unstarted(this::commitLoop);
    }

    /** Opens the buffer in {@code dir} with the default options, creating it on first use. */
    public static EdgeBuffer open(Path dir, MasterKey masterKey) {
        return open(dir, masterKey, Options.defaults());
    }

    /**
     * Opens the buffer in {@code dir}, creating it on first use, and recovers what a crash left: numbering continues
     * from the last captured sample of each equipment, a torn tail is cut off.
     *
     * @throws MaxException {@code MAX-CRYPTO-001} another master secret made this buffer, {@code MAX-EDGE-003}
     *                      another process holds it, {@code MAX-EDGE-002} a segment is damaged
     */
    public static EdgeBuffer open(Path dir, MasterKey masterKey, Options options) {
        FileChannel ch = null;
        try {
            Files.createDirectories(dir);
            ch = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null;
            }
            if (l == null) throw new MaxException(EdgeError.BUFFER_LOCKED, Location.file(dir.toString()), dir.toString());
            var buffer = new EdgeBuffer(dir, options, BufferKey.open(dir, masterKey), ch, l);
            buffer.committer.start();
            return buffer;
        } catch (IOException e) {
            closeQuietly(ch);
            throw io(dir, e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    // ---------------------------------------------------------------- capture

    /** Queues a sample for the next group commit; waits while the queue is full. */
    @Override
    public void onSample(Sample sample) {
        queueLock.lock();
        try {
            while (pending.size() >= options.maxPending() && !closing && failure == null) notFull.await();
            check();
            pending.add(sample);
            enqueued++;
            if (pending.size() == 1) notEmpty.signal();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MaxException(EdgeError.BUFFER_CLOSED, Location.file(dir.toString()), dir.toString());
        } finally {
            queueLock.unlock();
        }
    }

    /** Commits what is queued now and returns once it is captured (fsynced). */
    public void flush() {
        queueLock.lock();
        try {
            long target = enqueued;
            flushRequested = true;
            notEmpty.signal();
            while (durableCount < target && failure == null && committer.isAlive()) durable.await(50, TimeUnit.MILLISECONDS);
            if (failure != null) throw failure;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            queueLock.unlock();
        }
    }

    private void check() {
        if (failure != null) throw failure;
        if (closing) throw new MaxException(EdgeError.BUFFER_CLOSED, Location.file(dir.toString()), dir.toString());
    }

    private void commitLoop() {
        long intervalNanos = options.commitInterval().toNanos();
        while (true) {
            ArrayList<Sample> group;
            queueLock.lock();
            try {
                while (pending.isEmpty() && !closing) {
                    flushRequested = false;
                    notEmpty.await();
                }
                if (pending.isEmpty()) return;
                long deadline = System.nanoTime() + intervalNanos;
                long left;
                while (!flushRequested && !closing && (left = deadline - System.nanoTime()) > 0) notEmpty.awaitNanos(left);
                group = pending;
                pending = new ArrayList<>(Math.max(16, group.size()));
                flushRequested = false;
                notFull.signalAll();
            } catch (InterruptedException e) {
                return;
            } finally {
                queueLock.unlock();
            }
            try {
                write(group);
            } catch (IOException | GeneralSecurityException e) {
                failure = e instanceof IOException io ? io(active.path, io)
                        : new MaxException(EdgeError.BUFFER_IO, Location.file(active.path.toString()), e,
                        active.path.toString(), e.toString());
                LOG.error(failure.getMessage());
            }
            queueLock.lock();
            try {
                if (failure == null) durableCount += group.size();
                durable.signalAll();
                notFull.signalAll();
                if (failure != null) return;
            } finally {
                queueLock.unlock();
            }
        }
    }

    /** Numbers, encrypts, appends and fsyncs one commit group; publishes it only after the fsync. */
    private void write(List<Sample> group) throws IOException, GeneralSecurityException {
        Map<String, Long> next = new HashMap<>();
        Instant latest = lastTime;
        var names = new java.util.IdentityHashMap<AssetPath, String>();
        for (int from = 0; from < group.size(); from += options.samplesPerRecord()) {
            List<Sample> part = group.subList(from, Math.min(group.size(), from + options.samplesPerRecord()));
            var samples = new ArrayList<EdgeSample>(part.size());
            for (Sample s : part) {
                String source = names.computeIfAbsent(s.tag().equipment(), AssetPath::toString);
                long seq = next.computeIfAbsent(source, k -> Math.max(lastSeq.getOrDefault(k, 0L), acked.getOrDefault(k, 0L))) + 1;
                next.put(source, seq);
                samples.add(new EdgeSample(source, s.tag().tag(), seq, s.time(), s.value(), s.quality()));
                if (latest == null || s.time().isAfter(latest)) latest = s.time();
            }
            long offset = active.size;
            byte[] sealed = aead.encrypt(encode(samples), ad(active.number, offset));
            var crc = new CRC32C();
            crc.update(sealed);
            ByteBuffer buf = ByteBuffer.allocate(RECORD_HEADER + sealed.length);
            buf.putInt(sealed.length).putInt((int) crc.getValue()).put(sealed).flip();
            while (buf.hasRemaining()) activeChannel.write(buf, offset + buf.position());
            for (EdgeSample s : samples) active.maxSeq.merge(s.source(), s.seq(), Math::max);
            active.size = offset + RECORD_HEADER + sealed.length;
            if (active.size >= options.segmentBytes()) {
                activeChannel.force(false);
                publish(next, latest);
                roll();
            }
        }
        activeChannel.force(false);
        publish(next, latest);
    }

    private void publish(Map<String, Long> next, Instant latest) {
        lastSeq.putAll(next);
        lastTime = latest;
        durableEnd = new Position(active.number, active.size);
    }

    private void roll() throws IOException {
        activeChannel.close();
        Segment s = createSegment(active.number + 1);
        synchronized (segments) {
            segments.put(s.number, s);
        }
        active = s;
        activeChannel = FileChannel.open(s.path, StandardOpenOption.WRITE);
        durableEnd = new Position(active.number, active.size);
    }

    private Segment createSegment(long number) throws IOException {
        Path path = dir.resolve(String.format("segment-%016d.log", number));
        try (var ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(MAGIC), 0);
            ch.force(true);
        }
        Durable.syncDirectory(dir);
        var s = new Segment(number, path);
        s.size = HEADER;
        return s;
    }

    // ---------------------------------------------------------------- recovery

    /** Scans every segment, rebuilding what each holds; returns the bytes cut off a torn tail. */
    private long recover() {
        long dropped = 0;
        try {
            List<Path> files;
            try (var list = Files.list(dir)) {
                files = list.filter(p -> p.getFileName().toString().matches("segment-\\d{16}\\.log")).sorted().toList();
            }
            Instant latest = null;
            for (int i = 0; i < files.size(); i++) {
                Path path = files.get(i);
                boolean last = i == files.size() - 1;
                long number = Long.parseLong(path.getFileName().toString().substring(8, 24));
                var seg = new Segment(number, path);
                long size = Files.size(path);
                long off = HEADER;
                String torn = null;
                if (size < HEADER || !hasMagic(path)) {
                    torn = "no segment header";
                    off = 0;
                }
                try (var ch = FileChannel.open(path, StandardOpenOption.READ)) {
                    while (torn == null && off < size) {
                        if (size - off < RECORD_HEADER) {
                            torn = "record header cut short";
                            break;
                        }
                        ByteBuffer head = ByteBuffer.allocate(RECORD_HEADER);
                        readFully(ch, head, off);
                        int len = head.getInt(0);
                        int crcValue = head.getInt(4);
                        if (len <= 0 || len > MAX_RECORD || off + RECORD_HEADER + len > size) {
                            torn = "record length beyond the end";
                            break;
                        }
                        ByteBuffer body = ByteBuffer.allocate(len);
                        readFully(ch, body, off + RECORD_HEADER);
                        var crc = new CRC32C();
                        crc.update(body.array());
                        if ((int) crc.getValue() != crcValue) {
                            torn = "checksum mismatch";
                            break;
                        }
                        List<EdgeSample> samples = open(body.array(), path, number, off);
                        for (EdgeSample s : samples) {
                            seg.maxSeq.merge(s.source(), s.seq(), Math::max);
                            lastSeq.merge(s.source(), s.seq(), Math::max);
                            if (latest == null || s.time().isAfter(latest)) latest = s.time();
                        }
                        off += RECORD_HEADER + len;
                    }
                }
                if (torn != null) {
                    if (!last) {
                        throw new MaxException(EdgeError.BUFFER_CORRUPT, Location.file(path.toString()), path.toString(),
                                Long.toString(off), torn);
                    }
                    dropped = size - off;
                    LOG.warn(new MaxException(EdgeError.TORN_TAIL, Location.file(path.toString()), path.toString(),
                            Long.toString(off), Long.toString(dropped)).getMessage());
                    if (off == 0) {
                        seg = createSegment(number);
                        off = HEADER;
                    } else {
                        try (var ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
                            ch.truncate(off);
                            ch.force(true);
                        }
                    }
                }
                seg.size = off;
                segments.put(number, seg);
            }
            lastTime = latest;
            acked.forEach((source, seq) -> lastSeq.merge(source, seq, Math::max));
            if (segments.isEmpty()) {
                Segment s = createSegment(1);
                segments.put(1L, s);
            }
            active = segments.lastEntry().getValue();
            activeChannel = FileChannel.open(active.path, StandardOpenOption.WRITE);
            durableEnd = new Position(active.number, active.size);
            return dropped;
        } catch (IOException e) {
            throw io(dir, e);
        }
    }

    private static boolean hasMagic(Path path) throws IOException {
        try (var in = Files.newInputStream(path)) {
            return java.util.Arrays.equals(in.readNBytes(HEADER), MAGIC);
        }
    }

    private List<EdgeSample> open(byte[] sealed, Path path, long segment, long offset) {
        try {
            return decode(aead.decrypt(sealed, ad(segment, offset)));
        } catch (GeneralSecurityException | IOException e) {
            throw new MaxException(EdgeError.BUFFER_CORRUPT, Location.file(path.toString()), e, path.toString(),
                    Long.toString(offset), "the record fails authentication");
        }
    }

    /** Bytes cut off a torn tail when this buffer was opened (0 after a clean shutdown). */
    public long tornBytesDropped() {
        return tornBytes;
    }

    // ---------------------------------------------------------------- acknowledgement

    /**
     * Records that the hub has committed {@code source}'s samples through {@code seq}, then deletes segments that hold
     * only acknowledged samples. The cursor file is rewritten (atomically) at most every {@value #CURSOR_PERIOD_MS} ms
     * and always, fsynced, before a segment is deleted: after a crash it may lag the hub by a moment, which costs
     * nothing because the forwarder resumes from the hub's own mark, but it never lags what was deleted, so numbering
     * can always continue from what is on disk. A mark beyond the last captured number (a hub ahead of a buffer that
     * was wiped) makes numbering continue after it.
     */
    public void acknowledge(String source, long seq) {
        List<Segment> done;
        synchronized (acked) {
            if (seq <= acked.getOrDefault(source, 0L)) return;
            acked.put(source, seq);
            cursorDirty = true;
            done = acknowledgedSegments();
            long now = System.nanoTime();
            if (!done.isEmpty() || now - cursorWritten >= TimeUnit.MILLISECONDS.toNanos(CURSOR_PERIOD_MS)) {
                writeCursor();
                cursorWritten = now;
            }
        }
        if (done.isEmpty()) return;
        synchronized (segments) {
            for (Segment s : done) segments.remove(s.number);
        }
        for (Segment s : done) {
            try {
                Files.deleteIfExists(s.path);
            } catch (IOException e) {
                LOG.warn("acknowledged edge segment {} could not be deleted: {}", s.path, e.toString());
            }
        }
        Durable.syncDirectory(dir);
    }

    private List<Segment> acknowledgedSegments() {
        List<Segment> done = new ArrayList<>();
        synchronized (segments) {
            for (Segment s : segments.values()) {
                if (s == active || s.number >= durableEnd.segment()) break;
                boolean all = s.maxSeq.entrySet().stream().allMatch(e -> e.getValue() <= acked.getOrDefault(e.getKey(), 0L));
                if (!all) break;
                done.add(s);
            }
        }
        return done;
    }

    private void readCursor() {
        Path file = dir.resolve("cursor");
        if (!Files.exists(file)) return;
        try {
            byte[] plain = aead.decrypt(Files.readAllBytes(file), CURSOR_AD);
            for (String line : new String(plain, StandardCharsets.UTF_8).split("\n")) {
                if (line.isEmpty()) continue;
                int tab = line.lastIndexOf('\t');
                acked.put(line.substring(0, tab), Long.parseLong(line.substring(tab + 1)));
            }
        } catch (IOException e) {
            throw io(file, e);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new MaxException(EdgeError.BUFFER_CORRUPT, Location.file(file.toString()), e, file.toString(), "0",
                    "the cursor fails authentication");
        }
    }

    private void writeCursor() {
        cursorDirty = false;
        Path file = dir.resolve("cursor");
        var b = new StringBuilder();
        acked.forEach((source, seq) -> b.append(source).append('\t').append(seq).append('\n'));
        try {
            Durable.writeAtomically(file, aead.encrypt(b.toString().getBytes(StandardCharsets.UTF_8), CURSOR_AD));
        } catch (IOException e) {
            throw io(file, e);
        } catch (GeneralSecurityException e) {
            throw new MaxException(EdgeError.BUFFER_IO, Location.file(file.toString()), e, file.toString(), e.toString());
        }
    }

    // ---------------------------------------------------------------- state

    /** The last captured sequence number per equipment (source), including what was deleted after acknowledgement. */
    public Map<String, Long> lastSequences() {
        return Map.copyOf(lastSeq);
    }

    /** The number the hub has acknowledged per equipment (source). */
    public Map<String, Long> acknowledged() {
        return Map.copyOf(acked);
    }

    /** Captured samples not yet acknowledged by the hub. */
    public long buffered() {
        long n = 0;
        for (var e : lastSeq.entrySet()) n += Math.max(0, e.getValue() - acked.getOrDefault(e.getKey(), 0L));
        return n;
    }

    /** Samples captured (fsynced) since this buffer was opened. */
    public long captured() {
        queueLock.lock();
        try {
            return durableCount;
        } finally {
            queueLock.unlock();
        }
    }

    /** The latest sample time captured, if any sample is still on disk or was captured since opening. */
    public Optional<Instant> lastTime() {
        return Optional.ofNullable(lastTime);
    }

    /** Segment files on disk now. */
    public int segmentCount() {
        synchronized (segments) {
            return segments.size();
        }
    }

    public Path directory() {
        return dir;
    }

    /** Why the buffer stopped capturing (a disk error), if it did. */
    public Optional<MaxException> failure() {
        return Optional.ofNullable(failure);
    }

    /** A reader over captured, not yet acknowledged samples, from the oldest segment on. */
    public Reader reader() {
        return new Reader();
    }

    /** Commits what is queued, stops the commit thread and releases the buffer. */
    @Override
    public void close() {
        queueLock.lock();
        try {
            if (closing) return;
            closing = true;
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            queueLock.unlock();
        }
        try {
            committer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        queueLock.lock();
        try {
            durable.signalAll();
        } finally {
            queueLock.unlock();
        }
        synchronized (acked) {
            if (cursorDirty) writeCursor();
        }
        closeQuietly(activeChannel);
        try {
            lock.release();
        } catch (IOException e) {
            // the channel's close releases it anyway
        }
        closeQuietly(lockChannel);
    }

    /**
     * Reads captured samples in log order, skipping those already acknowledged. Not thread-safe: one reader per
     * forwarding thread. It sees only fsynced records, so it never forwards a sample a crash could take back.
     */
    public final class Reader implements AutoCloseable {
        private long segment = -1;
        private long offset;
        private FileChannel channel;
        private final ArrayDeque<EdgeSample> leftover = new ArrayDeque<>();

        private Reader() {
        }

        /** Up to {@code max} samples, fewer (or none) when the reader has caught up with what is captured. */
        public List<EdgeSample> next(int max) {
            var out = new ArrayList<EdgeSample>(Math.min(max, 8192));
            while (out.size() < max) {
                if (!leftover.isEmpty()) {
                    EdgeSample s = leftover.poll();
                    if (s.seq() > acked.getOrDefault(s.source(), 0L)) out.add(s);
                    continue;
                }
                if (!readRecord()) break;
            }
            return out;
        }

        /** Waits up to {@code timeout} for samples beyond what this reader has read; true if there may be some. */
        public boolean await(Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            queueLock.lock();
            try {
                while (!hasMore()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0 || closing) return hasMore();
                    durable.awaitNanos(left);
                }
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return hasMore();
            } finally {
                queueLock.unlock();
            }
        }

        private boolean hasMore() {
            if (!leftover.isEmpty()) return true;
            Position end = durableEnd;
            return segment < end.segment() || offset < end.offset();
        }

        private boolean readRecord() {
            while (true) {
                Position end = durableEnd;
                Segment seg;
                synchronized (segments) {
                    var e = segments.ceilingEntry(Math.max(segment, 0));
                    seg = e == null ? null : e.getValue();
                }
                if (seg == null || seg.number > end.segment()) return false;
                if (seg.number != segment) {
                    closeQuietly(channel);
                    channel = null;
                    segment = seg.number;
                    offset = HEADER;
                }
                long limit = seg.number == end.segment() ? end.offset() : seg.size;
                if (offset >= limit) {
                    if (seg.number < end.segment()) {
                        segment = seg.number + 1;
                        closeQuietly(channel);
                        channel = null;
                        offset = HEADER;
                        continue;
                    }
                    return false;
                }
                try {
                    if (channel == null) channel = FileChannel.open(seg.path, StandardOpenOption.READ);
                    ByteBuffer head = ByteBuffer.allocate(RECORD_HEADER);
                    readFully(channel, head, offset);
                    int len = head.getInt(0);
                    if (len <= 0 || len > MAX_RECORD) {
                        throw new MaxException(EdgeError.BUFFER_CORRUPT, Location.file(seg.path.toString()),
                                seg.path.toString(), Long.toString(offset), "bad record length");
                    }
                    ByteBuffer body = ByteBuffer.allocate(len);
                    readFully(channel, body, offset + RECORD_HEADER);
                    leftover.addAll(EdgeBuffer.this.open(body.array(), seg.path, seg.number, offset));
                    offset += RECORD_HEADER + len;
                    return true;
                } catch (NoSuchFileException e) {
                    // deleted after acknowledgement (the hub was ahead): everything in it is acknowledged
                    segment = seg.number + 1;
                    offset = HEADER;
                    channel = null;
                } catch (IOException e) {
                    throw io(seg.path, e);
                }
            }
        }

        @Override
        public void close() {
            closeQuietly(channel);
            channel = null;
        }
    }

    // ---------------------------------------------------------------- record codec

    private static byte[] ad(long segment, long offset) {
        return ByteBuffer.allocate(16 + 9).put("max-edge:".getBytes(StandardCharsets.US_ASCII)).putLong(segment)
                .putLong(offset).array();
    }

    /** A record: the equipment and tag names once, then each sample as indexes and fixed-size fields. */
    static byte[] encode(List<EdgeSample> samples) throws IOException {
        var names = new HashMap<String, Integer>();
        var table = new ArrayList<String>();
        int[] eq = new int[samples.size()];
        int[] tg = new int[samples.size()];
        for (int i = 0; i < samples.size(); i++) {
            EdgeSample s = samples.get(i);
            eq[i] = names.computeIfAbsent(s.source(), k -> {
                table.add(k);
                return table.size() - 1;
            });
            tg[i] = names.computeIfAbsent(s.tag(), k -> {
                table.add(k);
                return table.size() - 1;
            });
        }
        var bytes = new ByteArrayOutputStream(64 + samples.size() * 38);
        var out = new DataOutputStream(bytes);
        out.writeInt(table.size());
        for (String name : table) out.writeUTF(name);
        out.writeInt(samples.size());
        for (int i = 0; i < samples.size(); i++) {
            EdgeSample s = samples.get(i);
            out.writeInt(eq[i]);
            out.writeInt(tg[i]);
            out.writeLong(s.seq());
            out.writeLong(s.time().getEpochSecond());
            out.writeInt(s.time().getNano());
            out.writeDouble(s.value());
            out.writeByte(s.quality().ordinal());
        }
        out.flush();
        return bytes.toByteArray();
    }

    static List<EdgeSample> decode(byte[] plain) throws IOException {
        var in = new DataInputStream(new ByteArrayInputStream(plain));
        int names = in.readInt();
        String[] table = new String[names];
        for (int i = 0; i < names; i++) table[i] = in.readUTF();
        int n = in.readInt();
        var out = new ArrayList<EdgeSample>(n);
        Quality[] qualities = Quality.values();
        for (int i = 0; i < n; i++) {
            int e = in.readInt();
            int t = in.readInt();
            long seq = in.readLong();
            Instant time = Instant.ofEpochSecond(in.readLong(), in.readInt());
            double value = in.readDouble();
            Quality q = qualities[in.readByte()];
            out.add(new EdgeSample(table[e], table[t], seq, time, value, q));
        }
        return out;
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, position + buf.position());
            if (n < 0) throw new java.io.EOFException("at " + (position + buf.position()));
        }
    }

    private static MaxException io(Path where, IOException e) {
        return new MaxException(EdgeError.BUFFER_IO, Location.file(where.toString()), e, where.toString(), e.toString());
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) return;
        try {
            c.close();
        } catch (Exception e) {
            // nothing left to release
        }
    }
}
