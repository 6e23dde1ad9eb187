package io.thumbnail;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;

import static io.thumbnail.Fixtures.png;
import static io.thumbnail.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Sizes, fits and output choices, end to end through {@link Thumbnailer}. */
class ThumbnailGeometryTest {
    private static final int RED = 0xFF0000;
    private static final int GREEN = 0x00FF00;
    private static final int BLUE = 0x0000FF;

    private final Thumbnailer thumbnailer = Thumbnailer.create(Limits.defaults());

    @Test
    void contain_rounds_to_the_nearest_pixel_but_never_past_the_box() {
        Thumbnail t = thumbnailer.thumbnail(png(new BufferedImage(613, 624, BufferedImage.TYPE_INT_RGB)),
                ThumbnailSpec.box(100, 100));

        assertThat(t.width()).as("613 * 100/624 = 98.2").isEqualTo(98);
        assertThat(t.height()).isEqualTo(100);
    }

    @Test
    void width_alone_keeps_the_aspect_ratio() {
        Thumbnail t = thumbnailer.thumbnail(png(new BufferedImage(800, 600, BufferedImage.TYPE_INT_RGB)),
                ThumbnailSpec.width(200));

        assertThat(t.width()).isEqualTo(200);
        assertThat(t.height()).isEqualTo(150);
    }

    @Test
    void height_alone_keeps_the_aspect_ratio() {
        Thumbnail t = thumbnailer.thumbnail(png(new BufferedImage(800, 600, BufferedImage.TYPE_INT_RGB)),
                ThumbnailSpec.height(300));

        assertThat(t.width()).isEqualTo(400);
        assertThat(t.height()).isEqualTo(300);
    }

    @Test
    void cover_fills_the_box_and_keeps_the_centre() {
        Thumbnail t = thumbnailer.thumbnail(png(thirds(600, 200)),
                ThumbnailSpec.box(100, 100).withFit(Fit.COVER).withFormat(OutputFormat.PNG));

        BufferedImage out = read(t.bytes());
        assertThat(out.getWidth()).isEqualTo(100);
        assertThat(out.getHeight()).isEqualTo(100);
        assertThat(rgb(out, 1, 50)).as("left edge shows the green middle third, not the red left").isEqualTo(GREEN);
        assertThat(rgb(out, 98, 50)).as("right edge shows the green middle third, not the blue right").isEqualTo(GREEN);
        assertThat(rgb(out, 50, 1)).isEqualTo(GREEN);
    }

    @Test
    void fill_stretches_the_whole_source_into_the_box() {
        Thumbnail t = thumbnailer.thumbnail(png(thirds(600, 200)),
                ThumbnailSpec.box(90, 90).withFit(Fit.FILL).withFormat(OutputFormat.PNG));

        BufferedImage out = read(t.bytes());
        assertThat(out.getWidth()).isEqualTo(90);
        assertThat(out.getHeight()).isEqualTo(90);
        assertThat(rgb(out, 5, 45)).as("left third").isEqualTo(RED);
        assertThat(rgb(out, 45, 45)).as("middle third").isEqualTo(GREEN);
        assertThat(rgb(out, 84, 45)).as("right third").isEqualTo(BLUE);
    }

    @Test
    void small_sources_are_not_enlarged_by_default() {
        Thumbnail t = thumbnailer.thumbnail(png(new BufferedImage(50, 40, BufferedImage.TYPE_INT_RGB)),
                ThumbnailSpec.box(100, 100));

        assertThat(t.width()).isEqualTo(50);
        assertThat(t.height()).isEqualTo(40);
    }

    @Test
    void small_sources_are_enlarged_when_asked() {
        Thumbnail t = thumbnailer.thumbnail(png(new BufferedImage(50, 40, BufferedImage.TYPE_INT_RGB)),
                ThumbnailSpec.box(100, 100).withUpscale(true));

        assertThat(t.width()).isEqualTo(100);
        assertThat(t.height()).isEqualTo(80);
    }

    @Test
    void cover_without_upscaling_crops_a_small_source_to_the_box_shape() {
        Thumbnail t = thumbnailer.thumbnail(png(thirds(150, 50)), ThumbnailSpec.box(200, 200).withFit(Fit.COVER));

        assertThat(t.width()).as("the largest square inside 150x50").isEqualTo(50);
        assertThat(t.height()).isEqualTo(50);
    }

    @Test
    void a_box_beyond_the_max_output_side_is_refused() {
        Thumbnailer limited = Thumbnailer.create(Limits.defaults().withMaxOutputSide(200));

        ThumbnailException e = catchThrowableOfType(ThumbnailException.class, () -> limited.thumbnail(
                png(new BufferedImage(1000, 1000, BufferedImage.TYPE_INT_RGB)), ThumbnailSpec.box(300, 300)));

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_SPEC);
        assertThat(e.getMessage()).contains("at most 200");
    }

    @Test
    void auto_format_is_jpeg_for_opaque_sources() {
        Thumbnail t = thumbnailer.thumbnail(png(new BufferedImage(300, 200, BufferedImage.TYPE_INT_RGB)),
                ThumbnailSpec.box(100, 100));

        assertThat(t.format()).isEqualTo(ImageFormat.JPEG);
    }

    @Test
    void auto_format_is_png_for_sources_with_transparency() {
        Thumbnail t = thumbnailer.thumbnail(png(new BufferedImage(300, 200, BufferedImage.TYPE_INT_ARGB)),
                ThumbnailSpec.box(100, 100));

        assertThat(t.format()).isEqualTo(ImageFormat.PNG);
    }

    @Test
    void higher_quality_gives_more_bytes() {
        byte[] source = png(Fixtures.photoLike(400, 300, 7));

        int low = thumbnailer.thumbnail(source, ThumbnailSpec.box(200, 200).withQuality(30)).bytes().length;
        int normal = thumbnailer.thumbnail(source, ThumbnailSpec.box(200, 200)).bytes().length;
        int high = thumbnailer.thumbnail(source, ThumbnailSpec.box(200, 200).withQuality(95)).bytes().length;

        assertThat(low).as("quality 30 < default 85").isLessThan(normal);
        assertThat(normal).as("default 85 < quality 95").isLessThan(high);
    }

    /** Left third red, middle green, right blue. */
    private static BufferedImage thirds(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, x < width / 3 ? RED : x < 2 * width / 3 ? GREEN : BLUE);
            }
        }
        return image;
    }

    private static int rgb(BufferedImage image, int x, int y) {
        return image.getRGB(x, y) & 0xFFFFFF;
    }
}
