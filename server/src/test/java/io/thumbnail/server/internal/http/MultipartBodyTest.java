package io.thumbnail.server.internal.http;

import io.thumbnail.ErrorCode;
import io.thumbnail.ServiceTestHooks;
import io.thumbnail.ThumbnailException;
import io.thumbnail.ThumbnailService;
import io.thumbnail.server.internal.security.RequestRefused;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A multipart body parsed as it arrives, in pieces of any size: image parts into files, fields kept. */
class MultipartBodyTest {
    private static final String TYPE = "multipart/form-data; boundary=XyZ";

    @TempDir
    Path dir;
    private ThumbnailService service;

    @BeforeEach
    void open() {
        service = ServiceTestHooks.withoutWorkers(ThumbnailService.builder().dataDir(dir)).build();
    }

    @AfterEach
    void close() {
        service.close();
    }

    private static String field(String name, String value) {
        return "--XyZ\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
    }

    private static String file(String name, String filename, String content) {
        return "--XyZ\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename + "\"\r\n"
                + "Content-Type: image/png\r\n\r\n" + content + "\r\n";
    }

    /** Feeds {@code body} in pieces of {@code piece} bytes, then ends it. */
    private MultipartBody parse(String body, int piece, int maxParts) {
        MultipartBody multipart = new MultipartBody(TYPE, maxParts, 8192, service::newUpload);
        byte[] bytes = body.getBytes(StandardCharsets.ISO_8859_1);
        for (int at = 0; at < bytes.length; at += piece) {
            multipart.accept(ByteBuffer.wrap(bytes, at, Math.min(piece, bytes.length - at)));
        }
        multipart.end();
        return multipart;
    }

    private static String sha256(String text) throws IOException {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.ISO_8859_1)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IOException(e);
        }
    }

    @Test
    void files_and_fields_come_out_whole_however_the_body_is_cut() throws IOException {
        String body = field("width", "120") + file("file", "a.png", "AAAA\r\n--XyQ, almost a boundary")
                + file("file", "b.png", "BB") + field("fit", "cover") + "--XyZ--\r\n";

        for (int piece : new int[] {1, 3, 7, 64, 100_000}) {
            try (MultipartBody multipart = parse(body, piece, 10)) {
                assertThat(multipart.fields()).as("fields, in pieces of %d", piece)
                        .containsEntry("width", "120").containsEntry("fit", "cover");
                assertThat(multipart.files()).extracting(MultipartBody.FilePart::filename).containsExactly("a.png", "b.png");
                assertThat(multipart.files().get(0).upload().source("a.png").upload().sha256())
                        .as("hash of the first file, in pieces of %d", piece)
                        .isEqualTo(sha256("AAAA\r\n--XyQ, almost a boundary"));
            }
        }
    }

    @Test
    void parts_with_a_filename_are_images_whatever_their_names_in_their_order() {
        String body = file("image", "a.png", "AA") + file("image_data", "b.png", "BB") + file("file", "c.png", "CC")
                + "--XyZ--\r\n";

        try (MultipartBody multipart = parse(body, 5, 10)) {
            assertThat(multipart.files()).extracting(MultipartBody.FilePart::filename)
                    .containsExactly("a.png", "b.png", "c.png");
            assertThat(multipart.fields()).isEmpty();
        }
    }

    @Test
    void a_part_without_a_filename_is_an_image_only_with_an_image_content_type() {
        String body = part("caption", "text/plain", "a cat") + part("photo", "image/png", "PP") + "--XyZ--\r\n";

        try (MultipartBody multipart = parse(body, 5, 10)) {
            assertThat(multipart.files()).as("the image/png part").hasSize(1);
            assertThat(multipart.files().get(0).filename()).isNull();
            assertThat(multipart.fields()).as("the text part stays a form field").containsOnly(
                    Map.entry("caption", "a cat"));
        }
    }

    private static String part(String name, String contentType, String content) {
        return "--XyZ\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\nContent-Type: " + contentType
                + "\r\n\r\n" + content + "\r\n";
    }

    @Test
    void a_body_without_an_image_part_is_refused_naming_the_part() {
        assertThatThrownBy(() -> parse(field("width", "10") + "--XyZ--\r\n", 10, 10))
                .isInstanceOfSatisfying(ThumbnailException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
                    assertThat(e.getMessage()).contains("at least one file part");
                });
    }

    @Test
    void an_empty_body_or_one_without_its_boundary_says_it_holds_no_part() {
        for (String body : new String[] {"", "just some bytes\r\n"}) {
            assertThatThrownBy(() -> parse(body, 10, 10)).as("the body '%s'", body)
                    .isInstanceOfSatisfying(ThumbnailException.class, e -> assertThat(e.getMessage())
                            .isEqualTo("the multipart body is malformed (it ended before its first boundary line, so"
                                    + " it holds no part)"));
        }
    }

    @Test
    void a_body_cut_off_before_its_closing_boundary_is_malformed() {
        assertThatThrownBy(() -> parse(file("file", "a.png", "AA"), 10, 10))
                .isInstanceOfSatisfying(ThumbnailException.class, e -> assertThat(e.getMessage()).contains("malformed"));
    }

    @Test
    void parts_past_the_limit_are_refused_as_too_large_and_their_files_deleted_on_close() throws IOException {
        String body = file("file", "a.png", "A") + file("file", "b.png", "B") + file("file", "c.png", "C")
                + "--XyZ--\r\n";
        MultipartBody multipart = new MultipartBody(TYPE, 2, 8192, service::newUpload);

        assertThatThrownBy(() -> {
            multipart.accept(ByteBuffer.wrap(body.getBytes(StandardCharsets.ISO_8859_1)));
            multipart.end();
        }).isInstanceOfSatisfying(RequestRefused.class, e -> {
            assertThat(e.status()).isEqualTo(413);
            assertThat(e.getMessage()).contains("at most 2 parts");
        });
        multipart.close();

        try (Stream<Path> left = Files.list(dir.resolve("blobs").resolve("incoming"))) {
            assertThat(left).as("uploads left behind").isEmpty();
        }
    }

    @Test
    void form_fields_past_their_byte_budget_are_refused_as_too_large() {
        String body = field("width", "1".repeat(MultipartBody.MAX_FIELD_BYTES + 1)) + "--XyZ--\r\n";

        assertThatThrownBy(() -> parse(body, 4096, 10)).isInstanceOfSatisfying(RequestRefused.class,
                e -> assertThat(e.status()).isEqualTo(413));
    }

    @Test
    void a_content_type_without_a_boundary_is_refused() {
        assertThatThrownBy(() -> new MultipartBody("multipart/form-data", 10, 8192, service::newUpload))
                .isInstanceOfSatisfying(ThumbnailException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST));
    }

    @Test
    void a_file_name_a_browser_percent_encoded_is_read_as_the_user_named_it() {
        assertThat(MultipartBody.browserDecoded("photo %22q%22.jpg")).isEqualTo("photo \"q\".jpg");
        assertThat(MultipartBody.browserDecoded("a%0D%0Ab.jpg")).isEqualTo("a\r\nb.jpg");
        assertThat(MultipartBody.browserDecoded("100%25.jpg")).as("nothing else is decoded").isEqualTo("100%25.jpg");
        assertThat(MultipartBody.browserDecoded(null)).isNull();
    }
}
