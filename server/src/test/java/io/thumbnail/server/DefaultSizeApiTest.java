package io.thumbnail.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.thumbnail.ThumbnailSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.thumbnail.server.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A request naming neither width nor height makes a thumbnail inside the default box (100x100 unless
 * {@code --default-size} says otherwise), for every kind of request; its other options still apply.
 */
class DefaultSizeApiTest {
    /** 613x624: inside 100x100 it is 98x100. */
    private static final byte[] PNG = TestImages.gradient(613, 624, "png");

    @TempDir
    Path dir;

    private static TestServer.FilePart png(String name) {
        return new TestServer.FilePart(name, "image/png", PNG);
    }

    /** The job's spec shows the box used, and the finished thumbnail fits it. */
    private static void assertDefaultBox(TestServer server, JsonNode job, String fit, String size) {
        assertThat(job.at("/spec/width").asInt() + "x" + job.at("/spec/height").asInt()).as("the box in the job's spec")
                .isEqualTo("100x100");
        assertThat(job.at("/spec/fit").asText()).isEqualTo(fit);
        server.runNextJob();
        JsonNode done = json(server.get("/api/v1/thumbnails/" + job.get("id").asText()));
        assertThat(done.get("status").asText()).as("job: %s", done).isEqualTo("done");
        assertThat(done.at("/thumbnail/width").asInt() + "x" + done.at("/thumbnail/height").asInt())
                .as("the thumbnail made").isEqualTo(size);
    }

    @Test
    void a_multipart_upload_with_no_options_fits_the_default_100x100_box() {
        try (TestServer server = TestServer.startPaused(dir)) {
            HttpResponse<String> created = server.postMultipart("/api/v1/thumbnails", Map.of(), png("photo.png"));

            assertThat(created.statusCode()).as("body: %s", created.body()).isEqualTo(202);
            assertDefaultBox(server, json(created), "contain", "98x100");
        }
    }

    @Test
    void a_raw_body_upload_with_no_options_fits_the_default_box() {
        try (TestServer server = TestServer.startPaused(dir)) {
            HttpResponse<String> created = server.postRaw("/api/v1/thumbnails", "image/png", PNG);

            assertThat(created.statusCode()).as("body: %s", created.body()).isEqualTo(202);
            assertDefaultBox(server, json(created), "contain", "98x100");
        }
    }

    @Test
    void a_url_job_with_no_options_fits_the_default_box() throws IOException {
        HttpServer origin = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        origin.createContext("/photo.png", ex -> {
            try (ex) {
                ex.getResponseHeaders().set("Content-Type", "image/png");
                ex.sendResponseHeaders(200, PNG.length);
                ex.getResponseBody().write(PNG);
            }
        });
        origin.start();
        try (TestServer server = TestServer.startPaused(dir, "--allow-private-sources")) {
            String url = "http://127.0.0.1:" + origin.getAddress().getPort() + "/photo.png";
            HttpResponse<String> created = server.postRaw("/api/v1/thumbnails", "application/json",
                    ("{\"url\":\"" + url + "\"}").getBytes(StandardCharsets.UTF_8));

            assertThat(created.statusCode()).as("body: %s", created.body()).isEqualTo(202);
            assertDefaultBox(server, json(created), "contain", "98x100");
        } finally {
            origin.stop(0);
        }
    }

