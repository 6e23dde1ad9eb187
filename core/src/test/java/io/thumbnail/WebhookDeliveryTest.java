package io.thumbnail;

import io.thumbnail.webhooks.WebhookReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Webhooks: a finished job's callback is POSTed once, signed; failures that may pass are retried by the clock's
 * backoff, 4xx are not; a delivery cut short by a crash is made at the next start. The receiver is on loopback, so
 * these services allow private addresses, except where the guard's refusal is the point.
 */
class WebhookDeliveryTest {
    private static final ThumbnailSpec SPEC = ThumbnailSpec.box(40, 40);
    private static final String SECRET = "a-secret-for-the-tests";

    @TempDir
    Path dir;
    private final MutableClock clock = MutableClock.startingNow();
    private final ScriptedPipeline pipeline = new ScriptedPipeline();
    private final List<ThumbnailService> opened = new ArrayList<>();
    private WebhookReceiver receiver;

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = new WebhookReceiver();
    }

    @AfterEach
    void stop() {
        opened.forEach(ThumbnailService::close);
        receiver.close();
    }

    private ThumbnailServiceBuilder builder() {
        return ThumbnailService.builder().dataDir(dir).clock(clock)
                .hooks(h -> h.withPipeline(pipeline).withStartWorkers(false))
                .allowPrivateSources(true).webhookSecret(SECRET);
    }

    private ThumbnailService open(ThumbnailServiceBuilder builder) {
        ThumbnailService service = builder.build();
        opened.add(service);
        return service;
    }

    private SubmitOptions toReceiver() {
        return SubmitOptions.builder().callbackUrl(receiver.url()).build();
    }

    private static ImageSource image(int seed) {
        return ImageSource.of(TestImages.png(90, 60, seed), "cat" + seed + ".png");
    }

    private static Callback callback(ThumbnailService service, UUID id) {
        return service.get(id).orElseThrow().callback();
    }

    @Test
    void a_done_job_is_posted_once_with_its_event_a_delivery_id_and_a_signature_of_the_body() {
        ThumbnailService service = open(builder());
        Job job = service.submit(image(1), SPEC, toReceiver());
        assertThat(job.callback()).as("the callback at submit").isEqualTo(Callback.pending(receiver.url()));

        service.assembly().byHand().processNext();
        service.assembly().byHand().deliverDueWebhooks();
        service.assembly().byHand().deliverDueWebhooks();

        assertThat(receiver.received()).as("deliveries").hasSize(1);
        WebhookReceiver.Received delivery = receiver.received().get(0);
        assertThat(delivery.method()).isEqualTo("POST");
        assertThat(delivery.header("X-Thumbnail-Event")).isEqualTo("job.done");
        assertThat(UUID.fromString(delivery.header("X-Thumbnail-Delivery"))).as("a UUID").isNotNull();
        assertThat(delivery.header("X-Thumbnail-Signature")).as("HMAC-SHA256 of the body with the secret")
                .isEqualTo(WebhookReceiver.expectedSignature(delivery.body(), SECRET));
        assertThat(delivery.header("Content-Type")).isEqualTo("application/json");
        assertThat(delivery.text()).as("the default body").contains("\"id\":\"" + job.id() + "\"")
                .contains("\"status\":\"done\"");
        assertThat(callback(service, job.id())).isEqualTo(new Callback(receiver.url(), Callback.Status.DELIVERED, 1,
                null));
    }

    @Test
    void a_failed_job_is_posted_as_job_failed() {
        pipeline.failWith(new ThumbnailException(ErrorCode.CORRUPT_IMAGE, "scripted"));
        ThumbnailService service = open(builder());
        Job job = service.submit(image(2), SPEC, toReceiver());

        service.assembly().byHand().processNext();
        service.assembly().byHand().deliverDueWebhooks();

        assertThat(service.get(job.id()).orElseThrow().status()).isEqualTo(JobStatus.FAILED);
        assertThat(receiver.received()).hasSize(1);
        assertThat(receiver.received().get(0).header("X-Thumbnail-Event")).isEqualTo("job.failed");
        assertThat(receiver.received().get(0).text()).contains("\"corrupt_image\"");
    }

    @Test
    void a_500_is_tried_again_once_the_backoff_has_passed_on_the_clock_with_the_same_delivery_id() {
        receiver.then(500);
        ThumbnailService service = open(builder());
        Job job = service.submit(image(3), SPEC, toReceiver());
        service.assembly().byHand().processNext();
        service.assembly().byHand().deliverDueWebhooks();
        assertThat(callback(service, job.id())).as("after the 500")
                .isEqualTo(new Callback(receiver.url(), Callback.Status.PENDING, 1, "HTTP 500"));

        clock.advance(Duration.ofSeconds(9));
        service.assembly().byHand().deliverDueWebhooks();
        assertThat(receiver.received()).as("before the first backoff of 10 s has passed").hasSize(1);

        clock.advance(Duration.ofSeconds(1));
        service.assembly().byHand().deliverDueWebhooks();

        assertThat(receiver.received()).as("tries").hasSize(2);
        assertThat(receiver.received().get(1).header("X-Thumbnail-Delivery")).as("the retry's delivery id")
                .isEqualTo(receiver.received().get(0).header("X-Thumbnail-Delivery"));
        assertThat(callback(service, job.id())).isEqualTo(new Callback(receiver.url(), Callback.Status.DELIVERED, 2,
                "HTTP 500"));
    }

    @Test
    void a_400_is_never_tried_again_and_the_callback_is_marked_failed() {
        receiver.then(400);
        ThumbnailService service = open(builder());
        Job job = service.submit(image(4), SPEC, toReceiver());
        service.assembly().byHand().processNext();
        service.assembly().byHand().deliverDueWebhooks();

        clock.advance(Duration.ofHours(2));
        service.assembly().byHand().deliverDueWebhooks();

        assertThat(receiver.received()).as("tries").hasSize(1);
        assertThat(callback(service, job.id())).isEqualTo(new Callback(receiver.url(), Callback.Status.FAILED, 1,
                "HTTP 400"));
    }

    @Test
    void a_429_waits_as_long_as_its_retry_after_says() {
        receiver.then(429, "Retry-After", "120");
        ThumbnailService service = open(builder());
        Job job = service.submit(image(5), SPEC, toReceiver());
        service.assembly().byHand().processNext();
        service.assembly().byHand().deliverDueWebhooks();

        clock.advance(Duration.ofSeconds(119));
        service.assembly().byHand().deliverDueWebhooks();
        assertThat(receiver.received()).as("before Retry-After has passed").hasSize(1);
        clock.advance(Duration.ofSeconds(1));
        service.assembly().byHand().deliverDueWebhooks();

        assertThat(receiver.received()).as("tries").hasSize(2);
        assertThat(callback(service, job.id()).status()).isEqualTo(Callback.Status.DELIVERED);
    }

    @Test
    void a_429_with_a_retry_after_of_zero_waits_the_usual_backoff_rather_than_asking_again_at_once() {
        receiver.then(429, "Retry-After", "0");
        ThumbnailService service = open(builder());
        Job job = service.submit(image(6), SPEC, toReceiver());
        service.assembly().byHand().processNext();
        service.assembly().byHand().deliverDueWebhooks();

        service.assembly().byHand().deliverDueWebhooks();
        clock.advance(Duration.ofSeconds(9));
        service.assembly().byHand().deliverDueWebhooks();
        assertThat(receiver.received()).as("tries within the first backoff (10 s)").hasSize(1);
        clock.advance(Duration.ofSeconds(1));
        service.assembly().byHand().deliverDueWebhooks();

        assertThat(receiver.received()).as("tries once it passed").hasSize(2);
        assertThat(callback(service, job.id()).status()).isEqualTo(Callback.Status.DELIVERED);
    }

    @Test
    void a_receiver_refusing_the_connection_is_named_so_in_words_not_by_an_exception_class() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        ThumbnailService service = open(builder());
        Job job = service.submit(image(10), SPEC, SubmitOptions.builder()
                .callbackUrl(java.net.URI.create("http://127.0.0.1:" + closedPort + "/hook")).build());
        service.assembly().byHand().processNext();
        service.assembly().byHand().deliverDueWebhooks();

        Callback given = callback(service, job.id());
        assertThat(given.status()).as("kept for another try").isEqualTo(Callback.Status.PENDING);
        assertThat(given.lastError()).isEqualTo("could not connect (refused, or no route to the receiver)");
    }

    @Test
    void a_receiver_failing_for_longer_than_the_max_age_is_given_up() {
        for (int i = 0; i < 20; i++) {
            receiver.then(503);
        }
        ThumbnailService service = open(builder().webhookMaxAge(Duration.ofMinutes(10)));
        Job job = service.submit(image(6), SPEC, toReceiver());
        service.assembly().byHand().processNext();
        for (int i = 0; i < 10 && callback(service, job.id()).isPending(); i++) {
            service.assembly().byHand().deliverDueWebhooks();
            clock.advance(Duration.ofMinutes(1));
        }

        Callback given = callback(service, job.id());
        assertThat(given.status()).as("after 10 minutes of 503s").isEqualTo(Callback.Status.FAILED);
        assertThat(given.lastError()).startsWith("HTTP 503; given up after");
        // Tries at 0, 1, 2, 3, 5 and 8 minutes (the first minute after each wait of 10, 20, 40, 80 and 160 s); the
        // next wait, 320 s, would end past the 10 minutes.
        assertThat(receiver.received()).as("tries: the first and the retries within the max age").hasSize(6);
    }

    @Test
    void a_delivery_left_pending_by_a_crash_is_made_at_the_next_start() {
        ThumbnailService crashed = open(builder());
        Job job = crashed.submit(image(7), SPEC, toReceiver());
        crashed.assembly().byHand().processNext();
        // The delivery was due, but only in the crashed service's memory.
        crashed.close();
        assertThat(receiver.received()).as("before the restart").isEmpty();

        ThumbnailService reopened = open(builder());
        reopened.assembly().byHand().deliverDueWebhooks();

        assertThat(receiver.received()).as("deliveries after the restart").hasSize(1);
        assertThat(receiver.received().get(0).header("X-Thumbnail-Event")).isEqualTo("job.done");
        assertThat(callback(reopened, job.id()).status()).isEqualTo(Callback.Status.DELIVERED);
    }

    @Test
    void a_batch_is_posted_once_as_batch_done_when_its_last_item_finishes_and_its_items_are_not_posted() {
        ThumbnailService service = open(builder());
        Batch batch = service.submitAll(List.of(image(8), image(9)), SPEC, toReceiver());
        assertThat(batch.callback()).isEqualTo(Callback.pending(receiver.url()));
        assertThat(batch.items()).allSatisfy(item -> assertThat(item.callback()).as("an item's callback").isNull());

        service.assembly().byHand().processNext();
        service.assembly().byHand().deliverDueWebhooks();
        assertThat(receiver.received()).as("with one item left").isEmpty();
        service.assembly().byHand().processNext();
        service.assembly().byHand().deliverDueWebhooks();
        service.assembly().byHand().deliverDueWebhooks();

        assertThat(receiver.received()).as("deliveries").hasSize(1);
        assertThat(receiver.received().get(0).header("X-Thumbnail-Event")).isEqualTo("batch.done");
        assertThat(receiver.received().get(0).text()).contains("\"id\":\"" + batch.id() + "\"")
                .contains("\"total\":2");
        assertThat(service.batch(batch.id()).orElseThrow().callback().status()).isEqualTo(Callback.Status.DELIVERED);
    }

    @Test
    void a_batch_unfinished_at_a_restart_is_posted_when_it_finishes_after_it() {
        ThumbnailService first = open(builder());
        Batch batch = first.submitAll(List.of(image(10), image(11)), SPEC, toReceiver());
        first.assembly().byHand().processNext();
        first.close();

        ThumbnailService second = open(builder());
        second.assembly().byHand().deliverDueWebhooks();
        assertThat(receiver.received()).as("with one item left").isEmpty();
        second.assembly().byHand().processNext();
        second.assembly().byHand().deliverDueWebhooks();

        assertThat(receiver.received()).as("deliveries").hasSize(1);
        assertThat(receiver.received().get(0).header("X-Thumbnail-Event")).isEqualTo("batch.done");
    }

    @Test
    void a_callback_to_a_private_address_is_refused_at_submit_naming_callback_url_without_connecting() {
        ThumbnailService service = open(builder().allowPrivateSources(false));

        for (String url : List.of(receiver.url().toString(), "http://10.0.0.7/hook", "http://[::1]:8080/hook",
                "https://169.254.169.254/latest")) {
            assertThatThrownBy(() -> service.submit(image(12), SPEC,
                    SubmitOptions.builder().callbackUrl(URI.create(url)).build()))
                    .as(url).isInstanceOfSatisfying(ThumbnailException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
                        assertThat(e.getMessage()).contains("callback_url").contains("blocked range");
                    });
        }
        assertThat(receiver.received()).as("requests the receiver got").isEmpty();
        assertThat(service.list(JobQuery.all()).items()).as("jobs stored").isEmpty();
    }

    @Test
    void a_callback_url_that_is_not_http_is_refused() {
        for (String url : List.of("ftp://example.com/hook", "file:///etc/passwd", "mailto:a@example.com", "/hooks")) {
            assertThatThrownBy(() -> SubmitOptions.builder().callbackUrl(URI.create(url)).build()).as(url)
                    .isInstanceOfSatisfying(ThumbnailException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
                        assertThat(e.getMessage()).startsWith("callback_url must be an http or https URL");
                    });
        }
    }

    @Test
    void without_a_configured_secret_one_is_made_kept_across_restarts_and_written_for_the_operator()
            throws IOException {
        ThumbnailService first = open(builder().webhookSecret(null));
        String made = Files.readString(dir.resolve("webhook-secret")).strip();
        Job job = first.submit(image(13), SPEC, toReceiver());
        first.close();

        ThumbnailService second = open(builder().webhookSecret(null));
        second.assembly().byHand().processNext();
        second.assembly().byHand().deliverDueWebhooks();

        assertThat(made).as("the secret made").hasSize(64);
        assertThat(receiver.received()).hasSize(1);
        assertThat(receiver.received().get(0).header("X-Thumbnail-Signature")).as("signed with the kept secret")
                .isEqualTo(WebhookReceiver.expectedSignature(receiver.received().get(0).body(), made));
        assertThat(second.get(job.id()).orElseThrow().callback().status()).isEqualTo(Callback.Status.DELIVERED);
    }
}
