package io.thumbnail.server;

import io.javalin.http.Context;
import io.thumbnail.ErrorCode;
import io.thumbnail.ThumbnailException;
import io.thumbnail.server.internal.SecurityHeaders;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * {@code /openapi.json} (the hand-written OpenAPI 3.1 document), {@code /docs} (a page that renders it) and the
 * page's two assets. All are read from the jar once; serving the assets from memory rather than through a static
 * files handler spares startup mounting the jar as a file system.
 */
final class ApiDocsController {
    static final String OPENAPI_RESOURCE = "/openapi.json";
    private static final String DOCS_PAGE = "/docs/index.html";

    private record Asset(String contentType, byte[] bytes) {
    }

    private final byte[] openApi = resource(OPENAPI_RESOURCE);
    private final byte[] docsPage = resource(DOCS_PAGE);
    private final Map<String, Asset> assets = Map.of(
            "docs.css", new Asset("text/css; charset=utf-8", resource("/docs/assets/docs.css")),
            "docs.js", new Asset("text/javascript; charset=utf-8", resource("/docs/assets/docs.js")));

    void openApi(Context ctx) {
        ctx.contentType("application/json").result(openApi);
    }

    void docs(Context ctx) {
        ctx.contentType("text/html; charset=utf-8")
                .header("Content-Security-Policy", SecurityHeaders.PAGE_CSP)
                .result(docsPage);
    }

    void asset(Context ctx) {
        String name = ctx.pathParam("name");
        Asset asset = assets.get(name);
        if (asset == null) {
            throw new ThumbnailException(ErrorCode.NOT_FOUND, "no docs asset named '" + name + "'");
        }
        ctx.contentType(asset.contentType()).result(asset.bytes());
    }

    private static byte[] resource(String name) {
        try (InputStream in = ApiDocsController.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