    @Test
    void a_batch_with_no_options_makes_every_item_fit_the_default_box() {
        try (TestServer server = TestServer.startPaused(dir)) {
            HttpResponse<String> created = server.postMultipart("/api/v1/thumbnails", Map.of(),
                    new TestServer.FilePart("a.png", "image/png", TestImages.gradient(613, 624, "png")),
                    new TestServer.FilePart("b.jpg", "image/jpeg", TestImages.photo(400, 200, 1)));

            assertThat(created.statusCode()).as("body: %s", created.body()).isEqualTo(202);
            JsonNode batch = json(created);
            assertThat(batch.get("total").asInt()).isEqualTo(2);
            server.runNextJob();
            server.runNextJob();
            JsonNode items = json(server.get("/api/v1/batches/" + batch.get("id").asText())).get("items");
            assertThat(items).extracting(item -> item.at("/spec/width").asInt() + "x" + item.at("/spec/height").asInt())
                    .as("the box in each item's spec").containsExactly("100x100", "100x100");
            assertThat(items).extracting(item -> item.at("/thumbnail/width").asInt() + "x"
                    + item.at("/thumbnail/height").asInt()).as("each thumbnail").containsExactly("98x100", "100x50");
        }
    }

    @Test
    void other_options_still_apply_and_cover_fills_the_default_box() {
        try (TestServer server = TestServer.startPaused(dir)) {
            HttpResponse<String> created = server.postMultipart("/api/v1/thumbnails",
                    Map.of("fit", "cover", "format", "png"), png("cover.png"));

            assertThat(created.statusCode()).as("body: %s", created.body()).isEqualTo(202);
            JsonNode job = json(created);
            assertThat(job.at("/spec/format").asText()).isEqualTo("png");
            assertDefaultBox(server, job, "cover", "100x100");
        }
    }

    @Test
    void one_side_given_is_used_as_before_without_the_other_from_the_default() {
        try (TestServer server = TestServer.startPaused(dir)) {
            JsonNode job = json(server.postRaw("/api/v1/thumbnails?width=50", "image/png", PNG));

            assertThat(job.at("/spec/width").asInt()).isEqualTo(50);
            assertThat(job.at("/spec/height").isMissingNode()).as("height follows from the aspect ratio").isTrue();
        }
    }

    @Test
    void default_size_sets_the_box() {
        try (TestServer server = TestServer.startPaused(dir, "--default-size", "64x32")) {
            JsonNode job = json(server.postRaw("/api/v1/thumbnails", "image/png", PNG));

            assertThat(job.at("/spec/width").asInt() + "x" + job.at("/spec/height").asInt()).isEqualTo("64x32");
            server.runNextJob();
            JsonNode done = json(server.get("/api/v1/thumbnails/" + job.get("id").asText()));
            assertThat(done.at("/thumbnail/width").asInt() + "x" + done.at("/thumbnail/height").asInt())
                    .as("613x624 inside 64x32").isEqualTo("31x32");
        }
    }

    @Test
    void a_largest_side_under_the_default_box_shrinks_that_box_rather_than_refuse_a_flag_never_given() {
        ThumbnailSpec box = ServerConfig.parse(List.of("--max-output-side", "50"), Map.of()).defaultBox();

        assertThat(box.width() + "x" + box.height()).as("the default box under --max-output-side 50").isEqualTo("50x50");
        assertThatThrownBy(() -> ServerConfig.parse(List.of("--max-output-side", "50", "--default-size", "120x80"),
                Map.of())).as("a box given past the largest side")
                .hasMessageContaining("between 1 and 50 (--max-output-side)");
    }

    @Test
    void a_bad_default_size_is_refused_naming_the_flag_and_the_form() {
        for (String bad : new String[] {"100", "100x", "0x100", "ax100", "100x100x100", "5000x100"}) {
            assertThatThrownBy(() -> ServerConfig.parse(List.of("--default-size", bad), Map.of()))
                    .as("--default-size %s", bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("--default-size must be WxH in pixels, such as 100x100")
                    .hasMessageContaining("between 1 and 4096 (--max-output-side)")
                    .hasMessageEndingWith("(was '" + bad + "')");
        }
        assertThat(ServerConfig.parse(List.of(), Map.of("THUMBNAIL_DEFAULT_SIZE", "320X240")).defaultBox())
                .as("from the environment, either x").satisfies(box -> {
                    assertThat(box.width()).isEqualTo(320);
                    assertThat(box.height()).isEqualTo(240);
                });
    }
}
