package io.thumbnail;

import io.thumbnail.internal.image.Orientation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;

import static io.thumbnail.CropScenes.BLUE;
import static io.thumbnail.CropScenes.GREEN;
import static io.thumbnail.CropScenes.RED;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which part of the source a cover thumbnail shows, end to end through {@link Thumbnailer}: named gravities, focal
 * points and smart crops, in the coordinates of the upright image.
 */
class CoverCropTest {
    private static final ThumbnailSpec COVER = ThumbnailSpec.box(100, 100).withFit(Fit.COVER)
            .withFormat(OutputFormat.PNG);
    private final Thumbnailer thumbnailer = Thumbnailer.create(Limits.defaults());

    @ParameterizedTest(name = "{0} on a landscape source shows its {1} band")
    @CsvSource({
            "center, green", "north, green", "south, green",
            "west, red", "northwest, red", "southwest, red",
            "east, blue", "northeast, blue", "southeast, blue"})
    void a_gravity_keeps_that_side_of_a_landscape_source(String gravity, String band) {
        byte[] source = ImageFixtures.write(CropScenes.bands(600, 200, false), "png");

        BufferedImage out = thumbnail(source, COVER.withGravity(Gravity.parse(gravity)));

        assertThat(bandsSeen(out)).as("colour at the thumbnail's left, middle and right").isEqualTo(band + " " + band + " " + band);
    }

    @ParameterizedTest(name = "{0} on a portrait source shows its {1} band")
    @CsvSource({
            "center, green", "east, green", "west, green",
            "north, red", "northeast, red", "northwest, red",
            "south, blue", "southeast, blue", "southwest, blue"})
    void a_gravity_keeps_that_side_of_a_portrait_source(String gravity, String band) {
        byte[] source = ImageFixtures.write(CropScenes.bands(200, 600, true), "png");

        BufferedImage out = thumbnail(source, COVER.withGravity(Gravity.parse(gravity)));

        assertThat(colourName(out.getRGB(50, 2)) + " " + colourName(out.getRGB(50, 50)) + " " + colourName(out.getRGB(50, 97)))
                .as("colour at the thumbnail's top, middle and bottom").isEqualTo(band + " " + band + " " + band);
    }

    @ParameterizedTest(name = "focus {0},{1} shows {2}")
    @CsvSource({
            "0, 0, red red red",
            "1, 1, blue blue blue",
            "0.5, 0.5, green green green",
            "0.05, 0.5, red red red",
            "0.25, 0.5, red red green"})
    void a_focal_point_centres_the_crop_on_it_clamped_to_the_source(double x, double y, String seen) {
        byte[] source = ImageFixtures.write(CropScenes.bands(600, 200, false), "png");

        BufferedImage out = thumbnail(source, COVER.withFocus(new FocalPoint(x, y)));

        assertThat(bandsSeen(out)).as("colour at the thumbnail's left, middle and right").isEqualTo(seen);
    }

    @ParameterizedTest(name = "smart crop of an object at x = {0} of 900")
    @CsvSource({"150", "450", "750"})
    void a_smart_thumbnail_shows_the_whole_detailed_object(int cx) {
        Rectangle object = CropScenes.square(cx, 150, 120);
        byte[] source = ImageFixtures.write(CropScenes.objectOnFlat(900, 300, object), "png");

        BufferedImage out = thumbnail(source, COVER.withGravity(Gravity.SMART));

        assertWholeFrameShown(out, 40);
    }

    @Test
    void focus_and_gravity_are_in_the_coordinates_of_the_upright_image() {
        BufferedImage upright = CropScenes.bands(600, 200, false);
        // Orientation 6 means "turn 90 degrees clockwise to show": the camera stored the scene turned the other way.
        byte[] sideways = ImageFixtures.withExifOrientation(ImageFixtures.jpeg(Orientation.apply(upright, 8)), 6);

        assertThat(bandsSeen(thumbnail(sideways, COVER.withFocus(new FocalPoint(0, 0)))))
                .as("focus 0,0: the upright image's top left").isEqualTo("red red red");
        assertThat(bandsSeen(thumbnail(sideways, COVER.withFocus(new FocalPoint(1, 0.2)))))
                .as("focus 1,0.2: the upright image's right").isEqualTo("blue blue blue");
        assertThat(bandsSeen(thumbnail(sideways, COVER.withGravity(Gravity.WEST))))
                .as("west: the upright image's left").isEqualTo("red red red");
    }

    @Test
    void a_smart_crop_finds_the_object_in_the_upright_image_of_a_sideways_jpeg() {
        Rectangle object = CropScenes.square(750, 150, 120);
        BufferedImage upright = CropScenes.objectOnFlat(900, 300, object);
        byte[] sideways = ImageFixtures.withExifOrientation(ImageFixtures.jpeg(Orientation.apply(upright, 8)), 6);

        BufferedImage out = thumbnail(sideways, COVER.withGravity(Gravity.SMART));

        assertThat(out.getWidth() + "x" + out.getHeight()).isEqualTo("100x100");
        assertWholeFrameShown(out, 40);
    }

    private BufferedImage thumbnail(byte[] source, ThumbnailSpec spec) {
        return ImageFixtures.read(thumbnailer.thumbnail(source, spec).bytes());
    }

    /** The band colour at the left, middle and right of the thumbnail's middle row. */
    private static String bandsSeen(BufferedImage out) {
        int y = out.getHeight() / 2;
        return colourName(out.getRGB(2, y)) + " " + colourName(out.getRGB(out.getWidth() / 2, y)) + " "
                + colourName(out.getRGB(out.getWidth() - 3, y));
    }

    private static String colourName(int argb) {
        int r = (argb >> 16) & 0xFF;
        int g = (argb >> 8) & 0xFF;
        int b = argb & 0xFF;
        if (r > 200 && g < 60 && b < 60) {
            return "red";
        }
        if (g > 200 && r < 60 && b < 60) {
            return "green";
        }
        if (b > 200 && r < 60 && g < 60) {
            return "blue";
        }
        return String.format("#%06x", argb & 0xFFFFFF);
    }

    /**
     * The object's red frame is inside the thumbnail on all four sides, the size it should be: an object cut by the
     * crop would leave its red touching the thumbnail's edge, or narrower than {@code size}.
     */
    private static void assertWholeFrameShown(BufferedImage out, int size) {
        int left = out.getWidth();
        int right = -1;
        int top = out.getHeight();
        int bottom = -1;
        for (int y = 0; y < out.getHeight(); y++) {
            for (int x = 0; x < out.getWidth(); x++) {
                if (colourName(out.getRGB(x, y)).equals("red")) {
                    left = Math.min(left, x);
                    right = Math.max(right, x);
                    top = Math.min(top, y);
                    bottom = Math.max(bottom, y);
                }
            }
        }
        String box = "red frame spans x " + left + "-" + right + ", y " + top + "-" + bottom;
        assertThat(left).as(box).isPositive();
        assertThat(right).as(box).isLessThan(out.getWidth() - 1);
        assertThat(right - left + 1).as(box).isBetween(size - 3, size + 3);
        assertThat(bottom - top + 1).as(box).isBetween(size - 3, size + 3);
    }
}
