package io.thumbnail.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.thumbnail.server.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code /api/v1/thumbnails/{id}}, its file, the listing and deletion. */
class JobApiTest {
    private static final byte[] PNG = TestImages.gradient(613, 624, "png");

    @TempDir
    Path dir;

    private static String submit(TestServer server, String query) {
        HttpResponse<String> response = server.postRaw("/api/v1/thumbnails?" + query, "image/png", PNG);
        assertThat(response.statusCode()).as("upload; body: %s", response.body()).isIn(200, 202);
        return json(response).get("id").asText();
    }

    private static void assertError(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as("status; body: %s", response.body()).isEqualTo(status);
        assertThat(json(response).at("/error/code").asText()).as("error code").isEqualTo(code);
    }

    @Test
    void a_job_shows_source_spec_thumbnail_attempts_and_times() {
        try (TestServer server = TestServer.startPaused(dir)) {
            String id = submit(server, "width=100&height=100&filename=IMG_8667.png");
            server.runNextJob();

            JsonNode job = json(server.get("/api/v1/thumbnails/" + id));

            assertThat(job.get("status").asText()).isEqualTo("done");
            assertThat(job.at("/source/width").asInt()).isEqualTo(613);
            assertThat(job.at("/source/format").asText()).isEqualTo("png");
            assertThat(job.at("/source/sha256").asText()).hasSize(64);
            assertThat(job.at("/thumbnail/format").asText()).as("auto: opaque source becomes jpeg").isEqualTo("jpeg");
            assertThat(job.get("attempts").asInt()).isEqualTo(1);
            assertThat(job.get("finishedAt").asText()).as("ISO-8601 UTC").matches("\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z");
        }
    }

    @Test
    void wait_long_polls_until_the_job_is_done() {
        try (TestServer server = TestServer.start(dir)) {
            String id = submit(server, "width=50");

            JsonNode job = json(server.get("/api/v1/thumbnails/" + id + "?wait=30"));

            assertThat(job.get("status").asText()).isEqualTo("done");
        }
    }

    @Test
    void embed_base64_inlines_the_thumbnail() throws IOException {
        try (TestServer server = TestServer.startPaused(dir)) {
            String id = submit(server, "width=40");
            server.runNextJob();

            JsonNode job = json(server.get("/api/v1/thumbnails/" + id + "?embed=base64"));

            BufferedImage image = ImageIO.read(new ByteArrayInputStream(
                    Base64.getDecoder().decode(job.at("/thumbnail/base64").asText())));
            assertThat(image.getWidth()).as("the embedded image is the thumbnail").isEqualTo(40);
            assertError(server.get("/api/v1/thumbnails/" + id + "?embed=hex"), 400, "invalid_request");
        }
    }

    @Test
    void an_option_given_empty_is_the_option_left_out_on_every_endpoint() {
        try (TestServer server = TestServer.startPaused(dir)) {
            String id = submit(server, "width=40&callback_url=");
            server.runNextJob();

            HttpResponse<String> job = server.get("/api/v1/thumbnails/" + id + "?embed=&wait=");
            HttpResponse<String> listing = server.get("/api/v1/thumbnails?status=&published=&cursor=");

            assertThat(job.statusCode()).as("job; body: %s", job.body()).isEqualTo(200);
            assertThat(json(job).at("/thumbnail/base64").isMissingNode()).as("embed= embeds nothing").isTrue();
            assertThat(json(job).has("callback")).as("callback_url= asks for no webhook").isFalse();
            assertThat(listing.statusCode()).as("listing; body: %s", listing.body()).isEqualTo(200);
            assertThat(json(listing).get("items")).as("status= lists every job").hasSize(1);
        }
    }

    @Test
    void unknown_and_malformed_ids_are_404() {
        try (TestServer server = TestServer.startPaused(dir)) {
            assertError(server.get("/api/v1/thumbnails/" + UUID.randomUUID()), 404, "not_found");
            assertError(server.get("/api/v1/thumbnails/not-a-uuid"), 404, "not_found");
            assertError(server.get("/api/v1/thumbnails/" + UUID.randomUUID() + "/file"), 404, "not_found");
        }
    }

