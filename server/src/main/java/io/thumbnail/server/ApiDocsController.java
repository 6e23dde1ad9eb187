package io.thumbnail.server;

import io.javalin.http.Context;
import io.thumbnail.server.internal.SecurityHeaders;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** {@code /openapi.json} (the hand-written OpenAPI 3.1 document) and {@code /docs} (a page that renders it). */
final class ApiDocsController {
    static final String OPENAPI_RESOURCE = "/openapi.json";
    private static final String DOCS_PAGE = "/docs/index.html";

    private final byte[] openApi = resource(OPENAPI_RESOURCE);
    private final byte[] docsPage = resource(DOCS_PAGE);

    void openApi(Context ctx) {
        ctx.contentType("application/json").result(openApi);
    }

    void docs(Context ctx) {
        ctx.contentType("text/html; charset=utf-8")
                .header("Content-Security-Policy", SecurityHeaders.PAGE_CSP)
                .result(docsPage);
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
