package io.thumbnail;

import io.thumbnail.internal.image.ImageDecoder;
import io.thumbnail.internal.image.ImagePipeline;
import io.thumbnail.quality.Ssim;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Several thumbnails of one image from one submit: one job each, one stored original, one decode. */
class RenditionsTest {
    private static final List<ThumbnailSpec> THREE_SIZES = List.of(ThumbnailSpec.box(100, 100),
            ThumbnailSpec.box(400, 400).withFit(Fit.COVER), ThumbnailSpec.width(1200));
    private static final byte[] PHOTO = photo(1600, 1200);

    @TempDir
    Path dir;
    private ThumbnailService service;
    private final AtomicInteger decodes = new AtomicInteger();

    /** A service whose workers run the real pipeline, counting its decodes; driven by hand. */
    private ThumbnailService open(Limits limits) {
        ImagePipeline counting = new ImagePipeline(limits, (data, header, minWidth, minHeight, exact) -> {
            decodes.incrementAndGet();
            return ImageDecoder.decode(data, header, minWidth, minHeight, exact);
        });
        service = ThumbnailService.builder().dataDir(dir).limits(limits)
                .hooks(h -> h.withStartWorkers(false).withPipeline(counting))
                .build();
        return service;
    }

    @AfterEach
    void close() {
        if (service != null) {
            service.close();
        }
    }

    private Batch submit(List<ThumbnailSpec> renditions) {
        return service.submitAll(List.of(ImageSource.of(PHOTO, "photo.jpg")), null,
                SubmitOptions.builder().renditions(renditions).build());
    }

    @Test
    void three_sizes_of_a_jpeg_become_one_batch_with_a_job_per_size_in_order() {
        open(Limits.defaults());

        Batch batch = submit(THREE_SIZES);

        assertThat(batch.items()).extracting(Job::spec).as("one job per size, in order")
                .containsExactlyElementsOf(THREE_SIZES);
        assertThat(batch.items()).extracting(job -> job.source().sha256()).as("one original for all").hasSize(3)
                .containsOnly(batch.items().get(0).source().sha256());
    }

    @Test
    void the_original_is_stored_once() throws IOException {
        open(Limits.defaults());

        submit(THREE_SIZES);

        try (Stream<Path> files = Files.walk(dir.resolve("blobs"))) {
            assertThat(files.filter(Files::isRegularFile).filter(f -> !f.toString().contains("quarantine")))
                    .as("files in the blob store after submit").hasSize(1);
        }
    }

    @Test
    void a_worker_makes_every_size_of_a_jpeg_from_one_decode() {
        open(Limits.defaults());
        Batch batch = submit(THREE_SIZES);

        boolean ran = service.assembly().byHand().processNext();

        assertThat(ran).as("a job ran").isTrue();
        assertThat(decodes.get()).as("decodes for three sizes").isEqualTo(1);
        Batch done = service.batch(batch.id()).orElseThrow();
        assertThat(done.items()).extracting(Job::status).as("every size done by that one run")
                .containsOnly(JobStatus.DONE);
        assertThat(done.items()).extracting(job -> job.result().width() + "x" + job.result().height())
                .as("sizes").containsExactly("100x75", "400x400", "1200x900");
        assertThat(service.assembly().byHand().processNext()).as("nothing left to claim").isFalse();
    }

    @Test
    void the_largest_size_is_the_very_thumbnail_a_job_of_that_size_alone_makes() {
        open(Limits.defaults());
        Batch batch = submit(THREE_SIZES);
        service.assembly().byHand().processNext();
        Job largest = service.batch(batch.id()).orElseThrow().items().get(2);

        assertThat(service.thumbnailBytes(largest.id())).as("1200 wide, made with the others")
                .isEqualTo(Thumbnailer.create(Limits.defaults()).thumbnail(PHOTO, largest.spec()).bytes());
    }

