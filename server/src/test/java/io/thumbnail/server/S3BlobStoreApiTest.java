package io.thumbnail.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.thumbnail.s3.LocalS3;
import io.thumbnail.s3.S3Endpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import static io.thumbnail.server.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server over a service keeping its images in a bucket of a real S3 API (s3proxy on loopback), SQLite in the data
 * directory: an upload made, processed and downloaded, its bytes in the bucket; the object store stopped and
 * started again under a running server: uploads refused with 503 and {@code /health} down meanwhile, nothing lost;
 * and a bucket that falls silent, which {@code /health} reports down without waiting for it.
 */
class S3BlobStoreApiTest {
    @RegisterExtension
    static final S3Endpoint endpoint = new S3Endpoint();
    @TempDir
    Path dir;
    private final LocalS3 s3 = endpoint.s3();
    private final String bucket = endpoint.newBucket("thumbnails");

    private TestServer start(String prefix) {
        return TestServer.start(dir.resolve("data"), "--blob-store", s3.location(bucket, prefix));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String key(String prefix, String sha256) {
        return prefix + "/" + sha256.substring(0, 2) + "/" + sha256;
    }

    @Test
    void an_upload_is_made_into_a_thumbnail_whose_bytes_live_in_the_bucket_and_stream_from_it() {
        try (TestServer server = start("end-to-end")) {
            HttpResponse<String> accepted = server.postRaw("/api/v1/thumbnails?width=40", "image/png",
                    TestImages.gradient(160, 120, "png"));
            assertThat(accepted.statusCode()).as("upload; body: %s", accepted.body()).isEqualTo(202);
            String id = json(accepted).at("/id").asText();

            JsonNode done = json(server.get("/api/v1/thumbnails/" + id + "?wait=30"));
            assertThat(done.at("/status").asText()).as("job: %s", done).isEqualTo("done");
            HttpResponse<byte[]> file = server.getBytes("/api/v1/thumbnails/" + id + "/file");

            assertThat(file.statusCode()).isEqualTo(200);
            String sha = sha256(file.body());
            assertThat(s3.keys(bucket)).as("keys in the bucket").contains(key("end-to-end", sha),
                    key("end-to-end", done.at("/source/sha256").asText()));
            assertThat(file.body()).as("the downloaded thumbnail").isEqualTo(s3.read(bucket, key("end-to-end", sha)));
            assertThat(file.headers().firstValue("Content-Length")).hasValue(String.valueOf(file.body().length));
            JsonNode health = json(server.get("/health"));
            assertThat(health.at("/checks/blobs/status").asText()).as("blob store health").isEqualTo("up");
        }
    }

    @Test
    void an_outage_of_the_object_store_refuses_uploads_with_503_and_loses_nothing() throws Exception {
        try (TestServer server = start("outage")) {
            HttpResponse<String> before = server.postRaw("/api/v1/thumbnails?width=30", "image/png",
                    TestImages.gradient(90, 60, "png"));
            String beforeId = json(before).at("/id").asText();
            assertThat(json(server.get("/api/v1/thumbnails/" + beforeId + "?wait=30")).at("/status").asText())
                    .as("a job done before the outage").isEqualTo("done");

            s3.stop();
            try {
                HttpResponse<String> refused = server.postRaw("/api/v1/thumbnails?width=30", "image/png",
                        TestImages.gradient(60, 90, "png"));
                assertThat(refused.statusCode()).as("upload during the outage; body: %s", refused.body())
                        .isEqualTo(503);
                assertThat(json(refused).at("/error/code").asText()).isEqualTo("io_error");
                assertThat(refused.headers().firstValue("Retry-After")).as("Retry-After").isPresent();
                HttpResponse<String> down = server.get("/health");
                assertThat(down.statusCode()).as("health during the outage; body: %s", down.body()).isEqualTo(503);
                assertThat(json(down).at("/checks/blobs/status").asText()).as("blob store").isEqualTo("down");
                assertThat(json(down).at("/checks/database/status").asText()).as("database").isEqualTo("up");
            } finally {
                s3.restart();
            }

            server.awaitHealth(200);
            HttpResponse<String> after = server.postRaw("/api/v1/thumbnails?width=30", "image/png",
                    TestImages.gradient(60, 90, "png"));
            assertThat(after.statusCode()).as("upload once the store answers; body: %s", after.body()).isEqualTo(202);
            String afterId = json(after).at("/id").asText();
            assertThat(json(server.get("/api/v1/thumbnails/" + afterId + "?wait=30")).at("/status").asText())
                    .as("the job after the outage").isEqualTo("done");
            assertThat(server.getBytes("/api/v1/thumbnails/" + beforeId + "/file").statusCode())
                    .as("the thumbnail made before the outage").isEqualTo(200);
            JsonNode list = json(server.get("/api/v1/thumbnails"));
            assertThat(list.at("/items").size()).as("jobs: the two accepted, none half-made").isEqualTo(2);
        }
    }

    @Test
    void health_answers_at_once_and_says_down_while_the_bucket_takes_connections_but_never_answers() throws Exception {
        try (SilentProxy proxy = SilentProxy.to(s3.port());
             TestServer server = TestServer.start(dir.resolve("data"), "--blob-store",
                     s3.location(bucket, "silent").replace(":" + s3.port(), ":" + proxy.port()))) {
            assertThat(server.get("/health").statusCode()).as("health while the bucket answers").isEqualTo(200);

            proxy.fallSilent();
            HttpResponse<String> down = server.awaitHealthAnsweringWithin(503, StorageHealthApiTest.HEALTH_BOUND);

            assertThat(json(down).at("/checks/blobs/status").asText()).as("blob store").isEqualTo("down");
            assertThat(json(down).at("/checks/database/status").asText()).as("database").isEqualTo("up");
        }
    }
}
