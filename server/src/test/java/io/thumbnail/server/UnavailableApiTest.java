package io.thumbnail.server;

import io.thumbnail.ThumbnailService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.thumbnail.server.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request that reaches a closed or closing service, or a server whose service never opened, answers 503
 * {@code unavailable} with {@code Retry-After}: never a 500, never a dropped connection.
 */
class UnavailableApiTest {
    private static final byte[] PNG = TestImages.gradient(60, 40, "png");

    @TempDir
    Path dir;

    private static void assertUnavailable(String what, HttpResponse<String> response) {
        assertThat(response.statusCode()).as("%s: status; body: %s", what, response.body()).isEqualTo(503);
        assertThat(json(response).at("/error/code").asText()).as("%s: error code", what).isEqualTo("unavailable");
        assertThat(response.headers().firstValue("Retry-After")).as("%s: Retry-After in seconds", what)
                .hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isPositive());
    }

    @Test
    void every_api_request_to_a_closed_service_answers_503_unavailable_with_retry_after() {
        try (TestServer server = TestServer.startPaused(dir)) {
            String id = json(server.postRaw("/api/v1/thumbnails", "image/png", PNG)).get("id").asText();
            String batch = json(server.postMultipart("/api/v1/thumbnails", Map.of(),
                    new TestServer.FilePart("a.png", "image/png", PNG),
                    new TestServer.FilePart("b.png", "image/png", TestImages.gradient(50, 40, "png")))).get("id").asText();

            server.service.close();

            assertUnavailable("upload", server.postRaw("/api/v1/thumbnails", "image/png", PNG));
            assertUnavailable("URL job", server.postRaw("/api/v1/thumbnails", "application/json",
                    "{\"url\":\"http://localhost:9/a.png\"}".getBytes(StandardCharsets.UTF_8)));
            assertUnavailable("status", server.get("/api/v1/thumbnails/" + id));
            assertUnavailable("long-poll", server.get("/api/v1/thumbnails/" + id + "?wait=5"));
            assertUnavailable("list", server.get("/api/v1/thumbnails"));
            assertUnavailable("file", server.get("/api/v1/thumbnails/" + id + "/file"));
            assertUnavailable("delete", server.delete("/api/v1/thumbnails/" + id));
            assertUnavailable("batch", server.get("/api/v1/batches/" + batch));
            assertUnavailable("batch events", server.get("/api/v1/batches/" + batch + "/events"));
            assertThat(server.get("/health").statusCode()).as("health reports the service down").isEqualTo(503);
        }
    }

    @Test
    void a_long_poll_waiting_when_the_service_closes_answers_503_unavailable_at_once() throws Exception {
        try (TestServer server = TestServer.startPaused(dir)) {
            String id = json(server.postRaw("/api/v1/thumbnails", "image/png", PNG)).get("id").asText();
            CompletableFuture<HttpResponse<String>> waiting = server.getAsync("/api/v1/thumbnails/" + id + "?wait=30");
            server.awaitWaiting(1);

            server.service.close();

            assertUnavailable("the long-poll", waiting.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void an_upload_under_way_when_the_server_stops_is_finished_and_answered_while_new_requests_get_503() throws Exception {
        CountDownLatch admitted = new CountDownLatch(1);
        // The rate limiter reads the time as it admits an API request: then the request is in the server's hands.
        try (TestServer server = TestServer.startPaused(dir, () -> {
            admitted.countDown();
            return System.nanoTime();
        })) {
            byte[] head = ("POST /api/v1/thumbnails HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\nContent-Length: "
                    + PNG.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
            // Read before the stop: a server that has stopped accepting listens on no port.
            int port = server.server.port();
            try (Socket upload = RawHttp.connect(port);
                 Socket spare = RawHttp.connect(port)) {
                OutputStream out = upload.getOutputStream();
                out.write(head);
                out.write(PNG, 0, PNG.length / 2);
                out.flush();
                assertThat(admitted.await(20, TimeUnit.SECONDS)).as("the upload reached the server").isTrue();

                CompletableFuture<Void> stopping = CompletableFuture.runAsync(server.server::stop);
                awaitRefusing(port);
                spare.getOutputStream().write("GET /api/v1/thumbnails HTTP/1.1\r\nHost: x\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                RawHttp.Response late = RawHttp.read(spare.getInputStream());
                assertThat(late.status()).as("a request on an open connection after the stop began: %s", late.head())
                        .isEqualTo(503);
                assertThat(late.header("Retry-After")).isEqualTo("5");
                assertThat(late.body()).contains("\"code\":\"unavailable\"");
                out.write(PNG, PNG.length / 2, PNG.length - PNG.length / 2);
                out.flush();
                RawHttp.Response answer = RawHttp.read(upload.getInputStream());

                assertThat(answer.status()).as("the upload's answer: %s", answer.head()).isEqualTo(202);
                stopping.get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Returns once the server refuses new work: a new connection is refused, or a request on it answered 503. */
    private static void awaitRefusing(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try {
                RawHttp.Response health = RawHttp.exchange(port, "GET /health HTTP/1.1\r\nHost: x\r\n"
                        + "Connection: close\r\n\r\n");
                if (health.status() == 503) {
                    assertThat(health.header("Retry-After")).as("Retry-After of a request refused while stopping")
                            .isNotNull();
                    assertThat(health.body()).contains("\"code\":\"unavailable\"");
                    return;
                }
            } catch (UncheckedIOException refused) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the server kept taking new requests for 20 s after its stop began");
    }

    @Test
    void requests_to_a_server_whose_service_failed_to_open_answer_503_unavailable() {
        CompletableFuture<ThumbnailService> failed = CompletableFuture.failedFuture(
                new IllegalStateException("could not open the data directory"));
        ServerConfig config = ServerConfig.parse(List.of("--data-dir", dir.toString()), Map.of());
        ThumbnailServer server = new ThumbnailServer(failed, config, System::nanoTime).start("127.0.0.1", 0);
        try {
            String base = "http://127.0.0.1:" + server.port();

            assertUnavailable("health", send(HttpRequest.newBuilder(URI.create(base + "/health"))));
            assertUnavailable("list", send(HttpRequest.newBuilder(URI.create(base + "/api/v1/thumbnails"))));
            assertUnavailable("upload", send(HttpRequest.newBuilder(URI.create(base + "/api/v1/thumbnails"))
                    .header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofByteArray(PNG))));
            assertUnavailable("metrics", send(HttpRequest.newBuilder(URI.create(base + "/metrics"))));
            assertThat(send(HttpRequest.newBuilder(URI.create(base + "/docs"))).statusCode())
                    .as("the docs need no service").isEqualTo(200);
        } finally {
            server.stop();
        }
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HttpClient.newHttpClient().send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
