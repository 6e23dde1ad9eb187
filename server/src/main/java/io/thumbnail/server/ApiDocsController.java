package io.thumbnail.server;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.javalin.http.Context;
import io.thumbnail.server.internal.http.JarAssets;
import io.thumbnail.server.internal.security.SecurityHeaders;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code /openapi.json} (the hand-written OpenAPI 3.1 document), {@code /docs} (a page that renders it) and the
 * page's two assets, all read from the jar once.
 */
final class ApiDocsController {
    static final String OPENAPI_RESOURCE = "/openapi.json";
    private static final String DOCS_PAGE = "/docs/index.html";

    private final byte[] openApi = withVersion(JarAssets.read(OPENAPI_RESOURCE), ServerVersion.get());
    private final byte[] docsPage = JarAssets.read(DOCS_PAGE);
    private final JarAssets assets = new JarAssets("docs asset", "/docs/assets",
            Map.of("docs.css", JarAssets.CSS, "docs.js", JarAssets.JS));

    /** The document with {@code info.version} saying this server's version, as {@code /health} and {@code --version}. */
    static byte[] withVersion(byte[] document, String version) {
        String text = new String(document, StandardCharsets.UTF_8);
        String written = "\"version\": \"0.1.0\"";
        int at = text.indexOf(written);
        if (at < 0) {
            throw new IllegalStateException(OPENAPI_RESOURCE + " has no " + written + " to set the version in");
        }
        return (text.substring(0, at) + "\"version\": \"" + new String(JsonStringEncoder.getInstance().quoteAsString(version)) + "\""
                + text.substring(at + written.length())).getBytes(StandardCharsets.UTF_8);
    }

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
