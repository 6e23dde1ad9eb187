package io.thumbnail.server.internal.security;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;

/**
 * Headers every response carries. Added as a Jetty customizer, so they are on a response before any handler runs:
 * JSON, images, static files, 404s and errors alike. Jetty's own refusals (431, 400 before routing) get them from
 * {@link JettyErrorHandler}.
 */
public final class SecurityHeaders implements HttpConfiguration.Customizer {
    public static final String NOSNIFF_HEADER = "X-Content-Type-Options";
    public static final String NOSNIFF = "nosniff";
    /**
     * For HTML pages served from the jar (the upload page and the API docs): only their own scripts, styles and
     * fetches, nothing inline; images also as blob: URLs (thumbnails fetched with the API key header); never inside
     * a frame.
     */
    public static final String PAGE_CSP = "default-src 'self'; script-src 'self'; style-src 'self';"
            + " img-src 'self' blob: data:; connect-src 'self'; object-src 'none'; base-uri 'none';"
            + " form-action 'self'; frame-ancestors 'none'";

    @Override
    public Request customize(Request request, HttpFields.Mutable responseHeaders) {
        responseHeaders.put(NOSNIFF_HEADER, NOSNIFF);
        return request;
    }
}
