package kr.max.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import kr.max.core.Location;
import kr.max.core.MaxException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import tools.jackson.databind.json.JsonMapper;

/**
 * Jetty's own error answers (oversize headers, malformed URIs, ambiguous paths: requests refused
 * before any route runs) in the same JSON shape as every other error, never Jetty's HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {

    private final JsonMapper json;
    private final int maxHeaderBytes;

    JsonErrorHandler(JsonMapper json, int maxHeaderBytes) {
        this.json = json;
        this.maxHeaderBytes = maxHeaderBytes;
        setShowStacks(false);
        setShowCauses(false);
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) throws IOException {
        Locale locale = Errors.locale(request.getHeaders().get(HttpHeader.ACCEPT_LANGUAGE));
        byte[] body = body(code, cause, locale);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Errors.JSON);
        response.getHeaders().put(HttpHeader.CONTENT_LANGUAGE, locale.getLanguage());
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    private byte[] body(int status, Throwable cause, Locale locale) {
        MaxException e = switch (status) {
            case 431 -> new MaxException(ServerError.HEADER_TOO_LARGE, Location.NOWHERE, maxHeaderBytes);
            case 413 -> new MaxException(ServerError.PAYLOAD_TOO_LARGE, Location.NOWHERE, -1);
            case 404, 405 -> new MaxException(ServerError.UNKNOWN_ROUTE, Location.NOWHERE);
            case 401 -> new MaxException(ServerError.UNAUTHENTICATED, Location.NOWHERE);
            // Jetty's 500: something escaped every handler. Its other statuses (400, 414, 505, …) judge the request.
            case 500 -> Errors.internal(cause == null ? new IllegalStateException("HTTP 500 from Jetty") : cause, "jetty");
            default -> new MaxException(ServerError.MALFORMED_REQUEST, Location.NOWHERE, status);
        };
        var answer = Errors.answer(e, locale, "jetty");
        return json.writeValueAsString(answer.body()).getBytes(StandardCharsets.UTF_8);
    }
}
