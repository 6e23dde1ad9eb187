package io.thumbnail.server;

import io.javalin.http.Context;
import io.thumbnail.server.internal.http.JarAssets;
import io.thumbnail.server.internal.security.SecurityHeaders;

import java.util.Map;

/**
 * {@code /}: the upload page for people rather than scripts. Its script and styles are served under
 * {@value #ASSETS_PATH} with the same security headers, read from the jar once. The page itself only talks to the
 * API.
 */
final class WebPageController {
    static final String ASSETS_PATH = "/assets";
    private static final String ASSETS_RESOURCE_DIR = "/public";
    private static final String PAGE = ASSETS_RESOURCE_DIR + "/index.html";

    /**
     * Sent with the page and its assets, besides the nosniff every response has; no-cache so a new jar's page is
     * picked up at once (they are small).
     */
    static final Map<String, String> HEADERS = Map.of(
            "Cache-Control", "no-cache",
            "Content-Security-Policy", SecurityHeaders.PAGE_CSP,
            "Referrer-Policy", "no-referrer",
            "X-Frame-Options", "DENY");

    private final byte[] page = JarAssets.read(PAGE);
    private final JarAssets assets = new JarAssets("page asset", ASSETS_RESOURCE_DIR, Map.of(
            "app.css", JarAssets.CSS,
            "app.js", JarAssets.JS,
            "api.js", JarAssets.JS,
            "checks.js", JarAssets.JS,
            "dom.js", JarAssets.JS,
            "gallery.js", JarAssets.JS,
            "items.js", JarAssets.JS));

    void page(Context ctx) {
        HEADERS.forEach(ctx::header);
        ctx.contentType("text/html; charset=utf-8").result(page);
    }

    void asset(Context ctx) {
        assets.serve(ctx, HEADERS);
    }
}
