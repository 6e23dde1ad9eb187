package io.thumbnail;

import io.thumbnail.quality.Ssim;
import io.thumbnail.quality.WebpDecoders;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static io.thumbnail.Fixtures.png;
import static io.thumbnail.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** WebP thumbnails: lossy, exact alpha, the default quality, and the fallback an {@code auto-webp} spec makes. */
class WebpOutputTest {
    private final Thumbnailer thumbnailer = Thumbnailer.create(Limits.defaults());
    private final byte[] photo = photo();
    private final byte[] transparent = png(halfTransparent(400, 200));

    @Test
    void webp_is_available_on_this_platform() {
        assertThat(Thumbnailer.webpUnavailableReason()).as("libwebp loads on the platforms the build runs on").isEmpty();
    }

    @Test
    void webp_output_is_lossy_webp_close_to_the_pixels_it_was_made_from() {
        Thumbnail webp = thumbnailer.thumbnail(photo, ThumbnailSpec.box(400, 300).withFormat(OutputFormat.WEBP));
        BufferedImage pixels = read(thumbnailer.thumbnail(photo, ThumbnailSpec.box(400, 300)
                .withFormat(OutputFormat.PNG)).bytes());

        assertThat(webp.format()).isEqualTo(ImageFormat.WEBP);
        assertThat(webp.fallback()).as("an explicit webp has no fallback").isNull();
        assertThat(chunks(webp.bytes())).as("a simple lossy WebP").startsWith("RIFF", "WEBP", "VP8 ");
        BufferedImage decoded = WebpDecoders.libwebp(webp.bytes());
        assertThat(decoded.getWidth()).isEqualTo(webp.width()).isEqualTo(400);
        assertThat(decoded.getHeight()).isEqualTo(webp.height()).isEqualTo(300);
        assertThat(Ssim.of(pixels, decoded)).as("SSIM against the lossless thumbnail").isGreaterThan(0.95);
    }

    @Test
    void transparency_is_kept_exactly_in_a_lossy_webp_with_alpha() {
        Thumbnail webp = thumbnailer.thumbnail(transparent, ThumbnailSpec.box(100, 100).withFormat(OutputFormat.WEBP));
        BufferedImage pixels = read(thumbnailer.thumbnail(transparent, ThumbnailSpec.box(100, 100)
                .withFormat(OutputFormat.PNG)).bytes());

        assertThat(new String(webp.bytes(), StandardCharsets.ISO_8859_1)).as("an alpha plane beside lossy colour")
                .contains("VP8X").contains("ALPH").contains("VP8 ");
        BufferedImage decoded = WebpDecoders.libwebp(webp.bytes());
        for (int y = 0; y < pixels.getHeight(); y++) {
            for (int x = 0; x < pixels.getWidth(); x++) {
                assertThat(decoded.getRGB(x, y) >>> 24).as("alpha at %d,%d", x, y).isEqualTo(pixels.getRGB(x, y) >>> 24);
            }
        }
        assertThat(decoded.getRGB(90, 25) & 0xFFFFFF).as("the opaque half stays red (within lossy error)")
                .satisfies(rgb -> assertThat(rgb >> 16).isGreaterThan(240));
    }

    @Test
    void without_a_quality_webp_is_written_at_82_and_jpeg_at_85() {
        ThumbnailSpec webp = ThumbnailSpec.box(200, 200).withFormat(OutputFormat.WEBP);
        ThumbnailSpec jpeg = ThumbnailSpec.box(200, 200).withFormat(OutputFormat.JPEG);

        assertThat(thumbnailer.thumbnail(photo, webp).bytes())
                .isEqualTo(thumbnailer.thumbnail(photo, webp.withQuality(82)).bytes())
                .isNotEqualTo(thumbnailer.thumbnail(photo, webp.withQuality(85)).bytes());
        assertThat(thumbnailer.thumbnail(photo, jpeg).bytes())
                .isEqualTo(thumbnailer.thumbnail(photo, jpeg.withQuality(85)).bytes());
    }

    @Test
    void a_lower_quality_makes_a_smaller_webp() {
        ThumbnailSpec spec = ThumbnailSpec.box(400, 300).withFormat(OutputFormat.WEBP);

        assertThat(thumbnailer.thumbnail(photo, spec.withQuality(40)).bytes().length)
                .isLessThan(thumbnailer.thumbnail(photo, spec.withQuality(95)).bytes().length);
    }

