package kr.max.core;

/**
 * A stable, documented error code such as {@code MAX-INGEST-012}.
 *
 * <p>Each module declares its codes in an enum implementing this interface; the Korean and English
 * texts live in that module's resource bundle under the code as key. Codes never change meaning once
 * released, so users and support staff can search for them.
 */
public interface ErrorCode {

    /** The stable code, for example {@code MAX-INGEST-012}. */
    String code();

    /** Base name of the resource bundle holding the message for {@link #code()}. */
    String bundle();
}
