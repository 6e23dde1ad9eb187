package io.thumbnail;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** A job for {@code auto-webp} keeps its thumbnail twice, as WebP and as JPEG or PNG, and handles both files alike. */
class WebpFallbackJobTest {
    private static final ThumbnailSpec BOTH = ThumbnailSpec.box(100, 100).withFormat(OutputFormat.AUTO_WEBP);

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

    private Job done(byte[] image, ThumbnailSpec spec) {
        Job job = service.submit(ImageSource.of(image, "photo.jpg"), spec, SubmitOptions.defaults());
        service.assembly().byHand().processNext();
        return service.get(job.id()).orElseThrow();
    }

    @Test
    void the_job_records_and_stores_its_webp_and_its_jpeg_fallback() throws IOException {
        open(null);
        byte[] photo = TestImages.jpeg(400, 300, 1);

        Job job = done(photo, BOTH);

        JobResult r = job.result();
        assertThat(r.format()).isEqualTo(ImageFormat.WEBP);
        assertThat(r.fallback()).as("fallback").isNotNull();
        assertThat(r.fallback().format()).isEqualTo(ImageFormat.JPEG);
        byte[] webp = read(service.openThumbnail(job.id(), null, ImageFormat.WEBP));
        byte[] jpeg = read(service.openThumbnail(job.id(), null, ImageFormat.JPEG));
        assertThat(webp).as("the job's own thumbnail").isEqualTo(service.thumbnailBytes(job.id()));
        assertThat(jpeg.length).isEqualTo(r.fallback().bytes());
        assertThat(Thumbnailer.sha256(jpeg)).isEqualTo(r.fallback().sha256());
        assertThat(jpeg).as("the JPEG auto makes of the same image")
                .isEqualTo(Thumbnailer.create(Limits.defaults()).thumbnail(photo, ThumbnailSpec.box(100, 100)).bytes());
    }

    @Test
    void a_format_the_job_does_not_have_is_not_found() {
        open(null);
        Job job = done(TestImages.jpeg(400, 300, 1), BOTH);

        ThumbnailException e = catchThrowableOfType(ThumbnailException.class,
                () -> service.openThumbnail(job.id(), null, ImageFormat.PNG));

        assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(e.getMessage()).contains("no png thumbnail");
    }

    @Test
    void a_duplicate_is_born_done_with_the_same_fallback() {
        open(null);
        byte[] photo = TestImages.jpeg(400, 300, 2);
        Job first = done(photo, BOTH);

        Job twin = service.submit(ImageSource.of(photo, "again.jpg"), BOTH, SubmitOptions.defaults());

        assertThat(twin.status()).isEqualTo(JobStatus.DONE);
        assertThat(twin.result()).isEqualTo(first.result());
        assertThat(service.get(twin.id()).orElseThrow().result().fallback()).isEqualTo(first.result().fallback());
    }

    @Test
    void deleting_the_job_deletes_both_files_and_its_original() throws IOException {
        open(null);
        Job job = done(TestImages.jpeg(400, 300, 3), BOTH);
        assertThat(storedHashes()).hasSize(3);

        service.delete(job.id());

        assertThat(storedHashes()).as("files after the delete").isEmpty();
    }

    @Test
    void the_sweep_keeps_a_fallback_a_job_names() throws IOException {
        open(null);
        Job job = done(TestImages.jpeg(400, 300, 4), BOTH);

        service.assembly().byHand().runJanitor();

        assertThat(storedHashes()).containsExactlyInAnyOrder(job.source().sha256(), job.result().sha256(),
                job.result().fallback().sha256());
    }

    @Test
    void the_fallback_survives_a_restart() {
        open(null);
        Job job = done(TestImages.jpeg(400, 300, 5), BOTH);
        service.close();

        open(null);

        assertThat(service.get(job.id()).orElseThrow().result()).isEqualTo(job.result());
    }

    private void open(java.time.Duration ttl) {
        service = ThumbnailService.builder().dataDir(dir).clock(clock).ttl(ttl).hooks(h -> h.withStartWorkers(false))
                .build();
    }

    private Set<String> storedHashes() throws IOException {
        try (Stream<Path> files = Files.walk(dir.resolve("blobs"))) {
            return files.filter(Files::isRegularFile).map(f -> f.getFileName().toString())
                    .filter(name -> name.matches("[0-9a-f]{64}")).collect(Collectors.toSet());
        }
    }

    private static byte[] read(ThumbnailContent content) throws IOException {
        try (content) {
            return content.stream().readAllBytes();
        }
    }
}
