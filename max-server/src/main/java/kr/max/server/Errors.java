package kr.max.server;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import kr.max.core.CoreError;
import kr.max.core.ErrorCode;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.core.Messages;
import kr.max.library.catalog.CatalogError;
import kr.max.library.crypto.CryptoError;
import kr.max.library.ingest.IngestError;
import kr.max.library.policy.PolicyError;
import kr.max.library.query.QueryError;
import kr.max.library.store.StoreError;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.JacksonIOException;

/**
 * Every error answer of the server: one JSON shape, the HTTP status of each code, the language of
 * the message. Server-side failures (5xx) never show their library message, which may name paths or
 * database details; they get an incident number that the log carries with the code or exception class.
 */
final class Errors {

    private static final Logger LOG = LoggerFactory.getLogger(Errors.class);

    static final String JSON = "application/json; charset=utf-8";

    /** The body of every error: {@code location} is {@code null} when unknown. */
    record ErrorBody(String code, String message, String location) {
    }

    private Errors() {
    }

    /** The one place where an error code becomes an HTTP status. */
    static int status(ErrorCode code) {
        return switch (code) {
            case ServerError s -> s.status();
            case PolicyError p -> 403;
            case QueryError q -> switch (q) {
                case FORBIDDEN -> 403;
                case UNKNOWN_TABLE -> 404;
                case SYNTAX, NOT_A_SELECT, EXECUTION, SAFE_ZONE_NOT_AGGREGATE -> 400;
                case EXPORT -> 500;
            };
            case kr.max.library.safezone.SafeZoneError z -> switch (z) {
                case NO_SUCH_OUTPUT -> 404;
                case ALREADY_REVIEWED, NOT_RELEASED, NOT_A_RESULT -> 409;
                case TOO_MANY_ROWS -> 400;
            };
            case kr.max.library.identity.IdentityError i -> switch (i) {
                case NO_SUCH_ORGANIZATION, NO_SUCH_USER, NO_SUCH_TOKEN -> 404;
                case ALREADY_EXISTS -> 409;
                default -> 400;
            };
            case kr.max.library.agreement.AgreementError a -> a == kr.max.library.agreement.AgreementError.ILLEGAL_TRANSITION ? 409 : 400;
            case CatalogError c -> switch (c) {
                case NO_SUCH_DATASET, NO_SUCH_VERSION -> 404;
                case CONFLICT -> 409;
                case DATABASE, UNSUPPORTED_DATABASE -> 500;
            };
            // A bad input file: the request was well-formed, its content is not (file, line, column in location).
            case IngestError i -> switch (i) {
                case UNKNOWN_ENCODING -> 400;
                // The server wrote that file itself; its absence is the server's failure, not the client's.
                case FILE_NOT_FOUND -> 500;
                default -> 422;
            };
            case CoreError c -> 400;
            case kr.max.library.share.ShareError s -> switch (s) {
                case RELEASE_NAME_TAKEN -> 409;
                case UNKNOWN_COLUMN, NOT_A_USE -> 400;
                case SUSPECT_UNREADABLE -> 422;
            };
            // A profile or hierarchy that cannot be used, or data it does not fit: the content is at fault.
            case kr.max.library.deid.DeidError d -> 422;
            // Deleted (crypto-shredded) while the request ran: the data is gone for good.
            case CryptoError c -> c == CryptoError.KEY_DESTROYED ? 410 : 500;
            case StoreError s -> 500;
            case kr.max.library.model.ModelAssetError m -> switch (m) {
                case NO_SUCH_MODEL, NO_SUCH_VERSION -> 404;
                case INVALID_NAME, CLASSIFICATION_BELOW_DATA -> 400;
                case CONFLICT -> 409;
                case EXPORT_FAILED -> 500;
            };
            case kr.max.models.ModelError m -> switch (m) {
                case UNKNOWN_TYPE, UNKNOWN_PARAMETER, BAD_PARAMETER, MALFORMED_PARAMETERS -> 400;
                case UNKNOWN_REFERENCE -> 404;
                // The data do not fit the model type: the request was well-formed, the content is not.
                case MISSING_ROLE, TOO_LITTLE_DATA, UNREADABLE_LABEL, FEATURES_DIFFER -> 422;
                case UNREADABLE_MODEL -> 500;
            };
            case kr.max.models.registry.RegistryError r -> switch (r) {
                case SAMPLE_WIDTH -> 400;
                case TYPE_NOT_INSTALLED -> 422;
                // The server wrote and reads these files itself.
                case PREDICTIONS_NOT_WRITTEN, UNREADABLE_FILE -> 500;
            };
            case kr.max.models.onnx.OnnxError o -> o == kr.max.models.onnx.OnnxError.NOT_TRAINABLE ? 400 : 422;
            case kr.max.library.stream.StreamError e -> switch (e) {
                case NOT_A_STREAM, ALREADY_EXISTS, DEPOSIT_INTO_STREAM -> 409;
                case SEQUENCE_BACKWARDS, BAD_SAMPLE, BAD_SOURCE, BAD_INTERVAL, BAD_EDGE_RULES -> 400;
                // the samples are well-formed; the dataset's edge rules keep them in the plant
                case EDGE_RULES_VIOLATED -> 422;
                // a compaction replaced chunks the query had listed: the same query again succeeds
                case EDGE_RULES_CONFLICT, COMPACTED -> 409;
                case DATASET_GONE -> 410;
                case CLOSED -> 500;
            };
            case kr.max.factory.alarms.AlarmError a -> switch (a) {
                case UNKNOWN_ALARM -> 404;
                case NOTHING_TO_ACKNOWLEDGE, ALREADY_ACKNOWLEDGED, NOT_ANNUNCIATED, ALREADY_SHELVED, NOT_SHELVED, NOT_SUPPRESSED,
                     ALREADY_SUPPRESSED -> 409;
                case BAD_SHELVE_DURATION, OPERATOR_REQUIRED, REASON_REQUIRED -> 400;
                default -> 500;
            };
            case kr.max.factory.FactoryError f -> switch (f) {
                case UNKNOWN_TAG, UNKNOWN_EQUIPMENT -> 404;
                case BAD_FAULT_ARGUMENT, BAD_SETTING, BAD_SPEED -> 400;
                // the twin or the equipment refuses what was asked of it as it stands now
                case NOT_WRITABLE, SETPOINT_OUT_OF_LIMITS, VALUE_NOT_OF_TYPE, FAULT_NOT_APPLICABLE, SENSOR_FAULT_ON_SETPOINT,
                     NOT_SIMULATED, COMMAND_IN_THE_PAST -> 422;
                case COMMUNICATION_LOST, TWIN_NOT_ANSWERING, CONNECT_FAILED, WRITE_REFUSED -> 503;
                default -> 500;
            };
            // Codes added to the library later are treated as failures until mapped here: better a hidden
            // message than a leaked one.
            // A model package's own codes (rul, monitoring, …) say that data do not fit a model type: the content is at
            // fault, and their messages name only parameters, roles and counts.
            default -> code.getClass().getPackageName().startsWith("kr.max.models.") ? 422 : 500;
        };
    }

