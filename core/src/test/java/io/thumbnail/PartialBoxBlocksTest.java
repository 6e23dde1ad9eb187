package io.thumbnail;

import io.thumbnail.EdgedImages.Edges;
import io.thumbnail.quality.LanczosReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.awt.image.BufferedImage;
import java.util.zip.CRC32;

import static io.thumbnail.EdgedImages.edged;
import static io.thumbnail.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where a lossless source is more than six times the thumbnail, blocks of it are averaged before the Lanczos3
 * kernel runs, and when its width or height is not a whole number of blocks the last block is narrower: it must
 * count for the pixels it holds, not for a whole block, so that the thumbnail's last column and row are the Lanczos3
 * downscale of the source as near as the other pixels are. The sources are mid grey with a red last column and a
 * blue last row, the edge that a narrow block weighed as a whole one would spread furthest.
 */
class PartialBoxBlocksTest {
    private final Thumbnailer thumbnailer = Thumbnailer.create(Limits.defaults());

    @ParameterizedTest(name = "{0}x{1} to a {2} px box")
    @CsvSource({"1001, 753, 16", "1041, 785, 16", "65, 49, 4", "129, 97, 8", "771, 517, 8", "1999, 1333, 100"})
    void an_edge_in_a_narrower_last_block_counts_as_the_pixels_it_has(int width, int height, int box) {
        // 1001x753 to 16x12 averages blocks of 10x10 first, the last column of blocks one source column wide and
        // the last row three rows high. What is left against the reference is rounding: the block means are whole
        // levels, and so is the thumbnail.
        BufferedImage source = edged(width, height);

        BufferedImage thumbnail = thumbnail(source, ThumbnailSpec.box(box, box));

        Edges error = Edges.between(thumbnail,
                LanczosReference.downscale(source, thumbnail.getWidth(), thumbnail.getHeight()));
        assertThat(error.lastColumn()).as("mean difference per channel in the last column").isLessThanOrEqualTo(1);
        assertThat(error.lastRow()).as("mean difference per channel in the last row").isLessThanOrEqualTo(1);
    }

    @ParameterizedTest(name = "{0}x{1} to a {2} px box")
    @CsvSource({"1009, 761, 16", "1001, 757, 16"})
    void a_crop_that_ends_at_the_edge_counts_its_narrower_last_block_as_the_pixels_it_has(int width, int height,
                                                                                         int box) {
        // Blocks are laid from the source's corner, not the crop's: a 761 px square of 1009x761 to 16 px averages
        // blocks of 7, the last column of them one source column wide and the last row five rows high.
        BufferedImage source = edged(width, height);

        BufferedImage thumbnail = thumbnail(source, ThumbnailSpec.box(box, box).withFit(Fit.COVER)
                .withGravity(Gravity.SOUTHEAST));

        int side = Math.min(width, height);
        BufferedImage crop = copy(source.getSubimage(width - side, height - side, side, side));
        Edges error = Edges.between(thumbnail, LanczosReference.downscale(crop, box, box));
        assertThat(error.lastColumn()).as("mean difference per channel in the last column").isLessThanOrEqualTo(1);
        assertThat(error.lastRow()).as("mean difference per channel in the last row").isLessThanOrEqualTo(1);
    }

    @ParameterizedTest(name = "{0}x{1} to a {2} px box")
    @CsvSource({"960, 720, 16, 4b373ae7", "1200, 900, 50, 1204c96c", "2400, 1800, 100, 3c163ad9"})
    void a_source_a_whole_number_of_blocks_wide_and_high_keeps_its_pixels(int width, int height, int box,
                                                                         String crc) {
        // Blocks of 10x10, 4x3 and 4x4, all whole: they weigh as they always have, so a thumbnail made again of such
        // a source (a re-run, a rendition beside stored ones) is the same, bit for bit, as the ones these CRCs are of.
        BufferedImage thumbnail = thumbnail(textured(width, height), ThumbnailSpec.box(box, box));

        assertThat(crc(thumbnail)).as("CRC-32 of the thumbnail's pixels").isEqualTo(crc);
    }

    private BufferedImage thumbnail(BufferedImage source, ThumbnailSpec spec) {
        return read(thumbnailer.thumbnail(Fixtures.png(source), spec.withFormat(OutputFormat.PNG)).bytes());
    }

    /**
     * Gradients, a fine pattern and noise, in integers only (no floating point whose last bits could vary), so that
     * any change in the kernel's weights shows in the thumbnail's pixels.
     */
    private static BufferedImage textured(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] rgb = new int[width * height];
        int state = 12345;
        for (int i = 0; i < rgb.length; i++) {
            state = state * 1103515245 + 12345;
            int x = i % width;
            int y = i / width;
            rgb[i] = (x * 255 / width) << 16 | (y * 255 / height) << 8 | ((x ^ y) & 0x7F) + (state >>> 25);
        }
        image.setRGB(0, 0, width, height, rgb, 0, width);
        return image;
    }

    private static BufferedImage copy(BufferedImage image) {
        BufferedImage copy = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        copy.setData(image.getData());
        return copy;
    }

    private static String crc(BufferedImage image) {
        CRC32 crc = new CRC32();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int px = image.getRGB(x, y);
                crc.update(px >> 16);
                crc.update(px >> 8);
                crc.update(px);
            }
        }
        return String.format("%08x", crc.getValue());
    }
}
