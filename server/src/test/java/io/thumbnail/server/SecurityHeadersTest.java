package io.thumbnail.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import static io.thumbnail.server.ApiKeyApiTest.sha256;
import static io.thumbnail.server.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code X-Content-Type-Options: nosniff} on a sample of every kind of response; the docs page's CSP. */
class SecurityHeadersTest {
    private static final byte[] PNG = TestImages.gradient(64, 48, "png");

    @TempDir
    Path dir;

    private static void assertNosniff(String what, HttpResponse<?> response) {
        assertNosniff(what + " (" + response.statusCode() + ")", response.headers());
    }

    private static void assertNosniff(String what, HttpHeaders headers) {
        assertThat(headers.firstValue("X-Content-Type-Options")).as(what).hasValue("nosniff");
    }

    private static void assertNosniff(String what, RawHttp.Response response) {
        assertThat(response.header("X-Content-Type-Options")).as("%s: %s", what, response.head()).isEqualTo("nosniff");
    }

    @Test
    void every_kind_of_response_says_nosniff() {
        try (TestServer server = TestServer.startPaused(dir, "--max-upload-bytes", "100K")) {
            HttpResponse<String> created = server.postRaw("/api/v1/thumbnails?width=20", "image/png", PNG);
            assertNosniff("upload accepted", created);
            String id = json(created).get("id").asText();
            assertNosniff("job not ready", server.get("/api/v1/thumbnails/" + id + "/file"));
            server.runNextJob();
            HttpResponse<byte[]> image = server.getBytes("/api/v1/thumbnails/" + id + "/file");
            assertNosniff("thumbnail image", image);
            String etag = image.headers().firstValue("ETag").orElseThrow();
            assertNosniff("not modified", server.get("/api/v1/thumbnails/" + id + "/file", "If-None-Match", etag));
            assertNosniff("job", server.get("/api/v1/thumbnails/" + id));
            assertNosniff("listing", server.get("/api/v1/thumbnails"));
            assertNosniff("bad parameter", server.get("/api/v1/thumbnails?limit=-1"));
            assertNosniff("missing job", server.get("/api/v1/thumbnails/" + UUID.randomUUID()));
            assertNosniff("unknown path", server.get("/nothing/here"));
            assertNosniff("wrong method", server.send("PUT", "/api/v1/thumbnails"));
            assertNosniff("unsupported type", server.postRaw("/api/v1/thumbnails", "text/html", "<p>".getBytes()));
            // Only the head, asking first: the server refuses by the declared length without waiting for a body.
            RawHttp.Response tooLarge = RawHttp.exchange(server.server.port(), "POST /api/v1/thumbnails HTTP/1.1\r\n"
                    + "Host: x\r\nContent-Type: image/png\r\nContent-Length: 204800\r\nExpect: 100-continue\r\n\r\n");
            assertThat(tooLarge.status()).as(tooLarge.head()).isEqualTo(413);
            assertNosniff("too large", tooLarge);
            assertNosniff("health", server.get("/health"));
            assertNosniff("metrics", server.get("/metrics"));
            assertNosniff("openapi", server.get("/openapi.json"));
            assertNosniff("docs page", server.get("/docs"));
            assertNosniff("static file", server.get("/docs/assets/docs.js"));
            assertNosniff("delete", server.delete("/api/v1/thumbnails/" + id));
        }
    }

    @Test
    void refusals_of_the_auth_and_rate_limit_checks_say_nosniff() throws Exception {
        try (TestServer server = TestServer.startPaused(dir, "--api-keys", "alice:" + sha256("a"),
                "--read-rate-limit", "0.001", "--read-rate-burst", "1")) {
            assertNosniff("unauthorized", server.get("/api/v1/thumbnails"));
            server.as("a").get("/api/v1/thumbnails");
            HttpResponse<String> limited = server.as("a").get("/api/v1/thumbnails");
            assertThat(limited.statusCode()).isEqualTo(429);
            assertNosniff("rate limited", limited);
        }
    }

    @Test
    void requests_jetty_refuses_before_routing_say_nosniff_and_answer_json() {
        try (TestServer server = TestServer.startPaused(dir)) {
            RawHttp.Response hugeHeader = RawHttp.exchange(server.server.port(), "GET /health HTTP/1.1\r\nHost: x\r\n"
                    + "X-Big: " + "a".repeat(64 * 1024) + "\r\nConnection: close\r\n\r\n");
            assertThat(hugeHeader.status()).isEqualTo(431);
            assertNosniff("header too large", hugeHeader);

            RawHttp.Response garbage = RawHttp.exchange(server.server.port(), "GARBAGE\r\n\r\n");
            assertThat(garbage.status()).as(garbage.head()).isEqualTo(400);
            assertNosniff("malformed request line", garbage);
            assertThat(garbage.body()).contains("\"code\":\"invalid_request\"");

            RawHttp.Response badUri = RawHttp.exchange(server.server.port(),
                    "GET /%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(badUri.status()).as(badUri.head()).isBetween(400, 499);
            assertNosniff("bad URI", badUri);
        }
    }

    @Test
    void the_docs_page_may_not_be_framed_and_loads_only_its_own_scripts() {
        try (TestServer server = TestServer.startPaused(dir)) {
            HttpResponse<String> docs = server.get("/docs");

            assertThat(docs.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
                    .contains("frame-ancestors 'none'", "default-src 'self'", "object-src 'none'")
                    .doesNotContain("unsafe-inline", "unsafe-eval"));
        }
    }

    @Test
    void responses_do_not_announce_the_server_software() {
        try (TestServer server = TestServer.startPaused(dir)) {
            assertThat(server.get("/health").headers().firstValue("Server")).isEmpty();
            assertThat(server.postMultipart("/api/v1/thumbnails", Map.of()).headers().firstValue("Server")).isEmpty();
        }
    }
}
