package io.thumbnail.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

import static io.thumbnail.server.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/** API keys: every {@code /api} route needs one, and each key sees only its own jobs and batches. */
class ApiKeyApiTest {
    private static final String ALICE = "alice-secret-key";
    private static final String BOB = "bob-secret-key";
    private static final String METRICS = "prometheus-scrape-key";
    private static final byte[] PNG = TestImages.gradient(120, 80, "png");

    @TempDir
    Path dir;

    static String sha256(String key) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    }

    private TestServer start(String... extra) throws Exception {
        Path keys = Files.writeString(dir.resolve("keys.txt"), "# test keys\nalice:" + sha256(ALICE) + "\n\nbob:"
                + sha256(BOB) + "\n");
        String[] flags = new String[extra.length + 2];
        flags[0] = "--api-keys-file";
        flags[1] = keys.toString();
        System.arraycopy(extra, 0, flags, 2, extra.length);
        return TestServer.startPaused(Files.createDirectories(dir.resolve("data")), flags);
    }

    private static JsonNode upload(TestServer server, String name) {
        HttpResponse<String> response = server.postMultipart("/api/v1/thumbnails?width=40", Map.of(),
                new TestServer.FilePart(name, "image/png", PNG));
        assertThat(response.statusCode()).as("upload; body: %s", response.body()).isEqualTo(202);
        return json(response);
    }

    private static void assertUnauthorized(HttpResponse<String> response) {
        assertThat(response.statusCode()).as("status; body: %s", response.body()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(json(response).at("/error/code").asText()).isEqualTo("unauthorized");
    }

    @Test
    void every_api_route_without_a_valid_key_answers_401_with_a_bearer_challenge() throws Exception {
        try (TestServer server = start()) {
            String id = UUID.randomUUID().toString();
            assertUnauthorized(server.get("/api/v1/thumbnails"));
            assertUnauthorized(server.get("/api/v1/thumbnails/" + id));
            assertUnauthorized(server.get("/api/v1/thumbnails/" + id + "/file"));
            assertUnauthorized(server.delete("/api/v1/thumbnails/" + id));
            assertUnauthorized(server.get("/api/v1/batches/" + id));
            assertUnauthorized(server.postRaw("/api/v1/thumbnails", "image/png", PNG));
            assertUnauthorized(server.get("/api/v1/thumbnails", "Authorization", "Bearer not-a-key"));
            assertUnauthorized(server.get("/api/v1/thumbnails", "Authorization", "Basic " + ALICE));
            assertUnauthorized(server.get("/api/v1/thumbnails", "Authorization", "Bearer "));
            assertThat(server.service.list(io.thumbnail.JobQuery.all()).items()).as("nothing was submitted").isEmpty();
        }
    }

    @Test
    void the_401_says_whether_no_key_a_wrong_key_or_another_scheme_was_sent() throws Exception {
        try (TestServer server = start()) {
            assertThat(json(server.get("/api/v1/thumbnails")).at("/error/message").asText())
                    .isEqualTo("this needs an API key: send Authorization: Bearer <key>");
            assertThat(json(server.get("/api/v1/thumbnails", "Authorization", "Bearer not-a-key"))
                    .at("/error/message").asText()).as("naming no key that exists")
                    .isEqualTo("the key sent is not an API key this server knows");
            assertThat(json(server.get("/api/v1/thumbnails", "Authorization", "Basic " + ALICE))
                    .at("/error/message").asText()).isEqualTo("this needs an API key sent as Authorization: Bearer"
                    + " <key> (another scheme, or an empty key, was sent)");
        }
    }

    @Test
    void a_401_is_counted_in_metrics_under_the_route_the_request_was_for() throws Exception {
        try (TestServer server = start()) {
            String id = UUID.randomUUID().toString();
            assertUnauthorized(server.get("/api/v1/thumbnails/" + id));

            String metrics = server.as(ALICE).get("/metrics").body();

            assertThat(metrics).as("the refused GET of a job in /metrics")
                    .contains("http_server_requests_seconds_count{method=\"GET\",route=\"/api/v1/thumbnails/{id}\","
                            + "status=\"401\"} 1")
                    .doesNotContain("route=\"unmatched\"")
                    .doesNotContain(id);
        }
    }

    @Test
    void health_stays_open_when_keys_are_set() throws Exception {
        try (TestServer server = start()) {
            assertThat(server.get("/health").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void a_key_sees_downloads_and_deletes_its_own_job() throws Exception {
        try (TestServer server = start()) {
            String id = upload(server.as(ALICE), "mine.png").get("id").asText();
            server.runNextJob();

            assertThat(server.get("/api/v1/thumbnails/" + id).statusCode()).isEqualTo(200);
            assertThat(server.getBytes("/api/v1/thumbnails/" + id + "/file").statusCode()).isEqualTo(200);
            assertThat(server.delete("/api/v1/thumbnails/" + id).statusCode()).isEqualTo(200);
            assertThat(server.service.get(UUID.fromString(id)).map(io.thumbnail.Job::owner)).as("deleted").isEmpty();
        }
    }

    @Test
    void a_file_asked_for_with_a_key_may_be_kept_by_that_client_only_not_by_a_shared_cache() throws Exception {
        try (TestServer server = start()) {
            String id = upload(server.as(ALICE), "cached.png").get("id").asText();
            server.runNextJob();

            HttpResponse<byte[]> file = server.getBytes("/api/v1/thumbnails/" + id + "/file");

            assertThat(file.statusCode()).isEqualTo(200);
            assertThat(file.headers().firstValue("Cache-Control")).as("a keyed image's caching")
                    .hasValue("private, max-age=31536000, immutable");
        }
    }

    @Test
    void the_key_name_becomes_the_job_owner() throws Exception {
        try (TestServer server = start()) {
            String id = upload(server.as(BOB), "b.png").get("id").asText();

            assertThat(server.service.get(UUID.fromString(id)).orElseThrow().owner()).isEqualTo("bob");
        }
    }

    @Test
    void another_keys_job_answers_404_exactly_like_one_that_does_not_exist() throws Exception {
        try (TestServer server = start()) {
            String id = upload(server.as(ALICE), "alice.png").get("id").asText();
            server.runNextJob();
            String missing = UUID.randomUUID().toString();
            server.as(BOB);

            for (String suffix : new String[] {"", "/file"}) {
                HttpResponse<String> theirs = server.get("/api/v1/thumbnails/" + id + suffix);
                HttpResponse<String> nobodys = server.get("/api/v1/thumbnails/" + missing + suffix);
                assertThat(theirs.statusCode()).as("GET %s", suffix).isEqualTo(404);
                assertThat(theirs.body()).as("same answer as for a missing id")
                        .isEqualTo(nobodys.body().replace(missing, id));
            }
            HttpResponse<String> delete = server.delete("/api/v1/thumbnails/" + id);
            assertThat(delete.statusCode()).isEqualTo(404);
            assertThat(server.as(ALICE).get("/api/v1/thumbnails/" + id).statusCode())
                    .as("bob's delete did not touch alice's job").isEqualTo(200);
        }
    }

    @Test
    void a_listing_shows_only_the_callers_jobs() throws Exception {
        try (TestServer server = start()) {
            String alices = upload(server.as(ALICE), "a.png").get("id").asText();
            String bobs = upload(server.as(BOB), "b.png").get("id").asText();

            JsonNode bobList = json(server.as(BOB).get("/api/v1/thumbnails"));
            JsonNode aliceList = json(server.as(ALICE).get("/api/v1/thumbnails?status=queued"));

            assertThat(bobList.get("items")).extracting(item -> item.get("id").asText()).containsExactly(bobs);
            assertThat(aliceList.get("items")).extracting(item -> item.get("id").asText()).containsExactly(alices);
        }
    }

    @Test
    void another_keys_batch_and_its_events_answer_404() throws Exception {
        try (TestServer server = start()) {
            HttpResponse<String> created = server.as(ALICE).postMultipart("/api/v1/thumbnails?width=40", Map.of(),
                    new TestServer.FilePart("1.png", "image/png", PNG), new TestServer.FilePart("2.png", "image/png", PNG));
            String batch = json(created).get("id").asText();
            assertThat(server.get("/api/v1/batches/" + batch).statusCode()).isEqualTo(200);

            server.as(BOB);
            assertThat(server.get("/api/v1/batches/" + batch).statusCode()).isEqualTo(404);
            HttpResponse<String> events = server.get("/api/v1/batches/" + batch + "/events");
            assertThat(events.statusCode()).as("no stream is opened: %s", events.body()).isEqualTo(404);
            assertThat(json(events).at("/error/code").asText()).isEqualTo("not_found");
        }
    }

    @Test
    void metrics_take_any_api_key_when_no_metrics_key_is_set() throws Exception {
        try (TestServer server = start()) {
            assertUnauthorized(server.get("/metrics"));
            assertThat(server.as(ALICE).get("/metrics").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void metrics_take_only_their_own_key_when_one_is_set() throws Exception {
        try (TestServer server = start("--metrics-key-sha256", sha256(METRICS))) {
            assertUnauthorized(server.get("/metrics"));
            assertUnauthorized(server.as(ALICE).get("/metrics"));
            assertThat(server.as(METRICS).get("/metrics").statusCode()).isEqualTo(200);
            assertUnauthorized(server.get("/api/v1/thumbnails"));
        }
    }

    @Test
    void a_metrics_key_protects_metrics_of_an_otherwise_open_server() throws Exception {
        try (TestServer server = TestServer.startPaused(dir, "--metrics-key-sha256", sha256(METRICS))) {
            assertUnauthorized(server.get("/metrics"));
            assertThat(server.as(METRICS).get("/metrics").statusCode()).isEqualTo(200);
            assertThat(server.as(null).get("/api/v1/thumbnails").statusCode()).as("the API stays open").isEqualTo(200);
        }
    }

    @Test
    void keys_can_come_from_the_environment_variable_form() throws Exception {
        try (TestServer server = TestServer.startPaused(dir, "--api-keys", "carol:" + sha256("c1") + ",dave:" + sha256("d1"))) {
            assertUnauthorized(server.get("/api/v1/thumbnails"));
            assertThat(server.as("d1").get("/api/v1/thumbnails").statusCode()).isEqualTo(200);
        }
    }
}
