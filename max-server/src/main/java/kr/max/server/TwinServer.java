package kr.max.server;

import io.javalin.Javalin;
import io.javalin.json.JavalinJackson3;
import java.net.URI;
import java.util.Objects;
import java.util.Set;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.core.Principal;
import kr.max.core.Role;
import kr.max.factory.station.TwinStation;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The twin's own small HTTP control when it runs without a library ({@code max twin start}): the routes of
 * {@link TwinRoutes} behind one operator token, on loopback unless told otherwise. Started beside a library, the
 * same routes are part of {@link MaxServer}.
 */
public final class TwinServer implements AutoCloseable {

    private final Javalin app;
    private final URI url;

    private TwinServer(Javalin app, URI url) {
        this.app = app;
        this.url = url;
    }

    /**
     * Serves {@code station} on {@code host:port} (0: any free port) to requests bearing {@code token}.
     *
     * @throws MaxException {@code MAX-SERVER-010} a short token, {@code 011} the port cannot be listened on
     */
    public static TwinServer start(TwinStation station, String host, int port, String token) {
        Objects.requireNonNull(station, "station");
        var operator = new Principal("local:twin-operator", "local", "KR", Set.of(Role.OPERATOR));
        Authenticator authenticator = new SingleTokenAuthenticator(token, operator);
        JsonMapper json = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
        Javalin app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.startup.startupWatcherEnabled = false;
            cfg.concurrency.useVirtualThreads = true;
            cfg.jsonMapper(new JavalinJackson3(json, true));
            cfg.http.maxRequestSize = MaxServer.MAX_JSON_BODY_BYTES;
            cfg.jetty.host = host;
            cfg.jetty.port = port;
            cfg.routes.beforeMatched("/v1/*", ctx -> {
                String presented = Requests.bearerToken(ctx.header("Authorization"));
                Principal who = presented == null ? null : authenticator.authenticate(presented).orElse(null);
                if (who == null) throw new MaxException(ServerError.UNAUTHENTICATED, Location.NOWHERE);
                ctx.attribute(Requests.PRINCIPAL, who);
            });
            cfg.routes.get("/health", ctx -> ctx.contentType(Errors.JSON).result("{\"status\":\"UP\"}"));
            new TwinRoutes(() -> station).register(cfg.routes);
            Errors.register(cfg.routes, MaxServer.MAX_JSON_BODY_BYTES);
        });
        try {
            app.start();
        } catch (RuntimeException e) {
            try {
                app.stop();
            } catch (RuntimeException ignored) {
                // it never ran
            }
            throw new MaxException(ServerError.CANNOT_LISTEN, Location.NOWHERE, e, host, port);
        }
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return new TwinServer(app, URI.create("http://" + h + ":" + app.port()));
    }

    public URI url() {
        return url;
    }

    @Override
    public void close() {
        app.stop();
    }
}
