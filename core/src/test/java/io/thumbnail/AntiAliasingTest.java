package io.thumbnail;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.awt.image.BufferedImage;

import static io.thumbnail.Fixtures.png;
import static io.thumbnail.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A one-pixel black and white checkerboard holds nothing but the highest frequency; any resampler that aliases
 * turns it into stripes, moiré or a flat black or white. Downscaled properly it is an even mid grey.
 */
class AntiAliasingTest {
    private final Thumbnailer thumbnailer = Thumbnailer.create(Limits.defaults());

    @ParameterizedTest(name = "{0} px to {1} px")
    @CsvSource({"1000, 500", "1000, 333", "1000, 250", "1000, 200", "1000, 97", "999, 100", "1000, 641", "640, 100",
            "1001, 143", "1000, 37"})
    void checkerboard_shrinks_to_uniform_mid_grey(int source, int target) {
        Thumbnail t = thumbnailer.thumbnail(png(checkerboard(source)),
                ThumbnailSpec.box(target, target).withFormat(OutputFormat.PNG));

        BufferedImage out = read(t.bytes());
        assertThat(out.getWidth()).isEqualTo(target);
        int[] grey = luma(out);
        double mean = java.util.Arrays.stream(grey).average().orElseThrow();
        assertThat(mean).as("mean grey").isBetween(119.0, 136.0);
        for (int i = 0; i < grey.length; i++) {
            int v = grey[i];
            assertThat((double) v).as("pixel (%d,%d) against the mean %.1f", i % target, i / target, mean)
                    .isBetween(mean - 8, mean + 8);
        }
    }

    private static BufferedImage checkerboard(int size) {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                image.getRaster().setSample(x, y, 0, ((x + y) & 1) == 0 ? 0 : 255);
            }
        }
        return image;
    }

    private static int[] luma(BufferedImage image) {
        int[] rgb = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        int[] out = new int[rgb.length];
        for (int i = 0; i < rgb.length; i++) {
            out[i] = (rgb[i] >> 8) & 0xFF;
        }
        return out;
    }
}
