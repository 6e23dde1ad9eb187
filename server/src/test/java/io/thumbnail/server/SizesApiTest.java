package io.thumbnail.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.thumbnail.server.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code sizes=...} over HTTP: several thumbnails of one upload or URL as one batch, and the 400s around it. */
class SizesApiTest {
    private static final byte[] PHOTO = TestImages.photo(1600, 1200, 1);
    private static final String UPLOAD = "/api/v1/thumbnails";

    @TempDir
    Path dir;

    private static List<String> sizes(JsonNode batch) {
        List<String> sizes = new ArrayList<>();
        batch.get("items").forEach(item -> sizes.add(item.at("/spec/width").asText("") + "x"
                + item.at("/spec/height").asText("")));
        return sizes;
    }

    private static HttpResponse<String> rawUpload(TestServer server, String query) {
        return server.postRaw(UPLOAD + query, "image/jpeg", PHOTO);
    }

    private static void assertRefused(HttpResponse<String> response, String... named) {
        assertThat(response.statusCode()).as("status; body: %s", response.body()).isEqualTo(400);
        assertThat(json(response).at("/error/code").asText()).as("code").isEqualTo("invalid_request");
        assertThat(json(response).at("/error/message").asText()).as("message").contains(named);
    }

    @Test
    void an_upload_with_sizes_answers_a_batch_with_one_job_per_size_in_order_each_with_the_other_options() {
        try (TestServer server = TestServer.startPaused(dir)) {
            HttpResponse<String> response = server.postMultipart(UPLOAD,
                    Map.of("sizes", "100x100,400x400,1200x", "format", "png"),
                    new TestServer.FilePart("photo.jpg", "image/jpeg", PHOTO));

            assertThat(response.statusCode()).as("body: %s", response.body()).isEqualTo(202);
            JsonNode batch = json(response);
            assertThat(response.headers().firstValue("Location")).as("Location")
                    .contains("/api/v1/batches/" + batch.get("id").asText());
            assertThat(sizes(batch)).as("one job per size, in order").containsExactly("100x100", "400x400", "1200x");
            batch.get("items").forEach(item -> assertThat(item.at("/spec/format").asText()).as("format of %s",
                    item.get("spec")).isEqualTo("png"));
        }
    }

    @Test
    void sizes_in_the_query_of_a_raw_upload_take_either_side_alone() {
        try (TestServer server = TestServer.startPaused(dir)) {
            HttpResponse<String> response = rawUpload(server, "?sizes=1200x,x300");

            assertThat(response.statusCode()).as("body: %s", response.body()).isEqualTo(202);
            assertThat(sizes(json(response))).containsExactly("1200x", "x300");
        }
    }

    @Test
    void every_size_shares_one_original_stored_once() throws IOException {
        try (TestServer server = TestServer.startPaused(dir)) {
            JsonNode batch = json(rawUpload(server, "?sizes=100x100,400x400,1200x"));

            assertThat(batch.findValues("sha256")).extracting(JsonNode::asText).as("each job's source").hasSize(3)
                    .containsOnly(batch.at("/items/0/source/sha256").asText());
            try (Stream<Path> files = Files.walk(dir.resolve("blobs"))) {
                assertThat(files.filter(Files::isRegularFile)).as("files in the blob store").hasSize(1);
            }
        }
    }

    @Test
    void with_wait_the_batch_answers_200_once_every_size_is_made() {
        try (TestServer server = TestServer.start(dir)) {
            HttpResponse<String> response = rawUpload(server, "?sizes=100x100,400x400,1200x&wait=20");

            assertThat(response.statusCode()).as("body: %s", response.body()).isEqualTo(200);
            List<String> made = new ArrayList<>();
            json(response).get("items").forEach(item -> made.add(item.at("/thumbnail/width").asText() + "x"
                    + item.at("/thumbnail/height").asText()));
            assertThat(made).as("thumbnails, in order").containsExactly("100x75", "400x300", "1200x900");
        }
    }

    @Test
    void a_url_request_with_sizes_answers_a_batch_of_the_url_at_each_size() {
        try (TestServer server = TestServer.startPaused(dir, "--allow-private-sources")) {
            HttpResponse<String> response = server.postRaw(UPLOAD + "?fit=cover", "application/json",
                    "{\"url\": \"http://localhost:9/a.jpg\", \"sizes\": [\"100x100\", \"400x300\"]}"
                            .getBytes(StandardCharsets.UTF_8));

            assertThat(response.statusCode()).as("body: %s", response.body()).isEqualTo(202);
            assertThat(sizes(json(response))).containsExactly("100x100", "400x300");
            assertThat(json(response).findValues("fit")).extracting(JsonNode::asText).containsOnly("cover");
        }
    }

    @Test
    void more_than_ten_sizes_are_refused_naming_sizes() {
        try (TestServer server = TestServer.startPaused(dir)) {
            assertRefused(rawUpload(server, "?sizes=" + "10x10,".repeat(10) + "11x11"), "sizes",
                    "at most 10");
        }
    }

    @Test
    void a_size_named_twice_is_refused_naming_it() {
        try (TestServer server = TestServer.startPaused(dir)) {
            assertRefused(rawUpload(server, "?sizes=100x100,400x,100x100"), "sizes names 100x100 twice");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"100y100", "0x100", "x", "100x100,abc", "99999x1", "100x100,,200x200", "1.5x2"})
    void a_bad_size_is_refused_naming_sizes(String sizes) {
        try (TestServer server = TestServer.startPaused(dir)) {
            assertRefused(rawUpload(server, "?sizes=" + sizes), "sizes");
        }
    }

    @Test
    void a_size_missing_the_side_its_fit_needs_is_refused_naming_it() {
        try (TestServer server = TestServer.startPaused(dir)) {
            assertRefused(rawUpload(server, "?sizes=100x100,1200x&fit=cover"), "sizes 1200x", "cover");
        }
    }

    @Test
    void sizes_with_width_or_height_are_refused_naming_the_conflict() {
        try (TestServer server = TestServer.startPaused(dir)) {
            assertRefused(rawUpload(server, "?sizes=100x100&width=50"), "sizes", "width");
        }
    }

    @Test
    void json_sizes_that_are_not_an_array_of_strings_are_refused_naming_sizes() {
        try (TestServer server = TestServer.startPaused(dir, "--allow-private-sources")) {
            assertRefused(server.postRaw(UPLOAD, "application/json",
                    "{\"url\": \"http://localhost:9/a.jpg\", \"sizes\": [100]}".getBytes(StandardCharsets.UTF_8)),
                    "sizes");
        }
    }
}
