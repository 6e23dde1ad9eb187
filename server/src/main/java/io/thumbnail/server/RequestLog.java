package io.thumbnail.server;

import io.javalin.config.JavalinState;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.javalin.router.ParsedEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;

/**
 * Each request answered: one line in the access log, and counted in the metrics under the route it was for (through
 * {@link ServerStartup#answered}).
 */
final class RequestLog {
    private static final Logger accessLog = LoggerFactory.getLogger("access");

    private final ServerStartup startup;
    /** The app's state, whose router finds the endpoint a request refused before it ran was for. */
    private final JavalinState app;

    RequestLog(ServerStartup startup, JavalinState app) {
        this.startup = startup;
        this.app = app;
    }

    /** The methods HTTP defines (RFC 9110, and PATCH): any other a client sends is counted as "OTHER". */
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS",
            "TRACE", "PATCH");

    /** Logs and counts a request answered in {@code millis}. */
    void answered(Context ctx, Float millis) {
        String route = route(ctx);
        String method = ctx.method().name();
        int status = ctx.statusCode();
        accessLog.info("{} {} {} {}ms", method, ctx.path(), status, Math.round(millis));
        // A label per made-up method would let any client add series to the metrics without end.
        startup.answered(METHODS.contains(method) ? method : "OTHER", route, status, millis);
    }

    /**
     * The endpoint path the request was for ({@code /api/v1/thumbnails/{id}}), so metrics do not grow with every id. A
     * request refused before its endpoint ran (a missing key, a bad signature, a rate limit) is counted under the
     * endpoint that would have answered it, where an operator looks for it; a path no endpoint takes is "unmatched".
     */
    private String route(Context ctx) {
        Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
        if (endpoint != null) {
            return endpoint.path;
        }
        String path = ctx.path();
        String requestUri = path.startsWith(ctx.contextPath()) ? path.substring(ctx.contextPath().length()) : path;
        ParsedEndpoint target = app.internalRouter.findFirstHttpHandlerEntry(ctx.method(), requestUri);
        return target == null ? "unmatched" : target.endpoint.path;
    }
}
