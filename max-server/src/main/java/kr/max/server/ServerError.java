package kr.max.server;

import kr.max.core.ErrorCode;

/**
 * Errors of the HTTP server itself, before or around the library: authentication, request shape,
 * size limits, unknown routes and internal failures. Each carries the HTTP status it is answered
 * with; the texts are in {@code kr/max/server/messages*.properties}.
 */
public enum ServerError implements ErrorCode {
    /** No, a malformed or an unknown bearer token. No args. */
    UNAUTHENTICATED("MAX-SERVER-001", 401),
    /** The JSON body does not parse or has the wrong fields. No args; the location names line and column. */
    MALFORMED_JSON("MAX-SERVER-002", 400),
    /** No route has this method and path. No args. */
    UNKNOWN_ROUTE("MAX-SERVER-003", 404),
    /** The body is larger than the server can take here. Args: {@code {0}} the limit in bytes, or -1 if unknown. */
    PAYLOAD_TOO_LARGE("MAX-SERVER-004", 413),
    /** The request's headers exceed the configured size (answered by Jetty). Args: {@code {0}} the limit in bytes. */
    HEADER_TOO_LARGE("MAX-SERVER-005", 431),
    /** A {@code format} the route does not offer. Args: {@code {0}} the word given, {@code {1}} the words allowed. */
    UNSUPPORTED_FORMAT("MAX-SERVER-006", 400),
    /** Anything unexpected. Args: {@code {0}} an incident number that the server's log also carries. */
    INTERNAL("MAX-SERVER-007", 500),
    /**
     * A query parameter or body field with a value of the wrong kind. Args: {@code {0}} its name, {@code {1}} what is
     * expected (0 an integer from {@code {2}} to {@code {3}}, 1 a boolean, 2 a time zone, 3 non-empty text).
     */
    INVALID_PARAMETER("MAX-SERVER-008", 400),
    /** A request Jetty refused before any route saw it (bad URI, ambiguous path, bad header). Args: {@code {0}} the HTTP status. */
    MALFORMED_REQUEST("MAX-SERVER-009", 400),
    /** The operator token given at start-up is too short to be safe. Args: {@code {0}} the minimum length. Not an HTTP answer. */
    WEAK_TOKEN("MAX-SERVER-010", 500),
    /** The address cannot be listened on (port taken, host not local). Args: {@code {0}} host, {@code {1}} port. Not an HTTP answer. */
    CANNOT_LISTEN("MAX-SERVER-011", 500),
    /** The principal lacks every role the route needs. Args: {@code {0}} the roles that would do, {@code {1}} the principal. */
    ROLE_REQUIRED("MAX-SERVER-012", 403),
    /** The server runs no twin (or factory) for this route. Args: {@code {0}} what is missing. */
    NOT_RUNNING("MAX-SERVER-013", 404);

    private final String code;
    private final int status;

    ServerError(String code, int status) {
        this.code = code;
        this.status = status;
    }

    @Override
    public String code() {
        return code;
    }

    @Override
    public String bundle() {
        return "kr.max.server.messages";
    }

    /** The HTTP status this error is answered with. */
    public int status() {
        return status;
    }
}
