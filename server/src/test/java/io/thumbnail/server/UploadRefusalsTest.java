package io.thumbnail.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static io.thumbnail.server.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Uploads refused before their body is read, each with the problem named, and no job made. */
class UploadRefusalsTest {
    private static final byte[] PNG = TestImages.gradient(60, 40, "png");

    @TempDir
    Path dir;

    private static void assertRefused(TestServer server, HttpResponse<String> response, int status, String code,
                                      String message) {
        assertThat(response.statusCode()).as("status; body: %s", response.body()).isEqualTo(status);
        assertThat(json(response).at("/error/code").asText()).as("code").isEqualTo(code);
        assertThat(json(response).at("/error/message").asText()).as("message").isEqualTo(message);
        assertThat(json(server.get("/api/v1/thumbnails")).get("items")).as("jobs made").isEmpty();
    }

    @Test
    void a_content_encoding_is_refused_by_name_rather_than_its_bytes_taken_for_no_image() {
        try (TestServer server = TestServer.startPaused(dir)) {
            HttpResponse<String> response = server.send(server.request("/api/v1/thumbnails?filename=a.png",
                    "Content-Type", "image/png", "Content-Encoding", "gzip")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(PNG)).build());

            assertRefused(server, response, 415, "unsupported_format",
                    "Content-Encoding 'gzip' is not taken; send the body as it is");
        }
    }

    @Test
    void a_filename_in_the_query_of_a_multipart_upload_is_refused_as_its_part_names_the_file() {
        try (TestServer server = TestServer.startPaused(dir)) {
            HttpResponse<String> response = server.postMultipart("/api/v1/thumbnails?filename=zzz.png", Map.of(),
                    new TestServer.FilePart("a.png", "image/png", PNG));

            assertRefused(server, response, 400, "invalid_request",
                    "filename names a raw upload's image; a multipart part carries its own file name");
        }
    }

    @Test
    void a_number_in_digits_of_another_script_is_refused_naming_the_option() {
        try (TestServer server = TestServer.startPaused(dir)) {
            HttpResponse<String> response = server.postRaw("/api/v1/thumbnails?filename=a.png&width="
                    + java.net.URLEncoder.encode("١٠٠", StandardCharsets.UTF_8), "image/png", PNG);

            assertRefused(server, response, 400, "invalid_request",
                    "width must be a whole number between 1 and 4096 (was '١٠٠')");
        }
    }
}
