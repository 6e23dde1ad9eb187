package io.thumbnail.server.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;

/**
 * Requests so malformed that Jetty refuses them before Javalin sees them (a bad URI, headers too large), and those
 * refused because the server is stopping (503 {@code unavailable} with {@code Retry-After}), get the same
 * {@code {"error": {...}}} JSON as everything else, instead of Jetty's HTML page.
 */
public final class JettyErrorHandler extends ErrorHandler {
    /** Built at the first malformed request, not with the server: Jackson is not needed for the first answer. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(SecurityHeaders.NOSNIFF_HEADER, SecurityHeaders.NOSNIFF);
        if (code == 503) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, ErrorResponses.RETRY_AFTER_SECONDS);
        }
        response.write(true, ByteBuffer.wrap(body(code, message)), callback);
    }

    private static byte[] body(int status, String reason) {
        String message = status == 503 ? WaitLimit.stopping().getMessage()
                : "the request is malformed" + (reason == null || reason.isBlank() ? "" : " (" + reason + ")");
        try {
            return Json.MAPPER.writeValueAsBytes(new ErrorResponses.Body(
                    new ErrorResponses.Detail(ErrorResponses.codeOf(status), message)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an error body of two strings cannot fail to serialise", e);
        }
    }
}
