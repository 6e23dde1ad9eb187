package io.thumbnail.internal.image.jpeg;

import io.thumbnail.ImageFixtures;
import io.thumbnail.internal.image.header.BoundedImageInputStream;
import io.thumbnail.internal.image.header.JpegMarkers;
import io.thumbnail.quality.AreaAverage;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.image.BufferedImage;
import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Shrink on load for plain JPEGs: the DCT-scaled reader where it applies, the same picture as the JDK path. */
class ReducingJpegDecoderTest {

    @Test
    void dct_scaled_decode_gives_the_jdk_paths_thumbnail_within_rounding() {
        byte[] jpeg = JpegFixtures.write(JpegFixtures.photo(1600, 1200), JpegFixtures.CHROMA_420, 0, false);
        assertThat(ReducingJpegDecoder.samplesPerBlock(JpegLayout.parse(jpeg), jpeg.length, 50, 37))
                .as("1/8 applies").isEqualTo(1);

        assertSamePicture(ReducingJpegDecoder.decode(jpeg, 50, 37, true, true),
                ReducingJpegDecoder.decode(jpeg, 50, 37, true, false));
    }

    @Test
    void progressive_dct_scaled_decode_gives_the_full_decodes_thumbnail_within_rounding() {
        // Against the baseline file's full decode: the JDK path reads only a progressive file's first DC scan,
        // without the refinement that restores the DC's last bit.
        BufferedImage photo = JpegFixtures.photo(1200, 800);
        byte[] progressive = JpegFixtures.write(photo, JpegFixtures.CHROMA_420, 0, true);
        byte[] baseline = JpegFixtures.write(photo, JpegFixtures.CHROMA_420, 0, false);

        assertSamePicture(ReducingJpegDecoder.decode(progressive, 30, 20, true, true),
                ReducingJpegDecoder.decode(baseline, 30, 20, true, false));
    }

    @Test
    void the_reduction_keeps_at_least_twice_the_needed_size_at_one_eighth_else_at_one_quarter() {
        JpegLayout layout = JpegLayout.parse(
                JpegFixtures.write(JpegFixtures.photo(640, 480), JpegFixtures.CHROMA_420, 0, false));
        long bytes = 640 * 480 * 3 / 8;

        assertThat(ReducingJpegDecoder.samplesPerBlock(layout, bytes, 40, 30)).as("80x60 is 2 x 40x30: 1/8")
                .isEqualTo(1);
        assertThat(ReducingJpegDecoder.samplesPerBlock(layout, bytes, 41, 31)).as("1/4 for 41x31").isEqualTo(2);
        assertThat(ReducingJpegDecoder.samplesPerBlock(layout, bytes, 80, 60)).as("1/4 for 80x60").isEqualTo(2);
        assertThat(ReducingJpegDecoder.samplesPerBlock(layout, bytes, 81, 61))
                .as("none for 81x61: 1/4 would leave less than twice the size").isZero();
    }

    @Test
    void a_12_megapixel_phone_photo_becomes_a_400_pixel_thumbnail_from_one_quarter_however_densely_coded() {
        // The header and the file's size decide; 4000x3000 (a plain picture: only its header is read).
        JpegLayout layout = JpegLayout.parse(JpegFixtures.write(
                new BufferedImage(4000, 3000, BufferedImage.TYPE_INT_RGB), JpegFixtures.CHROMA_420, 0, false));

        assertThat(ReducingJpegDecoder.samplesPerBlock(layout, 4000L * 3000 * 12 / 80, 400, 300))
                .as("1000x750 for 400x300 at 1.2 bits a pixel").isEqualTo(2);
        assertThat(ReducingJpegDecoder.samplesPerBlock(layout, 4000L * 3000 * 3 / 8, 400, 300))
                .as("1000x750 for 400x300 at 3 bits a pixel").isEqualTo(2);
        assertThat(ReducingJpegDecoder.samplesPerBlock(layout, 4000L * 3000 * 12 / 80, 100, 75))
                .as("500x375 for 100x75").isEqualTo(1);
    }

    @Test
    void a_progressive_file_is_read_at_one_quarter_from_its_first_scans_and_gives_the_jdk_paths_thumbnail() {
        // 1600x1200 to 160x120: 1/4 keeps 2.5 times the size; the JDK path reads the same scans (DC and the
        // luma's first AC scan) in full and upsamples chroma smoothly.
        byte[] progressive = JpegFixtures.write(smooth(1600, 1200), JpegFixtures.CHROMA_420, 0, true);
        assertThat(ReducingJpegDecoder.samplesPerBlock(JpegLayout.parse(progressive), progressive.length, 160, 120))
                .as("1/4 applies").isEqualTo(2);

        // Chroma differs a little more here than in the baseline file's case: filtered from its own samples by the
        // kernel, from libjpeg's smoothly upsampled ones on the JDK path, over the first scans' coarser values.
        assertSamePicture(ReducingJpegDecoder.decode(progressive, 160, 120, true, true),
                ReducingJpegDecoder.decode(progressive, 160, 120, true, false), 51, 2.1);
    }

