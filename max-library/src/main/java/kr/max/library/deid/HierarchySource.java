package kr.max.library.deid;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where a profile's {@code hierarchy: assets.csv} is read from: a directory on the command line, the files of an
 * upload on the server, nothing at all for profiles that must be self-contained.
 */
@FunctionalInterface
public interface HierarchySource {

    /** A hierarchy file's content and its name as the user knows it, for error locations. */
    record Text(String content, String fileName) {
    }

    /**
     * The file named {@code reference} in the profile.
     *
     * @throws IOException when it cannot be read; the profile reader turns this into {@code MAX-DEID-020}
     */
    Text read(String reference) throws IOException;

    /**
     * Files relative to {@code dir}, the directory of the profile file. A reference may lead out of it
     * ({@code ../shared/assets.csv}); a server that reads profiles from users should use {@link #of(Map)}.
     */
    static HierarchySource directory(Path dir) {
        return reference -> {
            Path file = dir.resolve(reference);
            return new Text(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        };
    }

    /** Files held in memory, by reference. */
    static HierarchySource of(Map<String, String> files) {
        var copy = Map.copyOf(files);
        return reference -> {
            String content = copy.get(reference);
            if (content == null) throw new NoSuchFileException(reference);
            return new Text(content, reference);
        };
    }

    /** No files: a profile must write its hierarchies inline. */
    static HierarchySource none() {
        return reference -> {
            throw new NoSuchFileException(reference);
        };
    }
}