    @Test
    void the_file_is_served_with_its_type_length_strong_etag_and_download_name() throws IOException {
        try (TestServer server = TestServer.startPaused(dir)) {
            String id = submit(server, "width=100&filename=IMG_8667.png");
            server.runNextJob();

            HttpResponse<byte[]> file = server.getBytes("/api/v1/thumbnails/" + id + "/file");

            assertThat(file.statusCode()).isEqualTo(200);
            assertThat(file.headers().firstValue("Content-Type")).hasValue("image/jpeg");
            assertThat(file.headers().firstValue("Content-Length")).hasValue(String.valueOf(file.body().length));
            assertThat(file.headers().firstValue("ETag")).as("strong: quoted, no W/")
                    .hasValueSatisfying(etag -> assertThat(etag).matches("\"[0-9a-f]{64}\""));
            assertThat(file.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
            assertThat(file.headers().firstValue("Content-Disposition"))
                    .hasValue("inline; filename=\"IMG_8667.thumbnail.jpg\"");
            assertThat(ImageIO.read(new ByteArrayInputStream(file.body())).getWidth()).isEqualTo(100);
        }
    }

    @Test
    void a_range_request_gets_the_whole_file_and_is_told_ranges_are_not_served() {
        try (TestServer server = TestServer.startPaused(dir)) {
            String id = submit(server, "width=30");
            server.runNextJob();
            byte[] whole = server.getBytes("/api/v1/thumbnails/" + id + "/file").body();

            HttpResponse<byte[]> ranged = server.getBytes("/api/v1/thumbnails/" + id + "/file", "Range", "bytes=0-9");

            assertThat(ranged.statusCode()).as("status").isEqualTo(200);
            assertThat(ranged.body()).as("the body").isEqualTo(whole);
            assertThat(ranged.headers().firstValue("Accept-Ranges")).as("Accept-Ranges").hasValue("none");
        }
    }

    @Test
    void if_none_match_with_the_etag_is_304() {
        try (TestServer server = TestServer.startPaused(dir)) {
            String id = submit(server, "width=30");
            server.runNextJob();
            String etag = server.getBytes("/api/v1/thumbnails/" + id + "/file").headers().firstValue("ETag").orElseThrow();

            HttpResponse<byte[]> again = server.getBytes("/api/v1/thumbnails/" + id + "/file", "If-None-Match", etag);

            assertThat(again.statusCode()).isEqualTo(304);
            assertThat(again.body()).isEmpty();
            assertThat(again.headers().firstValue("ETag")).hasValue(etag);
            assertThat(again.headers().firstValue("Content-Type")).as("a 304 has no body to type").isEmpty();
            assertThat(again.headers().firstValue("Content-Length")).as("a 304's Content-Length, if any, must be the"
                    + " length a 200 would have (RFC 9110 8.6): a cache may take it for the stored response's")
                    .satisfiesAnyOf(length -> assertThat(length).isEmpty(),
                            length -> assertThat(length).hasValue(String.valueOf(
                                    server.getBytes("/api/v1/thumbnails/" + id + "/file").body().length)));
        }
    }

    @Test
    void if_none_match_as_several_header_lines_is_read_as_one_list() {
        try (TestServer server = TestServer.startPaused(dir)) {
            String id = submit(server, "width=30");
            server.runNextJob();
            String etag = server.getBytes("/api/v1/thumbnails/" + id + "/file").headers().firstValue("ETag").orElseThrow();

            HttpResponse<byte[]> again = server.getBytes("/api/v1/thumbnails/" + id + "/file",
                    "If-None-Match", "\"another\"", "If-None-Match", etag);

            assertThat(again.statusCode()).as("a list split over two lines, as proxies may").isEqualTo(304);
        }
    }

    @Test
    void the_file_of_a_queued_job_is_409_not_ready() {
        try (TestServer server = TestServer.startPaused(dir)) {
            String id = submit(server, "width=30");

            assertError(server.get("/api/v1/thumbnails/" + id + "/file"), 409, "not_ready");
        }
    }

    @Test
    void the_file_of_a_failed_job_is_422_with_the_jobs_error_code() {
        try (TestServer server = TestServer.startPaused(dir)) {
            byte[] truncated = Arrays.copyOf(PNG, PNG.length / 2);
            HttpResponse<String> upload = server.postRaw("/api/v1/thumbnails?width=30", "image/png", truncated);
            String id = json(upload).get("id").asText();
            server.runNextJob();

            HttpResponse<String> file = server.get("/api/v1/thumbnails/" + id + "/file");

            assertError(file, 422, "corrupt_image");
            assertThat(json(server.get("/api/v1/thumbnails/" + id)).at("/error/code").asText()).isEqualTo("corrupt_image");
        }
    }

    @Test
    void the_listing_is_newest_first_and_pages_with_a_cursor() {
        try (TestServer server = TestServer.startPaused(dir)) {
            String first = submit(server, "width=11");
            String second = submit(server, "width=12");
            String third = submit(server, "width=13");

            JsonNode page1 = json(server.get("/api/v1/thumbnails?limit=2"));
            JsonNode page2 = json(server.get("/api/v1/thumbnails?limit=2&cursor=" + page1.get("next").asText()));

            assertThat(page1.get("items")).extracting(j -> j.get("id").asText()).containsExactly(third, second);
            assertThat(page2.get("items")).extracting(j -> j.get("id").asText()).containsExactly(first);
            assertThat(page2.get("next").isNull()).as("no page after the last").isTrue();
        }
    }

    @Test
    void the_listing_filters_by_status() {
        try (TestServer server = TestServer.startPaused(dir)) {
            String done = submit(server, "width=11");
            server.runNextJob();
            String queued = submit(server, "width=12");

            JsonNode doneOnly = json(server.get("/api/v1/thumbnails?status=done"));
            JsonNode queuedOnly = json(server.get("/api/v1/thumbnails?status=queued"));

            assertThat(doneOnly.get("items")).extracting(j -> j.get("id").asText()).containsExactly(done);
            assertThat(queuedOnly.get("items")).extracting(j -> j.get("id").asText()).containsExactly(queued);
        }
    }

    @Test
    void bad_listing_parameters_are_400() {
        try (TestServer server = TestServer.startPaused(dir)) {
            HttpResponse<String> status = server.get("/api/v1/thumbnails?status=lost");
            HttpResponse<String> limit = server.get("/api/v1/thumbnails?limit=0");

            assertError(status, 400, "invalid_request");
            assertThat(json(status).at("/error/message").asText()).contains("queued, processing, done, failed");
            assertError(limit, 400, "invalid_request");
            assertThat(json(limit).at("/error/message").asText()).startsWith("limit must be a whole number between 1 and 1000");
        }
    }

    @Test
    void a_misspelt_listing_parameter_is_400_naming_it_rather_than_a_listing_of_everything() {
        try (TestServer server = TestServer.startPaused(dir)) {
            submit(server, "width=40");

            HttpResponse<String> response = server.get("/api/v1/thumbnails?stauts=failed");

            assertError(response, 400, "invalid_request");
            assertThat(json(response).at("/error/message").asText())
                    .contains("'stauts'", "status, limit, cursor, published");
        }
    }

    @Test
    void a_misspelt_parameter_of_a_jobs_get_is_400_naming_it_while_the_file_takes_any() {
        try (TestServer server = TestServer.startPaused(dir)) {
            String id = submit(server, "width=40");
            server.runNextJob();

            HttpResponse<String> job = server.get("/api/v1/thumbnails/" + id + "?embd=base64");
            HttpResponse<String> file = server.get("/api/v1/thumbnails/" + id + "/file?v=2");

            assertError(job, 400, "invalid_request");
            assertThat(json(job).at("/error/message").asText()).contains("'embd'", "wait, embed");
            assertThat(file.statusCode()).as("the file with a cache-buster").isEqualTo(200);
        }
    }

    @Test
    void delete_answers_the_job_and_then_it_is_gone() {
        try (TestServer server = TestServer.startPaused(dir)) {
            String id = submit(server, "width=20");
            server.runNextJob();

            HttpResponse<String> deleted = server.delete("/api/v1/thumbnails/" + id);

            assertThat(deleted.statusCode()).isEqualTo(200);
            assertThat(json(deleted).get("id").asText()).isEqualTo(id);
            assertError(server.get("/api/v1/thumbnails/" + id), 404, "not_found");
            assertError(server.get("/api/v1/thumbnails/" + id + "/file"), 404, "not_found");
            assertError(server.delete("/api/v1/thumbnails/" + id), 404, "not_found");
        }
    }

    @Test
    void head_on_the_file_answers_as_get_does_without_a_body() {
        try (TestServer server = TestServer.startPaused(dir)) {
            String done = submit(server, "width=30&filename=IMG_8667.png");
            server.runNextJob();
            String queued = submit(server, "width=31");
            Map<String, String> cases = new LinkedHashMap<>();
            cases.put("done", "/api/v1/thumbnails/" + done + "/file");
            cases.put("queued", "/api/v1/thumbnails/" + queued + "/file");
            cases.put("unknown", "/api/v1/thumbnails/" + UUID.randomUUID() + "/file");

            cases.forEach((name, path) -> {
                HttpResponse<String> get = server.get(path);
                HttpResponse<String> head = server.send("HEAD", path);

                assertThat(head.statusCode()).as("%s: HEAD's status is GET's", name).isEqualTo(get.statusCode());
                assertThat(head.body()).as("%s: HEAD has no body", name).isEmpty();
                for (String header : List.of("Content-Type", "Content-Length", "ETag", "Cache-Control",
                        "Content-Disposition")) {
                    assertThat(head.headers().firstValue(header)).as("%s: HEAD's %s is GET's", name, header)
                            .isEqualTo(get.headers().firstValue(header));
                }
            });
            assertThat(server.send("HEAD", cases.get("done")).headers().firstValue("ETag")).as("a done job's ETag")
                    .isPresent();
            assertThat(server.send("HEAD", cases.get("queued")).statusCode()).as("not ready").isEqualTo(409);
            assertThat(server.send("HEAD", cases.get("unknown")).statusCode()).as("unknown id").isEqualTo(404);
        }
    }
}