    /** The client's language from {@code Accept-Language}: Korean or English, English by default. */
    static Locale locale(String acceptLanguage) {
        if (acceptLanguage == null || acceptLanguage.isBlank()) return Locale.ENGLISH;
        try {
            String tag = Locale.lookupTag(Locale.LanguageRange.parse(acceptLanguage), List.of("en", "ko"));
            return tag == null ? Locale.ENGLISH : Messages.forLanguage(tag);
        } catch (IllegalArgumentException e) {
            return Locale.ENGLISH;
        }
    }

    static Locale locale(Context ctx) {
        return locale(ctx.header("Accept-Language"));
    }

    /** An error answer: the HTTP status and the body. */
    record Answer(int status, ErrorBody body) {
    }

    /**
     * The answer to a {@link MaxException}. A 5xx becomes {@link ServerError#INTERNAL} with an incident
     * number; the log gets the number, the code and the route, never the message or its arguments.
     */
    static Answer answer(MaxException e, Locale locale, String route) {
        int status = status(e.code());
        if (status >= 500 && e.code() != ServerError.INTERNAL) {
            String incident = incident();
            LOG.error("incident {}: {} on {}", incident, e.code().code(), route);
            e = new MaxException(ServerError.INTERNAL, Location.NOWHERE, incident);
            status = ServerError.INTERNAL.status();
        }
        return new Answer(status, new ErrorBody(e.code().code(), e.message(locale),
                e.location().isKnown() ? e.location().toString() : null));
    }

