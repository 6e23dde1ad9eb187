package io.thumbnail.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.thumbnail.server.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code priority=high|normal|low} on every kind of create request, shown in the job and obeyed by the queue. */
class PriorityApiTest {
    @TempDir
    Path dir;

    private static TestServer.FilePart png(int seed) {
        return new TestServer.FilePart("p" + seed + ".png", "image/png", TestImages.gradient(40 + seed, 30, "png"));
    }

    @Test
    void a_form_field_sets_the_priority_the_job_shows() {
        try (TestServer server = TestServer.startPaused(dir)) {
            HttpResponse<String> created = server.postMultipart("/api/v1/thumbnails", Map.of("priority", "high"),
                    png(1));

            assertThat(created.statusCode()).as("body: %s", created.body()).isEqualTo(202);
            assertThat(json(created).get("priority").asText()).isEqualTo("high");
        }
    }

    @Test
    void a_normal_job_shows_no_priority_as_normal_is_the_default() {
        try (TestServer server = TestServer.startPaused(dir)) {
            HttpResponse<String> created = server.postRaw("/api/v1/thumbnails?priority=normal", "image/png",
                    TestImages.gradient(40, 30, "png"));

            assertThat(created.statusCode()).as("body: %s", created.body()).isEqualTo(202);
            assertThat(json(created).has("priority")).as("priority in %s", created.body()).isFalse();
        }
    }

    @Test
    void a_url_request_takes_the_priority_from_its_json_body() {
        try (TestServer server = TestServer.startPaused(dir)) {
            HttpResponse<String> created = server.postRaw("/api/v1/thumbnails", "application/json",
                    "{\"url\": \"https://images.example/cat.png\", \"priority\": \"low\"}"
                            .getBytes(StandardCharsets.UTF_8));

            assertThat(created.statusCode()).as("body: %s", created.body()).isEqualTo(202);
            assertThat(json(created).get("priority").asText()).isEqualTo("low");
        }
    }

    @Test
    void an_unknown_priority_is_a_400_naming_the_field_and_its_values() {
        try (TestServer server = TestServer.startPaused(dir)) {
            HttpResponse<String> refused = server.postRaw("/api/v1/thumbnails?priority=urgent", "image/png",
                    TestImages.gradient(40, 30, "png"));

            assertThat(refused.statusCode()).as("body: %s", refused.body()).isEqualTo(400);
            JsonNode error = json(refused).get("error");
            assertThat(error.get("code").asText()).isEqualTo("invalid_request");
            assertThat(error.get("message").asText()).isEqualTo("priority must be one of high, normal, low (was 'urgent')");
        }
    }

    @Test
    void a_priority_that_is_not_a_string_in_json_is_a_400() {
        try (TestServer server = TestServer.startPaused(dir)) {
            HttpResponse<String> refused = server.postRaw("/api/v1/thumbnails", "application/json",
                    "{\"url\": \"https://images.example/cat.png\", \"priority\": 1}".getBytes(StandardCharsets.UTF_8));

            assertThat(refused.statusCode()).as("body: %s", refused.body()).isEqualTo(400);
            assertThat(json(refused).at("/error/message").asText()).startsWith("priority must be a string");
        }
    }

    @Test
    void the_queue_serves_the_high_job_first() {
        try (TestServer server = TestServer.startPaused(dir)) {
            List<String> lows = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                lows.add(json(server.postMultipart("/api/v1/thumbnails", Map.of("priority", "low"), png(i)))
                        .get("id").asText());
            }
            String high = json(server.postRaw("/api/v1/thumbnails?priority=high", "image/png",
                    TestImages.gradient(90, 30, "png"))).get("id").asText();

            server.runNextJob();

            assertThat(json(server.get("/api/v1/thumbnails/" + high)).get("status").asText())
                    .as("the high job after one job ran").isEqualTo("done");
            for (String low : lows) {
                assertThat(json(server.get("/api/v1/thumbnails/" + low)).get("status").asText())
                        .as("low job %s", low).isEqualTo("queued");
            }
        }
    }
}
