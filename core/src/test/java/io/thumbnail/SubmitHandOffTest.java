package io.thumbnail;

import io.thumbnail.internal.image.Pipeline;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** What submit hands the worker directly: the original's bytes and what was learnt checking them. */
class SubmitHandOffTest {
    private static final ThumbnailSpec SPEC = ThumbnailSpec.box(40, 40);

    @TempDir
    Path dir;
    private ThumbnailService service;
    private final MutableClock clock = MutableClock.startingNow();

    private ThumbnailService open(Pipeline pipeline) {
        ThumbnailServiceBuilder builder = ThumbnailService.builder().dataDir(dir).clock(clock)
                .hooks(h -> h.withStartWorkers(false));
        service = (pipeline == null ? builder : builder.hooks(h -> h.withPipeline(pipeline))).build();
        return service;
    }

    @AfterEach
    void close() {
        if (service != null) {
            service.close();
        }
    }

    private Path blob(String sha) {
        return dir.resolve("blobs").resolve(sha.substring(0, 2)).resolve(sha);
    }

    @Test
    void worker_makes_the_thumbnail_from_the_bytes_submit_handed_over() throws IOException {
        open(null);
        Job job = service.submit(ImageSource.of(TestImages.png(120, 80, 1), "a.png"), SPEC, SubmitOptions.defaults());
        // Gone from disk: the worker can only succeed with the bytes submit kept for it.
        Files.delete(blob(job.source().sha256()));

        service.assembly().byHand().processNext();

        assertThat(service.get(job.id()).orElseThrow().status()).as("status").isEqualTo(JobStatus.DONE);
    }

    @Test
    void caller_changing_its_array_after_submit_does_not_change_the_thumbnail() {
        open(null);
        byte[] png = TestImages.png(120, 80, 2);
        byte[] expected = Thumbnailer.create(Limits.defaults()).thumbnail(png.clone(), SPEC).bytes();
        Job job = service.submit(ImageSource.of(png, "b.png"), SPEC, SubmitOptions.defaults());

        Arrays.fill(png, (byte) 0);
        service.assembly().byHand().processNext();

        assertThat(service.get(job.id()).orElseThrow().status()).as("status").isEqualTo(JobStatus.DONE);
        assertThat(service.thumbnailBytes(job.id())).as("thumbnail of the bytes as submitted").isEqualTo(expected);
    }

    @Test
    void worker_gets_the_very_array_the_caller_handed_over() {
        AtomicReference<byte[]> given = new AtomicReference<>();
        Thumbnailer thumbnailer = Thumbnailer.create(Limits.defaults());
        open(new Pipeline() {
            @Override
            public Thumbnail thumbnail(byte[] source, ThumbnailSpec spec) {
                given.set(source);
                return thumbnailer.thumbnail(source, spec);
            }

            @Override
            public Thumbnail thumbnail(byte[] source, SourceInfo known, ThumbnailSpec spec) {
                given.set(source);
                return thumbnailer.thumbnail(source, known, spec);
            }
        });
        byte[] png = TestImages.png(120, 80, 5);
        service.submit(ImageSource.handOver(png, "e.png"), SPEC, SubmitOptions.defaults());

        service.assembly().byHand().processNext();

        assertThat(given.get()).as("bytes the worker was given: the handed-over array, not a copy").isSameAs(png);
    }

    @Test
    void pipeline_is_told_the_source_checked_at_submit() {
        AtomicReference<SourceInfo> told = new AtomicReference<>();
        Thumbnailer thumbnailer = Thumbnailer.create(Limits.defaults());
        open(new Pipeline() {
            @Override
            public Thumbnail thumbnail(byte[] source, ThumbnailSpec spec) {
                throw new AssertionError("the worker should pass what submit learnt");
            }

            @Override
            public Thumbnail thumbnail(byte[] source, SourceInfo known, ThumbnailSpec spec) {
                told.set(known);
                return thumbnailer.thumbnail(source, known, spec);
            }
        });
        Job job = service.submit(ImageSource.of(TestImages.jpeg(90, 70, 3), "c.jpg"), SPEC, SubmitOptions.defaults());

        service.assembly().byHand().processNext();

        JobSource s = job.source();
        assertThat(told.get()).as("source info the pipeline was given")
                .isEqualTo(new SourceInfo(s.format(), s.width(), s.height(), s.bytes(), s.sha256()));
        assertThat(service.get(job.id()).orElseThrow().status()).as("status").isEqualTo(JobStatus.DONE);
    }

    @Test
    void job_run_again_after_a_failure_reads_its_original_from_disk() {
        ScriptedPipeline pipeline = new ScriptedPipeline().failWith(new ThumbnailException(ErrorCode.IO_ERROR, "hiccup"));
        service = ThumbnailService.builder().dataDir(dir).hooks(h -> h.withStartWorkers(false).withPipeline(pipeline))
                .retryBackoff(Duration.ofSeconds(1)).clock(clock).build();
        Job job = service.submit(ImageSource.of(TestImages.png(120, 80, 4), "d.png"), SPEC, SubmitOptions.defaults());
        service.assembly().byHand().processNext();
        clock.advance(Duration.ofSeconds(1));

        service.assembly().byHand().processNext();

        assertThat(service.get(job.id()).orElseThrow().status()).as("status after the second attempt")
                .isEqualTo(JobStatus.DONE);
        assertThat(pipeline.calls()).as("pipeline calls").isEqualTo(2);
    }
}