    /**
     * A smaller size is resized from the largest one's decode rather than from a decode of its own (which, for a
     * small thumbnail of a JPEG, may be the 8x8 block means): the same picture, different only in the finest grain.
     */
    @Test
    void each_smaller_size_is_within_a_tight_ssim_of_what_a_job_of_that_size_alone_makes() {
        open(Limits.defaults());
        Batch batch = submit(THREE_SIZES);
        service.assembly().byHand().processNext();
        Thumbnailer alone = Thumbnailer.create(Limits.defaults());

        for (Job job : service.batch(batch.id()).orElseThrow().items().subList(0, 2)) {
            BufferedImage together = ImageFixtures.read(service.thumbnailBytes(job.id()));
            BufferedImage single = ImageFixtures.read(alone.thumbnail(PHOTO, job.spec()).bytes());
            assertThat(together.getWidth() + "x" + together.getHeight()).as("size of " + job.spec())
                    .isEqualTo(single.getWidth() + "x" + single.getHeight());
            assertThat(Ssim.of(together, single)).as("SSIM against the size made alone, " + job.spec())
                    .isGreaterThan(0.98);
        }
    }

    @Test
    void a_size_that_cannot_be_made_fails_alone() {
        open(Limits.defaults().withMaxOutputSide(800));
        Batch batch = submit(List.of(ThumbnailSpec.box(100, 100), ThumbnailSpec.width(1000)));

        service.assembly().byHand().processNext();

        List<Job> items = service.batch(batch.id()).orElseThrow().items();
        assertThat(items.get(0).status()).as("100x100").isEqualTo(JobStatus.DONE);
        assertThat(items.get(1).status()).as("1000 wide, over the limit").isEqualTo(JobStatus.FAILED);
        assertThat(items.get(1).error().code()).as("its error").isEqualTo(ErrorCode.INVALID_SPEC);
        assertThat(decodes.get()).as("decodes").isEqualTo(1);
    }

    @Test
    void a_source_that_cannot_be_decoded_fails_every_size_each_with_the_error() {
        open(Limits.defaults());
        byte[] truncated = java.util.Arrays.copyOf(PHOTO, PHOTO.length / 2);
        Batch batch = service.submitAll(List.of(ImageSource.of(truncated, "cut.jpg")), null,
                SubmitOptions.builder().renditions(THREE_SIZES).build());

        service.assembly().byHand().processNext();

        assertThat(service.batch(batch.id()).orElseThrow().items()).as("every size").hasSize(3)
                .allSatisfy(job -> {
                    assertThat(job.status()).isEqualTo(JobStatus.FAILED);
                    assertThat(job.error().code()).isEqualTo(ErrorCode.CORRUPT_IMAGE);
                });
    }

    @Test
    void renditions_go_to_submitAll_without_a_spec_of_their_own() {
        open(Limits.defaults());
        SubmitOptions sizes = SubmitOptions.builder().renditions(THREE_SIZES).build();
        ImageSource photo = ImageSource.of(PHOTO, "photo.jpg");

        assertThatThrownBy(() -> service.submit(photo, ThumbnailSpec.defaults(), sizes))
                .isInstanceOf(ThumbnailException.class).hasMessageContaining("submitAll");
        assertThatThrownBy(() -> service.submitAll(List.of(photo), ThumbnailSpec.defaults(), sizes))
                .isInstanceOf(ThumbnailException.class).hasMessageContaining("either a spec or renditions");
    }

    /** A photo-like JPEG: smooth gradients, shapes with edges, and fine texture. */
    static byte[] photo(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setPaint(new GradientPaint(0, 0, new Color(30, 90, 160), width, height, new Color(230, 200, 120)));
            g.fillRect(0, 0, width, height);
            Random random = new Random(7);
            for (int i = 0; i < 60; i++) {
                g.setColor(new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256)));
                int size = 20 + random.nextInt(width / 5);
                g.fillOval(random.nextInt(width), random.nextInt(height), size, size * 2 / 3);
            }
        } finally {
            g.dispose();
        }
        Random grain = new Random(11);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int n = grain.nextInt(17) - 8;
                int rgb = image.getRGB(x, y);
                int r = clamp(((rgb >> 16) & 0xFF) + n);
                int gr = clamp(((rgb >> 8) & 0xFF) + n);
                int b = clamp((rgb & 0xFF) + n);
                image.setRGB(x, y, r << 16 | gr << 8 | b);
            }
        }
        return ImageFixtures.jpeg(image, 90, false);
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
