package io.thumbnail.internal.image;

import io.thumbnail.ImageFormat;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** JPEG output's chroma sampling: halved below {@link ImageEncoder#FULL_CHROMA_QUALITY}, whole from it on. */
class JpegChromaTest {
    /** Red squares of 4 px on white: colour edges that halved chroma blurs. */
    private static BufferedImage redSquares() {
        BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                image.setRGB(x, y, (x / 4 + y / 4) % 2 == 0 ? 0xFF0000 : 0xFFFFFF);
            }
        }
        return image;
    }

    /** The sampling factors (h, v) of each component of the JPEG's frame header. */
    private static List<String> sampling(byte[] jpeg) {
        for (int i = 2; i + 4 < jpeg.length; ) {
            int marker = jpeg[i + 1] & 0xFF;
            int length = (jpeg[i + 2] & 0xFF) << 8 | (jpeg[i + 3] & 0xFF);
            if (marker == 0xC0 || marker == 0xC2) {
                List<String> factors = new ArrayList<>();
                int components = jpeg[i + 9] & 0xFF;
                for (int c = 0; c < components; c++) {
                    int hv = jpeg[i + 11 + 3 * c] & 0xFF;
                    factors.add((hv >> 4) + "x" + (hv & 0xF));
                }
                return factors;
            }
            i += 2 + length;
        }
        throw new AssertionError("no frame header");
    }

    private static double meanError(BufferedImage a, BufferedImage b) {
        long sum = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    sum += Math.abs((p >> shift & 0xFF) - (q >> shift & 0xFF));
                }
            }
        }
        return sum / (3.0 * a.getWidth() * a.getHeight());
    }

    @Test
    void below_the_threshold_chroma_is_halved_and_from_it_on_kept_whole() throws Exception {
        BufferedImage source = redSquares();

        byte[] q85 = ImageEncoder.encode(source, ImageFormat.JPEG, 85, 0xFFFFFF);
        byte[] q90 = ImageEncoder.encode(source, ImageFormat.JPEG, ImageEncoder.FULL_CHROMA_QUALITY, 0xFFFFFF);

        assertThat(sampling(q85)).as("4:2:0 at 85").containsExactly("2x2", "1x1", "1x1");
        assertThat(sampling(q90)).as("4:4:4 from %d", ImageEncoder.FULL_CHROMA_QUALITY)
                .containsExactly("1x1", "1x1", "1x1");
    }

    @Test
    void at_high_quality_colour_edges_survive() throws Exception {
        BufferedImage source = redSquares();

        BufferedImage q100 = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(
                ImageEncoder.encode(source, ImageFormat.JPEG, 100, 0xFFFFFF)));

        assertThat(meanError(source, q100)).as("mean error per channel of red squares at quality 100")
                .isLessThan(2.0);
    }

    @Test
    void the_quality_asked_still_sets_the_tables_when_chroma_is_kept_whole() throws Exception {
        BufferedImage source = redSquares();

        int q90 = ImageEncoder.encode(source, ImageFormat.JPEG, 90, 0xFFFFFF).length;
        int q100 = ImageEncoder.encode(source, ImageFormat.JPEG, 100, 0xFFFFFF).length;

        assertThat(q100).as("bytes at 100 against 90 (%d)", q90).isGreaterThan(q90);
    }
}
