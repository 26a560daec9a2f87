package kr.max.library;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Looks for plaintext under a library home: every file, every common encoding (UTF-8, UTF-16, CP949), or raw
 * bytes. Used by the tests that prove plaintext never touches disk (datasets here, models in max-models).
 */
public final class PlaintextScan {

    private PlaintextScan() {
    }

    /** {@code "path holds needle"} for every file under {@code home} holding one of the texts. */
    public static List<String> hits(Path home, List<String> needles) throws IOException {
        var hits = new ArrayList<String>();
        for (Path p : filesUnder(home)) {
            for (String n : needles) {
                if (find(p, n)) hits.add(home.relativize(p) + " holds " + n);
            }
        }
        return hits;
    }

    /** Files under {@code home} holding {@code needle} byte for byte. */
    public static List<String> hitsOfBytes(Path home, byte[] needle) throws IOException {
        var hits = new ArrayList<String>();
        for (Path p : filesUnder(home)) {
            byte[] hay = read(p);
            if (hay != null && indexOf(hay, needle) >= 0) hits.add(home.relativize(p).toString());
        }
        return hits;
    }

    /**
     * Every file under the home. The signed audit head is replaced in the background (a temporary file
     * renamed over it), so an entry may vanish while the tree is walked: then the walk starts again.
     */
    public static List<Path> filesUnder(Path home) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try (var walk = Files.walk(home)) {
                return walk.filter(Files::isRegularFile).toList();
            } catch (java.io.UncheckedIOException e) {
                if (!(e.getCause() instanceof java.nio.file.NoSuchFileException) || attempt >= 20) throw e;
            }
        }
    }

    /** Whether the file holds {@code needle} in UTF-8, UTF-16 (either order) or CP949. */
    public static boolean find(Path file, String needle) throws IOException {
        byte[] hay = read(file);
        if (hay == null) return false;
        for (Charset cs : List.of(StandardCharsets.UTF_8, StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE,
                Charset.forName("x-windows-949"))) {
            if (indexOf(hay, needle.getBytes(cs)) >= 0) return true;
        }
        return false;
    }

    private static byte[] read(Path file) throws IOException {
        try {
            return Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException gone) {
            return null; // renamed away after the listing (the signed audit head is replaced in the background)
        }
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) continue outer;
            }
            return i;
        }
        return -1;
    }
}
