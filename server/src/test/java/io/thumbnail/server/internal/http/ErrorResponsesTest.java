package io.thumbnail.server.internal.http;

import io.javalin.Javalin;
import io.thumbnail.ErrorCode;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.EnumMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorResponsesTest {

    @Test
    void every_error_code_has_its_documented_http_status() {
        // A new core code must be placed here on purpose: the default would make it a 500.
        Map<ErrorCode, Integer> expected = new EnumMap<>(ErrorCode.class);
        expected.put(ErrorCode.INVALID_SPEC, 400);
        expected.put(ErrorCode.INVALID_REQUEST, 400);
        expected.put(ErrorCode.NOT_FOUND, 404);
        expected.put(ErrorCode.NOT_READY, 409);
        expected.put(ErrorCode.TOO_LARGE, 413);
        expected.put(ErrorCode.UNSUPPORTED_FORMAT, 415);
        expected.put(ErrorCode.CORRUPT_IMAGE, 422);
        expected.put(ErrorCode.TOO_MANY_PIXELS, 422);
        expected.put(ErrorCode.QUEUE_FULL, 429);
        expected.put(ErrorCode.IO_ERROR, 503);
        expected.put(ErrorCode.TIMEOUT, 503);
        expected.put(ErrorCode.UNAVAILABLE, 503);
        expected.put(ErrorCode.INTERNAL, 500);
        expected.put(ErrorCode.SOURCE_BLOCKED, 400);
        expected.put(ErrorCode.SOURCE_UNREACHABLE, 502);
        expected.put(ErrorCode.PUBLISH_FAILED, 502);

        assertThat(expected.keySet()).as("every ErrorCode is listed").containsExactlyInAnyOrder(ErrorCode.values());
        expected.forEach((code, status) -> assertThat(ErrorResponses.status(code)).as("status of %s", code.id()).isEqualTo(status));
    }

    @Test
    void an_unexpected_exception_is_500_internal_without_internals() throws Exception {
        // A real server on port 0 whose only route fails the way a bug would.
        ErrorResponses errors = new ErrorResponses(1024, 4);
        Javalin app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.routes.get("/boom", ctx -> {
                throw new IllegalStateException("secret at /etc/thumbnail/keys");
            });
            cfg.routes.exception(Exception.class, errors::handle);
        }).start("127.0.0.1", 0);
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/boom")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(response.body()).as("JSON error body").contains("\"code\":\"internal\"");
            assertThat(response.body()).as("no exception class, message or path leaks")
                    .doesNotContain("IllegalStateException", "secret", "/etc/", "at io.");
        } finally {
            app.stop();
        }
    }
}
