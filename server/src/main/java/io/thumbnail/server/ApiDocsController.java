package io.thumbnail.server;

import io.javalin.http.Context;
import io.thumbnail.server.internal.http.JarAssets;
import io.thumbnail.server.internal.security.SecurityHeaders;

import java.util.Map;

/**
 * {@code /openapi.json} (the hand-written OpenAPI 3.1 document), {@code /docs} (a page that renders it) and the
 * page's two assets, all read from the jar once.
 */
final class ApiDocsController {
    static final String OPENAPI_RESOURCE = "/openapi.json";
    private static final String DOCS_PAGE = "/docs/index.html";

    private final byte[] openApi = JarAssets.read(OPENAPI_RESOURCE);
    private final byte[] docsPage = JarAssets.read(DOCS_PAGE);
    private final JarAssets assets = new JarAssets("docs asset", "/docs/assets",
            Map.of("docs.css", JarAssets.CSS, "docs.js", JarAssets.JS));

    void openApi(Context ctx) {
        ctx.contentType("application/json").result(openApi);
    }

    void docs(Context ctx) {
        ctx.contentType("text/html; charset=utf-8")
                .header("Content-Security-Policy", SecurityHeaders.PAGE_CSP)
                .result(docsPage);
    }

    void asset(Context ctx) {
        assets.serve(ctx, Map.of());
    }
}
