package io.thumbnail;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Images received a piece at a time into the data directory, then submitted by moving the file into the store. */
class ImageUploadTest {
    private static final ThumbnailSpec SPEC = ThumbnailSpec.box(40, 40);

    @TempDir
    Path dir;
    private ThumbnailService service;

    private ThumbnailService open(Limits limits) {
        service = ThumbnailService.builder().dataDir(dir).limits(limits).hooks(h -> h.withStartWorkers(false)).build();
        return service;
    }

    @AfterEach
    void close() {
        if (service != null) {
            service.close();
        }
    }

    /** Writes {@code bytes} in pieces of {@code piece} bytes, as a network read would hand them over. */
    private static ImageUpload received(ThumbnailService service, byte[] bytes, int piece) {
        ImageUpload upload = service.newUpload();
        for (int at = 0; at < bytes.length; at += piece) {
            upload.write(ByteBuffer.wrap(bytes, at, Math.min(piece, bytes.length - at)));
        }
        return upload;
    }

    private List<String> incoming() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("blobs").resolve("incoming"))) {
            return files.map(f -> f.getFileName().toString()).toList();
        }
    }

    @Test
    void an_upload_becomes_a_job_whose_original_is_the_file_moved_into_the_store() throws IOException {
        open(Limits.defaults());
        byte[] png = TestImages.png(120, 80, 1);

        Job job;
        try (ImageUpload upload = received(service, png, 1000)) {
            job = service.submit(upload.source("a.png"), SPEC, SubmitOptions.defaults());
        }

        assertThat(job.source().sha256()).as("hash computed while written").isEqualTo(Thumbnailer.sha256(png));
        assertThat(job.source().bytes()).isEqualTo(png.length);
        assertThat(job.source().width()).as("width from the file's header").isEqualTo(120);
        assertThat(job.source().name()).isEqualTo("a.png");
        Path stored = dir.resolve("blobs").resolve(job.source().sha256().substring(0, 2)).resolve(job.source().sha256());
        assertThat(stored).as("the original in the store").hasBinaryContent(png);
        assertThat(incoming()).as("nothing left where uploads are received").isEmpty();
        assertThat(service.assembly().byHand().processNext()).isTrue();
        assertThat(service.get(job.id()).orElseThrow().status()).isEqualTo(JobStatus.DONE);
    }

    @Test
    void an_upload_of_stored_bytes_keeps_the_one_file_and_leaves_nothing_behind() throws IOException {
        open(Limits.defaults());
        byte[] png = TestImages.png(60, 40, 2);
        service.submit(ImageSource.of(png, "first.png"), SPEC, SubmitOptions.defaults());

        try (ImageUpload upload = received(service, png, 4096)) {
            service.submit(upload.source("again.png"), ThumbnailSpec.box(20, 20), SubmitOptions.defaults());
        }

        assertThat(incoming()).isEmpty();
        assertThat(service.list(JobQuery.all()).items()).extracting(j -> j.source().sha256())
                .containsOnly(Thumbnailer.sha256(png));
    }

    @Test
    void writing_past_the_input_limit_is_refused_as_too_large() {
        open(Limits.defaults().withMaxInputBytes(1000));
        try (ImageUpload upload = service.newUpload()) {
            upload.write(ByteBuffer.wrap(new byte[600]));

            assertThatThrownBy(() -> upload.write(ByteBuffer.wrap(new byte[600])))
                    .isInstanceOfSatisfying(ThumbnailException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.TOO_LARGE));
            assertThat(upload.size()).as("nothing of the refused write kept").isEqualTo(600);
        }
    }

    @Test
    void an_upload_that_is_not_an_image_is_refused_at_submit_and_its_file_deleted_on_close() throws IOException {
        open(Limits.defaults());
        ImageUpload upload = received(service, "<html>not an image</html>".getBytes(), 7);

        assertThatThrownBy(() -> service.submit(upload.source("page.png"), SPEC, SubmitOptions.defaults()))
                .isInstanceOfSatisfying(ThumbnailException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_FORMAT));
        upload.close();

        assertThat(incoming()).isEmpty();
        assertThat(service.list(JobQuery.all()).items()).isEmpty();
    }

    @Test
    void the_pixel_limit_is_checked_from_the_uploads_header() {
        open(Limits.defaults().withMaxPixels(100));
        try (ImageUpload upload = received(service, TestImages.png(120, 80, 3), 512)) {
            assertThatThrownBy(() -> service.submit(upload.source("big.png"), SPEC, SubmitOptions.defaults()))
                    .isInstanceOfSatisfying(ThumbnailException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.TOO_MANY_PIXELS));
        }
    }

    @Test
    void in_a_batch_a_bad_upload_fails_alone() {
        open(Limits.defaults());
        try (ImageUpload good = received(service, TestImages.png(30, 20, 4), 100);
             ImageUpload bad = received(service, new byte[] {1, 2, 3}, 1)) {
            Batch batch = service.submitAll(List.of(good.source("good.png"), bad.source("bad.png")), SPEC,
                    SubmitOptions.defaults());

            assertThat(batch.items()).extracting(Job::status).containsExactly(JobStatus.QUEUED, JobStatus.FAILED);
            assertThat(batch.items().get(1).source().bytes()).as("the bad upload's size").isEqualTo(3);
        }
    }

    @Test
    void files_a_crash_left_while_receiving_are_deleted_when_the_service_opens() throws IOException {
        open(Limits.defaults());
        ImageUpload abandoned = received(service, TestImages.png(30, 20, 5), 100);
        assertThat(incoming()).hasSize(1);
        service.close();
        service = null;

        open(Limits.defaults());

        assertThat(incoming()).as("received but never submitted").isEmpty();
        abandoned.close();
    }

    @Test
    void an_upload_the_blob_folder_cannot_take_is_the_stores_failure_and_works_once_it_can() throws IOException {
        open(Limits.defaults());
        Path incoming = dir.resolve("blobs").resolve("incoming");
        Files.delete(incoming);
        Files.writeString(incoming, "not a folder");

        assertThatThrownBy(service::newUpload).isInstanceOfSatisfying(ThumbnailException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.IO_ERROR));
        assertThat(service.assembly().health().blobs().writable()).as("blob store writable, as its health sees it").isFalse();

        Files.delete(incoming);
        try (ImageUpload upload = received(service, TestImages.png(30, 20, 6), 100)) {
            assertThat(service.submit(upload.source("a.png"), SPEC,
                    SubmitOptions.defaults()).status()).as("an upload once the folder is gone")
                    .isEqualTo(JobStatus.QUEUED);
        }
        assertThat(service.assembly().health().blobs().writable()).as("writable once an upload was stored").isTrue();
    }

    @Test
    void submitting_an_upload_a_second_time_is_the_callers_mistake_not_a_transient_io_error() {
        open(Limits.defaults());
        try (ImageUpload upload = received(service, TestImages.png(30, 20, 7), 100)) {
            ImageSource source = upload.source("a.png");
            service.submit(source, SPEC, SubmitOptions.defaults());

            assertThatThrownBy(() -> service.submit(source, SPEC, SubmitOptions.defaults()))
                    .as("a second submit of the same upload")
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("submitted already")
                    .hasMessageContaining("receive the image again into a new upload");
        }
    }

    @Test
    void submitting_a_closed_upload_is_the_callers_mistake_not_a_transient_io_error() {
        open(Limits.defaults());
        ImageUpload upload = received(service, TestImages.png(30, 20, 8), 100);
        ImageSource source = upload.source("a.png");
        upload.close();

        assertThatThrownBy(() -> service.submit(source, SPEC, SubmitOptions.defaults()))
                .as("a submit after close")
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the upload was closed");
    }

    @Test
    void an_upload_whose_file_something_else_deleted_fails_as_io_error_naming_the_folder() throws IOException {
        open(Limits.defaults());
        try (ImageUpload upload = received(service, TestImages.png(30, 20, 9), 100)) {
            ImageSource source = upload.source("a.png");
            for (String name : incoming()) {
                Files.delete(dir.resolve("blobs").resolve("incoming").resolve(name));
            }

            assertThatThrownBy(() -> service.submit(source, SPEC, SubmitOptions.defaults()))
                    .as("a submit whose received file was deleted")
                    .isInstanceOfSatisfying(ThumbnailException.class, e -> assertThat(e.code())
                            .isEqualTo(ErrorCode.IO_ERROR))
                    .hasMessageContaining("was removed from " + dir.resolve("blobs").resolve("incoming"));
        }
    }

    @Test
    void names_and_urls_too_long_to_list_are_refused() {
        String longName = "n".repeat(ImageSource.MAX_NAME_BYTES + 1);
        String longUrl = "https://example.com/" + "u".repeat(ImageSource.MAX_URL_CHARS);

        assertThatThrownBy(() -> ImageSource.of(new byte[1], longName))
                .isInstanceOfSatisfying(ThumbnailException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST));
        assertThatThrownBy(() -> ImageSource.url(URI.create(longUrl)))
                .isInstanceOfSatisfying(ThumbnailException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST));
        assertThat(ImageSource.of(new byte[1], "é".repeat(ImageSource.MAX_NAME_BYTES / 2)).name())
                .as("a name of exactly the most bytes").hasSize(ImageSource.MAX_NAME_BYTES / 2);
    }
}