    @Test
    void auto_webp_makes_webp_and_beside_it_the_jpeg_auto_makes_from_the_same_pixels() {
        Thumbnail both = thumbnailer.thumbnail(photo, ThumbnailSpec.box(200, 200).withFormat(OutputFormat.AUTO_WEBP));
        Thumbnail auto = thumbnailer.thumbnail(photo, ThumbnailSpec.box(200, 200));
        Thumbnail webp = thumbnailer.thumbnail(photo, ThumbnailSpec.box(200, 200).withFormat(OutputFormat.WEBP));

        assertThat(both.format()).isEqualTo(ImageFormat.WEBP);
        assertThat(both.bytes()).isEqualTo(webp.bytes());
        assertThat(both.fallback().format()).isEqualTo(ImageFormat.JPEG);
        assertThat(both.fallback().bytes()).as("not a re-encoded WebP: the very JPEG auto makes")
                .isEqualTo(auto.bytes());
    }

    @Test
    void auto_webp_of_a_transparent_image_falls_back_to_png() {
        Thumbnail both = thumbnailer.thumbnail(transparent,
                ThumbnailSpec.box(100, 100).withFormat(OutputFormat.AUTO_WEBP));

        assertThat(both.format()).isEqualTo(ImageFormat.WEBP);
        assertThat(both.fallback().format()).isEqualTo(ImageFormat.PNG);
        assertThat(both.fallback().bytes())
                .isEqualTo(thumbnailer.thumbnail(transparent, ThumbnailSpec.box(100, 100)).bytes());
    }

    @Test
    void a_webp_wider_than_16383_pixels_is_refused_before_any_pixel_is_decoded() {
        Thumbnailer wide = Thumbnailer.create(Limits.defaults().withMaxOutputSide(32768));
        // A header promising 20000x2 pixels over data that is not a PNG stream: decoding it would fail otherwise.
        byte[] header = ImageFixtures.pngHeaderOnly(20000, 2, new byte[] {1, 2, 3});

        ThumbnailException e = catchThrowableOfType(ThumbnailException.class,
                () -> wide.thumbnail(header, ThumbnailSpec.width(20000).withFormat(OutputFormat.WEBP)));

        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_SPEC);
        assertThat(e.getMessage()).contains("at most 16383 pixels a side").contains("20000x2");
    }

    @Test
    void auto_webp_wider_than_webp_allows_makes_only_what_auto_makes() {
        Thumbnailer wide = Thumbnailer.create(Limits.defaults().withMaxOutputSide(32768));
        byte[] strip = png(ImageFixtures.solid(16400, 2, 0x336699));

        Thumbnail t = wide.thumbnail(strip, ThumbnailSpec.width(16400).withFormat(OutputFormat.AUTO_WEBP));

        assertThat(t.format()).isEqualTo(ImageFormat.JPEG);
        assertThat(t.fallback()).isNull();
    }

    @Test
    void a_still_webp_upload_is_decoded_by_libwebp() {
        byte[] webp = thumbnailer.thumbnail(photo, ThumbnailSpec.box(400, 300).withFormat(OutputFormat.WEBP)).bytes();
        BufferedImage libwebp = WebpDecoders.libwebp(webp);

        BufferedImage decoded = read(thumbnailer.thumbnail(webp, ThumbnailSpec.box(400, 300)
                .withFormat(OutputFormat.PNG)).bytes());

        assertThat(pixelsOf(decoded)).as("the PNG of an unscaled WebP holds libwebp's pixels exactly")
                .isEqualTo(pixelsOf(libwebp));
    }

    @Test
    void a_webp_whose_alpha_plane_is_damaged_is_corrupt_not_an_error() {
        byte[] webp = thumbnailer.thumbnail(transparent, ThumbnailSpec.box(100, 100).withFormat(OutputFormat.WEBP))
                .bytes();
        // The alpha plane's header byte declares it raw, of which the chunk holds far too little: libwebp's status for
        // that is "out of memory", which the binding throws as an OutOfMemoryError.
        webp[new String(webp, StandardCharsets.ISO_8859_1).indexOf("ALPH") + 8] = 0;

        ThumbnailException e = catchThrowableOfType(ThumbnailException.class,
                () -> thumbnailer.thumbnail(webp, ThumbnailSpec.box(50, 50)));

        assertThat(e).as("a ThumbnailException").isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.CORRUPT_IMAGE);
    }

    private static int[] pixelsOf(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }

    /** The RIFF header words and the first chunk's fourcc. */
    private static String[] chunks(byte[] webp) {
        String s = new String(webp, 0, 16, StandardCharsets.ISO_8859_1);
        return new String[] {s.substring(0, 4), s.substring(8, 12), s.substring(12, 16)};
    }

    private static byte[] photo() {
        try {
            return CrashChild.photo(1200, 900);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Left half fully transparent, right half opaque red. */
    static BufferedImage halfTransparent(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < height; y++) {
            for (int x = width / 2; x < width; x++) {
                image.setRGB(x, y, 0xFFFF0000);
            }
        }
        return image;
    }
}
