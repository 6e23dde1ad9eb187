package io.thumbnail.server.internal.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.thumbnail.server.internal.security.SecurityHeaders;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;

/**
 * Requests so malformed that Jetty refuses them before Javalin sees them (a bad URI, headers too large, an HTTP
 * version other than 1.0 and 1.1), and requests refused because the server is stopping, get the same
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
        if (code == HttpStatus.SERVICE_UNAVAILABLE_503) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, ErrorResponses.RETRY_AFTER_SECONDS);
        }
        response.write(true, ByteBuffer.wrap(body(code, message)), callback);
    }

    private static byte[] body(int status, String reason) {
        String detail = reason == null || reason.isBlank() ? "" : " (" + reason + ")";
        String message = switch (status) {
            case HttpStatus.SERVICE_UNAVAILABLE_503 -> ErrorResponses.SHUTTING_DOWN;
            case HttpStatus.HTTP_VERSION_NOT_SUPPORTED_505 -> "the HTTP version is not supported" + detail
                    + "; send HTTP/1.1 or HTTP/1.0";
            default -> "the request is malformed" + detail;
        };
        try {
            return Json.MAPPER.writeValueAsBytes(new ErrorResponses.Body(
                    new ErrorResponses.Detail(ErrorResponses.codeOf(status), message)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an error body of two strings cannot fail to serialise", e);
        }
    }
}
