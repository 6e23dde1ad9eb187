package io.thumbnail.internal.publish;

import io.thumbnail.ErrorCode;
import io.thumbnail.ImageFormat;
import io.thumbnail.Publication;
import io.thumbnail.ThumbnailException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImgurPublisherTest {
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private static final byte[] IMAGE = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, '-', '-', 1, 2};

    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    private ImgurStandIn imgur;
    private ImgurPublisher publisher;

    @BeforeEach
    void start() throws IOException {
        imgur = new ImgurStandIn("test-client");
        publisher = publisherFor(imgur.baseUrl());
    }

    @AfterEach
    void stop() {
        imgur.close();
    }

    @Test
    void uploads_as_imgur_documents_and_returns_link_and_deletehash() {
        imgur.then(ImgurStandIn.success("abc123", "DeLeTeHaSh"));

        Publication upload = publisher.publish(IMAGE, ImageFormat.PNG);

        assertThat(upload).isEqualTo(Publication.published("imgur", "https://i.imgur.com/abc123.png", "DeLeTeHaSh"));
        ImgurStandIn.Received request = imgur.received().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/3/image");
        assertThat(request.authorization()).isEqualTo("Client-ID test-client");
        assertThat(request.parts().get("image")).as("the image field holds the bytes unchanged").isEqualTo(IMAGE);
        assertThat(new String(request.parts().get("type"))).isEqualTo("file");
        assertThat(sleeps).as("no waiting on success").isEmpty();
    }

    @Test
    void retries_a_429_after_the_retry_after_header() {
        imgur.then(ImgurStandIn.error(429, Map.of("Retry-After", "7"), "Too Many Requests"))
                .then(ImgurStandIn.success("second", "hash2"));

        Publication upload = publisher.publish(IMAGE, ImageFormat.PNG);

        assertThat(upload.link()).isEqualTo("https://i.imgur.com/second.png");
        assertThat(sleeps).containsExactly(Duration.ofSeconds(7));
        assertThat(imgur.received()).hasSize(2);
    }

    @Test
    void waits_until_the_user_reset_time_when_user_credits_are_spent() {
        imgur.then(ImgurStandIn.error(429, Map.of("X-RateLimit-UserRemaining", "0",
                        "X-RateLimit-UserReset", Long.toString(NOW.plusSeconds(42).getEpochSecond())), "Rate limit"))
                .then(ImgurStandIn.success("later", "hash"));

        publisher.publish(IMAGE, ImageFormat.PNG);

        assertThat(sleeps).as("waited from the clock's now to X-RateLimit-UserReset")
                .containsExactly(Duration.ofSeconds(42));
    }

    @Test
    void waits_for_the_post_rate_limit_reset_when_post_credits_are_spent() {
        imgur.then(ImgurStandIn.error(429, Map.of("X-Post-Rate-Limit-Remaining", "0",
                        "X-Post-Rate-Limit-Reset", "13"), "Too many POSTs"))
                .then(ImgurStandIn.success("later", "hash"));

        publisher.publish(IMAGE, ImageFormat.PNG);

        assertThat(sleeps).containsExactly(Duration.ofSeconds(13));
    }

    @Test
    void retries_5xx_with_growing_waits_then_succeeds() {
        imgur.then(ImgurStandIn.error(500, Map.of(), "Internal error"))
                .then(ImgurStandIn.error(503, Map.of(), "Over capacity"))
                .then(ImgurStandIn.success("third", "hash3"));

        assertThat(publisher.publish(IMAGE, ImageFormat.PNG).deletehash()).isEqualTo("hash3");
        assertThat(sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    @Test
    void gives_up_after_the_last_attempt_with_a_clear_error() {
        imgur.then(ImgurStandIn.error(500, Map.of(), "Internal error"))
                .then(ImgurStandIn.error(500, Map.of(), "Internal error"))
                .then(ImgurStandIn.error(500, Map.of(), "Internal error"));

        assertPublishFails("HTTP 500: Internal error (gave up after 3 attempts)");
        assertThat(imgur.received()).as("bounded attempts").hasSize(3);
    }

    @Test
    void fails_instead_of_waiting_when_the_reset_is_beyond_the_longest_wait() {
        imgur.then(ImgurStandIn.error(429, Map.of("X-RateLimit-UserRemaining", "0",
                "X-RateLimit-UserReset", Long.toString(NOW.plusSeconds(3600).getEpochSecond())), "Rate limit"));

        assertPublishFails("asks to wait 3600 s");
        assertThat(sleeps).as("never held a worker for an hour").isEmpty();
    }

    @Test
    void fails_at_once_when_the_applications_daily_credits_are_spent() {
        imgur.then(ImgurStandIn.error(429, Map.of("X-RateLimit-ClientRemaining", "0", "Retry-After", "1"),
                "Rate limit"));

        assertPublishFails("daily Imgur credits are spent");
        assertThat(imgur.received()).hasSize(1);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void fails_at_once_on_a_client_error_with_imgurs_message() {
        imgur.then(ImgurStandIn.error(403, Map.of(), "Permission denied"));

        assertPublishFails("HTTP 403: Permission denied");
        assertThat(imgur.received()).hasSize(1);
    }

    @Test
    void a_wrong_client_id_is_refused_by_the_stand_in_like_imgur_would() {
        ImgurPublisher wrong = new ImgurPublisher(new ImgurSettings("other-client", imgur.baseUrl(),
                Duration.ofSeconds(2), 3, Duration.ofSeconds(60)), Clock.fixed(NOW, ZoneOffset.UTC), sleeps::add);

        assertThatThrownBy(() -> wrong.publish(IMAGE, ImageFormat.PNG)).hasMessageContaining("Authentication required");
    }

    @Test
    void an_answer_without_link_fails_the_publish() {
        imgur.then(new ImgurStandIn.Answer(200, Map.of(), "{\"data\":{\"id\":\"x\"},\"success\":true}"));

        assertPublishFails("no data.link or data.deletehash");
    }

    @Test
    void an_unreachable_imgur_is_retried_then_fails() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = socket.getLocalPort();
        }
        ImgurPublisher offline = publisherFor(URI.create("http://127.0.0.1:" + closedPort));

        assertThatThrownBy(() -> offline.publish(IMAGE, ImageFormat.PNG))
                .isInstanceOfSatisfying(ThumbnailException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.PUBLISH_FAILED))
                .hasMessageContaining("could not reach Imgur");
        assertThat(sleeps).hasSize(2);
    }

    @Test
    void settings_name_the_field_that_is_wrong() {
        assertThatThrownBy(() -> ImgurSettings.of(" ")).hasMessageContaining("clientId");
        assertThatThrownBy(() -> ImgurSettings.of("id").withBaseUrl(URI.create("ftp://imgur.example")))
                .hasMessageContaining("baseUrl");
        assertThatThrownBy(() -> new ImgurSettings("id", ImgurSettings.DEFAULT_BASE_URL, Duration.ofSeconds(1), 0,
                Duration.ZERO)).hasMessageContaining("maxAttempts");
    }

    private ImgurPublisher publisherFor(URI baseUrl) {
        return new ImgurPublisher(new ImgurSettings("test-client", baseUrl, Duration.ofSeconds(2), 3,
                Duration.ofSeconds(60)), Clock.fixed(NOW, ZoneOffset.UTC), sleeps::add);
    }

    private void assertPublishFails(String messagePart) {
        assertThatThrownBy(() -> publisher.publish(IMAGE, ImageFormat.PNG))
                .isInstanceOfSatisfying(ThumbnailException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.PUBLISH_FAILED))
                .hasMessageContaining(messagePart);
    }
}
