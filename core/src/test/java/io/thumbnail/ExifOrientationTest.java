package io.thumbnail;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;

import static io.thumbnail.ImageFixtures.distance;
import static io.thumbnail.ImageFixtures.meanRgb;
import static io.thumbnail.ImageFixtures.rgb;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The upright picture is 60x40 with a red marker in its top-left corner and a blue one in its top-right corner.
 * Each row says where a camera with that EXIF orientation stores those corners; after thumbnailing, red must be
 * top left and blue top right again.
 */
class ExifOrientationTest {
    private static final int RED = 0xFF0000;
    private static final int BLUE = 0x0000FF;

    @ParameterizedTest(name = "orientation {0}: stored {1}x{2}, red {3}, blue {4}")
    @CsvSource({
            "1, 60, 40, top-left,     top-right",
            "2, 60, 40, top-right,    top-left",
            "3, 60, 40, bottom-right, bottom-left",
            "4, 60, 40, bottom-left,  bottom-right",
            "5, 40, 60, top-left,     bottom-left",
            "6, 40, 60, bottom-left,  top-left",
            "7, 40, 60, bottom-right, top-right",
            "8, 40, 60, top-right,    bottom-right",
    })
    void thumbnail_is_upright_with_markers_in_place(int orientation, int width, int height, String red, String blue) {
        BufferedImage stored = ImageFixtures.solid(width, height, 0x808080);
        paintCorner(stored, red, RED);
        paintCorner(stored, blue, BLUE);
        byte[] jpeg = ImageFixtures.withExifOrientation(ImageFixtures.jpeg(stored), orientation);

        Thumbnail t = Thumbnailer.create(Limits.defaults())
                .thumbnail(jpeg, ThumbnailSpec.box(30, 30).withFormat(OutputFormat.PNG));
        BufferedImage thumb = ImageFixtures.read(t.bytes());

        assertThat(thumb.getWidth() + "x" + thumb.getHeight()).as("upright size").isEqualTo("30x20");
        assertThat(t.source().width() + "x" + t.source().height()).as("source size as displayed").isEqualTo("60x40");
        assertThat(distance(meanRgb(thumb, 1, 1, 3, 3), rgb(RED))).as("red marker top left").isLessThan(40);
        assertThat(distance(meanRgb(thumb, 26, 1, 3, 3), rgb(BLUE))).as("blue marker top right").isLessThan(40);
        assertThat(distance(meanRgb(thumb, 13, 14, 4, 4), rgb(0x808080))).as("grey middle").isLessThan(20);
    }

    @ParameterizedTest(name = "orientation {0} in a PNG eXIf chunk and a WebP EXIF chunk")
    @CsvSource({"3, 60, 40, bottom-right, bottom-left", "6, 40, 60, bottom-left, top-left",
            "8, 40, 60, top-right, bottom-right"})
    void png_and_webp_with_exif_are_upright_too(int orientation, int width, int height, String red, String blue) {
        BufferedImage stored = ImageFixtures.solid(width, height, 0x808080);
        paintCorner(stored, red, RED);
        paintCorner(stored, blue, BLUE);
        byte[] png = Fixtures.png(stored);
        byte[] webp = Thumbnailer.create(Limits.defaults()).thumbnail(png, ThumbnailSpec.box(width, height)
                .withFormat(OutputFormat.WEBP).withQuality(100)).bytes();

        for (byte[] source : List.of(ImageFixtures.withPngExifOrientation(png, orientation),
                ImageFixtures.withWebpExifOrientation(webp, width, height, orientation))) {
            Thumbnail t = Thumbnailer.create(Limits.defaults())
                    .thumbnail(source, ThumbnailSpec.box(30, 30).withFormat(OutputFormat.PNG));
            BufferedImage thumb = ImageFixtures.read(t.bytes());
            String what = t.source().format().id();

            assertThat(thumb.getWidth() + "x" + thumb.getHeight()).as(what + ": upright size").isEqualTo("30x20");
            assertThat(distance(meanRgb(thumb, 1, 1, 3, 3), rgb(RED))).as(what + ": red marker top left")
                    .isLessThan(60);
            assertThat(distance(meanRgb(thumb, 26, 1, 3, 3), rgb(BLUE))).as(what + ": blue marker top right")
                    .isLessThan(60);
        }
    }

    private static void paintCorner(BufferedImage image, String corner, int rgb) {
        int size = 14;
        int x = corner.endsWith("left") ? 0 : image.getWidth() - size;
        int y = corner.startsWith("top") ? 0 : image.getHeight() - size;
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(rgb));
        g.fillRect(x, y, size, size);
        g.dispose();
    }
}