    @Test
    void one_quarter_at_twice_the_needed_size_gives_the_jdk_paths_thumbnail_within_rounding() {
        byte[] jpeg = JpegFixtures.write(smooth(1600, 1200), JpegFixtures.CHROMA_420, 0, false);
        assertThat(ReducingJpegDecoder.samplesPerBlock(JpegLayout.parse(jpeg), jpeg.length, 160, 120))
                .as("1/4 applies to %d bytes", jpeg.length).isEqualTo(2);

        // The kernel reads 4x4 means where the JDK path reads pixels: each mean spreads its cell over the 2.5
        // output pixels' kernel as a whole, at a black-to-white step up to a fifth of the step, 255 / 5 = 51.
        assertSamePicture(ReducingJpegDecoder.decode(jpeg, 160, 120, true, true),
                ReducingJpegDecoder.decode(jpeg, 160, 120, true, false), 51);
    }

    @Test
    void the_reduction_for_a_crop_weighs_a_last_block_of_one_column_and_row_as_one_column_and_row() {
        // 65x49 at 1/8 is 9x7 block means, the last column and row each a block holding one line of pixels (and
        // padding that repeats it): averaged down for a 4x3 crop, they count for that line alone.
        BufferedImage source = new BufferedImage(65, 49, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 49; y++) {
            for (int x = 0; x < 65; x++) {
                source.setRGB(x, y, x == 64 ? 0xFF2020 : y == 48 ? 0x2020FF : 0x808080);
            }
        }
        byte[] jpeg = JpegFixtures.write(source, JpegFixtures.CHROMA_420, 0, false);
        assertThat(ReducingJpegDecoder.samplesPerBlock(JpegLayout.parse(jpeg), jpeg.length, 4, 3))
                .as("1/8 applies").isEqualTo(1);

        BufferedImage reduced = ReducingJpegDecoder.decode(jpeg, 4, 3, false);

        BufferedImage reference = AreaAverage.downscale(ImageFixtures.read(jpeg), reduced.getWidth(),
                reduced.getHeight());
        for (int y = 0; y < reduced.getHeight(); y++) {
            for (int x = 0; x < reduced.getWidth(); x++) {
                int a = reduced.getRGB(x, y);
                int b = reference.getRGB(x, y);
                for (int shift = 0; shift < 24; shift += 8) {
                    assertThat(a >> shift & 0xFF).as("channel at bit %d of pixel %d,%d", shift, x, y)
                            .isCloseTo(b >> shift & 0xFF, within(2));
                }
            }
        }
    }

    /** The test picture enlarged smoothly from a quarter of the size: lightly coded, with soft edges. */
    private static BufferedImage smooth(int w, int h) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(JpegFixtures.photo(w / 4, h / 4), 0, 0, w, h, null);
        g.dispose();
        return image;
    }

    @Test
    void the_jdk_reader_is_shown_the_icc_segments_as_app15_so_it_builds_no_colour_space_from_them() throws Exception {
        byte[] jpeg = ImageFixtures.withJpegIcc(ImageFixtures.jpeg(ImageFixtures.solid(32, 32, 0x30C050)),
                ImageFixtures.displayP3Profile());
        JpegLayout layout = JpegLayout.parse(jpeg);

        ColorSpace asIs = rawColourSpace(new BoundedImageInputStream(jpeg, 0));
        ColorSpace renamed = rawColourSpace(BoundedImageInputStream.withBytesReplaced(jpeg, layout.iccMarkers(),
                (byte) JpegMarkers.APP15));

        assertThat(asIs).as("fixture: the JDK reader makes a colour space of the profile")
                .isInstanceOf(ICC_ColorSpace.class).matches(space -> !space.isCS_sRGB());
        assertThat(renamed.isCS_sRGB()).as("colour space once the segments read as APP15 is sRGB").isTrue();
    }

    private static ColorSpace rawColourSpace(ImageInputStream in) throws IOException {
        ImageReader reader = ImageIO.getImageReadersByFormatName("jpeg").next();
        try (in) {
            reader.setInput(in);
            return reader.getRawImageType(0).getColorModel().getColorSpace();
        } finally {
            reader.dispose();
        }
    }

    private static void assertSamePicture(BufferedImage dct, BufferedImage jdk) {
        assertSamePicture(dct, jdk, 24);
    }

    private static void assertSamePicture(BufferedImage dct, BufferedImage jdk, int largestDifference) {
        assertSamePicture(dct, jdk, largestDifference, 2.0);
    }

    private static void assertSamePicture(BufferedImage dct, BufferedImage jdk, int largestDifference,
                                          double meanDifference) {
        assertThat(dct.getWidth()).as("width").isEqualTo(jdk.getWidth());
        assertThat(dct.getHeight()).as("height").isEqualTo(jdk.getHeight());
        long total = 0;
        int worst = 0;
        for (int y = 0; y < dct.getHeight(); y++) {
            for (int x = 0; x < dct.getWidth(); x++) {
                int a = dct.getRGB(x, y);
                int b = jdk.getRGB(x, y);
                for (int shift = 0; shift < 24; shift += 8) {
                    int diff = Math.abs((a >> shift & 0xFF) - (b >> shift & 0xFF));
                    total += diff;
                    worst = Math.max(worst, diff);
                }
            }
        }
        double mean = (double) total / (3L * dct.getWidth() * dct.getHeight());
        // The JDK path averages every second pixel of every second row and upsamples chroma smoothly; RGB
        // amplifies the chroma differences around the test picture's saturated shapes.
        assertThat(mean).as("mean difference per channel").isLessThan(meanDifference);
        assertThat(worst).as("largest difference").isLessThanOrEqualTo(largestDifference);
    }
}