    /** The answer to an unexpected exception: only its class goes to the log, its message may hold values. */
    static MaxException internal(Throwable t, String route) {
        String incident = incident();
        LOG.error("incident {}: {} on {}", incident, t.getClass().getName(), route);
        return new MaxException(ServerError.INTERNAL, Location.NOWHERE, incident);
    }

    /** Writes the error unless the response is already on its way, in which case the connection is cut. */
    static void respond(Context ctx, MaxException e) {
        String route = Metrics.route(ctx);
        if (ctx.res().isCommitted()) {
            LOG.warn("response to {} aborted after it had started: {}", route, e.code().code());
            abort(ctx);
            return;
        }
        Locale locale = locale(ctx);
        Answer answer = answer(e, locale, route);
        // Whatever a streaming handler wrote into the buffer, and its headers, must not precede the error.
        ctx.res().reset();
        ctx.status(answer.status());
        ctx.header("Content-Language", locale.getLanguage());
        if (e.code() == ServerError.UNAUTHENTICATED) ctx.header("WWW-Authenticate", "Bearer realm=\"max\"");
        ctx.contentType(JSON).result(ctx.jsonMapper().toJsonString(answer.body(), ErrorBody.class));
    }

    /** Registers the exception handlers that turn everything a route can throw into {@link #respond}. */
    static void register(RoutesConfig routes, long maxJsonBodyBytes) {
        routes.exception(MaxException.class, (e, ctx) -> respond(ctx, e));
        routes.exception(HttpResponseException.class, (e, ctx) -> respond(ctx, switch (e.getStatus()) {
            case 401 -> new MaxException(ServerError.UNAUTHENTICATED, Location.NOWHERE);
            case 404, 405 -> new MaxException(ServerError.UNKNOWN_ROUTE, Location.NOWHERE);
            // Javalin's own limit on bodies read whole (JSON bodies); uploads are streamed and limited elsewhere.
            case 413 -> new MaxException(ServerError.PAYLOAD_TOO_LARGE, Location.NOWHERE, maxJsonBodyBytes);
            default -> e.getStatus() >= 500 ? internal(e, Metrics.route(ctx))
                    : new MaxException(ServerError.MALFORMED_REQUEST, Location.NOWHERE, e.getStatus());
        }));
        routes.exception(JacksonException.class, (e, ctx) -> {
            if (e instanceof JacksonIOException) {
                // Writing a streamed result to a client that left, not a malformed body.
                unexpected(e, ctx);
                return;
            }
            var where = e.getLocation();
            Location location = where == null || where.getLineNr() <= 0 ? Location.file("body")
                    : Location.cell("body", where.getLineNr(), Math.max(0, where.getColumnNr()), null);
            respond(ctx, new MaxException(ServerError.MALFORMED_JSON, location));
        });
        routes.exception(Exception.class, Errors::unexpected);
    }

    private static void unexpected(Exception e, Context ctx) {
        if (ctx.res().isCommitted() && clientGone(e)) {
            LOG.debug("client of {} went away during the response", Metrics.route(ctx));
            abort(ctx);
            return;
        }
        respond(ctx, internal(e, Metrics.route(ctx)));
    }

    /** An I/O failure towards the client (it closed the connection), somewhere in the cause chain. */
    private static boolean clientGone(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof IOException) return true;
        }
        return false;
    }

    /**
     * A failure after the status and the first bytes were sent: the client must not take a cut-off
     * stream for a whole one, so the connection is aborted (no final chunk).
     */
    static void abort(Context ctx) {
        ServletContextRequest.getServletContextRequest(ctx.req()).getServletChannel()
                .abort(new IOException("response aborted after commit"));
    }

    private static String incident() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
