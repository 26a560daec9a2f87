package kr.max.library.store;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import kr.max.core.Location;
import kr.max.core.MaxException;

/**
 * {@link ObjectStore} on a local directory: {@code objects/ab/abcdef…} by SHA-256, and
 * {@code staging/<id>/} areas, each guarded by an OS file lock held by the writing process.
 */
public final class LocalObjectStore implements ObjectStore {

    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern STAGING_ID = Pattern.compile("[0-9A-Za-z-]{1,64}");

    private final Path objects;
    private final Path staging;

    public LocalObjectStore(Path root) {
        this.objects = root.resolve("objects");
        this.staging = root.resolve("staging");
        try {
            Files.createDirectories(objects);
            Files.createDirectories(staging);
        } catch (IOException e) {
            throw io(e);
        }
    }

    @Override
    public Staging stage(String stagingId) {
        if (!STAGING_ID.matcher(stagingId).matches()) throw new IllegalArgumentException("staging id " + stagingId);
        return new LocalStaging(stagingId);
    }

    @Override
    public InputStream open(String hash) {
        checkHash(hash);
        try {
            return Files.newInputStream(pathOf(hash));
        } catch (NoSuchFileException e) {
            // Committed but not yet published by a process that is still running or died in between.
            try (Stream<Path> areas = Files.list(staging)) {
                for (Path area : (Iterable<Path>) areas::iterator) {
                    Path candidate = area.resolve(hash);
                    if (Files.exists(candidate)) return Files.newInputStream(candidate);
                }
            } catch (IOException inner) {
                throw io(inner);
            }
            // Published while we looked: moved from its staging area into the store between the two looks (a
            // query listing a flush's or a compaction's chunks just after their commit met this).
            try {
                return Files.newInputStream(pathOf(hash));
            } catch (NoSuchFileException gone) {
                throw new MaxException(StoreError.MISSING_OBJECT, Location.NOWHERE, hash);
            } catch (IOException inner) {
                throw io(inner);
            }
        } catch (IOException e) {
            throw io(e);
        }
    }

    @Override
    public boolean exists(String hash) {
        checkHash(hash);
        return Files.exists(pathOf(hash));
    }

    @Override
    public void delete(String hash) {
        checkHash(hash);
        try {
            Files.deleteIfExists(pathOf(hash));
        } catch (IOException e) {
            throw io(e);
        }
    }

    @Override
    public Set<String> list() {
        var out = new HashSet<String>();
        try (Stream<Path> files = Files.walk(objects, 2)) {
            files.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
                    .filter(n -> HASH.matcher(n).matches()).forEach(out::add);
        } catch (IOException e) {
            throw io(e);
        }
        return out;
    }

    @Override
    public int recover(Predicate<String> committed) {
        int removed = 0;
        try (DirectoryStream<Path> areas = Files.newDirectoryStream(staging)) {
            for (Path area : areas) {
                String id = area.getFileName().toString();
                if (!Files.isDirectory(area)) continue;
                // A hidden area is one being created; after a minute its creator is gone.
                if (id.startsWith(".") && Files.getLastModifiedTime(area).toInstant().isAfter(java.time.Instant.now().minusSeconds(60))) {
                    continue;
                }
                try (FileChannel ch = FileChannel.open(area.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                     FileLock lock = tryLock(ch)) {
                    if (lock == null) continue; // a live process owns it
                    if (committed.test(id)) {
                        publishArea(area);
                    } else {
                        deleteArea(area);
                        removed++;
                    }
                } catch (java.nio.file.NoSuchFileException gone) {
                    // published or removed by its owner meanwhile
                }
            }
        } catch (IOException e) {
            throw io(e);
        }
        return removed;
    }

    private static FileLock tryLock(FileChannel ch) throws IOException {
        try {
            return ch.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // held by this very JVM
        }
    }

    private Path pathOf(String hash) {
        return objects.resolve(hash.substring(0, 2)).resolve(hash);
    }

    private void publishArea(Path area) throws IOException {
        try (Stream<Path> files = Files.list(area)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (!HASH.matcher(name).matches()) continue;
                Path target = pathOf(name);
                Files.createDirectories(target.getParent());
                move(f, target);
            }
        }
        deleteArea(area);
    }

    private static void deleteArea(Path area) throws IOException {
        try (Stream<Path> files = Files.list(area)) {
            for (Path f : (Iterable<Path>) files::iterator) Files.deleteIfExists(f);
        }
        Files.deleteIfExists(area);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (FileAlreadyExistsException e) {
            Files.delete(from); // same content, same name
        }
    }

    private static void checkHash(String hash) {
        if (hash == null || !HASH.matcher(hash).matches()) throw new IllegalArgumentException("not an object hash");
    }

    private static MaxException io(IOException e) {
        return new MaxException(StoreError.IO, Location.NOWHERE, e, e.getClass().getSimpleName() + ": " + e.getMessage());
    }

    private final class LocalStaging implements Staging {
        private final String id;
        private final Path area;
        private final FileChannel lockChannel;
        private final FileLock lock;

        LocalStaging(String id) {
            this.id = id;
            this.area = staging.resolve(id);
            // The area is made and locked under a hidden name, then renamed: recovery never sees it unlocked.
            Path hidden = staging.resolve("." + id);
            try {
                Files.createDirectories(hidden);
                lockChannel = FileChannel.open(hidden.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                lock = lockChannel.lock();
                Files.move(hidden, area, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw io(e);
            }
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public StoredObject write(ObjectWriter writer) {
            Path tmp = area.resolve("tmp-" + UUID.randomUUID());
            try {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                long size;
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    var counting = new CountingOutputStream(java.nio.channels.Channels.newOutputStream(ch));
                    try (OutputStream out = new DigestOutputStream(new BufferedOutputStream(counting, 1 << 16), sha) {
                        @Override
                        public void close() throws IOException {
                            flush(); // keep the channel open for force()
                        }
                    }) {
                        writer.writeTo(out);
                    }
                    ch.force(true);
                    size = counting.count;
                }
                String hash = HexFormat.of().formatHex(sha.digest());
                move(tmp, area.resolve(hash));
                return new StoredObject(hash, size);
            } catch (IOException e) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the area is discarded or recovered as a whole
                }
                throw io(e);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void remove(String hash) {
            try {
                Files.deleteIfExists(area.resolve(hash));
            } catch (IOException e) {
                throw io(e);
            }
        }

        @Override
        public void publish() {
            try {
                publishArea(area);
            } catch (IOException e) {
                throw io(e);
            }
        }

        @Override
        public void discard() {
            try {
                if (Files.exists(area)) deleteArea(area);
            } catch (IOException e) {
                throw io(e);
            }
        }

        @Override
        public void close() {
            try {
                lock.release();
                lockChannel.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static final class CountingOutputStream extends java.io.FilterOutputStream {
        long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
