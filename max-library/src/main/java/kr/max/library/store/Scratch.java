package kr.max.library.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import kr.max.core.Location;
import kr.max.core.MaxException;

/**
 * Memory-backed scratch space for decrypted chunks while DuckDB reads or writes them. It must lie on
 * tmpfs (or ramfs): plaintext of protected data never touches disk. The directory is private to this
 * process (0700) and removed on {@link #close()}; directories left by dead processes are removed when
 * the next one opens.
 */
public final class Scratch implements AutoCloseable {

    /** Environment variable naming a memory-backed directory to use instead of {@code /dev/shm}. */
    public static final String ENV = "MAX_SCRATCH";

    private static final String PREFIX = "max-scratch-";

    private final Path dir;

    private Scratch(Path dir) {
        this.dir = dir;
    }

    /** Opens a private scratch directory under {@code base} (null: {@code $MAX_SCRATCH}, else {@code /dev/shm}). */
    public static Scratch open(Path base) {
        if (base == null) {
            String env = System.getenv(ENV);
            base = Path.of(env != null && !env.isBlank() ? env : "/dev/shm");
        }
        if (!Files.isDirectory(base) || !isMemoryBacked(base)) {
            throw new MaxException(StoreError.NO_MEMORY_SCRATCH, Location.NOWHERE, base);
        }
        removeStale(base);
        Path dir = base.resolve(PREFIX + ProcessHandle.current().pid() + "-" + UUID.randomUUID());
        try {
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (UnsupportedOperationException e) {
                Files.createDirectory(dir);
            }
        } catch (IOException e) {
            throw new MaxException(StoreError.IO, Location.NOWHERE, e, e.getMessage());
        }
        return new Scratch(dir);
    }

    public Path dir() {
        return dir;
    }

    /** A fresh file name inside the scratch directory (not created). */
    public Path newFile(String suffix) {
        return dir.resolve(UUID.randomUUID() + suffix);
    }

    public static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // tmpfs: removed with the directory or at reboot at the latest
        }
    }

    @Override
    public void close() {
        deleteTree(dir);
    }

    /** True when the file system holding {@code path} keeps its data in memory. */
    static boolean isMemoryBacked(Path path) {
        Path mounts = Path.of("/proc/self/mounts");
        if (!Files.isReadable(mounts)) return false;
        try {
            String real = path.toRealPath().toString();
            String bestMount = "";
            String bestType = "";
            for (String line : Files.readAllLines(mounts)) {
                String[] f = line.split(" ");
                if (f.length < 3) continue;
                String mountPoint = f[1].replace("\\040", " ");
                boolean contains = real.equals(mountPoint) || real.startsWith(mountPoint.endsWith("/") ? mountPoint : mountPoint + "/");
                if (contains && mountPoint.length() >= bestMount.length()) {
                    bestMount = mountPoint;
                    bestType = f[2];
                }
            }
            return List.of("tmpfs", "ramfs").contains(bestType);
        } catch (IOException e) {
            return false;
        }
    }

    private static void removeStale(Path base) {
        try (Stream<Path> entries = Files.list(base)) {
            entries.filter(p -> p.getFileName().toString().startsWith(PREFIX)).forEach(p -> {
                String rest = p.getFileName().toString().substring(PREFIX.length());
                int dash = rest.indexOf('-');
                try {
                    long pid = Long.parseLong(dash < 0 ? rest : rest.substring(0, dash));
                    if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) return;
                } catch (NumberFormatException e) {
                    return;
                }
                deleteTree(p);
            });
        } catch (IOException | SecurityException ignored) {
            // another user's directories: not ours to remove
        }
    }

    /** Removes a directory and everything in it, quietly. */
    public static void deleteTree(Path root) {
        if (!Files.exists(root)) return;
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(Scratch::deleteQuietly);
        } catch (IOException ignored) {
            // best effort; memory-backed anyway
        }
    }
}
