package io.thumbnail.server;

import io.javalin.http.Context;
import io.thumbnail.ErrorCode;
import io.thumbnail.ThumbnailException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * {@code /}: the upload page for people rather than scripts. Its script and styles are served under
 * {@value #ASSETS_PATH} with the same security headers, read from the jar once: a static files handler would mount
 * the whole jar as a file system at startup. The page itself only talks to the API.
 */
final class WebPageController {
    static final String ASSETS_PATH = "/assets";
    private static final String ASSETS_RESOURCE_DIR = "/public";
    private static final String PAGE = ASSETS_RESOURCE_DIR + "/index.html";

    /**
     * Everything from this origin, nothing inline (all script is in app.js), thumbnails shown as blob: URLs because
     * they are fetched with the API key header, and no framing.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self';"
            + " img-src 'self' blob: data:; connect-src 'self'; object-src 'none'; base-uri 'none';"
            + " form-action 'self'; frame-ancestors 'none'";

    /** Sent with the page and its assets; no-cache so a new jar's page is picked up at once (they are small). */
    static final Map<String, String> HEADERS = Map.of(
            "Cache-Control", "no-cache",
            "Content-Security-Policy", CONTENT_SECURITY_POLICY,
            "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "no-referrer",
            "X-Frame-Options", "DENY");

    private record Asset(String contentType, byte[] bytes) {
    }

    private static final String JS = "text/javascript; charset=utf-8";

    private final byte[] page = resource(PAGE);
    private final Map<String, Asset> assets = Map.of(
            "app.css", asset("app.css", "text/css; charset=utf-8"),
            "app.js", asset("app.js", JS),
            "api.js", asset("api.js", JS),
            "dom.js", asset("dom.js", JS),
            "gallery.js", asset("gallery.js", JS),
            "items.js", asset("items.js", JS));

    void page(Context ctx) {
        HEADERS.forEach(ctx::header);
        ctx.contentType("text/html; charset=utf-8").result(page);
    }

    void asset(Context ctx) {
        String name = ctx.pathParam("name");
        Asset asset = assets.get(name);
        if (asset == null) {
            throw new ThumbnailException(ErrorCode.NOT_FOUND, "no page asset named '" + name + "'");
        }
        HEADERS.forEach(ctx::header);
        ctx.contentType(asset.contentType()).result(asset.bytes());
    }

    private static Asset asset(String name, String contentType) {
        return new Asset(contentType, resource(ASSETS_RESOURCE_DIR + "/" + name));
    }

    private static byte[] resource(String name) {
        try (InputStream in = WebPageController.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
