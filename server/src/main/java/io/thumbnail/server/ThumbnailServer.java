package io.thumbnail.server;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.javalin.Javalin;
import io.javalin.config.JettyConfig;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.javalin.router.Endpoint;
import io.thumbnail.ThumbnailService;
import io.thumbnail.server.internal.AccessGuard;
import io.thumbnail.server.internal.ConnectionGuard;
import io.thumbnail.server.internal.ErrorResponses;
import io.thumbnail.server.internal.JettyErrorHandler;
import io.thumbnail.server.internal.Paths;
import io.thumbnail.server.internal.RateLimiter;
import io.thumbnail.server.internal.SecurityHeaders;
import io.thumbnail.server.internal.ServerMetrics;
import io.thumbnail.server.internal.UploadReader;
import io.thumbnail.server.internal.UrlRequestReader;
import io.thumbnail.server.internal.WaitLimit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * The HTTP face of a {@link ThumbnailService}: builds the Javalin app with every route and the one error mapper.
 * It holds no image or job logic; it owns its metrics but not the service, which the caller closes.
 *
 * <pre>{@code
 * ThumbnailServer server = new ThumbnailServer(service, config).start(0);   // port 0: any free port
 * ... http://127.0.0.1:server.port()/api/v1/thumbnails ...
 * server.stop();
 * }</pre>
 */
public final class ThumbnailServer {
    private static final Logger log = LoggerFactory.getLogger(ThumbnailServer.class);
    private static final Logger accessLog = LoggerFactory.getLogger("access");

    private final ServerConfig config;
    private final ServerMetrics metrics;
    private final List<String> routes = new CopyOnWriteArrayList<>();
    private final Javalin app;

    public ThumbnailServer(ThumbnailService service, ServerConfig config) {
        this(service, config, System::nanoTime);
    }

