package io.thumbnail;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ThumbnailServiceTest {
    private static final ThumbnailSpec SPEC = ThumbnailSpec.box(100, 100);

    @TempDir
    Path dir;
    private final MutableClock clock = MutableClock.startingNow();
    private ThumbnailService service;

    @AfterEach
    void close() {
        if (service != null) {
            service.close();
        }
    }

    /** A service whose workers the test runs by hand. */
    private ThumbnailService manual() {
        service = ThumbnailService.builder().dataDir(dir).clock(clock).hooks(h -> h.withStartWorkers(false)).build();
        return service;
    }

    private List<Path> storedFiles() throws IOException {
        try (Stream<Path> files = Files.walk(dir.resolve("blobs"))) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private static void assertCode(Throwable thrown, ErrorCode code) {
        assertThat(thrown).isInstanceOf(ThumbnailException.class);
        assertThat(((ThumbnailException) thrown).code()).as("error code").isEqualTo(code);
    }

    @Test
    void submitted_image_ends_done_with_a_readable_thumbnail() throws Exception {
        service = ThumbnailService.builder().dataDir(dir).workers(2).build();
        Job job = service.submit(ImageSource.of(TestImages.jpeg(400, 300, 1), "cat.jpg"), SPEC,
                SubmitOptions.defaults());

        Job done = service.await(job.id(), Duration.ofSeconds(30));

        assertThat(done.status()).as("status after await").isEqualTo(JobStatus.DONE);
        assertThat(done.result().width()).as("thumbnail width").isEqualTo(100);
        assertThat(done.result().height()).as("thumbnail height").isEqualTo(75);
        BufferedImage thumbnail = ImageIO.read(new ByteArrayInputStream(service.thumbnailBytes(done.id())));
        assertThat(thumbnail.getWidth()).as("decoded thumbnail width").isEqualTo(100);
        try (ThumbnailContent content = service.openThumbnail(done.id())) {
            assertThat(content.stream().readAllBytes()).as("thumbnail streamed")
                    .isEqualTo(service.thumbnailBytes(done.id()));
            assertThat(content.length()).as("length").isEqualTo(done.result().bytes());
            assertThat(content.format()).as("format").isEqualTo(done.result().format());
            assertThat(content.sha256()).as("sha256").isEqualTo(done.result().sha256());
        }
    }

    @Test
    void idle_workers_wake_on_submit_instead_of_waiting_out_their_poll() throws Exception {
        service = ThumbnailService.builder().dataDir(dir).workers(1).hooks(h -> h.withIdleWait(Duration.ofHours(1)))
                .build();
        Job first = service.submit(ImageSource.of(TestImages.png(40, 40, 1), "a.png"), SPEC, SubmitOptions.defaults());
        service.await(first.id(), Duration.ofSeconds(30)); // the worker is idle from here on

        Job second = service.submit(ImageSource.of(TestImages.png(40, 40, 2), "b.png"), SPEC, SubmitOptions.defaults());

        assertThat(service.await(second.id(), Duration.ofSeconds(30)).status())
                .as("status of a job submitted to an idle worker that polls hourly").isEqualTo(JobStatus.DONE);
    }

    @Test
    void submit_records_the_job_and_its_source() {
        manual();
        byte[] jpeg = TestImages.jpeg(400, 300, 1);

        Job job = service.submit(ImageSource.of(jpeg, "cat.jpg"), SPEC, SubmitOptions.builder().owner("alice").build());

        assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(job.source()).isEqualTo(new JobSource("cat.jpg", jpeg.length, ImageFormat.JPEG, 400, 300,
                Thumbnailer.sha256(jpeg)));
        assertThat(job.spec()).isEqualTo(SPEC);
        assertThat(job.owner()).isEqualTo("alice");
        assertThat(job.attempts()).isZero();
        assertThat(job.createdAt()).isEqualTo(clock.instant().truncatedTo(ChronoUnit.MILLIS));
        assertThat(service.get(job.id())).as("stored job").contains(job);
    }

    @Test
    void submit_returns_only_once_the_original_is_on_disk() {
        manual();
        byte[] png = TestImages.png(64, 64, 3);

        Job job = service.submit(ImageSource.of(png, "a.png"), SPEC, SubmitOptions.defaults());

        String sha = job.source().sha256();
        assertThat(dir.resolve("blobs").resolve(sha.substring(0, 2)).resolve(sha))
                .as("original in the content-addressed folder").hasBinaryContent(png);
    }

    @Test
    void image_bytes_live_in_files_not_in_the_database() throws IOException {
        manual();
        BufferedImage noise = new BufferedImage(300, 300, BufferedImage.TYPE_INT_RGB);
        java.util.Random random = new java.util.Random(42);
        for (int y = 0; y < 300; y++) {
            for (int x = 0; x < 300; x++) {
                noise.setRGB(x, y, random.nextInt());
            }
        }
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        ImageIO.write(noise, "png", png);
        service.submit(ImageSource.of(png.toByteArray(), "noise.png"), SPEC, SubmitOptions.defaults());
        service.assembly().byHand().processNext();
        service.close();

        long database = Files.size(dir.resolve("jobs.db"))
                + (Files.exists(dir.resolve("jobs.db-wal")) ? Files.size(dir.resolve("jobs.db-wal")) : 0);
        assertThat(database).as("database bytes for one job of a %d-byte image", png.size())
                .isLessThan(png.size() / 2);
    }

    @Test
    void a_data_dir_in_the_earlier_two_level_blob_layout_keeps_its_thumbnails() throws Exception {
        service = ThumbnailService.builder().dataDir(dir).workers(1).build();
        Job done = service.await(service.submit(ImageSource.of(TestImages.jpeg(200, 100, 2), "a.jpg"), SPEC,
                SubmitOptions.defaults()).id(),
                Duration.ofSeconds(30));
        byte[] thumbnail = service.thumbnailBytes(done.id());
        service.close();
        for (Path file : storedFiles()) {
            // As earlier versions wrote it: blobs/ab/cd/<sha256>.
            String sha = file.getFileName().toString();
            Path old = Files.createDirectories(file.resolveSibling(sha.substring(2, 4))).resolve(sha);
            Files.move(file, old);
        }

        service = ThumbnailService.builder().dataDir(dir).workers(1).build();

        assertThat(service.thumbnailBytes(done.id())).as("the thumbnail after reopening").isEqualTo(thumbnail);
        assertThat(storedFiles()).as("files after reopening, one level deep")
                .containsExactlyInAnyOrder(dir.resolve("blobs").resolve(subPath(done.source().sha256())),
                        dir.resolve("blobs").resolve(subPath(done.result().sha256())));
    }

    @Test
    void submit_reads_a_file_source() throws IOException {
        manual();
        Path file = Files.write(dir.resolve("dog.png"), TestImages.png(30, 20, 1));

        Job job = service.submit(ImageSource.of(file), SPEC, SubmitOptions.defaults());

        assertThat(job.source().name()).isEqualTo("dog.png");
        assertThat(job.source().width()).isEqualTo(30);
    }

    @Test
    void bytes_that_are_no_image_are_refused_at_submit_and_leave_nothing() throws IOException {
        manual();
        byte[] text = "hello, this is not an image".getBytes(StandardCharsets.UTF_8);

        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(
                () -> service.submit(ImageSource.of(text, "x.jpg"), SPEC, SubmitOptions.defaults()));

        assertCode(thrown, ErrorCode.UNSUPPORTED_FORMAT);
        assertThat(service.list(JobQuery.all()).items()).as("jobs").isEmpty();
        assertThat(storedFiles()).as("stored files").isEmpty();
    }

    @Test
    void input_over_the_byte_limit_is_refused_at_submit() {
        service = ThumbnailService.builder().dataDir(dir).hooks(h -> h.withStartWorkers(false))
                .limits(Limits.defaults().withMaxInputBytes(100)).build();

        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(
                () -> service.submit(ImageSource.of(TestImages.jpeg(300, 300, 1), "big.jpg"), SPEC,
                        SubmitOptions.defaults()));

        assertCode(thrown, ErrorCode.TOO_LARGE);
    }

    @Test
    void a_device_that_never_ends_is_refused_at_submit_as_too_large_after_reading_only_past_the_limit() {
        service = ThumbnailService.builder().dataDir(dir).hooks(h -> h.withStartWorkers(false))
                .limits(Limits.defaults().withMaxInputBytes(1 << 20)).build();

        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(
                () -> service.submit(ImageSource.of(Path.of("/dev/zero")), SPEC, SubmitOptions.defaults()));

        assertCode(thrown, ErrorCode.TOO_LARGE);
        assertThat(service.list(JobQuery.all()).items()).as("jobs").isEmpty();
    }

    @Test
    void a_box_past_the_output_limit_is_refused_at_submit_and_leaves_nothing() throws IOException {
        service = ThumbnailService.builder().dataDir(dir).hooks(h -> h.withStartWorkers(false))
                .limits(Limits.defaults().withMaxOutputSide(200)).build();

        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(
                () -> service.submit(ImageSource.of(TestImages.png(40, 40, 1), "a.png"), ThumbnailSpec.box(300, 300),
                        SubmitOptions.defaults()));

        assertCode(thrown, ErrorCode.INVALID_SPEC);
        assertThat(thrown).hasMessageContaining("at most 200 pixels");
        assertThat(service.list(JobQuery.all()).items()).as("jobs").isEmpty();
        assertThat(storedFiles()).as("stored files").isEmpty();
    }

    @Test
    void an_upscaled_side_that_would_pass_the_output_limit_is_refused_at_submit() {
        service = ThumbnailService.builder().dataDir(dir).hooks(h -> h.withStartWorkers(false))
                .limits(Limits.defaults().withMaxOutputSide(300)).build();

        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(
                () -> service.submit(ImageSource.of(TestImages.png(10, 100, 1), "tall.png"),
                        ThumbnailSpec.width(300).withUpscale(true), SubmitOptions.defaults()));

        assertCode(thrown, ErrorCode.INVALID_SPEC);
        assertThat(thrown).hasMessageContaining("would be 300x3000 pixels");
    }

    @Test
    void in_a_batch_only_the_image_a_spec_cannot_be_made_of_fails_at_submit() {
        service = ThumbnailService.builder().dataDir(dir).hooks(h -> h.withStartWorkers(false))
                .limits(Limits.defaults().withMaxOutputSide(300)).build();

        Batch batch = service.submitAll(List.of(ImageSource.of(TestImages.png(10, 100, 1), "tall.png"),
                ImageSource.of(TestImages.png(100, 100, 2), "square.png")), ThumbnailSpec.width(300).withUpscale(true),
                SubmitOptions.defaults());

        assertThat(batch.items()).extracting(job -> job.source().name() + " " + job.status())
                .containsExactlyInAnyOrder("tall.png FAILED", "square.png QUEUED");
    }

    @Test
    void image_over_the_pixel_limit_is_refused_at_submit() {
        service = ThumbnailService.builder().dataDir(dir).hooks(h -> h.withStartWorkers(false))
                .limits(Limits.defaults().withMaxPixels(1000)).build();

        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(
                () -> service.submit(ImageSource.of(TestImages.png(100, 100, 1), "wide.png"), SPEC,
                        SubmitOptions.defaults()));

        assertCode(thrown, ErrorCode.TOO_MANY_PIXELS);
    }

    @Test
    void stats_after_close_fail_as_unavailable_rather_than_report_a_failing_database() {
        manual().close();

        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> service.stats());

        assertCode(thrown, ErrorCode.UNAVAILABLE);
    }

    @Test
    void the_longest_durations_allowed_still_run_a_job_wait_for_it_and_close() throws Exception {
        Duration longest = ServiceDefaults.MAX_DURATION;
        service = ThumbnailService.builder().dataDir(dir).workers(1).retryBackoff(longest).lease(longest)
                .ttl(longest).quarantineGrace(longest).janitorInterval(longest).priorityAging(longest)
                .shutdownTimeout(longest).jobTimeout(longest).webhookMaxAge(longest).build();

        Job job = service.submit(ImageSource.of(TestImages.png(40, 40, 1), "a.png"), SPEC, SubmitOptions.defaults());
        Job done = service.await(job.id(), ChronoUnit.FOREVER.getDuration());

        assertThat(done.status()).as("the job, awaited with a timeout of 'forever'").isEqualTo(JobStatus.DONE);
        service.close();
        assertThatThrownBy(() -> service.get(job.id())).as("a call after close").isInstanceOf(ThumbnailException.class);
    }

    @Test
    void get_of_an_unknown_id_is_empty() {
        manual();
        assertThat(service.get(UUID.randomUUID())).isEmpty();
    }

    @Test
    void thumbnail_of_an_unknown_job_is_not_found() {
        manual();
        assertCode(org.assertj.core.api.Assertions.catchThrowable(() -> service.thumbnailBytes(UUID.randomUUID())),
                ErrorCode.NOT_FOUND);
    }

    @Test
    void thumbnail_of_a_queued_job_is_not_ready() {
        manual();
        Job job = service.submit(ImageSource.of(TestImages.png(40, 40, 1), "a.png"), SPEC, SubmitOptions.defaults());

        assertCode(org.assertj.core.api.Assertions.catchThrowable(() -> service.thumbnailBytes(job.id())),
                ErrorCode.NOT_READY);
    }

    @Test
    void thumbnail_of_a_failed_job_throws_the_jobs_error() {
        manual();
        byte[] text = "not an image".getBytes(StandardCharsets.UTF_8);
        Job failed = service.submitAll(List.of(ImageSource.of(text, "notes.txt")), SPEC,
                SubmitOptions.defaults()).items().get(0);

        assertCode(org.assertj.core.api.Assertions.catchThrowable(() -> service.openThumbnail(failed.id())),
                ErrorCode.UNSUPPORTED_FORMAT);
    }

    @Test
    void delete_removes_the_row_and_only_files_no_other_job_uses() throws IOException {
        manual();
        byte[] png = TestImages.png(64, 64, 1);
        Job small = service.submit(ImageSource.of(png, "a.png"), ThumbnailSpec.box(10, 10), SubmitOptions.defaults());
        Job large = service.submit(ImageSource.of(png, "a.png"), ThumbnailSpec.box(20, 20), SubmitOptions.defaults());
        service.assembly().byHand().processNext();
        service.assembly().byHand().processNext();
        Path original = dir.resolve("blobs").resolve(subPath(small.source().sha256()));
        Path smallThumbnail = dir.resolve("blobs").resolve(subPath(service.get(small.id()).orElseThrow().result().sha256()));
        Path largeThumbnail = dir.resolve("blobs").resolve(subPath(service.get(large.id()).orElseThrow().result().sha256()));

        assertThat(service.delete(small.id())).map(Job::id).as("deleted job").contains(small.id());

        assertThat(service.get(small.id())).as("row of the deleted job").isEmpty();
        assertThat(smallThumbnail).as("its own thumbnail").doesNotExist();
        assertThat(original).as("original still used by the other job").exists();
        assertThat(largeThumbnail).as("other job's thumbnail").exists();

        service.delete(large.id());
        assertThat(storedFiles()).as("files after deleting both").isEmpty();
    }

    private static String subPath(String sha) {
        return sha.substring(0, 2) + "/" + sha;
    }

    @Test
    void delete_of_an_unknown_job_is_empty() {
        manual();
        assertThat(service.delete(UUID.randomUUID())).isEmpty();
    }

    @Test
    void stats_count_queued_jobs_and_workers() {
        service = ThumbnailService.builder().dataDir(dir).workers(3).hooks(h -> h.withStartWorkers(false)).build();
        service.submit(ImageSource.of(TestImages.png(40, 40, 1), "a.png"), SPEC, SubmitOptions.defaults());
        service.submit(ImageSource.of(TestImages.png(40, 40, 2), "b.png"), SPEC, SubmitOptions.defaults());
        ServiceTestHooks.checkStatus(service);

        ServiceStats stats = service.stats();

        assertThat(stats.databaseOk()).as("databaseOk").isTrue();
        assertThat(stats.queued()).as("queued").isEqualTo(2);
        assertThat(stats.processing()).as("processing").isZero();
        assertThat(stats.workers()).as("workers").isEqualTo(3);
        assertThat(stats.dataDirFreeBytes()).as("free bytes").isPositive();
    }

    @Test
    void stats_count_busy_workers_and_processing_jobs() {
        ScriptedPipeline pipeline = new ScriptedPipeline().holdFirstCall();
        service = ThumbnailService.builder().dataDir(dir).workers(2).hooks(h -> h.withPipeline(pipeline)).build();
        try {
            service.submit(ImageSource.of(TestImages.png(40, 40, 1), "a.png"), SPEC, SubmitOptions.defaults());
            ScriptedPipeline.await(pipeline.firstCallStarted);
            ServiceTestHooks.checkStatus(service);

            ServiceStats stats = service.stats();

            assertThat(stats.busyWorkers()).as("busy workers").isEqualTo(1);
            assertThat(stats.processing()).as("processing").isEqualTo(1);
        } finally {
            pipeline.releaseFirstCall();
        }
    }

    @Test
    void second_service_on_the_same_data_dir_is_refused() {
        manual();

        assertThatThrownBy(() -> ThumbnailService.builder().dataDir(dir).hooks(h -> h.withStartWorkers(false)).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("in use");
    }

    @Test
    void a_data_dir_that_is_a_file_is_refused_saying_so() throws IOException {
        Path file = Files.writeString(dir.resolve("data"), "a file");

        assertThatThrownBy(() -> ThumbnailService.builder().dataDir(file).hooks(h -> h.withStartWorkers(false)).build())
                .isInstanceOf(ThumbnailException.class)
                .hasMessage("could not open the data directory " + file.toAbsolutePath()
                        + ": it is a file, not a directory");
    }

    @Test
    void data_dir_is_free_again_after_close() {
        manual().close();

        service = ThumbnailService.builder().dataDir(dir).hooks(h -> h.withStartWorkers(false)).build();

        assertThat(service.stats().databaseOk()).isTrue();
    }

    @Test
    void submit_after_close_is_refused() {
        manual().close();

        assertThatThrownBy(() -> service.submit(ImageSource.of(TestImages.png(4, 4, 1), "a.png"), SPEC,
                SubmitOptions.defaults()))
                .isInstanceOf(ThumbnailException.class).hasMessageContaining("closed")
                .extracting(e -> ((ThumbnailException) e).code()).isEqualTo(ErrorCode.UNAVAILABLE);
    }

    @Test
    void lookups_after_close_are_refused_as_unavailable() {
        manual().close();

        assertThatThrownBy(() -> service.get(UUID.randomUUID())).as("get after close")
                .isInstanceOf(ThumbnailException.class)
                .extracting(e -> ((ThumbnailException) e).code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThatThrownBy(() -> service.list(JobQuery.all())).as("list after close")
                .isInstanceOf(ThumbnailException.class)
                .extracting(e -> ((ThumbnailException) e).code()).isEqualTo(ErrorCode.UNAVAILABLE);
    }
}
