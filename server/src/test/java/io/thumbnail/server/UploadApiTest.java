package io.thumbnail.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.thumbnail.Job;
import io.thumbnail.JobQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.thumbnail.server.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /api/v1/thumbnails}: uploads, options, and every way an upload is refused. */
class UploadApiTest {
    private static final byte[] PNG = TestImages.gradient(613, 624, "png");

    @TempDir
    Path dir;

    private static TestServer.FilePart png(String name) {
        return new TestServer.FilePart(name, "image/png", PNG);
    }

    private static void assertError(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as("status; body: %s", response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(json(response).path("error").path("code").asText()).as("error code").isEqualTo(code);
    }

    @Test
    void one_multipart_file_is_accepted_with_the_job_and_its_location() {
        try (TestServer server = TestServer.startPaused(dir)) {
            HttpResponse<String> response = server.postMultipart("/api/v1/thumbnails",
                    Map.of("width", "100", "height", "100", "fit", "cover"), png("IMG_8667.png"));

            assertThat(response.statusCode()).as("body: %s", response.body()).isEqualTo(202);
            JsonNode job = json(response);
            assertThat(response.headers().firstValue("Location")).hasValue("/api/v1/thumbnails/" + job.get("id").asText());
            assertThat(job.get("status").asText()).isEqualTo("queued");
            assertThat(job.at("/source/filename").asText()).isEqualTo("IMG_8667.png");
            assertThat(job.at("/spec/fit").asText()).as("options from form fields").isEqualTo("cover");
            assertThat(job.at("/spec/width").asInt()).isEqualTo(100);
        }
    }

    @Test
    void a_single_file_part_named_image_is_the_image() {
        try (TestServer server = TestServer.startPaused(dir)) {
            HttpResponse<String> response = server.postMultipart("/api/v1/thumbnails", Map.of("width", "40"),
                    new TestServer.FilePart("image", "cat.png", "image/png", PNG));

            assertThat(response.statusCode()).as("body: %s", response.body()).isEqualTo(202);
            assertThat(json(response).at("/source/filename").asText()).isEqualTo("cat.png");
            assertThat(json(response).at("/spec/width").asInt()).as("the form field still applies").isEqualTo(40);
        }
    }

    @Test
    void a_single_file_part_named_image_data_is_the_image() {
        try (TestServer server = TestServer.startPaused(dir)) {
            HttpResponse<String> response = server.postMultipart("/api/v1/thumbnails", Map.of(),
                    new TestServer.FilePart("image_data", "dog.png", "image/png", PNG));

            assertThat(response.statusCode()).as("body: %s", response.body()).isEqualTo(202);
            JsonNode job = json(response);
            assertThat(job.get("status").asText()).as("one job, not a batch").isEqualTo("queued");
            assertThat(job.at("/source/filename").asText()).isEqualTo("dog.png");
            server.runNextJob();
            assertThat(json(server.get("/api/v1/thumbnails/" + job.get("id").asText())).get("status").asText())
                    .isEqualTo("done");
        }
    }

    @Test
    void file_parts_with_any_names_make_a_batch_in_their_order() {
        try (TestServer server = TestServer.startPaused(dir)) {
            HttpResponse<String> response = server.postMultipart("/api/v1/thumbnails", Map.of(),
                    new TestServer.FilePart("image", "a.png", "image/png", PNG),
                    new TestServer.FilePart("image_data", "b.png", "image/png", PNG),
                    new TestServer.FilePart("file", "c.png", "image/png", PNG));

            assertThat(response.statusCode()).as("body: %s", response.body()).isEqualTo(202);
            assertThat(json(response).get("items")).extracting(item -> item.at("/source/filename").asText())
                    .containsExactly("a.png", "b.png", "c.png");
        }
    }

    @Test
    void a_part_without_a_filename_is_an_image_only_with_an_image_content_type() {
        try (TestServer server = TestServer.startPaused(dir)) {
            HttpResponse<String> response = server.postMultipart("/api/v1/thumbnails", Map.of("width", "30"),
                    new TestServer.FilePart("quality", null, "text/plain", "80".getBytes(StandardCharsets.UTF_8)),
                    new TestServer.FilePart("photo", null, "image/png", PNG));

            assertThat(response.statusCode()).as("body: %s", response.body()).isEqualTo(202);
            JsonNode job = json(response);
            assertThat(job.has("items")).as("one job: the text part stays a form field").isFalse();
            assertThat(job.at("/spec/width").asInt()).isEqualTo(30);
            assertThat(job.at("/spec/quality").asInt()).as("the text part, read as a form field").isEqualTo(80);
            assertThat(job.at("/source/format").asText()).isEqualTo("png");
        }
    }

    @Test
    void a_raw_image_body_takes_its_options_from_the_query() {
        try (TestServer server = TestServer.startPaused(dir)) {
            HttpResponse<String> response = server.postRaw(
                    "/api/v1/thumbnails?width=64&format=png&quality=70&filename=cat.png", "image/png", PNG);

            assertThat(response.statusCode()).as("body: %s", response.body()).isEqualTo(202);
            JsonNode job = json(response);
            assertThat(job.at("/spec/format").asText()).isEqualTo("png");
            assertThat(job.at("/spec/quality").asInt()).isEqualTo(70);
            assertThat(job.at("/spec/height").isMissingNode()).as("height absent: derived from the aspect ratio").isTrue();
            assertThat(job.at("/source/filename").asText()).isEqualTo("cat.png");
        }
    }

    @Test
    void wait_answers_200_with_the_finished_job() {
        try (TestServer server = TestServer.start(dir)) {
            HttpResponse<String> response = server.postRaw("/api/v1/thumbnails?width=100&height=100&wait=30",
                    "image/png", PNG);

            assertThat(response.statusCode()).as("body: %s", response.body()).isEqualTo(200);
            JsonNode job = json(response);
            assertThat(job.get("status").asText()).isEqualTo("done");
            assertThat(job.at("/thumbnail/width").asInt() + "x" + job.at("/thumbnail/height").asInt())
                    .as("613x624 inside 100x100").isEqualTo("98x100");
            assertThat(job.at("/thumbnail/url").asText()).isEqualTo("/api/v1/thumbnails/" + job.get("id").asText() + "/file");
        }
    }

    @Test
    void wait_answers_202_when_the_job_is_not_finished_in_time() {
        try (TestServer server = TestServer.startPaused(dir)) {
            HttpResponse<String> response = server.postRaw("/api/v1/thumbnails?width=10&wait=1", "image/png", PNG);

            assertThat(response.statusCode()).isEqualTo(202);
            assertThat(json(response).get("status").asText()).isEqualTo("queued");
        }
    }

    @Test
    void an_upload_waiting_for_its_job_is_told_when_another_client_deletes_it() throws Exception {
        try (TestServer server = TestServer.startPaused(dir)) {
            CompletableFuture<HttpResponse<String>> upload = server.sendAsync(
                    server.request("/api/v1/thumbnails?width=10&wait=30", "Content-Type", "image/png")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(PNG)).build(),
                    HttpResponse.BodyHandlers.ofString());
            Job accepted = null;
            for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); accepted == null
                    && System.nanoTime() < end; Thread.onSpinWait()) {
                accepted = server.service.list(JobQuery.all()).items().stream().findFirst().orElse(null);
            }
            assertThat(accepted).as("the job of the upload, accepted").isNotNull();

