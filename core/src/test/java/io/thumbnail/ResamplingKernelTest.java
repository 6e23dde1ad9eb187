package io.thumbnail;

import io.thumbnail.quality.Gratings;
import io.thumbnail.quality.LanczosReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.awt.image.BufferedImage;

import static io.thumbnail.Fixtures.png;
import static io.thumbnail.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The resampling kernel's frequency response, through the public pipeline on lossless grey sources. Frequencies are
 * in cycles per thumbnail pixel: the thumbnail can show up to 0.5 (its Nyquist frequency). Lanczos3 keeps what
 * lies well below that (an exact area average softens a pattern of four thumbnail pixels a cycle to 90 % of its
 * contrast) and removes what lies above it (an area average lets up to 30 % through as moiré), at the price of
 * a faint ring beside hard edges. Where the source is more than six times the thumbnail a box average brings it
 * down first; that stage's own leaks stay under the bounds below.
 */
class ResamplingKernelTest {
    private static final int EDGE = 4;
    private final Thumbnailer thumbnailer = Thumbnailer.create(Limits.defaults());

    @ParameterizedTest(name = "{0} px to {1} px, {2} cycles per source pixel")
    @CsvSource({"1000, 333, 0.25", "1000, 333, 0.3", "1000, 143, 0.12", "1000, 100, 0.08", "1000, 100, 0.15",
            "1000, 100, 0.3", "2000, 37, 0.03", "2000, 37, 0.2"})
    void stripes_finer_than_the_thumbnail_can_show_come_out_as_flat_grey(int source, int target, double frequency) {
        int[] row = middleRow(thumbnail(Gratings.stripes(source, 200, frequency), source, 200, target));

        double left = Gratings.largestSwing(row, EDGE, row.length - EDGE);
        assertThat(left / Gratings.AMPLITUDE).as("contrast left of stripes at %.2f cycles per thumbnail pixel",
                frequency * source / target).isLessThanOrEqualTo(0.03);
    }

    @Test
    void stripes_just_past_the_box_stages_own_frequency_leak_little() {
        // 2000 px to 37: blocks of 9 pixels averaged first (to 6 times the thumbnail). A box passes a little of what
        // lies just past its own frequency (1/9 cycle per pixel) and samples it down to a frequency the thumbnail
        // shows: here to 0.35 cycles per thumbnail pixel, the worst case, at about 5 % of its contrast.
        int[] row = middleRow(thumbnail(Gratings.stripes(2000, 200, (1 + 0.35 * 37 / 222.2) / 9), 2000, 200, 37));

        double left = Gratings.largestSwing(row, EDGE, row.length - EDGE);
        assertThat(left / Gratings.AMPLITUDE).as("contrast left").isLessThanOrEqualTo(0.06);
    }

    @ParameterizedTest(name = "{0} px to {1} px")
    @CsvSource({"1000, 333", "1000, 143", "1000, 100", "2000, 37"})
    void stripes_of_four_thumbnail_pixels_a_cycle_keep_their_contrast(int source, int target) {
        double frequency = 0.25 * target / source;
        int[] row = middleRow(thumbnail(Gratings.stripes(source, 200, frequency), source, 200, target));

        double kept = Gratings.amplitude(row, EDGE, row.length - EDGE, 0.25) / Gratings.AMPLITUDE;
        assertThat(kept).as("contrast kept (an exact area average keeps 0.90)").isGreaterThanOrEqualTo(0.95);
    }

    @ParameterizedTest(name = "1024 px to {0} px")
    @CsvSource({"128", "64"})
    void a_zone_plate_shows_no_moire_where_its_rings_are_finer_than_the_thumbnail_can_show(int target) {
        int size = 1024;
        BufferedImage out = thumbnail(Gratings.zonePlate(size), size, size, target);

        double scale = (double) size / target;
        double worst = 0;
        int checked = 0;
        for (int y = EDGE; y < target - EDGE; y++) {
            for (int x = EDGE; x < target - EDGE; x++) {
                // The rings' frequency at this pixel, per source pixel along each axis (the chirp's local frequency).
                double fx = Math.abs((x + 0.5) * scale - size / 2.0) / size;
                double fy = Math.abs((y + 0.5) * scale - size / 2.0) / size;
                // Finer than the thumbnail's Nyquist frequency by 2 (the kernel spans rings of lower frequency too),
                // and coarser than the source's own, where the pattern itself would alias.
                if (Math.max(fx, fy) * scale >= 1.0 && Math.hypot(fx, fy) <= 0.45) {
                    worst = Math.max(worst, Math.abs((out.getRGB(x, y) >> 8 & 0xFF) - Gratings.MEAN));
                    checked++;
                }
            }
        }
        assertThat(checked).as("pixels where the rings are too fine to show").isGreaterThan(target * target / 8);
        assertThat(worst / Gratings.AMPLITUDE).as("largest contrast left there (moire)").isLessThanOrEqualTo(0.03);
    }

    @ParameterizedTest(name = "{0} px to {1} px")
    @CsvSource({"1000, 333", "1000, 143", "1000, 100", "2000, 37"})
    void a_step_edge_rings_no_more_than_lanczos3_and_is_as_sharp(int source, int target) {
        int[] grey = Gratings.step(source, 200, source * 0.4637, 64, 192);
        int[] row = middleRow(thumbnail(grey, source, 200, target));
        int[] reference = middleRow(LanczosReference.downscale(image(grey, source, 200), target,
                (int) Math.round(200.0 * target / source)));
        assertThat(overshoot(row, 64, 192)).as("overshoot past both sides of the step, in levels")
                .isLessThanOrEqualTo(overshoot(reference, 64, 192) + 1);
        assertThat(transition(row, 64, 192)).as("thumbnail pixels between 10 %% and 90 %% of the step")
                .isLessThanOrEqualTo(transition(reference, 64, 192));
    }

    @Test
    void lanczos3_itself_overshoots_beside_a_step() {
        // What the bound above allows: Lanczos3's own ring, about a tenth of the step.
        int[] grey = Gratings.step(1000, 200, 463.7, 64, 192);
        int[] reference = middleRow(LanczosReference.downscale(image(grey, 1000, 200), 143, 29));
        assertThat(overshoot(reference, 64, 192)).as("overshoot, in levels, of a step of 128").isBetween(8, 24);
    }

    private BufferedImage thumbnail(int[] grey, int width, int height, int target) {
        Thumbnail t = thumbnailer.thumbnail(png(image(grey, width, height)),
                ThumbnailSpec.box(target, target).withFormat(OutputFormat.PNG));
        return read(t.bytes());
    }

    /** Grey levels as an RGB image (a grey image's levels would be taken as linear light by Java2D). */
    private static BufferedImage image(int[] grey, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] rgb = new int[grey.length];
        for (int i = 0; i < grey.length; i++) {
            rgb[i] = grey[i] * 0x010101;
        }
        image.setRGB(0, 0, width, height, rgb, 0, width);
        return image;
    }

    private static int[] middleRow(BufferedImage image) {
        int[] row = new int[image.getWidth()];
        for (int x = 0; x < row.length; x++) {
            row[x] = image.getRGB(x, image.getHeight() / 2) >> 8 & 0xFF;
        }
        return row;
    }

    private static int overshoot(int[] row, int low, int high) {
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        for (int v : row) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return Math.max(0, max - high) + Math.max(0, low - min);
    }

    private static int transition(int[] row, int low, int high) {
        int between = 0;
        for (int v : row) {
            if (v > low + (high - low) / 10 && v < high - (high - low) / 10) {
                between++;
            }
        }
        return between;
    }
}
