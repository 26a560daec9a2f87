package kr.max.server;

import io.javalin.http.Context;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import kr.max.core.CoreError;
import kr.max.core.DatasetName;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.core.Principal;

/** Reading what a request says: the acting principal, the dataset name, query parameters. */
final class Requests {

    /** Request attribute holding the {@link Principal} the {@link Authenticator} found. */
    static final String PRINCIPAL = "kr.max.server.principal";

    /** RFC 6750 {@code b64token}. */
    private static final Pattern TOKEN68 = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");

    /** Characters kept in an uploaded file's name; others become {@code _}. */
    private static final Pattern UNSAFE_NAME_CHARS = Pattern.compile("[^\\p{L}\\p{N}._()\\- ]");

    private Requests() {
    }

    /** What a parameter should hold; the ordinal chooses the wording of {@link ServerError#INVALID_PARAMETER}. */
    enum Expected { INTEGER, BOOLEAN, TIME_ZONE, TEXT }

    static MaxException invalid(String param, Expected expected, int min, int max) {
        return new MaxException(ServerError.INVALID_PARAMETER, Location.NOWHERE, param, expected.ordinal(), min, max);
    }

    /** The token of {@code Authorization: Bearer <token>}, or {@code null} when absent or malformed. */
    static String bearerToken(String authorization) {
        if (authorization == null) return null;
        int sp = authorization.indexOf(' ');
        if (sp <= 0 || !authorization.substring(0, sp).equalsIgnoreCase("Bearer")) return null;
        String token = authorization.substring(sp + 1).strip();
        return TOKEN68.matcher(token).matches() ? token : null;
    }

    /** The principal the authentication filter put on the request. */
    static Principal principal(Context ctx) {
        Principal p = ctx.attribute(PRINCIPAL);
        if (p == null) throw new MaxException(ServerError.UNAUTHENTICATED, Location.NOWHERE);
        return p;
    }

    /**
     * The {@code <name>} path parameter, checked against the naming rule so that nothing but a valid
     * dataset name (no {@code ..}, no {@code @}, no quotes) is ever passed on.
     */
    static String dataset(Context ctx) {
        String name = ctx.pathParam("name");
        if (!DatasetName.isValid(name)) throw new MaxException(CoreError.INVALID_NAME, Location.NOWHERE, name);
        return name;
    }

    /** An optional dataset name in a query parameter. */
    static String optionalDataset(Context ctx, String param) {
        String name = ctx.queryParam(param);
        if (name == null || name.isEmpty()) return null;
        if (!DatasetName.isValid(name)) throw new MaxException(CoreError.INVALID_NAME, Location.NOWHERE, name);
        return name;
    }

    /** One of {@code allowed} (case-insensitive), {@code fallback} when absent. */
    static String format(String given, List<String> allowed, String fallback) {
        if (given == null || given.isBlank()) return fallback;
        String word = given.strip().toLowerCase(Locale.ROOT);
        if (!allowed.contains(word)) {
            throw new MaxException(ServerError.UNSUPPORTED_FORMAT, Location.NOWHERE, given, String.join(", ", allowed));
        }
        return word;
    }

    static int integer(Context ctx, String param, int fallback, int min, int max) {
        String v = ctx.queryParam(param);
        if (v == null || v.isBlank()) return fallback;
        try {
            int n = Integer.parseInt(v.strip());
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw invalid(param, Expected.INTEGER, min, max);
    }

    static Integer optionalInteger(Context ctx, String param, int min, int max) {
        String v = ctx.queryParam(param);
        return v == null || v.isBlank() ? null : integer(ctx, param, min, min, max);
    }

    static boolean bool(Context ctx, String param, boolean fallback) {
        String v = ctx.queryParam(param);
        if (v == null || v.isBlank()) return fallback;
        return switch (v.strip().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw invalid(param, Expected.BOOLEAN, 0, 0);
        };
    }

    static String timeZone(Context ctx, String param) {
        String v = ctx.queryParam(param);
        if (v == null || v.isBlank()) return null;
        try {
            return ZoneId.of(v.strip()).getId();
        } catch (DateTimeException e) {
            throw invalid(param, Expected.TIME_ZONE, 0, 0);
        }
    }

    /**
     * A file name for an upload: the last path element of what the client said, unusual characters
     * replaced, at most 100 characters. It names the version's source and appears in error locations;
     * it never chooses where the file goes.
     */
    static String fileName(String given) {
        if (given == null || given.isBlank()) return "upload";
        String name = given.strip();
        name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        name = UNSAFE_NAME_CHARS.matcher(name).replaceAll("_");
        if (name.length() > 100) name = name.substring(name.length() - 100);
        if (name.isBlank() || name.startsWith(".")) name = "upload" + name;
        return name;
    }
}
