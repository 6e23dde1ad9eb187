package io.thumbnail.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.thumbnail.server.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Two API keys on one server: neither learns what the other has sent, nor takes the whole queue. */
class TenantApiTest {
    private static final String ALICE = "alice-secret-key";
    private static final String BOB = "bob-secret-key";

    @TempDir
    Path dir;

    private TestServer start(String... extra) throws Exception {
        Path keys = Files.writeString(dir.resolve("keys.txt"), "alice:" + ApiKeyApiTest.sha256(ALICE) + "\nbob:"
                + ApiKeyApiTest.sha256(BOB) + "\n");
        String[] flags = new String[extra.length + 2];
        flags[0] = "--api-keys-file";
        flags[1] = keys.toString();
        System.arraycopy(extra, 0, flags, 2, extra.length);
        return TestServer.startPaused(Files.createDirectories(dir.resolve("data")), flags);
    }

    private static HttpResponse<String> upload(TestServer server, byte[] image) {
        return server.postRaw("/api/v1/thumbnails?width=40", "image/png", image);
    }

    @Test
    void a_key_at_its_share_of_the_queue_is_refused_while_another_key_can_still_submit() throws Exception {
        int capacity = 8;
        try (TestServer server = start("--queue-capacity", Integer.toString(capacity))) {
            int accepted = 0;
            HttpResponse<String> refused = null;
            for (int i = 0; i < capacity && refused == null; i++) {
                HttpResponse<String> response = server.as(ALICE).postRaw("/api/v1/thumbnails?width=40", "image/jpeg",
                        TestImages.photo(64, 48, i));
                if (response.statusCode() == 202) {
                    accepted++;
                } else {
                    refused = response;
                }
            }

            assertThat(refused).as("alice refused before she alone filled the queue of %d", capacity).isNotNull();
            assertThat(refused.statusCode()).as("alice's refusal; body: %s", refused.body()).isEqualTo(429);
            assertThat(json(refused).at("/error/code").asText()).isEqualTo("queue_full");
            assertThat(refused.headers().firstValue("Retry-After")).as("Retry-After").isPresent();
            assertThat(accepted).as("alice's accepted uploads").isPositive().isLessThan(capacity);
            HttpResponse<String> bobs = server.as(BOB).postRaw("/api/v1/thumbnails?width=40", "image/jpeg",
                    TestImages.photo(64, 48, 100));
            assertThat(bobs.statusCode()).as("bob's upload with alice at her share; body: %s", bobs.body())
                    .isEqualTo(202);
        }
    }

    @Test
    void an_image_another_key_has_had_made_is_answered_queued_like_any_other() throws Exception {
        byte[] image = TestImages.gradient(120, 80, "png");
        try (TestServer server = start()) {
            HttpResponse<String> alices = upload(server.as(ALICE), image);
            assertThat(alices.statusCode()).as("alice's upload; body: %s", alices.body()).isEqualTo(202);
            server.runNextJob();
            HttpResponse<String> alicesAgain = upload(server, image);
            assertThat(json(alicesAgain).get("status").asText()).as("alice sending her own image again (dedupe)")
                    .isEqualTo("done");

            HttpResponse<String> bobs = upload(server.as(BOB), image);

            assertThat(bobs.statusCode()).as("bob's upload; body: %s", bobs.body()).isEqualTo(202);
            JsonNode job = json(bobs);
            assertThat(job.get("status").asText()).as("bob's job for an image only alice had sent")
                    .isEqualTo("queued");
            assertThat(job.get("attempts").asInt()).as("attempts at submit").isZero();
            server.runNextJob();
            JsonNode done = json(server.get("/api/v1/thumbnails/" + job.get("id").asText()));
            assertThat(done.get("status").asText()).as("bob's job once run").isEqualTo("done");
            assertThat(done.get("attempts").asInt()).as("attempts once done, as for any job").isEqualTo(1);
        }
    }
}
