package io.thumbnail.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests that wait on a client or on a job hold no thread: with 300 upload bodies trickling in (above the minimum
 * rate) and 400 long-polls open, from 40 client addresses (each within its per-address caps), {@code /health}, a
 * job's status and a small upload from another client are each answered within a second. Load is bounded: 700
 * connections driven by one thread, for at most a minute.
 */
class AvailabilityTest {
    private static final int SLOW_BODIES = 300;
    private static final int LONG_POLLS = 400;
    private static final int ADDRESSES = 20;
    /** 160 bytes every 100 ms: 1.6 KB/s, above the 1 KB/s minimum rate, of a 1 MB body. */
    private static final int BYTES_PER_TICK = 160;
    private static final Duration TICK = Duration.ofMillis(100);
    private static final byte[] PNG = TestImages.gradient(64, 48, "png");
    /** Far beyond the second allowed; bounds the test when requests are not answered at all. */
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    @Test
    void health_a_status_and_an_upload_answer_within_a_second_while_300_slow_bodies_and_400_long_polls_are_open()
            throws Exception {
        try (TestServer server = TestServer.startPaused(dir);
             SlowClients clients = new SlowClients(server.server.port())) {
            String id = TestServer.json(server.postRaw("/api/v1/thumbnails?width=20", "image/png", PNG)).get("id").asText();
            // Long-polls first: on a server whose waits hold threads they take every one of them for 30 s.
            for (int i = 0; i < LONG_POLLS; i++) {
                clients.open("127.0.2." + (1 + i % ADDRESSES), "GET /api/v1/thumbnails/" + id + "?wait=30 HTTP/1.1\r\n"
                        + "Host: 127.0.0.1\r\n\r\n", 0, 0);
            }
            clients.tick();
            for (int i = 0; i < SLOW_BODIES; i++) {
                clients.open("127.0.1." + (1 + i % ADDRESSES), "POST /api/v1/thumbnails?width=20 HTTP/1.1\r\n"
                        + "Host: 127.0.0.1\r\nContent-Type: image/png\r\nContent-Length: 1000000\r\n\r\n",
                        BYTES_PER_TICK, 1_000_000);
            }
            // Two seconds of trickling: every head is out and the server has taken every request in.
            clients.trickle(Duration.ofSeconds(2), TICK);
            assertThat(clients.headsSent()).as("requests sent").isEqualTo(SLOW_BODIES + LONG_POLLS);

            List<String> slow = new ArrayList<>();
            slow.addAll(answersWithin(clients, "GET /health", () -> server.send(server.request("/health")
                    .timeout(CLIENT_TIMEOUT).GET().build()), 200));
            slow.addAll(answersWithin(clients, "GET a job", () -> server.send(server.request("/api/v1/thumbnails/" + id)
                    .timeout(CLIENT_TIMEOUT).GET().build()), 200));
            slow.addAll(answersWithin(clients, "POST an upload", () -> server.send(
                    server.request("/api/v1/thumbnails?width=20", "Content-Type", "image/png").timeout(CLIENT_TIMEOUT)
                            .POST(HttpRequest.BodyPublishers.ofByteArray(PNG)).build()), 202));

            assertThat(slow).as("requests that took a second or more").isEmpty();
            clients.trickle(Duration.ofSeconds(1), TICK);
            assertThat(clients.answeredOrClosed()).as("slow bodies and long-polls answered or cut off meanwhile: none"
                    + " may be, or this proves nothing").isZero();
            assertThat(threadsInHandlers()).as("request threads inside a handler, with %d requests open",
                    clients.size()).isLessThan(10);
        }
    }

    /** Three times: each request answered with {@code status}; those that took 1 s or more, described. */
    private static List<String> answersWithin(SlowClients clients, String what, Supplier<HttpResponse<String>> request,
                                              int status) {
        List<String> slow = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            clients.tick();
            long start = System.nanoTime();
            HttpResponse<String> response;
            try {
                response = request.get();
            } catch (UncheckedIOException e) {
                slow.add(what + ": no answer within " + CLIENT_TIMEOUT.toSeconds() + " s (" + e.getCause() + ")");
                continue;
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(response.statusCode()).as("%s: %s", what, response.body()).isEqualTo(status);
            if (millis >= 1000) {
                slow.add(what + " took " + millis + " ms");
            }
        }
        return slow;
    }

    /** Request threads running this server's code now: none should be waiting there on a client or a job. */
    private static long threadsInHandlers() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey().getName().startsWith("http-"))
                .filter(e -> Arrays.stream(e.getValue()).anyMatch(f -> f.getClassName().startsWith("io.thumbnail.")))
                .count();
    }
}
