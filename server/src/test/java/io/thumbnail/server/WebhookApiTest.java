package io.thumbnail.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.thumbnail.webhooks.WebhookReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.thumbnail.server.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code callback_url} on the REST API against a real server: the receiver (on 127.0.0.1, so the server allows
 * private addresses except where the guard's refusal is the point) gets the job exactly as GET answers it, signed.
 */
class WebhookApiTest {
    private static final byte[] PNG = TestImages.gradient(120, 80, "png");
    private static final String SECRET = "webhook-secret-for-tests";

    @TempDir
    Path dir;
    private WebhookReceiver receiver;
    private TestServer server;

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = new WebhookReceiver();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        receiver.close();
    }

    private TestServer paused(String... flags) {
        String[] all = new String[flags.length + 2];
        all[0] = "--webhook-secret";
        all[1] = SECRET;
        System.arraycopy(flags, 0, all, 2, flags.length);
        return TestServer.startPaused(dir, all);
    }

    private HttpResponse<String> upload(String query, Map<String, String> fields) {
        return server.postMultipart("/api/v1/thumbnails" + query, fields,
                new TestServer.FilePart("cat.png", "image/png", PNG));
    }

    private String callbackQuery(String url) {
        return "?callback_url=" + URLEncoder.encode(url, StandardCharsets.UTF_8);
    }

    @Test
    void an_upload_with_a_callback_url_field_is_posted_the_job_exactly_as_get_answers_it_signed() {
        server = paused("--allow-private-sources");
        HttpResponse<String> created = upload("?width=40", Map.of("callback_url", receiver.url().toString()));
        assertThat(created.statusCode()).as("body: %s", created.body()).isEqualTo(202);
        String id = json(created).get("id").asText();
        assertThat(json(created).get("callback").toString()).isEqualTo("{\"status\":\"pending\",\"attempts\":0}");

        server.runNextJob();
        String answered = server.get("/api/v1/thumbnails/" + id).body();
        server.deliverWebhooks();

        assertThat(receiver.received()).as("deliveries").hasSize(1);
        WebhookReceiver.Received delivery = receiver.received().get(0);
        assertThat(delivery.text()).as("the body: the job as GET answered it").isEqualTo(answered);
        assertThat(delivery.header("X-Thumbnail-Event")).isEqualTo("job.done");
        assertThat(delivery.header("X-Thumbnail-Signature"))
                .isEqualTo(WebhookReceiver.expectedSignature(delivery.body(), SECRET));
        JsonNode after = json(server.get("/api/v1/thumbnails/" + id));
        assertThat(after.get("callback").toString()).isEqualTo("{\"status\":\"delivered\",\"attempts\":1}");
    }

    @Test
    void a_url_request_with_a_callback_url_field_for_several_urls_is_posted_once_as_batch_done() {
        server = paused("--allow-private-sources");
        String image = receiver.url().resolve("/not-an-image").toString();
        HttpResponse<String> created = server.postRaw("/api/v1/thumbnails", "application/json",
                ("{\"urls\":[\"" + image + "\",\"" + image + "?2\"],\"callback_url\":\"" + receiver.url() + "\"}")
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(created.statusCode()).as("body: %s", created.body()).isEqualTo(202);
        String batchId = json(created).get("id").asText();
        assertThat(json(created).at("/callback/status").asText()).isEqualTo("pending");

        server.runNextJob();
        server.runNextJob();
        String answered = server.get("/api/v1/batches/" + batchId).body();
        server.deliverWebhooks();

        // The receiver answered the two fetches (not images) as well as the webhook.
        assertThat(receiver.received().stream().filter(r -> r.method().equals("POST")).toList())
                .as("deliveries").singleElement().satisfies(delivery -> {
                    assertThat(delivery.header("X-Thumbnail-Event")).isEqualTo("batch.done");
                    assertThat(delivery.text()).as("the batch as GET answered it").isEqualTo(answered);
                });
        assertThat(json(server.get("/api/v1/batches/" + batchId)).at("/callback/status").asText())
                .isEqualTo("delivered");
    }

    @Test
    void a_receiver_answering_400_leaves_the_callback_failed_with_its_error_in_the_view() {
        receiver.then(400);
        server = paused("--allow-private-sources");
        String id = json(upload(callbackQuery(receiver.url().toString()), Map.of())).get("id").asText();
        server.runNextJob();
        server.deliverWebhooks();

        JsonNode callback = json(server.get("/api/v1/thumbnails/" + id)).get("callback");
        assertThat(callback.toString()).isEqualTo("{\"status\":\"failed\",\"attempts\":1,\"lastError\":\"HTTP 400\"}");
    }

    @Test
    void a_callback_url_to_a_private_address_is_refused_with_400_naming_callback_url_without_connecting() {
        server = paused();
        for (String url : new String[]{receiver.url().toString(), "http://192.168.1.10/hook", "http://[fd00::1]/h"}) {
            HttpResponse<String> refused = upload(callbackQuery(url), Map.of());

            assertThat(refused.statusCode()).as(url).isEqualTo(400);
            assertThat(json(refused).at("/error/code").asText()).isEqualTo("invalid_request");
            assertThat(json(refused).at("/error/message").asText()).as(url).contains("callback_url")
                    .contains("blocked range");
        }
        assertThat(receiver.received()).as("requests the receiver got").isEmpty();
    }

    @Test
    void a_callback_url_that_is_not_http_is_refused_with_400_naming_it() {
        server = paused("--allow-private-sources");
        for (String url : new String[]{"ftp://example.com/hook", "javascript:alert(1)", "hooks/thumbnails"}) {
            HttpResponse<String> refused = upload(callbackQuery(url), Map.of());

            assertThat(refused.statusCode()).as(url).isEqualTo(400);
            assertThat(json(refused).at("/error/message").asText()).as(url)
                    .startsWith("callback_url must be an http or https URL");
        }
        HttpResponse<String> json = server.postRaw("/api/v1/thumbnails", "application/json",
                "{\"url\":\"http://127.0.0.1/a.png\",\"callback_url\":42}".getBytes(StandardCharsets.UTF_8));
        assertThat(json.statusCode()).isEqualTo(400);
        assertThat(json(json).at("/error/message").asText()).startsWith("callback_url must be a URL string");
    }

    @Test
    void with_workers_running_the_callback_arrives_on_its_own() throws InterruptedException {
        server = TestServer.start(dir, "--allow-private-sources", "--webhook-secret", SECRET);
        String id = json(upload(callbackQuery(receiver.url().toString()), Map.of())).get("id").asText();

        WebhookReceiver.Received delivery = receiver.next(Duration.ofSeconds(30));

        assertThat(delivery).as("a delivery within 30 s").isNotNull();
        assertThat(parse(delivery.text()).get("id").asText()).isEqualTo(id);
        assertThat(delivery.header("X-Thumbnail-Signature"))
                .isEqualTo(WebhookReceiver.expectedSignature(delivery.body(), SECRET));
    }

    private static JsonNode parse(String text) {
        try {
            return TestServer.JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError(text, e);
        }
    }
}
