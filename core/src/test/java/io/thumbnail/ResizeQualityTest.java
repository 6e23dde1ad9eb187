package io.thumbnail;

import io.thumbnail.quality.AreaAverage;
import io.thumbnail.quality.LanczosReference;
import io.thumbnail.quality.Ssim;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.awt.image.BufferedImage;

import static io.thumbnail.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Thumbnails of a photo-like image (gradients, hard edges, fine texture, noise) are the Lanczos3 downscale of the
 * same decoded source, as near as a fast path gets, on every decoding path: lossless, baseline JPEG (shrunk on
 * load), and progressive JPEG (first scans only when shrinking a lot); and so stay structurally close to its
 * exact area average too.
 */
class ResizeQualityTest {
    private static BufferedImage photo;

    @BeforeAll
    static void makePhoto() {
        photo = Fixtures.photoLike(2400, 1800, 42);
    }

    @ParameterizedTest(name = "{0} source to {1} px")
    @CsvSource({"png, 100", "png, 400", "jpeg, 100", "jpeg, 400", "progressive, 100", "progressive, 400"})
    void thumbnail_is_close_to_an_exact_area_average(String encoding, int size) {
        byte[] source = source(encoding);
        Thumbnail t = Thumbnailer.create(Limits.defaults())
                .thumbnail(source, ThumbnailSpec.box(size, size).withFormat(OutputFormat.PNG));

        BufferedImage out = read(t.bytes());
        BufferedImage reference = AreaAverage.downscale(read(source), out.getWidth(), out.getHeight());
        assertThat(Ssim.of(reference, out)).as("SSIM against the exact area average").isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void progressive_jpeg_shrunk_from_its_first_scan_alone_is_close_to_an_exact_area_average() {
        // 4000 px to 100: the 8x8 block means of the DC scan are still 5x the thumbnail, so only that scan is read.
        byte[] source = Fixtures.jpeg(Fixtures.photoLike(4000, 3000, 5), 90, true);

        Thumbnail t = Thumbnailer.create(Limits.defaults())
                .thumbnail(source, ThumbnailSpec.box(100, 100).withFormat(OutputFormat.PNG));

        BufferedImage out = read(t.bytes());
        BufferedImage reference = AreaAverage.downscale(read(source), out.getWidth(), out.getHeight());
        assertThat(Ssim.of(reference, out)).as("SSIM against the exact area average").isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void progressive_jpeg_shrunk_from_its_low_frequency_scans_is_close_to_an_exact_area_average() {
        // 4000 px to 400: read up to the first scan of the luma's low AC coefficients (2 of the 10 scans).
        byte[] source = Fixtures.jpeg(Fixtures.photoLike(4000, 3000, 5), 90, true);

        Thumbnail t = Thumbnailer.create(Limits.defaults())
                .thumbnail(source, ThumbnailSpec.box(400, 400).withFormat(OutputFormat.PNG));

        BufferedImage out = read(t.bytes());
        BufferedImage reference = AreaAverage.downscale(read(source), out.getWidth(), out.getHeight());
        assertThat(Ssim.of(reference, out)).as("SSIM against the exact area average").isGreaterThanOrEqualTo(0.98);
    }

    @Test
    void baseline_jpeg_thumbnail_is_the_lanczos3_downscale_of_its_decoded_pixels() {
        // The whole image at the plan's size: the decoder filters the raw YCbCr straight to it.
        byte[] source = Fixtures.jpeg(photo, 95, false);

        Thumbnail t = Thumbnailer.create(Limits.defaults())
                .thumbnail(source, ThumbnailSpec.box(400, 400).withFormat(OutputFormat.PNG));

        BufferedImage out = read(t.bytes());
        BufferedImage reference = LanczosReference.downscale(read(source), out.getWidth(), out.getHeight());
        assertThat(Ssim.of(reference, out)).as("SSIM against Lanczos3").isGreaterThanOrEqualTo(0.995);
    }

    @ParameterizedTest(name = "{0} source to {1} px")
    @CsvSource({"png, 100", "png, 400", "jpeg, 100", "jpeg, 400", "progressive, 100", "progressive, 400"})
    void thumbnail_is_closer_to_lanczos3_than_to_an_exact_area_average(String encoding, int size) {
        byte[] source = source(encoding);

        BufferedImage out = read(Thumbnailer.create(Limits.defaults())
                .thumbnail(source, ThumbnailSpec.box(size, size).withFormat(OutputFormat.PNG)).bytes());
        BufferedImage full = read(source);
        double lanczos = Ssim.of(LanczosReference.downscale(full, out.getWidth(), out.getHeight()), out);
        double area = Ssim.of(AreaAverage.downscale(full, out.getWidth(), out.getHeight()), out);
        assertThat(lanczos).as("SSIM against Lanczos3 (against the area average: %.4f)", area)
                .isGreaterThan(area).isGreaterThanOrEqualTo(0.99);
    }

    private static byte[] source(String encoding) {
        return switch (encoding) {
            case "png" -> Fixtures.png(photo);
            case "jpeg" -> Fixtures.jpeg(photo, 95, false);
            default -> Fixtures.jpeg(photo, 95, true);
        };
    }
}
