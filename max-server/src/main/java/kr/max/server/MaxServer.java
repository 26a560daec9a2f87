package kr.max.server;

import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson3;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.core.Principal;
import kr.max.library.store.Scratch;
import org.eclipse.jetty.server.handler.StatisticsHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The data library over HTTP, and the composition root of the server: it wires the {@link
 * ServerOptions}' library and authenticator into Javalin by hand. Start it with {@link
 * #start(ServerOptions)}; {@link #close()} stops it and frees its scratch space but leaves the library
 * open, as the caller opened it.
 *
 * <p>Routes (see {@code /openapi.yaml}): {@code /health}, {@code /metrics} and {@code /openapi.yaml}
 * without authentication; everything under {@code /v1} with {@code Authorization: Bearer <token>}.
 * Every error is answered as {@code {"code","message","location"}} with the message in the language of
 * {@code Accept-Language} (Korean or English).
 */
public final class MaxServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MaxServer.class);

    /** JSON request bodies (query, describe) are read whole; this bounds them. Uploads are streamed. */
    static final long MAX_JSON_BODY_BYTES = 1_000_000;

    private final Javalin app;
    private final Scratch scratch;
    private final StreamAppenders appenders;
    private final URI url;

    private MaxServer(Javalin app, Scratch scratch, StreamAppenders appenders, URI url) {
        this.app = app;
        this.scratch = scratch;
        this.appenders = appenders;
        this.url = url;
    }

    /** Starts a server; returns once it listens. */
    public static MaxServer start(ServerOptions options) {
        Objects.requireNonNull(options, "options");
        Scratch scratch = Scratch.open(options.scratchBase());
        StreamAppenders appenders = StreamAppenders.standard(options.library());
        try {
            JsonMapper json = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
            var api = new Api(options.library(), json);
            var transfers = new Transfers(options.library(), scratch, json, options.maxUploadBytes());
            var governance = new Governance(options.library(), json);
            var agreements = new AgreementRoutes(options.library(), json);
            var protection = new ProtectionRoutes(options.library());
            var models = new ModelRoutes(options.library(), scratch, options.maxUploadBytes());
            // Jetty's own count of requests in progress, found once the server is built.
            var statistics = new AtomicReference<StatisticsHandler>();
            var metrics = new Metrics(() -> statistics.get() == null ? 0 : statistics.get().getRequestsActive());
            var factory = new FactoryRoutes(options.library(), options::factory, appenders);
            Javalin app = Javalin.create(cfg -> configure(cfg, options, json, metrics, api, transfers, governance, agreements, protection,
                    models, factory));
            try {
                app.start();
            } catch (RuntimeException e) {
                stopQuietly(app);
                if (!causedBy(e, java.net.BindException.class)) throw e;
                throw new MaxException(ServerError.CANNOT_LISTEN, Location.NOWHERE, e, options.host(), options.port());
            }
            statistics.set(app.jettyServer().server().getDescendant(StatisticsHandler.class));
            var server = new MaxServer(app, scratch, appenders, URI.create("http://" + hostForUrl(options.host()) + ":" + app.port()));
            LOG.info("M.AX server listening on {}", server.url);
            return server;
        } catch (RuntimeException e) {
            appenders.close();
            scratch.close();
            throw e;
        }
    }

    private static void configure(JavalinConfig cfg, ServerOptions options, JsonMapper json, Metrics metrics, Api api,
                                  Transfers transfers, Governance governance, AgreementRoutes agreements,
                                  ProtectionRoutes protection, ModelRoutes models, FactoryRoutes factory) {
        cfg.startup.showJavalinBanner = false;
        cfg.startup.showOldJavalinVersionWarning = false;
        cfg.startup.startupWatcherEnabled = false;
        cfg.concurrency.useVirtualThreads = true;
        cfg.jsonMapper(new JavalinJackson3(json, true));
        // Streams are written as they are produced; a compressor in between would hold back the first bytes
        // and keep an error from replacing a response not yet sent. A reverse proxy may compress.
        cfg.http.compressionStrategy = CompressionStrategy.NONE;
        cfg.http.maxRequestSize = MAX_JSON_BODY_BYTES;
        cfg.jetty.host = options.host();
        cfg.jetty.port = options.port();
        cfg.jetty.modifyHttpConfiguration(http -> {
            http.setRequestHeaderSize(options.maxRequestHeaderBytes());
            http.setSendServerVersion(false);
            http.setSendXPoweredBy(false);
        });
        var errors = new JsonErrorHandler(json, options.maxRequestHeaderBytes());
        cfg.jetty.modifyServer(server -> server.setErrorHandler(errors));
        cfg.jetty.modifyServletContextHandler(context -> context.setErrorHandler(errors));
        cfg.requestLogger.http(metrics::record);

        Authenticator authenticator = options.authenticator();
        var routes = cfg.routes;
        // After matching, so that a refusal is counted under its route; unknown paths get 404 without a
        // token, which tells nothing /openapi.yaml does not.
        routes.beforeMatched("/v1/*", ctx -> authenticate(ctx, authenticator));
        routes.get("/health", ctx -> ctx.contentType(Errors.JSON).result("{\"status\":\"UP\"}"));
        routes.get("/metrics", ctx -> ctx.contentType(Metrics.CONTENT_TYPE).result(metrics.scrape()));
        routes.get("/openapi.yaml", MaxServer::openApi);
        routes.get("/v1/datasets", api::datasets);
        routes.get("/v1/datasets/<name>", api::show);
        routes.patch("/v1/datasets/<name>", api::describe);
        routes.delete("/v1/datasets/<name>", api::delete);
        routes.get("/v1/dictionary/<name>", api::dictionary);
        routes.post("/v1/ingest/<name>", transfers::ingest);
        routes.post("/v1/query", transfers::query);
        routes.get("/v1/export/<name>", transfers::export);
        routes.get("/v1/audit", api::audit);
        routes.get("/v1/audit/verify", api::verify);
        routes.get("/v1/organizations", governance::organizations);
        routes.post("/v1/organizations", governance::createOrganization);
        routes.get("/v1/users", governance::users);
        routes.post("/v1/users", governance::createUser);
        routes.get("/v1/tokens", governance::tokens);
        routes.post("/v1/tokens", governance::issueToken);
        routes.delete("/v1/tokens/{id}", governance::revokeToken);
        routes.get("/v1/outputs", governance::outputs);
        routes.post("/v1/outputs/{id}/release", governance::release);
        routes.post("/v1/outputs/{id}/reject", governance::reject);
        routes.get("/v1/outputs/{id}/result", governance::result);
        routes.post("/v1/requests", agreements::file);
        routes.get("/v1/requests", agreements::list);
        routes.get("/v1/requests/{id}", agreements::one);
        routes.post("/v1/requests/{id}/approve", agreements::approve);
        routes.post("/v1/requests/{id}/narrow", agreements::narrow);
        routes.post("/v1/requests/{id}/refuse", agreements::refuse);
        routes.post("/v1/requests/{id}/withdraw", agreements::withdraw);
        routes.post("/v1/requests/{id}/revoke", agreements::revoke);
        routes.get("/v1/usage/<name>", agreements::usage);
        routes.get("/v1/citation/<name>", agreements::citation);
        routes.get("/v1/controls/<name>", protection::controls);
        routes.put("/v1/controls/<name>", protection::protect);
        routes.post("/v1/deid/<name>", protection::deid);
        routes.post("/v1/trace", transfers::trace);
        routes.get("/v1/releases/<name>", protection::releases);
        routes.get("/v1/exports/<name>", protection::exports);
        routes.get("/v1/models", models::list);
        routes.post("/v1/models/train", models::train);
        routes.get("/v1/models/{model}", models::show);
        routes.post("/v1/models/{model}/evaluate", models::evaluate);
        routes.post("/v1/models/{model}/predict", models::predict);
        routes.post("/v1/models/{model}/score", models::score);
        routes.get("/v1/models/{model}/export", models::export);
        routes.post("/v1/models/{model}/import", models::importOnnx);
        new TwinRoutes(options::twin).register(routes);
        factory.register(routes);
        Errors.register(routes, MAX_JSON_BODY_BYTES);
    }

    private static void authenticate(Context ctx, Authenticator authenticator) {
        String token = Requests.bearerToken(ctx.header("Authorization"));
        Principal who = token == null ? null : authenticator.authenticate(token).orElse(null);
        if (who == null) throw new MaxException(ServerError.UNAUTHENTICATED, Location.NOWHERE);
        ctx.attribute(Requests.PRINCIPAL, who);
    }

    private static void openApi(Context ctx) {
        InputStream spec = MaxServer.class.getResourceAsStream("/openapi.yaml");
        if (spec == null) throw new IllegalStateException("openapi.yaml missing from the jar");
        ctx.contentType("application/yaml; charset=utf-8").result(spec);
    }

    private static void stopQuietly(Javalin app) {
        try {
            app.stop();
        } catch (RuntimeException ignored) {
            // it never ran; whatever it started is stopped as far as it can be
        }
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> kind) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (kind.isInstance(c)) return true;
        }
        return false;
    }

    private static String hostForUrl(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** The port the server listens on (the one chosen when the options said 0). */
    public int port() {
        return app.port();
    }

    /** The base URL, such as {@code http://127.0.0.1:8080}. */
    public URI url() {
        return url;
    }

    /** The server's scratch directory; for tests that check nothing is left behind. */
    java.nio.file.Path scratchDir() {
        return scratch.dir();
    }

    /** Method and path template of every route, as Javalin holds them; for the contract test. */
    List<String> routes() {
        return app.unsafe.internalRouter.allHttpHandlers().stream()
                .filter(p -> p.endpoint.method.isHttpMethod())
                .map(p -> p.endpoint.method.name() + " " + p.endpoint.path)
                .toList();
    }

    /**
     * Stops accepting requests, lets running ones end, closes the edges' stream appenders (committing what they hold),
     * frees the scratch space. The library stays open.
     */
    @Override
    public void close() {
        try {
            app.stop();
        } finally {
            try {
                appenders.close();
            } finally {
                scratch.close();
            }
        }
    }

    /** The edges' stream appenders the server keeps open; for tests. */
    StreamAppenders streamAppenders() {
        return appenders;
    }
}
