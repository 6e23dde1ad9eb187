package io.thumbnail.server;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.thumbnail.server.internal.api.Paths;
import io.thumbnail.server.internal.http.ErrorResponses;
import io.thumbnail.server.internal.http.QueryString;
import io.thumbnail.server.internal.security.AccessGuard;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every route of the server: the checks before the endpoints, each endpoint (HEAD beside every GET, the event stream's
 * HEAD refused with 405), and the one error mapper. Endpoints reach the service through {@link ServerStartup}, so they
 * may be registered before it has opened.
 */
final class RouteTable {
    private static final String EVENTS = Paths.BATCHES + "/{id}/events";

    private final ServerStartup startup;
    private final AccessGuard guard;
    private final ErrorResponses errors;
    private final ApiDocsController docs = new ApiDocsController();
    private final WebPageController webPage = new WebPageController();
    private final List<String> operations = new CopyOnWriteArrayList<>();

    RouteTable(ServerStartup startup, AccessGuard guard, ErrorResponses errors) {
        this.startup = startup;
        this.guard = guard;
        this.errors = errors;
    }

    /** Registers every route with {@code cfg}, noting each operation as Javalin adds it. */
    void register(JavalinConfig cfg) {
        cfg.events.handlerAdded(route -> {
            // The event stream's HEAD only refuses (405): no operation to describe.
            if (route.getHttpMethod().isHttpMethod() && !(route.getHttpMethod() == HandlerType.HEAD
                    && route.getPath().equals(EVENTS))) {
                operations.add(route.getHttpMethod() + " " + route.getPath());
            }
        });

        cfg.routes.before(QueryString::check);
        cfg.routes.before("/api/*", guard::api);
        cfg.routes.before("/metrics", guard::metrics);
        cfg.routes.post(Paths.THUMBNAILS, ctx -> startup.wired().uploads().create(ctx));
        cfg.routes.delete(Paths.THUMBNAILS + "/{id}", ctx -> startup.wired().thumbnails().delete(ctx));
        cfg.routes.post(Paths.THUMBNAILS + "/{id}" + Paths.SIGNED_URL,
                ctx -> startup.wired().thumbnails().signedUrl(ctx));
        // Javalin would answer HEAD on any GET route with an empty 200 of its own, without running it (a missing
        // job, a failing /health): HEAD runs GET's handler, whose body Jetty leaves out.
        Map<String, Handler> reads = new LinkedHashMap<>();
        reads.put(Paths.THUMBNAILS, ctx -> startup.wired().thumbnails().list(ctx));
        reads.put(Paths.THUMBNAILS + "/{id}", ctx -> startup.wired().thumbnails().get(ctx));
        reads.put(Paths.THUMBNAILS + "/{id}/file", ctx -> startup.wired().thumbnails().file(ctx));
        reads.put(Paths.BATCHES + "/{id}", ctx -> startup.wired().batches().get(ctx));
        reads.put("/health", ctx -> startup.health().health(ctx));
        reads.put("/metrics", ctx -> startup.wired().metricsController().scrape(ctx));
        reads.put("/openapi.json", docs::openApi);
        reads.put("/docs", docs::docs);
        reads.put("/docs/assets/{name}", docs::asset);
        reads.put("/", webPage::page);
        reads.put(WebPageController.ASSETS_PATH + "/{name}", webPage::asset);
        reads.forEach((path, handler) -> {
            cfg.routes.get(path, handler);
            cfg.routes.head(path, handler);
        });
        // An event stream has no head to give without starting the stream.
        cfg.routes.get(EVENTS, ctx -> startup.wired().batches().events(ctx));
        cfg.routes.head(EVENTS, ctx -> {
            ctx.header("Allow", "GET");
            ctx.status(405);
        });
        cfg.routes.exception(Exception.class, errors::handle);
        cfg.routes.error(404, errors::handleStatus);
        cfg.routes.error(405, errors::handleStatus);
    }

    /**
     * Every operation as {@code "METHOD /path"}, as registered with Javalin, but the event stream's HEAD, which only
     * answers 405.
     */
    List<String> operations() {
        return List.copyOf(operations);
    }
}
