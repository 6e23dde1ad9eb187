package io.thumbnail.internal.image;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;

import static org.assertj.core.api.Assertions.assertThat;

/** Shrink on load for plain JPEGs: the DCT-scaled reader where it applies, the same picture as the JDK path. */
class ReducingJpegDecoderTest {

    @Test
    void dct_scaled_decode_gives_the_jdk_paths_thumbnail_within_rounding() {
        byte[] jpeg = DctScaledJpegReaderTest.write(DctScaledJpegReaderTest.photo(1600, 1200), "420", 0, false);
        assertThat(ReducingJpegDecoder.samplesPerBlock(JpegLayout.parse(jpeg), jpeg.length, 50, 37))
                .as("1/8 applies").isEqualTo(1);

        assertSamePicture(ReducingJpegDecoder.decode(jpeg, 50, 37, true, true),
                ReducingJpegDecoder.decode(jpeg, 50, 37, true, false));
    }

    @Test
    void progressive_dct_scaled_decode_gives_the_full_decodes_thumbnail_within_rounding() {
        // Against the baseline file's full decode: the JDK path reads only a progressive file's first DC scan,
        // without the refinement that restores the DC's last bit.
        BufferedImage photo = DctScaledJpegReaderTest.photo(1200, 800);
        byte[] progressive = DctScaledJpegReaderTest.write(photo, "420", 0, true);
        byte[] baseline = DctScaledJpegReaderTest.write(photo, "420", 0, false);

        assertSamePicture(ReducingJpegDecoder.decode(progressive, 30, 20, true, true),
                ReducingJpegDecoder.decode(baseline, 30, 20, true, false));
    }

    @Test
    void the_reduction_keeps_four_times_the_needed_size() {
        JpegLayout layout = JpegLayout.parse(
                DctScaledJpegReaderTest.write(DctScaledJpegReaderTest.photo(640, 480), "420", 0, false));
        long bytes = 640 * 480 / 8;

        assertThat(ReducingJpegDecoder.samplesPerBlock(layout, bytes, 20, 15)).as("80x60 is 4 x 20x15: 1/8")
                .isEqualTo(1);
        assertThat(ReducingJpegDecoder.samplesPerBlock(layout, bytes, 21, 16)).as("1/4 for 21x16").isEqualTo(2);
        assertThat(ReducingJpegDecoder.samplesPerBlock(layout, bytes, 80, 60)).as("1/2 for 80x60").isEqualTo(4);
        assertThat(ReducingJpegDecoder.samplesPerBlock(layout, bytes, 81, 61)).as("none for 81x61").isZero();
    }

    @Test
    void densely_coded_files_are_not_decoded_at_one_half() {
        JpegLayout layout = JpegLayout.parse(
                DctScaledJpegReaderTest.write(DctScaledJpegReaderTest.photo(640, 480), "420", 0, false));

        assertThat(ReducingJpegDecoder.samplesPerBlock(layout, 640 * 480 * 3 / 8, 80, 60)).as("3 bits a pixel")
                .isZero();
        assertThat(ReducingJpegDecoder.samplesPerBlock(layout, 640 * 480 * 3 / 8, 20, 15)).as("1/8 still")
                .isEqualTo(1);
    }

    private static void assertSamePicture(BufferedImage dct, BufferedImage jdk) {
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
        assertThat(mean).as("mean difference per channel").isLessThan(2.0);
        assertThat(worst).as("largest difference").isLessThanOrEqualTo(24);
    }
}
