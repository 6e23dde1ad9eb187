package io.thumbnail.server;

import io.thumbnail.JobQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.thumbnail.server.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What uploads in flight may take: a few per client address and per key (429), a bounded number and bounded body
 * bytes for the whole server (503 with {@code Retry-After}); and the bounded names and URLs a job keeps. Uploads in
 * flight are held open by raw connections sending their bodies slowly.
 */
class UploadLimitsTest {
    private static final byte[] PNG = TestImages.gradient(64, 48, "png");
    private static final Duration TICK = Duration.ofMillis(100);

    @TempDir
    Path dir;

    /** An upload of {@code bytes} from {@code address} that sends its head and then 2 KB a second. */
    private static void slowUpload(SlowClients clients, String address, long bytes) {
        upload(clients, address, "", bytes, 200);
    }

    /** An upload of {@code bytes} from {@code address}, with {@code headers}, sending {@code perTick} bytes a tick. */
    private static void upload(SlowClients clients, String address, String headers, long bytes, int perTick) {
        clients.open(address, "POST /api/v1/thumbnails?width=20 HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers
                + "Content-Type: image/png\r\nContent-Length: " + bytes + "\r\n\r\n", perTick, bytes);
    }

    @Test
    void uploads_past_the_per_address_limit_are_429_and_other_addresses_still_upload() throws Exception {
        try (TestServer server = TestServer.startPaused(dir, "--max-uploads-per-client", "2");
             SlowClients clients = new SlowClients(server.server.port())) {
            slowUpload(clients, "127.0.4.1", 100_000);
            slowUpload(clients, "127.0.4.1", 100_000);
            clients.trickle(Duration.ofMillis(500), TICK);
            // Its whole body at once: a refused body is read to its end (and thrown away) before the answer.
            upload(clients, "127.0.4.1", "", 4000, 4000);
            clients.trickle(Duration.ofMillis(500), TICK);

            RawHttp.Response third = clients.answer(2);
            assertThat(third.status()).as("a third upload from the address: %s", third.body()).isEqualTo(429);
            assertThat(third.body()).contains("rate_limited", "uploads from one client address");
            assertThat(third.header("Retry-After")).isNotNull();
            assertThat(clients.answeredOrClosed()).as("only the third is answered").isEqualTo(1);
            assertThat(server.postRaw("/api/v1/thumbnails?width=20", "image/png", PNG).statusCode())
                    .as("an upload from another address").isEqualTo(202);
        }
    }

    @Test
    void uploads_past_the_per_key_limit_are_429_whatever_the_address() throws Exception {
        String key = "k".repeat(40);
        try (TestServer server = TestServer.startPaused(dir, "--max-uploads-per-client", "1",
                "--api-keys", "alice:" + ApiKeyApiTest.sha256(key));
             SlowClients clients = new SlowClients(server.server.port())) {
            upload(clients, "127.0.4.2", "Authorization: Bearer " + key + "\r\n", 100_000, 200);
            clients.trickle(Duration.ofMillis(500), TICK);

            HttpResponse<String> second = server.as(key).postRaw("/api/v1/thumbnails?width=20", "image/png", PNG);

            assertThat(second.statusCode()).as("the key's second upload, from another address: %s", second.body())
                    .isEqualTo(429);
            assertThat(json(second).at("/error/message").asText()).contains("API key");
        }
    }

    @Test
    void uploads_past_the_server_limit_are_503_with_retry_after() throws Exception {
        try (TestServer server = TestServer.startPaused(dir, "--max-uploads", "2");
             SlowClients clients = new SlowClients(server.server.port())) {
            slowUpload(clients, "127.0.4.3", 100_000);
            slowUpload(clients, "127.0.4.4", 100_000);
            clients.trickle(Duration.ofMillis(500), TICK);

            HttpResponse<String> third = server.postRaw("/api/v1/thumbnails?width=20", "image/png", PNG);

            assertThat(third.statusCode()).as(third.body()).isEqualTo(503);
            assertThat(json(third).at("/error/code").asText()).isEqualTo("unavailable");
            assertThat(third.headers().firstValue("Retry-After")).isPresent();
            assertThat(server.get("/health").statusCode()).as("reads are not uploads").isEqualTo(200);
        }
    }

    @Test
    void bodies_past_the_byte_budget_are_503_whether_declared_or_counted_as_they_arrive() throws Exception {
        try (TestServer server = TestServer.startPaused(dir, "--max-inflight-bytes", "1M",
                "--max-upload-bytes", "1M");
             SlowClients clients = new SlowClients(server.server.port())) {
            slowUpload(clients, "127.0.4.5", 900_000);
            clients.trickle(Duration.ofMillis(500), TICK);

            HttpResponse<String> declared = server.postRaw("/api/v1/thumbnails?width=20", "image/png",
                    java.util.Arrays.copyOf(PNG, 200_000));
            HttpResponse<String> chunked = server.postChunked("/api/v1/thumbnails?width=20", "image/png",
                    java.util.Arrays.copyOf(PNG, 200_000));
            HttpResponse<String> small = server.postRaw("/api/v1/thumbnails?width=20", "image/png", PNG);

            assertThat(declared.statusCode()).as("a declared 200 KB body: %s", declared.body()).isEqualTo(503);
            assertThat(declared.headers().firstValue("Retry-After")).isPresent();
            assertThat(json(declared).at("/error/message").asText()).contains("upload bytes");
            assertThat(chunked.statusCode()).as("a chunked 200 KB body: %s", chunked.body()).isEqualTo(503);
            assertThat(small.statusCode()).as("a body that fits: %s", small.body()).isEqualTo(202);
            assertThat(server.service.list(JobQuery.all()).items()).as("jobs: only the body that fitted").hasSize(1);
        }
    }

    @Test
    void a_url_longer_than_8_kb_is_refused_and_nothing_is_stored() {
        try (TestServer server = TestServer.startPaused(dir)) {
            String url = "https://example.com/" + "a".repeat(9000);

            HttpResponse<String> response = server.postRaw("/api/v1/thumbnails?width=20", "application/json",
                    ("{\"url\": \"" + url + "\"}").getBytes(StandardCharsets.UTF_8));

            assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
            assertThat(json(response).at("/error/message").asText()).contains("8192");
            assertThat(server.service.list(JobQuery.all()).items()).isEmpty();
        }
    }

    @Test
    void a_file_name_longer_than_1024_bytes_is_refused_before_the_body_is_stored() {
        try (TestServer server = TestServer.startPaused(dir)) {
            String name = "é".repeat(513) + ".png";

            HttpResponse<String> raw = server.postRaw("/api/v1/thumbnails?width=20&filename="
                    + URLEncoder.encode(name, StandardCharsets.UTF_8), "image/png", PNG);
            HttpResponse<String> multipart = server.postMultipart("/api/v1/thumbnails", Map.of("width", "20"),
                    new TestServer.FilePart(name, "image/png", PNG));
            HttpResponse<String> longest = server.postMultipart("/api/v1/thumbnails", Map.of("width", "20"),
                    new TestServer.FilePart("é".repeat(510) + ".png", "image/png", PNG));

            assertThat(raw.statusCode()).as(raw.body()).isEqualTo(400);
            assertThat(multipart.statusCode()).as(multipart.body()).isEqualTo(400);
            assertThat(json(multipart).at("/error/message").asText()).contains("1024 bytes");
            assertThat(longest.statusCode()).as("a name of 1024 bytes: %s", longest.body()).isEqualTo(202);
        }
    }
}
