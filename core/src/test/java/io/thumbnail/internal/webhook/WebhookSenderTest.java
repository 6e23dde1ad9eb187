package io.thumbnail.internal.webhook;

import com.sun.net.httpserver.HttpServer;
import io.thumbnail.internal.source.HostResolver;
import io.thumbnail.internal.source.SourceGuard;
import io.thumbnail.internal.source.SourcePolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** One try of a webhook delivery against receivers on loopback. */
class WebhookSenderTest {
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer receiver;

    @AfterEach
    void stop() {
        release.countDown();
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    private URI receiver(boolean holdTheBody) throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(200, 2);
            try (OutputStream body = ex.getResponseBody()) {
                if (holdTheBody) {
                    // The headers are out; the body never comes while the test runs.
                    release.await(60, TimeUnit.SECONDS);
                }
                body.write("ok".getBytes(StandardCharsets.US_ASCII));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        receiver.start();
        return URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");
    }

    private static WebhookSender sender(Duration timeout) {
        return new WebhookSender(new SourceGuard(new SourcePolicy(true, Set.of()), HostResolver.system()), timeout,
                Clock.systemUTC());
    }

    @Test
    void a_receiver_that_answers_is_delivered() throws IOException {
        WebhookSender.Outcome outcome = sender(Duration.ofSeconds(10)).send(receiver(false), "job.done",
                UUID.randomUUID(), "{}".getBytes(StandardCharsets.UTF_8), "0123456789abcdef");

        assertThat(outcome.kind()).as("outcome: %s", outcome).isEqualTo(WebhookSender.Outcome.Kind.DELIVERED);
    }

    @Test
    void a_receiver_that_sends_its_headers_and_holds_its_body_back_is_tried_again_not_waited_for()
            throws Exception {
        URI url = receiver(true);

        WebhookSender.Outcome outcome = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> sender(
                Duration.ofMillis(500)).send(url, "job.done", UUID.randomUUID(),
                "{}".getBytes(StandardCharsets.UTF_8), "0123456789abcdef"), "the try never ended");

        assertThat(outcome.kind()).as("outcome: %s", outcome).isEqualTo(WebhookSender.Outcome.Kind.RETRY);
        assertThat(outcome.error()).startsWith("no answer within");
    }
}
