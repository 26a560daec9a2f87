package kr.max.library.store;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Content-addressed storage of encrypted chunks. Objects are written into a staging area first and
 * become part of the store only when the catalog has committed the version that names them, so a
 * crash never leaves a half-written version: at the next start {@link #recover} rolls each staging
 * area forward (committed) or away (not committed).
 *
 * <p>Implementations: the local file system now; an S3-compatible store later, under the same contract tests.
 */
public interface ObjectStore {

    /** Opens a staging area owned by this process until published or discarded. */
    Staging stage(String stagingId);

    /** Opens an object for reading; looks in staging areas for a committed but not yet published one. */
    InputStream open(String hash);

    boolean exists(String hash);

    void delete(String hash);

    /** Every object hash in the store (published ones). */
    Set<String> list();

    /**
     * Finishes or removes staging areas left by processes that died: publishes those whose id
     * {@code committed} accepts, deletes the others. Areas of live processes are left alone.
     *
     * @return the number of staging areas removed without publishing
     */
    int recover(Predicate<String> committed);

    /** A writable staging area. */
    interface Staging extends AutoCloseable {

        String id();

        /** Writes one object; the writer gets a stream to write plaintext-free bytes into. */
        StoredObject write(ObjectWriter writer);

        /** Deletes one staged object, written by {@link #write} and then not wanted; nothing if it is not there. */
        void remove(String hash);

        /** Moves every staged object into the store. Call after the catalog commit. */
        void publish();

        /** Deletes every staged object. */
        void discard();

        /** Releases the area's lock; an area neither published nor discarded is left for {@link #recover}. */
        @Override
        void close();
    }

    /** Writes an object's bytes. */
    @FunctionalInterface
    interface ObjectWriter {
        void writeTo(OutputStream out) throws java.io.IOException;
    }

    /** What was stored: the SHA-256 of the bytes (hex) and their count. */
    record StoredObject(String hash, long bytes) {
    }
}
