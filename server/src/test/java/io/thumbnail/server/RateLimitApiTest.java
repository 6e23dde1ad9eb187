package io.thumbnail.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.thumbnail.server.ApiKeyApiTest.sha256;
import static io.thumbnail.server.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code --rate-limit} and {@code --rate-burst}: a token bucket per key, or per address when open. */
class RateLimitApiTest {
    @TempDir
    Path dir;

    private static void assertLimited(HttpResponse<String> response) {
        assertThat(response.statusCode()).as("status; body: %s", response.body()).isEqualTo(429);
        assertThat(json(response).at("/error/code").asText()).isEqualTo("rate_limited");
        assertThat(response.headers().firstValue("Retry-After")).as("Retry-After in seconds")
                .hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isPositive());
    }

    @Test
    void an_open_server_limits_each_address_past_its_burst() {
        // A rate this low gives no token back while the test runs.
        try (TestServer server = TestServer.startPaused(dir, "--rate-limit", "0.001", "--rate-burst", "2")) {
            assertThat(server.get("/api/v1/thumbnails").statusCode()).isEqualTo(200);
            assertThat(server.get("/api/v1/thumbnails/00000000-0000-0000-0000-000000000000").statusCode()).isEqualTo(404);

            assertLimited(server.get("/api/v1/thumbnails"));
            assertThat(server.get("/health").statusCode()).as("health is not rate limited").isEqualTo(200);
        }
    }

    @Test
    void each_key_has_its_own_bucket() throws Exception {
        try (TestServer server = TestServer.startPaused(dir, "--rate-limit", "0.001", "--rate-burst", "1",
                "--api-keys", "alice:" + sha256("a") + ",bob:" + sha256("b"))) {
            assertThat(server.as("a").get("/api/v1/thumbnails").statusCode()).isEqualTo(200);
            assertLimited(server.as("a").get("/api/v1/thumbnails"));

            assertThat(server.as("b").get("/api/v1/thumbnails").statusCode()).as("bob is not limited by alice")
                    .isEqualTo(200);
        }
    }

    @Test
    void a_request_without_a_valid_key_takes_no_token() throws Exception {
        try (TestServer server = TestServer.startPaused(dir, "--rate-limit", "0.001", "--rate-burst", "1",
                "--api-keys", "alice:" + sha256("a"))) {
            for (int i = 0; i < 3; i++) {
                assertThat(server.as("wrong").get("/api/v1/thumbnails").statusCode()).isEqualTo(401);
            }
            assertThat(server.as("a").get("/api/v1/thumbnails").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void a_limited_client_is_served_again_once_its_tokens_come_back() {
        AtomicLong now = new AtomicLong();
        try (TestServer server = TestServer.startPaused(dir, now::get, "--rate-limit", "0.5", "--rate-burst", "1")) {
            assertThat(server.get("/api/v1/thumbnails").statusCode()).isEqualTo(200);
            HttpResponse<String> limited = server.get("/api/v1/thumbnails");
            assertLimited(limited);
            assertThat(limited.headers().firstValue("Retry-After")).as("one token every 2 s").hasValue("2");

            now.addAndGet(2_000_000_000L);

            assertThat(server.get("/api/v1/thumbnails").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void a_client_may_have_only_max_waiting_requests_waiting_at_once() throws Exception {
        try (TestServer server = TestServer.startPaused(dir, "--max-waiting", "1")) {
            String id = json(server.postRaw("/api/v1/thumbnails?width=20", "image/png", TestImages.gradient(30, 20, "png")))
                    .get("id").asText();
            // The job stays queued (no workers), so this request waits its full 10 s, holding the client's one place.
            CompletableFuture<HttpResponse<String>> waiting = server.getAsync("/api/v1/thumbnails/" + id + "?wait=10");
            // A probe that reaches the server first holds the place for its 1 s instead, and the waiting request is
            // the one refused: then send it again.
            HttpResponse<String> second;
            long deadline = System.nanoTime() + 9_000_000_000L;
            do {
                if (waiting.isDone()) {
                    waiting = server.getAsync("/api/v1/thumbnails/" + id + "?wait=10");
                }
                second = server.get("/api/v1/thumbnails/" + id + "?wait=1");
            } while (second.statusCode() != 429 && System.nanoTime() < deadline);

            assertLimited(second);
            assertThat(server.get("/api/v1/thumbnails/" + id).statusCode()).as("a request without wait is served")
                    .isEqualTo(200);
            assertThat(waiting.get(30, TimeUnit.SECONDS).statusCode()).as("the waiting request ends normally")
                    .isEqualTo(200);
            assertThat(server.get("/api/v1/thumbnails/" + id + "?wait=1").statusCode()).as("its place is free again")
                    .isEqualTo(200);
        }
    }

    @Test
    void off_turns_the_limit_off() {
        try (TestServer server = TestServer.startPaused(dir, "--rate-limit", "off", "--rate-burst", "1")) {
            for (int i = 0; i < 5; i++) {
                assertThat(server.get("/api/v1/thumbnails").statusCode()).as("request %d", i + 1).isEqualTo(200);
            }
        }
    }
}
