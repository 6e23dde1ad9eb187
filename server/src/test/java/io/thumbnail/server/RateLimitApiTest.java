package io.thumbnail.server;

import io.thumbnail.ServiceTestHooks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.thumbnail.server.ApiKeyApiTest.sha256;
import static io.thumbnail.server.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-client limits: a token bucket per key (per address when open) for submissions ({@code --rate-limit},
 * {@code --rate-burst}) and another for every other API request ({@code --read-rate-limit},
 * {@code --read-rate-burst}); failed keys per address ({@code --max-auth-failures}).
 */
class RateLimitApiTest {
    @TempDir
    Path dir;

    private static void assertLimited(HttpResponse<String> response) {
        assertThat(response.statusCode()).as("status; body: %s", response.body()).isEqualTo(429);
        assertThat(json(response).at("/error/code").asText()).isEqualTo("rate_limited");
        assertThat(response.headers().firstValue("Retry-After")).as("Retry-After in seconds")
                .hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isPositive());
    }

    private static HttpResponse<String> submit(TestServer server, int variant) {
        return server.postRaw("/api/v1/thumbnails", "image/png", image(variant));
    }

    private static HttpResponse<String> submitUrl(TestServer server, int variant) {
        return server.postRaw("/api/v1/thumbnails", "application/json",
                ("{\"url\":\"http://localhost:9/" + variant + ".png\"}").getBytes(StandardCharsets.UTF_8));
    }

    /** A small PNG of its own for each variant, so no two submissions are the same image. */
    private static byte[] image(int variant) {
        return TestImages.gradient(40 + variant % 50, 30 + variant / 50, "png");
    }

    @Test
    void with_default_limits_a_script_submitting_300_jobs_then_polling_each_every_second_sees_no_429()
            throws Exception {
        // No sleep between requests and no 429 handling, as such scripts are written; jobs are run between rounds,
        // so the script polls all 300 statuses in several rounds a second apart before every job is done.
        try (TestServer server = TestServer.startPaused(dir)) {
            Map<Integer, Integer> answered = new TreeMap<>();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                HttpResponse<String> created = submit(server, i);
                answered.merge(created.statusCode(), 1, Integer::sum);
                if (created.statusCode() == 202) {
                    ids.add(json(created).get("id").asText());
                }
            }
            Set<String> notDone = new HashSet<>(ids);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            int rounds = 0;
            while (!notDone.isEmpty() && System.nanoTime() < deadline) {
                long roundStart = System.nanoTime();
                for (String id : ids) {
                    HttpResponse<String> status = server.get("/api/v1/thumbnails/" + id);
                    answered.merge(status.statusCode(), 1, Integer::sum);
                    if (status.statusCode() == 200 && json(status).get("status").asText().equals("done")) {
                        notDone.remove(id);
                    }
                }
                rounds++;
                for (int run = 0; run < 100 && ServiceTestHooks.processNext(server.service); run++) {
                    // a hundred jobs finish between two rounds
                }
                long left = roundStart + TimeUnit.SECONDS.toNanos(1) - System.nanoTime();
                if (left > 0) {
                    TimeUnit.NANOSECONDS.sleep(left);
                }
            }

            assertThat(answered).as("answers by status over %d polling rounds", rounds).containsOnlyKeys(200, 202);
            assertThat(ids).as("jobs accepted").hasSize(300);
            assertThat(notDone).as("jobs the script never saw done").isEmpty();
            assertThat(rounds).as("polling rounds").isGreaterThanOrEqualTo(4);
        }
    }

    @Test
    void with_default_limits_submissions_past_the_burst_get_429_with_retry_after_while_reads_go_on() {
        AtomicLong now = new AtomicLong();
        try (TestServer server = TestServer.startPaused(dir, now::get)) {
            // URL jobs: submissions like uploads, without writing 500 images (no worker runs to fetch them).
            for (int i = 0; i < 499; i++) {
                assertThat(submitUrl(server, i).statusCode()).as("submission %d of the default burst of 500", i + 1)
                        .isEqualTo(202);
            }
            assertThat(submit(server, 499).statusCode()).as("the 500th, an upload").isEqualTo(202);

            HttpResponse<String> refused = submit(server, 500);

            assertLimited(refused);
            assertThat(json(refused).at("/error/message").asText()).contains("submissions");
            assertThat(server.get("/api/v1/thumbnails?limit=1").statusCode()).as("a read is not a submission")
                    .isEqualTo(200);
            now.addAndGet(TimeUnit.SECONDS.toNanos(Long.parseLong(refused.headers().firstValue("Retry-After")
                    .orElseThrow())));
            assertThat(submit(server, 501).statusCode()).as("after Retry-After").isEqualTo(202);
        }
    }

    @Test
    void an_open_server_limits_each_address_past_its_burst() {
        // A rate this low gives no token back while the test runs.
        try (TestServer server = TestServer.startPaused(dir, "--rate-limit", "0.001", "--rate-burst", "2",
                "--read-rate-limit", "0.001", "--read-rate-burst", "2")) {
            assertThat(submit(server, 1).statusCode()).isEqualTo(202);
            assertThat(submit(server, 2).statusCode()).isEqualTo(202);
            assertLimited(submit(server, 3));

            assertThat(server.get("/api/v1/thumbnails").statusCode()).isEqualTo(200);
            assertThat(server.get("/api/v1/thumbnails/00000000-0000-0000-0000-000000000000").statusCode()).isEqualTo(404);
            assertLimited(server.get("/api/v1/thumbnails"));

            assertThat(server.get("/health").statusCode()).as("health is not rate limited").isEqualTo(200);
        }
    }

    @Test
    void reads_and_submissions_have_separate_buckets() {
        try (TestServer server = TestServer.startPaused(dir, "--rate-limit", "0.001", "--rate-burst", "1")) {
            assertThat(submit(server, 1).statusCode()).isEqualTo(202);
            assertLimited(submit(server, 2));

            for (int i = 0; i < 20; i++) {
                assertThat(server.get("/api/v1/thumbnails").statusCode()).as("read %d", i + 1).isEqualTo(200);
            }
        }
    }

    @Test
    void each_key_has_its_own_bucket() throws Exception {
        try (TestServer server = TestServer.startPaused(dir, "--read-rate-limit", "0.001", "--read-rate-burst", "1",
                "--api-keys", "alice:" + sha256("a") + ",bob:" + sha256("b"))) {
            assertThat(server.as("a").get("/api/v1/thumbnails").statusCode()).isEqualTo(200);
            assertLimited(server.as("a").get("/api/v1/thumbnails"));

            assertThat(server.as("b").get("/api/v1/thumbnails").statusCode()).as("bob is not limited by alice")
                    .isEqualTo(200);
        }
    }

    @Test
    void a_request_without_a_valid_key_takes_no_token() throws Exception {
        try (TestServer server = TestServer.startPaused(dir, "--read-rate-limit", "0.001", "--read-rate-burst", "1",
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
        try (TestServer server = TestServer.startPaused(dir, now::get, "--read-rate-limit", "0.5",
                "--read-rate-burst", "1")) {
            assertThat(server.get("/api/v1/thumbnails").statusCode()).isEqualTo(200);
            HttpResponse<String> limited = server.get("/api/v1/thumbnails");
            assertLimited(limited);
            assertThat(limited.headers().firstValue("Retry-After")).as("one token every 2 s").hasValue("2");

            now.addAndGet(2_000_000_000L);

            assertThat(server.get("/api/v1/thumbnails").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void wrong_keys_past_the_default_20_a_minute_get_429_from_that_address_even_with_the_right_key_then() throws Exception {
        AtomicLong now = new AtomicLong();
        try (TestServer server = TestServer.startPaused(dir, now::get, "--api-keys", "alice:" + sha256("a"))) {
            for (int i = 0; i < 20; i++) {
                assertThat(server.as("guess-" + i).get("/api/v1/thumbnails").statusCode()).as("guess %d", i + 1)
                        .isEqualTo(401);
            }

            HttpResponse<String> guess = server.as("guess-20").get("/api/v1/thumbnails");
            assertLimited(guess);
            assertThat(guess.headers().firstValue("Retry-After")).as("a failed attempt comes back every 3 s")
                    .hasValue("3");
            assertLimited(server.as("a").get("/api/v1/thumbnails"));
            assertLimited(server.as("guess-21").get("/metrics"));

            now.addAndGet(TimeUnit.SECONDS.toNanos(3));

            assertThat(server.as("a").get("/api/v1/thumbnails").statusCode()).as("the right key, a token later")
                    .isEqualTo(200);
            assertThat(server.as("guess-22").get("/api/v1/thumbnails").statusCode()).isEqualTo(401);
            assertLimited(server.as("guess-23").get("/api/v1/thumbnails"));
        }
    }

    @Test
    void max_auth_failures_off_never_refuses_a_guess() throws Exception {
        try (TestServer server = TestServer.startPaused(dir, "--api-keys", "alice:" + sha256("a"),
                "--max-auth-failures", "off")) {
            for (int i = 0; i < 30; i++) {
                assertThat(server.as("guess-" + i).get("/api/v1/thumbnails").statusCode()).as("guess %d", i + 1)
                        .isEqualTo(401);
            }
        }
    }

    @Test
    void a_client_at_max_waiting_gets_its_new_long_poll_and_its_oldest_is_answered_as_it_stands() throws Exception {
        try (TestServer server = TestServer.startPaused(dir, "--max-waiting", "1")) {
            String id = json(server.postRaw("/api/v1/thumbnails?width=20", "image/png", TestImages.gradient(30, 20, "png")))
                    .get("id").asText();
            // The job stays queued (no workers), so this request would wait its full 30 s.
            CompletableFuture<HttpResponse<String>> oldest = server.getAsync("/api/v1/thumbnails/" + id + "?wait=30");
            server.awaitWaiting(1);

            CompletableFuture<HttpResponse<String>> newest = server.getAsync("/api/v1/thumbnails/" + id + "?wait=30");

            HttpResponse<String> answered = oldest.get(20, TimeUnit.SECONDS);
            assertThat(answered.statusCode()).as("a client that gave up on its wait is not locked out by it; body: %s",
                    answered.body()).isEqualTo(200);
            assertThat(json(answered).get("status").asText()).as("the job as it stands").isEqualTo("queued");
            assertThat(newest).as("the new long-poll waits").isNotDone();
            server.runNextJob();
            HttpResponse<String> finished = newest.get(30, TimeUnit.SECONDS);
            assertThat(json(finished).get("status").asText()).as("body: %s", finished.body()).isEqualTo("done");
        }
    }

    @Test
    void a_long_poll_is_refused_while_event_streams_hold_every_place() throws Exception {
        try (TestServer server = TestServer.startPaused(dir, "--max-waiting", "1")) {
            String batch = json(server.postMultipart("/api/v1/thumbnails?width=20", Map.of(),
                    new TestServer.FilePart("a.png", "image/png", TestImages.gradient(30, 20, "png")),
                    new TestServer.FilePart("b.png", "image/png", TestImages.gradient(31, 20, "png")))).get("id").asText();
            HttpResponse<java.io.InputStream> stream = server.sendAsync(server.request("/api/v1/batches/" + batch
                    + "/events").GET().build(), HttpResponse.BodyHandlers.ofInputStream()).get(30, TimeUnit.SECONDS);
            try (java.io.InputStream events = stream.body()) {
                assertThat(stream.statusCode()).as("the stream opens").isEqualTo(200);

                HttpResponse<String> poll = server.get("/api/v1/batches/" + batch + "?wait=1");

                assertLimited(poll);
                assertThat(server.get("/api/v1/batches/" + batch).statusCode()).as("a request without wait is served")
                        .isEqualTo(200);
            }
        }
    }

    @Test
    void off_turns_the_limits_off() {
        try (TestServer server = TestServer.startPaused(dir, "--rate-limit", "off", "--rate-burst", "1",
                "--read-rate-limit", "off", "--read-rate-burst", "1")) {
            for (int i = 0; i < 5; i++) {
                assertThat(submit(server, i).statusCode()).as("submission %d", i + 1).isEqualTo(202);
                assertThat(server.get("/api/v1/thumbnails").statusCode()).as("read %d", i + 1).isEqualTo(200);
            }
        }
    }
}
