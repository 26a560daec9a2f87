package kr.max.core;

import java.util.Locale;

/**
 * An error a user can meet: a stable {@link ErrorCode}, arguments for its Korean and English
 * message, and where it happened.
 *
 * <p>{@link #getMessage()} is English, for logs; user interfaces call {@link #message(Locale)}.
 * Arguments must never carry secrets; they may carry the offending value of a bad input file,
 * which the user already holds.
 */
public class MaxException extends RuntimeException {

    private final ErrorCode code;
    private final transient Location location;
    private final transient Object[] args;

    public MaxException(ErrorCode code, Location location, Object... args) {
        this(code, location, null, args);
    }

    public MaxException(ErrorCode code, Location location, Throwable cause, Object... args) {
        super(code.code(), cause);
        this.code = code;
        this.location = location == null ? Location.NOWHERE : location;
        this.args = args.clone();
    }

    public ErrorCode code() {
        return code;
    }

    public Location location() {
        return location;
    }

    public Object[] args() {
        return args.clone();
    }

    /** {@code MAX-INGEST-012 press.csv:52346:4 (pressure_1): <text in the locale>}. */
    public String message(Locale locale) {
        String text = Messages.format(code, locale, args);
        return location.isKnown() ? code.code() + " " + location + ": " + text : code.code() + ": " + text;
    }

    @Override
    public String getMessage() {
        return message(Locale.ENGLISH);
    }
}
