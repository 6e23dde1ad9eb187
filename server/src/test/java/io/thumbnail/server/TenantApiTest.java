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
