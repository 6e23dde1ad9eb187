package io.thumbnail;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;

import static io.thumbnail.Fixtures.png;
import static io.thumbnail.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;

/** A source whose left half is fully transparent and right half opaque red; the edge falls inside output pixel 50. */
class TransparencyTest {
    private final Thumbnailer thumbnailer = Thumbnailer.create(Limits.defaults());
    private final byte[] source = png(halfTransparent(400, 200));

    @Test
    void png_output_keeps_the_alpha_channel() {
        BufferedImage out = read(thumbnailer.thumbnail(source, ThumbnailSpec.box(100, 100)).bytes());

        assertThat(out.getColorModel().hasAlpha()).isTrue();
        assertThat(out.getRGB(10, 25) >>> 24).as("alpha in the transparent half").isZero();
        assertThat(out.getRGB(90, 25) >>> 24).as("alpha in the opaque half").isEqualTo(255);
        assertThat(out.getRGB(90, 25) & 0xFFFFFF).as("colour in the opaque half").isEqualTo(0xFF0000);
    }

    @Test
    void transparent_pixels_do_not_darken_the_edge_they_are_averaged_into() {
        BufferedImage out = read(thumbnailer.thumbnail(source, ThumbnailSpec.box(100, 100)).bytes());

        int edge = out.getRGB(50, 25);
        assertThat(edge >>> 24).as("the edge pixel is partly transparent").isBetween(1, 254);
        assertThat((edge >> 16) & 0xFF).as("its colour stays red, not red mixed with the hidden black").isGreaterThan(245);
    }

    @Test
    void jpeg_output_flattens_onto_white_by_default() {
        Thumbnail t = thumbnailer.thumbnail(source, ThumbnailSpec.box(100, 100).withFormat(OutputFormat.JPEG));
        BufferedImage out = read(t.bytes());

        assertThat(t.format()).isEqualTo(ImageFormat.JPEG);
        assertThat(out.getColorModel().hasAlpha()).isFalse();
        assertNear(out.getRGB(10, 25), 0xFFFFFF, "the transparent half is white, never black");
        assertNear(out.getRGB(90, 25), 0xFF0000, "the opaque half stays red");
    }

    @Test
    void jpeg_output_flattens_onto_the_requested_background() {
        Thumbnail t = thumbnailer.thumbnail(source,
                ThumbnailSpec.box(100, 100).withFormat(OutputFormat.JPEG).withBackground(0x3366CC));
        BufferedImage out = read(t.bytes());

        assertThat(t.bytes()).as("a real file, not an empty one").hasSizeGreaterThan(100);
        assertNear(out.getRGB(10, 25), 0x3366CC, "the transparent half takes the background colour");
    }

    private static BufferedImage halfTransparent(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < height; y++) {
            for (int x = width / 2 + 2; x < width; x++) {
                image.setRGB(x, y, 0xFFFF0000);
            }
        }
        return image;
    }

    private static void assertNear(int actual, int expected, String what) {
        for (int shift = 0; shift <= 16; shift += 8) {
            assertThat((actual >> shift) & 0xFF).as(what + String.format(" (got #%06x)", actual & 0xFFFFFF))
                    .isCloseTo((expected >> shift) & 0xFF, org.assertj.core.data.Offset.offset(12));
        }
    }
}