            assertThat(server.delete("/api/v1/thumbnails/" + accepted.id()).statusCode()).as("the delete")
                    .isEqualTo(200);
            HttpResponse<String> response = upload.get(10, TimeUnit.SECONDS);

            assertThat(response.statusCode()).as("body: %s", response.body()).isEqualTo(404);
            assertThat(json(response).at("/error/message").asText()).as("the message")
                    .isEqualTo("the job " + accepted.id() + " was accepted, then deleted while this upload waited"
                            + " for it");
        }
    }

    @Test
    void wait_as_a_form_field_answers_200_with_the_finished_job() {
        try (TestServer server = TestServer.start(dir)) {
            HttpResponse<String> response = server.postMultipart("/api/v1/thumbnails",
                    Map.of("width", "50", "wait", "30"), png("a.png"));

            assertThat(response.statusCode()).as("body: %s", response.body()).isEqualTo(200);
            assertThat(json(response).get("status").asText()).isEqualTo("done");
        }
    }

    @Test
    void a_bad_wait_form_field_is_400_and_makes_no_job() {
        try (TestServer server = TestServer.startPaused(dir)) {
            HttpResponse<String> response = server.postMultipart("/api/v1/thumbnails",
                    Map.of("width", "50", "wait", "abc"), png("a.png"));

            assertError(response, 400, "invalid_request");
            assertThat(json(response).at("/error/message").asText()).startsWith("wait must be a whole number");
            assertThat(json(server.get("/api/v1/thumbnails")).get("items")).as("jobs made").isEmpty();
        }
    }

    @Test
    void an_unknown_form_field_is_400_naming_it_and_the_options_and_makes_no_job() {
        try (TestServer server = TestServer.startPaused(dir)) {
            HttpResponse<String> response = server.postMultipart("/api/v1/thumbnails",
                    Map.of("widht", "50"), png("a.png"));

            assertError(response, 400, "invalid_request");
            assertThat(json(response).at("/error/message").asText())
                    .startsWith("unknown form field 'widht' (the options are width, height, sizes,")
                    .contains("curl -F file=@photo.jpg");
            assertThat(json(server.get("/api/v1/thumbnails")).get("items")).as("jobs made").isEmpty();
        }
    }

    @Test
    void a_query_parameter_given_twice_is_400_naming_it_and_makes_no_job() {
        try (TestServer server = TestServer.startPaused(dir)) {
            HttpResponse<String> upload = server.postRaw("/api/v1/thumbnails?width=100&width=200&filename=a.png",
                    "image/png", PNG);
            HttpResponse<String> listing = server.get("/api/v1/thumbnails?status=done&status=failed");

            assertError(upload, 400, "invalid_request");
            assertThat(json(upload).at("/error/message").asText())
                    .isEqualTo("the query parameter 'width' is given 2 times; give each once");
            assertError(listing, 400, "invalid_request");
            assertThat(json(listing).at("/error/message").asText()).contains("'status' is given 2 times");
            assertThat(json(server.get("/api/v1/thumbnails")).get("items")).as("jobs made").isEmpty();
        }
    }

    @Test
    void an_option_given_both_as_a_form_field_and_in_the_query_is_400_naming_it_and_makes_no_job() {
        try (TestServer server = TestServer.startPaused(dir)) {
            HttpResponse<String> upload = server.postMultipart("/api/v1/thumbnails?width=200", Map.of("width", "100"),
                    new TestServer.FilePart("a.png", "image/png", PNG));

            assertError(upload, 400, "invalid_request");
            assertThat(json(upload).at("/error/message").asText()).isEqualTo("the option 'width' is given both in the"
                    + " form and in the query string; give it once");
            assertThat(json(server.get("/api/v1/thumbnails")).get("items")).as("jobs made").isEmpty();
        }
    }

    @Test
    void a_form_field_given_twice_is_400_naming_it_and_makes_no_job() {
        try (TestServer server = TestServer.startPaused(dir)) {
            String boundary = "b0undary";
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (String width : new String[]{"100", "200"}) {
                body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"width\"\r\n\r\n"
                        + width + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\";"
                    + " filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.writeBytes(PNG);
            body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));

            HttpResponse<String> response = server.postRaw("/api/v1/thumbnails",
                    "multipart/form-data; boundary=" + boundary, body.toByteArray());

            assertError(response, 400, "invalid_request");
            assertThat(json(response).at("/error/message").asText())
                    .isEqualTo("the form field 'width' is given more than once; give each option once");
            assertThat(json(server.get("/api/v1/thumbnails")).get("items")).as("jobs made").isEmpty();
        }
    }

    @Test
    void an_unknown_query_parameter_on_an_upload_is_400_naming_it_and_makes_no_job() {
        try (TestServer server = TestServer.startPaused(dir)) {
            HttpResponse<String> raw = server.postRaw("/api/v1/thumbnails?widht=10&filename=a.png", "image/png", PNG);
            HttpResponse<String> multipart = server.postMultipart("/api/v1/thumbnails?qualty=80", Map.of(),
                    png("a.png"));

            assertError(raw, 400, "invalid_request");
            assertThat(json(raw).at("/error/message").asText())
                    .startsWith("unknown query parameter 'widht' (the options are width, height,");
            assertError(multipart, 400, "invalid_request");
            assertThat(json(multipart).at("/error/message").asText()).contains("'qualty'");
            assertThat(json(server.get("/api/v1/thumbnails")).get("items")).as("jobs made").isEmpty();
        }
    }

    @Test
    void every_option_may_come_as_a_form_field() {
        try (TestServer server = TestServer.startPaused(dir)) {
            Map<String, String> fields = new java.util.LinkedHashMap<>();
            fields.put("width", "60");
            fields.put("height", "40");
            fields.put("fit", "cover");
            fields.put("gravity", "north");
            fields.put("format", "png");
            fields.put("quality", "70");
            fields.put("priority", "low");
            fields.put("signed", "true");
            fields.put("signed_ttl", "60");
            fields.put("wait", "0");
            HttpResponse<String> response = server.postMultipart("/api/v1/thumbnails", fields, png("a.png"));

            assertThat(response.statusCode()).as("body: %s", response.body()).isEqualTo(202);
            assertThat(json(response).at("/spec/width").asInt()).isEqualTo(60);
            assertThat(json(response).at("/spec/gravity").asText()).isEqualTo("north");
            assertThat(json(response).at("/priority").asText()).isEqualTo("low");
        }
    }

    @Test
    void several_files_make_a_batch() {
        try (TestServer server = TestServer.startPaused(dir)) {
            HttpResponse<String> response = server.postMultipart("/api/v1/thumbnails?width=50",
                    Map.of(), png("a.png"), png("b.png"), png("c.png"));

            assertThat(response.statusCode()).as("body: %s", response.body()).isEqualTo(202);
            JsonNode batch = json(response);
            assertThat(response.headers().firstValue("Location")).hasValue("/api/v1/batches/" + batch.get("id").asText());
            assertThat(batch.get("total").asInt()).isEqualTo(3);
            assertThat(batch.at("/counts/queued").asInt()).isEqualTo(3);
            assertThat(batch.get("items")).extracting(item -> item.at("/source/filename").asText())
                    .containsExactly("a.png", "b.png", "c.png");
        }
    }

    @Test
    void a_bad_option_is_400_naming_it_and_the_allowed_values() {
        try (TestServer server = TestServer.startPaused(dir)) {
            HttpResponse<String> fit = server.postRaw("/api/v1/thumbnails?width=10&fit=squash", "image/png", PNG);
            HttpResponse<String> quality = server.postMultipart("/api/v1/thumbnails",
                    Map.of("width", "10", "quality", "101"), png("a.png"));

            assertError(fit, 400, "invalid_request");
            assertThat(json(fit).at("/error/message").asText()).isEqualTo("fit must be one of contain, cover, fill (was 'squash')");
            assertError(quality, 400, "invalid_request");
            assertThat(json(quality).at("/error/message").asText()).isEqualTo("quality must be a whole number between 1 and 100 (was '101')");
        }
    }

    @Test
    void wait_is_at_most_30_seconds() {
        try (TestServer server = TestServer.startPaused(dir)) {
            HttpResponse<String> longWait = server.postRaw("/api/v1/thumbnails?width=10&wait=31", "image/png", PNG);

            assertError(longWait, 400, "invalid_request");
            assertThat(json(longWait).at("/error/message").asText()).startsWith("wait must be a whole number between 0 and 30");
        }
    }

    @Test
    void a_body_that_is_not_an_image_is_415() {
        try (TestServer server = TestServer.startPaused(dir)) {
            HttpResponse<String> textType = server.postRaw("/api/v1/thumbnails?width=10", "text/plain", PNG);
            HttpResponse<String> notAnImage = server.postRaw("/api/v1/thumbnails?width=10", "image/png",
                    "hello, world".getBytes(StandardCharsets.UTF_8));

            assertError(textType, 415, "unsupported_format");
            assertError(notAnImage, 415, "unsupported_format");
        }
    }

    @Test
    void a_file_input_left_empty_is_no_part_of_the_upload() {
        try (TestServer server = TestServer.startPaused(dir)) {
            // As a browser sends a form with a second file input left empty, and as undici sends it (no filename).
            HttpResponse<String> response = server.postMultipart("/api/v1/thumbnails?width=40", Map.of(),
                    new TestServer.FilePart("file", "a.png", "image/png", PNG),
                    new TestServer.FilePart("file2", "", "application/octet-stream", new byte[0]),
                    new TestServer.FilePart("file3", null, "application/octet-stream", new byte[0]));

            assertThat(response.statusCode()).as("body: %s", response.body()).isEqualTo(202);
            assertThat(json(response).has("status")).as("one job, not a batch with a failed item: %s", response.body())
                    .isTrue();
        }
    }

    @Test
    void the_boundary_parameter_is_found_whatever_its_case() {
        try (TestServer server = TestServer.startPaused(dir)) {
            byte[] body = TestServer.multipart("XyZb0und", Map.of(), new TestServer.FilePart("a.png", "image/png", PNG));

            HttpResponse<String> response = server.postRaw("/api/v1/thumbnails?width=40",
                    "multipart/form-data; Boundary=XyZb0und", body);

            assertThat(response.statusCode()).as("body: %s", response.body()).isEqualTo(202);
        }
    }

    @Test
    void a_charset_the_server_does_not_know_is_ignored_not_a_server_error() {
        try (TestServer server = TestServer.startPaused(dir)) {
            HttpResponse<String> raw = server.postRaw("/api/v1/thumbnails?width=10", "image/png; charset=x", PNG);
            HttpResponse<String> badName = server.postRaw("/api/v1/thumbnails?width=10", "image/png; charset=@@", PNG);
            HttpResponse<String> json = server.postRaw("/api/v1/thumbnails?width=10", "application/json; charset=x",
                    "{\"url\": \"ftp://127.0.0.1/a.png\"}".getBytes(StandardCharsets.UTF_8));

            assertThat(raw.statusCode()).as("an image's bytes have no charset; body: %s", raw.body()).isEqualTo(202);
            assertThat(badName.statusCode()).as("body: %s", badName.body()).isEqualTo(202);
            assertError(json, 400, "source_blocked");
        }
    }

    @Test
    void without_a_content_type_the_415_says_none_was_sent_and_what_to_send() {
        try (TestServer server = TestServer.startPaused(dir)) {
            HttpResponse<String> none = server.send(server.request("/api/v1/thumbnails?width=10")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(PNG)).build());

            assertError(none, 415, "unsupported_format");
            assertThat(json(none).at("/error/message").asText()).isEqualTo("send multipart/form-data with file parts,"
                    + " the image itself as image/* or application/octet-stream, or application/json naming image URLs"
                    + " (no Content-Type was sent)");
        }
    }

    @Test
    void an_image_over_the_pixel_limit_is_422() {
        try (TestServer server = TestServer.startPaused(dir, "--max-pixels", "1000")) {
            assertError(server.postRaw("/api/v1/thumbnails?width=10", "image/png", PNG), 422, "too_many_pixels");
        }
    }

    @Test
    void a_declared_length_over_the_limit_is_413_before_the_body_is_read() {
        try (TestServer server = TestServer.startPaused(dir, "--max-upload-bytes", "100K")) {
            // Only the request heads are sent: the answer must come without a byte of the body, to a client that
            // asked first (Expect: 100-continue), and to one declaring far more than the server would ever read.
            for (String type : List.of("image/png", "multipart/form-data; boundary=b0undary")) {
                for (String head : List.of("Content-Length: 307200\r\nExpect: 100-continue",
                        "Content-Length: " + (1L << 30))) {
                    RawHttp.Response refused = RawHttp.exchange(server.server.port(), "POST /api/v1/thumbnails?width=10"
                            + " HTTP/1.1\r\nHost: x\r\nContent-Type: " + type + "\r\n" + head + "\r\n\r\n");

                    assertThat(refused.status()).as("%s, %s: %s", type, head, refused.head()).isEqualTo(413);
                    assertThat(refused.body()).as("%s, %s", type, head).contains("\"code\":\"too_large\"");
                }
            }
        }
    }

    @Test
    void a_client_sending_a_whole_body_over_the_declared_limit_reads_the_json_413() {
        try (TestServer server = TestServer.startPaused(dir, "--max-upload-bytes", "100K")) {
            // A client that does not wait for the answer before sending its body (the JDK's, curl's for bodies under
            // 1 MB): the 413 comes while megabytes are still on their way, and must reach it all the same.
            byte[] big = Arrays.copyOf(PNG, 8 << 20);
            // Lost one time in a few before the server read and threw away such a body: the client's write failed
            // first and it closed the connection without reading the answer.
            for (int i = 0; i < 10; i++) {
                HttpResponse<String> raw = server.postRaw("/api/v1/thumbnails?width=10", "image/png", big);
                HttpResponse<String> multipart = server.postMultipart("/api/v1/thumbnails", Map.of("width", "10"),
                        new TestServer.FilePart("big.png", "image/png", big));

                assertError(raw, 413, "too_large");
                assertError(multipart, 413, "too_large");
            }
        }
    }

    @Test
    void a_client_writing_its_whole_body_before_reading_still_reads_the_json_413() {
        try (TestServer server = TestServer.startPaused(dir, "--max-upload-bytes", "100K")) {
            byte[] head = ("POST /api/v1/thumbnails?width=10 HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\n"
                    + "Content-Length: " + (8 << 20) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
            byte[] request = Arrays.copyOf(head, head.length + (8 << 20));
            for (int i = 0; i < 3; i++) {
                // Its writes fail once the server has answered and closed; the answer is in its receive buffer.
                RawHttp.Response refused = RawHttp.sendAllThenRead(server.server.port(), request);

                assertThat(refused.status()).as("status, try %d: %s", i, refused.head()).isEqualTo(413);
                assertThat(refused.body()).as("body, try %d", i).contains("\"code\":\"too_large\"");
            }
        }
    }

    @Test
    void a_streamed_raw_body_over_the_limit_is_413() {
        try (TestServer server = TestServer.startPaused(dir, "--max-upload-bytes", "100K")) {
            byte[] big = Arrays.copyOf(PNG, 300 * 1024);

            assertError(server.postChunked("/api/v1/thumbnails?width=10", "image/png", big), 413, "too_large");
        }
    }

    @Test
    void a_streamed_multipart_body_over_the_limit_is_413() {
        try (TestServer server = TestServer.startPaused(dir, "--max-upload-bytes", "100K")) {
            byte[] body = TestServer.multipart("b0undary", Map.of("width", "10"),
                    new TestServer.FilePart("big.png", "image/png", Arrays.copyOf(PNG, 300 * 1024)));

            assertError(server.postChunked("/api/v1/thumbnails", "multipart/form-data; boundary=b0undary", body),
                    413, "too_large");
        }
    }

    @Test
    void multipart_without_a_file_part_or_malformed_is_400() {
        try (TestServer server = TestServer.startPaused(dir)) {
            HttpResponse<String> noFile = server.postMultipart("/api/v1/thumbnails", Map.of("width", "10"));
            HttpResponse<String> garbage = server.postRaw("/api/v1/thumbnails?width=10",
                    "multipart/form-data; boundary=xyz", "garbage".getBytes(StandardCharsets.UTF_8));

            assertError(noFile, 400, "invalid_request");
            assertThat(json(noFile).at("/error/message").asText()).contains("'file'");
            assertError(garbage, 400, "invalid_request");
        }
    }

    @Test
    void a_full_queue_is_429_with_retry_after() {
        try (TestServer server = TestServer.startPaused(dir, "--queue-capacity", "1")) {
            assertThat(server.postRaw("/api/v1/thumbnails?width=10", "image/png", PNG).statusCode()).isEqualTo(202);

            HttpResponse<String> refused = server.postRaw("/api/v1/thumbnails?width=20", "image/png", PNG);

            assertError(refused, 429, "queue_full");
            assertThat(refused.headers().firstValue("Retry-After")).as("Retry-After header").hasValue("5");
            server.checkStatus();
            HttpResponse<String> health = server.get("/health");
            assertThat(health.statusCode()).as("a full queue is busy, not down: %s", health.body()).isEqualTo(200);
            assertThat(json(health).at("/checks/queue/status").asText()).isEqualTo("full");
        }
    }
}
