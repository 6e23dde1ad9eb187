package io.thumbnail.server.internal.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.thumbnail.server.internal.security.SecurityHeaders;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;

/**
 * Requests so malformed that Jetty refuses them before Javalin sees them (a bad URI, headers too large, an HTTP
 * version other than 1.0 and 1.1, a {@code CONNECT} whose target does not match its Host), requests no route can
 * take ({@code OPTIONS *}), and requests refused because the server is stopping, get the same
 * {@code {"error": {...}}} JSON as everything else, instead of Jetty's HTML page or an empty body.
 */
public final class JettyErrorHandler extends ErrorHandler {
    private final int maxHeaderBytes;

    /** @param maxHeaderBytes the limit on a request line and headers, which a 431 names */
    public JettyErrorHandler(int maxHeaderBytes) {
        this.maxHeaderBytes = maxHeaderBytes;
    }

    /** Built at the first malformed request, not with the server: Jackson is not needed for the first answer. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    /**
     * Every refusal carries its JSON, whatever the method: Jetty writes a body only for GET, POST and HEAD, and would
     * refuse {@code OPTIONS}, {@code CONNECT} or a method it does not know with an empty one.
     */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        if (isOptionsAsterisk(request, code)) {
            // OPTIONS * asks what the server as a whole allows; like OPTIONS on any of its paths, it is not allowed.
            response.setStatus(HttpStatus.METHOD_NOT_ALLOWED_405);
            response.getHeaders().put(HttpHeader.ALLOW, "");
            write(response, HttpStatus.METHOD_NOT_ALLOWED_405, "OPTIONS is not allowed on * (allowed: none)", callback);
            return;
        }
        if (code == HttpStatus.UPGRADE_REQUIRED_426) {
            // What 426 must name: the protocol to switch to.
            response.getHeaders().put(HttpHeader.UPGRADE, "HTTP/1.1");
        }
        write(response, code, message(code, message), callback);
    }

    private static void write(Response response, int status, String message, Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(SecurityHeaders.NOSNIFF_HEADER, SecurityHeaders.NOSNIFF);
        if (status == HttpStatus.SERVICE_UNAVAILABLE_503) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, ErrorResponses.RETRY_AFTER_SECONDS);
        }
        response.write(true, ByteBuffer.wrap(body(status, message)), callback);
    }

    /** The asterisk target reaches no route, so Jetty finds nothing to answer it (404). */
    private static boolean isOptionsAsterisk(Request request, int code) {
        return code == HttpStatus.NOT_FOUND_404 && HttpMethod.OPTIONS.is(request.getMethod())
                && "*".equals(request.getHttpURI().getPath());
    }

    /** What Jetty's refusal with {@code status} and {@code reason} means to the client. */
    private String message(int status, String reason) {
        String detail = reason == null || reason.isBlank() ? "" : " (" + reason + ")";
        return switch (status) {
            case HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE_431 -> "the request line and headers are larger than the "
                    + maxHeaderBytes + " bytes this server takes (--max-header-bytes)";
            case HttpStatus.URI_TOO_LONG_414 -> "the request URI is longer than this server takes (at most "
                    + maxHeaderBytes + " bytes with the headers, --max-header-bytes)";
            case HttpStatus.EXPECTATION_FAILED_417 -> "the Expect header asks for something other than 100-continue,"
                    + " the only expectation this server meets";
            case HttpStatus.SERVICE_UNAVAILABLE_503 -> ErrorResponses.SHUTTING_DOWN;
            // 426: the connection preface of HTTP/2 (PRI * HTTP/2.0), which this server does not speak.
            case HttpStatus.HTTP_VERSION_NOT_SUPPORTED_505, HttpStatus.UPGRADE_REQUIRED_426 ->
                    "the HTTP version is not supported" + detail + "; send HTTP/1.1 or HTTP/1.0";
            default -> "the request is malformed" + detail;
        };
    }

    private static byte[] body(int status, String message) {
        try {
            return Json.MAPPER.writeValueAsBytes(new ErrorResponses.Body(
                    new ErrorResponses.Detail(ErrorResponses.codeOf(status), message)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an error body of two strings cannot fail to serialise", e);
        }
    }
}