    /** @param nanoTime the time source of the rate limiter */
    ThumbnailServer(ThumbnailService service, ServerConfig config, LongSupplier nanoTime) {
        this.config = config;
        SecurityConfig security = config.security();
        AccessGuard guard = new AccessGuard(security.apiKeys(), security.metricsKeySha256(),
                security.rateLimit() > 0 ? new RateLimiter(security.rateLimit(), security.rateBurst(), nanoTime) : null);
        this.metrics = new ServerMetrics(service);
        WaitLimit waits = new WaitLimit(security.maxWaiting());
        ThumbnailController thumbnails = new ThumbnailController(service, new UploadReader(config.maxUploadBytes()),
                new UrlRequestReader(config.maxUrlsPerRequest()), config.maxOutputSide(), waits);
        BatchController batches = new BatchController(service, waits);
        HealthController health = new HealthController(service, config.minFreeBytes(), config.queueCapacity());
        MetricsController metricsController = new MetricsController(metrics);
        ApiDocsController docs = new ApiDocsController();
        WebPageController webPage = new WebPageController();
        ErrorResponses errors = new ErrorResponses(config.maxUploadBytes(), config.security().maxParts());
        ObjectMapper json = JsonMapper.builder()
                .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
                .build();

        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.jsonMapper(new JavalinJackson(json, false));
            cfg.http.prefer405over404 = true;
            // Both limits are enforced by Jetty while the body streams in.
            cfg.http.maxRequestSize = config.maxUploadBytes();
            cfg.jetty.multipartConfig.maxFileSize(config.maxUploadBytes(), SizeUnit.BYTES);
            cfg.jetty.multipartConfig.maxTotalRequestSize(config.maxUploadBytes(), SizeUnit.BYTES);
            cfg.staticFiles.add(files -> {
                files.hostedPath = "/docs/assets";
                files.directory = "/docs/assets";
                files.location = Location.CLASSPATH;
            });
            cfg.staticFiles.add(files -> {
                files.hostedPath = WebPageController.ASSETS_PATH;
                files.directory = WebPageController.ASSETS_RESOURCE_DIR;
                files.location = Location.CLASSPATH;
                files.headers = WebPageController.HEADERS;
            });
            limitConnections(cfg.jetty, security);
            cfg.requestLogger.http(this::logRequest);
            cfg.events.handlerAdded(route -> {
                if (route.getHttpMethod().isHttpMethod()) {
                    routes.add(route.getHttpMethod() + " " + route.getPath());
                }
            });

            cfg.routes.before("/api/*", guard::api);
            cfg.routes.before("/metrics", guard::metrics);
            cfg.routes.post(Paths.THUMBNAILS, thumbnails::create);
            cfg.routes.get(Paths.THUMBNAILS, thumbnails::list);
            cfg.routes.get(Paths.THUMBNAILS + "/{id}", thumbnails::get);
            cfg.routes.delete(Paths.THUMBNAILS + "/{id}", thumbnails::delete);
            cfg.routes.get(Paths.THUMBNAILS + "/{id}/file", thumbnails::file);
            cfg.routes.get(Paths.BATCHES + "/{id}", batches::get);
            cfg.routes.get(Paths.BATCHES + "/{id}/events", batches::events);
            cfg.routes.get("/health", health::health);
            cfg.routes.get("/metrics", metricsController::scrape);
            cfg.routes.get("/openapi.json", docs::openApi);
            cfg.routes.get("/docs", docs::docs);
            cfg.routes.get("/", webPage::page);
            cfg.routes.exception(Exception.class, errors::handle);
            cfg.routes.error(404, errors::handleStatus);
            cfg.routes.error(405, errors::handleStatus);
        });
    }

    /** Starts on the configured host and port. */
    public ThumbnailServer start() {
        return start(config.host(), config.port());
    }

    /** Starts on all interfaces; port 0 picks a free port, see {@link #port()}. */
    public ThumbnailServer start(int port) {
        return start(config.host(), port);
    }

    public ThumbnailServer start(String host, int port) {
        app.start(host, port);
        String shown = host.equals("0.0.0.0") ? "localhost" : host;
        if (config.security().apiKeys().isEmpty()) {
            log.warn(accessSummary(config.security()));
        } else {
            log.info(accessSummary(config.security()));
        }
        log.info("thumbnail server listening on http://{}:{}/ (upload page at /, API docs at /docs)",
                shown, app.port());
        return this;
    }

    /** The startup line saying whether the API needs keys. */
    static String accessSummary(SecurityConfig security) {
        return security.apiKeys().isEmpty()
                ? "running open: no API keys configured; anyone who can reach the port can use the API"
                : "API keys: " + security.apiKeys().size() + " configured";
    }

    /** The port it listens on (the real one after {@code start(0)}). */
    public int port() {
        return app.port();
    }

    /** Every route as {@code "METHOD /path"}, as registered with Javalin. */
    public List<String> routes() {
        return List.copyOf(routes);
    }

    /** Stops accepting requests, finishes the ones in flight, releases the metrics. */
    public void stop() {
        app.stop();
        metrics.close();
    }

    /** The limits Jetty enforces before a handler runs, and the headers every response carries. */
    @SuppressWarnings("removal") // setMinRequestDataRate: still Jetty 12.1's only guard against a trickling body
    private static void limitConnections(JettyConfig jetty, SecurityConfig security) {
        jetty.modifyServer(server -> {
            server.setErrorHandler(new JettyErrorHandler());
            server.addBean(new ConnectionGuard(server, security.idleTimeout(), security.headerTimeout()));
        });
        jetty.modifyHttpConfiguration(http -> {
            http.setRequestHeaderSize(security.maxHeaderBytes());
            http.setMinRequestDataRate(security.minUploadRate());
            http.setSendServerVersion(false);
            http.addCustomizer(new SecurityHeaders());
        });
        // Jetty counts multipart parts against the context's form-key limit.
        jetty.modifyServletContextHandler(context -> context.setMaxFormKeys(security.maxParts()));
    }

    private void logRequest(Context ctx, Float millis) {
        String route = route(ctx);
        accessLog.info("{} {} {} {}ms", ctx.method(), ctx.path(), ctx.statusCode(), Math.round(millis));
        metrics.recordRequest(ctx.method().name(), route, ctx.statusCode(), millis);
    }

    /** The endpoint path that matched ({@code /api/v1/thumbnails/{id}}), so metrics do not grow with every id. */
    private static String route(Context ctx) {
        Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
        return endpoint == null ? "unmatched" : endpoint.path;
    }
}
