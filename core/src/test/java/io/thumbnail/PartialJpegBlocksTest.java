package io.thumbnail;

import io.thumbnail.EdgedImages.Edges;
import io.thumbnail.quality.LanczosReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.awt.image.BufferedImage;

import static io.thumbnail.EdgedImages.edged;
import static io.thumbnail.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A JPEG whose width or height is not a whole number of 8x8 blocks ends in blocks that are mostly padding. Small
 * thumbnails are made from block means (shrink on load), and such a block must count for the pixels it holds,
 * not for a whole block: its thumbnail's last column and row are then the Lanczos3 downscale of the decoded source
 * as near as the other pixels are. The sources are mid grey with a red last column and a blue last row, the
 * edge that a mostly-padding block weighed as a whole one would spread furthest.
 */
class PartialJpegBlocksTest {
    private final Thumbnailer thumbnailer = Thumbnailer.create(Limits.defaults());

    @ParameterizedTest(name = "{0}x{1} to a {2} px box, progressive={3}")
    @CsvSource({"65, 49, 4, false", "65, 49, 4, true", "257, 193, 16, false", "257, 193, 16, true"})
    void an_edge_one_pixel_into_its_last_block_counts_as_one_pixel(int width, int height, int box,
                                                                    boolean progressive) {
        // The encoder pads a block by repeating its last pixel: a block holding one column is that column's
        // colour throughout, so weighed by what it holds it gives the reference within the JPEG's own rounding.
        Edges error = edgeError(width, height, box, progressive);

        assertThat(error.lastColumn()).as("mean difference per channel in the last column").isLessThanOrEqualTo(2);
        assertThat(error.lastRow()).as("mean difference per channel in the last row").isLessThanOrEqualTo(2);
    }

    @ParameterizedTest(name = "{0}x{1} to a {2} px box")
    @CsvSource({"67, 51, 4", "73, 57, 4", "75, 59, 4", "259, 195, 16", "263, 197, 16", "67, 51, 8", "139, 105, 16"})
    void in_a_baseline_jpeg_an_edge_anywhere_in_its_last_blocks_counts_as_the_pixels_it_has(int width, int height,
                                                                                           int box) {
        // Edges three, nine and eleven pixels into the last MCU (4:2:0: 16 pixels a side), at 1/8 and (the 8 and
        // 139 px boxes) at 1/4. The padding the encoder adds repeats the edge, and a block's mean would count it:
        // an edge block's samples are the means of its real pixels instead, from all its coefficients.
        Edges error = edgeError(width, height, box, false);

        assertThat(error.lastColumn()).as("mean difference per channel in the last column").isLessThanOrEqualTo(3);
        assertThat(error.lastRow()).as("mean difference per channel in the last row").isLessThanOrEqualTo(3);
    }

    @ParameterizedTest(name = "{0}x{1} to a {2} px box")
    @CsvSource({"67, 51, 4", "259, 195, 16"})
    void in_a_progressive_jpeg_an_edge_three_pixels_into_its_last_block_counts_as_about_three_pixels(int width,
                                                                                                 int height, int box) {
        // Shrink on load reads only a progressive file's DC scans at 1/8, so an edge block's sample is its mean,
        // padding and all: the edge pixel, repeated, makes up 6/8 of a block holding three columns where it is 1/3
        // of them. Over the 4 px box's last column (16.75 source columns) that leaves 3 x (6/8 - 1/3) / 16.75 of
        // the edge's contrast (106 levels a channel), 8 levels.
        Edges error = edgeError(width, height, box, true);

        assertThat(error.lastColumn()).as("mean difference per channel in the last column").isLessThanOrEqualTo(10);
        assertThat(error.lastRow()).as("mean difference per channel in the last row").isLessThanOrEqualTo(10);
    }

    /** The thumbnail of the edged source against the Lanczos3 downscale of its full decode. */
    private Edges edgeError(int width, int height, int box, boolean progressive) {
        byte[] jpeg = Fixtures.jpeg(edged(width, height), 95, progressive);

        BufferedImage thumbnail = read(thumbnailer.thumbnail(jpeg, ThumbnailSpec.box(box, box)
                .withFormat(OutputFormat.PNG)).bytes());

        BufferedImage reference = LanczosReference.downscale(read(jpeg), thumbnail.getWidth(), thumbnail.getHeight());
        return Edges.between(thumbnail, reference);
    }
}
