package io.thumbnail.internal.image.jpeg;

import io.thumbnail.internal.image.header.JpegMarkers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Random;

import static io.thumbnail.internal.image.jpeg.JpegFixtures.CHROMA_420;
import static io.thumbnail.internal.image.jpeg.JpegFixtures.CHROMA_444;
import static io.thumbnail.internal.image.jpeg.JpegFixtures.grey;
import static io.thumbnail.internal.image.jpeg.JpegFixtures.photo;
import static io.thumbnail.internal.image.jpeg.JpegFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The DCT-scaled reader against the JDK's full decode of the same file: each reduced sample is the mean of the
 * block area it covers, for the kinds of JPEG it supports; everything else, and damaged data, gives null.
 */
class DctScaledJpegReaderTest {
    @Test
    void baseline_444_reduces_to_the_block_means_of_the_full_decode_at_every_scale() {
        byte[] jpeg = write(photo(203, 157), CHROMA_444, 0, false);

        for (int n : new int[]{1, 2}) {
            assertMatchesFullDecode(jpeg, n, 3);
        }
    }

    @Test
    void baseline_420_reduces_luma_to_block_means_and_chroma_to_its_own_block_means_at_every_scale() {
        byte[] jpeg = write(photo(250, 170), CHROMA_420, 0, false);

        for (int n : new int[]{1, 2}) {
            assertMatchesFullDecode(jpeg, n, 3);
        }
    }

    @Test
    void a_420_files_result_says_its_chroma_is_halved_and_a_444_files_not() {
        byte[] yuv420 = write(photo(250, 170), CHROMA_420, 0, false);
        byte[] yuv444 = write(photo(250, 170), CHROMA_444, 0, false);

        assertThat(DctScaledJpegReader.readReduced(ByteBuffer.wrap(yuv420), 2, false).chromaHalved())
                .as("4:2:0").isTrue();
        assertThat(DctScaledJpegReader.readReduced(ByteBuffer.wrap(yuv444), 2, false).chromaHalved())
                .as("4:4:4").isFalse();
    }

    @Test
    void grey_reduces_to_the_block_means_of_the_full_decode() {
        byte[] jpeg = write(grey(photo(161, 99)), null, 0, false);

        for (int n : new int[]{1, 2}) {
            assertMatchesFullDecode(jpeg, n, 1);
        }
    }

    @Test
    void restart_intervals_are_followed() {
        byte[] jpeg = write(photo(300, 200), CHROMA_420, 3, false);
        assertThat(markerCount(jpeg, 0xD0)).as("RST0 markers in the file").isPositive();

        for (int n : new int[]{1, 2}) {
            assertMatchesFullDecode(jpeg, n, 3);
        }
    }

    @Test
    void a_decode_after_a_larger_file_reads_nothing_that_file_left_in_the_reused_buffers() {
        byte[] small = write(photo(203, 157), CHROMA_420, 0, false);
        byte[] large = write(photo(900, 700), CHROMA_420, 5, false);
        Raster before = DctScaledJpegReader.read(small, 2);

        assertThat(DctScaledJpegReader.read(large, 2)).as("the larger file's decode").isNotNull();
        Raster after = DctScaledJpegReader.read(small, 2);

        assertThat(samples(after)).as("the small file decoded again, after the larger one")
                .isEqualTo(samples(before));
    }

    @Test
    void megabytes_of_other_data_after_the_image_change_nothing_in_the_result() {
        byte[] jpeg = write(photo(203, 157), CHROMA_420, 0, false);
        byte[] trailed = Arrays.copyOf(jpeg, jpeg.length + 6 * (1 << 20));
        for (int i = jpeg.length; i < trailed.length; i++) {
            trailed[i] = (byte) (i * 31);
        }

        for (int n : new int[]{1, 2}) {
            assertThat(samples(DctScaledJpegReader.read(trailed, n))).as("samples at 1/%d with 6 MB after EOI", 8 / n)
                    .isEqualTo(samples(DctScaledJpegReader.read(jpeg, n)));
        }
    }

    @Test
    void progressive_at_one_eighth_equals_the_baseline_of_the_same_image_where_the_edge_cuts_no_block() {
        // Where it does, the baseline's samples are its real pixels' means, from every coefficient; the progressive
        // file's keep their block means, only its DC scans being read.
        BufferedImage image = photo(237, 181);
        Raster baseline = DctScaledJpegReader.read(write(image, CHROMA_420, 0, false), 1);
        Raster progressive = DctScaledJpegReader.read(write(image, CHROMA_420, 0, true), 1);

        assertThat(progressive).as("progressive decode").isNotNull();
        assertThat(samples(progressive, 237 / 16 * 2, 181 / 16 * 2))
                .as("DC scans (with refinement) give the baseline's block means in whole MCUs")
                .isEqualTo(samples(baseline, 237 / 16 * 2, 181 / 16 * 2));
    }

    @Test
    void progressive_grey_with_restart_intervals_equals_its_baseline_where_the_edge_cuts_no_block() {
        BufferedImage image = grey(photo(120, 90));
        Raster baseline = DctScaledJpegReader.read(write(image, null, 2, false), 1);
        Raster progressive = DctScaledJpegReader.read(write(image, null, 2, true), 1);

        assertThat(progressive).as("progressive decode").isNotNull();
        assertThat(samples(progressive, 15, 11)).as("block means of whole blocks").isEqualTo(samples(baseline, 15, 11));
    }

    @ParameterizedTest(name = "chroma {0}, 1/{1}")
    @CsvSource({"444, 8", "444, 4", "grey, 8", "grey, 4"})
    void a_baseline_edge_blocks_samples_are_the_means_of_its_real_pixels_not_of_its_padding(String chroma, int scale) {
        // 8k+3 columns and rows, the last of them white: the encoder pads the last blocks by repeating it, so their
        // means would be 6/8 white where the real pixels are 1/3 white (at 1/4, 2/4 where they are 1/3).
        BufferedImage image = photo(203, 155);
        for (int y = 0; y < 155; y++) {
            image.setRGB(202, y, 0xFFFFFF);
        }
        for (int x = 0; x < 203; x++) {
            image.setRGB(x, 154, 0xFFFFFF);
        }
        boolean colour = chroma.equals("444");
        byte[] jpeg = write(colour ? image : grey(image), colour ? CHROMA_444 : null, 0, false);
        int n = 8 / scale;
        Raster full = fullDecode(jpeg);

        Raster reduced = DctScaledJpegReader.read(jpeg, n);

        int w = reduced.getWidth();
        int h = reduced.getHeight();
        for (int b = 0; b < reduced.getNumBands(); b++) {
            for (int y = 0; y < h; y++) {
                assertThat(reduced.getSample(w - 1, y, b)).as("band %d of the last column's sample %d", b, y)
                        .isCloseTo(realMean(full, b, w - 1, y, scale), within(3));
            }
            for (int x = 0; x < w; x++) {
                assertThat(reduced.getSample(x, h - 1, b)).as("band %d of the last row's sample %d", b, x)
                        .isCloseTo(realMean(full, b, x, h - 1, scale), within(3));
            }
        }
    }

    /** The mean of band b of the full decode's pixels in reduced sample (x, y)'s cell of scale x scale, rounded. */
    private static int realMean(Raster full, int b, int x, int y, int scale) {
        double sum = 0;
        int count = 0;
        for (int yy = y * scale; yy < Math.min(full.getHeight(), (y + 1) * scale); yy++) {
            for (int xx = x * scale; xx < Math.min(full.getWidth(), (x + 1) * scale); xx++) {
                sum += full.getSample(xx, yy, b);
                count++;
            }
        }
        return (int) Math.round(sum / count);
    }

    @Test
    void progressive_at_one_quarter_from_its_first_scans_is_close_to_the_baselines_quadrant_means() {
        // The DC scan and the first pass of the luma's lowest AC coefficients (1-5 at a quarter of their
        // precision), as the shrink on load reads it: the chroma keeps only its block means.
        BufferedImage image = photo(237, 181);
        byte[] progressive = write(image, CHROMA_420, 0, true);
        Raster baseline = DctScaledJpegReader.read(write(image, CHROMA_420, 0, false), 2);
        Raster firstScans = DctScaledJpegReader.read(firstScans(progressive), 2);

        assertThat(firstScans).as("decode of the first scans at 1/4").isNotNull();
        assertCloseTo(firstScans, baseline, 0, 2.0, 32, baseline.getWidth(), baseline.getHeight());
        Raster eighth = DctScaledJpegReader.read(progressive, 1);
        for (int band = 1; band < 3; band++) {
            for (int y = 0; y < firstScans.getHeight(); y++) {
                for (int x = 0; x < firstScans.getWidth(); x++) {
                    // Within a level: the first DC pass lacks the last bit its refinement scan brings.
                    assertThat(firstScans.getSample(x, y, band)).as("band %d at %d,%d: the chroma block's mean", band,
                            x, y).isCloseTo(eighth.getSample(x / 2, y / 2, band), within(1));
                }
            }
        }
    }

    @ParameterizedTest(name = "chroma {0}, restart interval {1}")
    @CsvSource({"420, 0", "grey, 2"})
    void progressive_at_one_quarter_counts_every_first_pass_and_leaves_out_the_refinements(String chroma,
                                                                                          int restarts) {
        // The whole file: every AC coefficient's first pass, without the bits the refinement scans add.
        boolean colour = !chroma.equals("grey");
        BufferedImage image = colour ? photo(237, 181) : grey(photo(120, 90));
        String sampling = colour ? CHROMA_420 : null;
        Raster[] decoded = {DctScaledJpegReader.read(write(image, sampling, restarts, true), 2),
                DctScaledJpegReader.read(write(image, sampling, restarts, false), 2)};

        assertThat(decoded[0]).as("decode of every scan at 1/4").isNotNull();
        // Where the image's edge cuts blocks, the baseline's samples are the means of their real pixels alone.
        int mcu = colour ? 16 : 8;
        for (int band = 0; band < decoded[0].getNumBands(); band++) {
            assertCloseTo(decoded[0], decoded[1], band, 1.0, 8, image.getWidth() / mcu * mcu / 4,
                    image.getHeight() / mcu * mcu / 4);
        }
    }

    /** The header and the scans up to the end of the first one with the luma's low AC coefficients. */
    private static byte[] firstScans(byte[] progressive) {
        int end = JpegLayout.parse(progressive).lowPassEnd();
        assertThat(end).as("the fixture's first luma AC scan ends").isPositive();
        byte[] cut = Arrays.copyOf(progressive, end + 2);
        cut[end] = (byte) 0xFF;
        cut[end + 1] = (byte) 0xD9;
        return cut;
    }

    /** Compares band {@code band} of the two rasters' first {@code width} x {@code height} samples. */
    private static void assertCloseTo(Raster actual, Raster expected, int band, double meanDifference, int largest,
                                      int width, int height) {
        assertThat(actual.getWidth()).as("width").isEqualTo(expected.getWidth());
        assertThat(actual.getHeight()).as("height").isEqualTo(expected.getHeight());
        int[] a = actual.getSamples(0, 0, width, height, band, (int[]) null);
        int[] e = expected.getSamples(0, 0, width, height, band, (int[]) null);
        long total = 0;
        int worst = 0;
        for (int i = 0; i < a.length; i++) {
            int diff = Math.abs(a[i] - e[i]);
            total += diff;
            worst = Math.max(worst, diff);
        }
        assertThat((double) total / a.length).as("mean difference, band %d", band).isLessThan(meanDifference);
        assertThat(worst).as("largest difference, band %d", band).isLessThanOrEqualTo(largest);
    }

    @Test
    void scales_other_than_one_eighth_and_one_quarter_are_refused() {
        byte[] jpeg = write(photo(64, 64), CHROMA_420, 0, false);

        assertThatThrownBy(() -> DctScaledJpegReader.decode(jpeg, 4)).as("1/2")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 or 2");
    }

    @Test
    void other_frame_types_and_precisions_are_refused() {
        byte[] jpeg = write(photo(64, 64), CHROMA_420, 0, false);
        int sof = indexOfMarker(jpeg, 0xC0);
        byte[] arithmetic = jpeg.clone();
        arithmetic[sof + 1] = (byte) 0xC9;
        byte[] lossless = jpeg.clone();
        lossless[sof + 1] = (byte) 0xC3;
        byte[] twelveBit = jpeg.clone();
        twelveBit[sof + 4] = 12;

        assertThat(DctScaledJpegReader.read(arithmetic, 1)).as("arithmetic coding").isNull();
        assertThat(DctScaledJpegReader.read(lossless, 1)).as("lossless").isNull();
        assertThat(DctScaledJpegReader.read(twelveBit, 1)).as("12-bit").isNull();
    }

    @Test
    void truncated_files_give_null() {
        byte[] jpeg = write(photo(200, 150), CHROMA_420, 0, false);
        int sos = indexOfMarker(jpeg, 0xDA);

        for (int cut = sos; cut < jpeg.length; cut += 97) {
            byte[] truncated = Arrays.copyOf(jpeg, cut);
            assertThat(DctScaledJpegReader.decode(truncated, 1)).as("cut at %d of %d", cut, jpeg.length).isNull();
        }
    }

    @Test
    void damaged_entropy_data_gives_null_or_a_raster_of_the_frame_size_never_an_exception() {
        byte[] jpeg = write(photo(96, 72), CHROMA_420, 4, false);
        byte[] progressive = write(photo(96, 72), CHROMA_420, 0, true);
        Random random = new Random(8);
        int decoded = 0;
        for (int round = 0; round < 400; round++) {
            boolean prog = round % 2 == 1;
            byte[] source = prog ? progressive : jpeg;
            byte[] broken = source.clone();
            int from = indexOfMarker(source, 0xDA);
            for (int hits = 1 + random.nextInt(4); hits > 0; hits--) {
                broken[from + random.nextInt(source.length - from)] = (byte) random.nextInt(256);
            }
            int n = 1 + random.nextInt(2);
            Raster raster = DctScaledJpegReader.decode(broken, n);
            if (raster != null) {
                decoded++;
                assertThat(raster.getWidth()).as("width of round %d", round).isEqualTo((96 * n + 7) / 8);
                assertThat(raster.getHeight()).as("height of round %d", round).isEqualTo((72 * n + 7) / 8);
            }
        }
        assertThat(decoded).as("some damage leaves a decodable file").isPositive();
    }

    private static void assertMatchesFullDecode(byte[] jpeg, int n, int bands) {
        Raster full = fullDecode(jpeg);
        Raster reduced = DctScaledJpegReader.read(jpeg, n);
        int g = 8 / n;
        assertThat(reduced).as("reduced raster at 1/%d", g).isNotNull();
        assertThat(reduced.getWidth()).as("width at 1/%d", g).isEqualTo((full.getWidth() + g - 1) / g);
        assertThat(reduced.getHeight()).as("height at 1/%d", g).isEqualTo((full.getHeight() + g - 1) / g);
        assertThat(reduced.getNumBands()).as("bands").isEqualTo(bands);
        int[] sampling = samplingFactors(jpeg);
        for (int b = 0; b < bands; b++) {
            // A subsampled chroma block covers twice the luma's area each way: its samples are that area's mean.
            int area = b == 0 ? g : g * sampling[0] / sampling[b];
            long total = 0;
            int count = 0;
            int worst = 0;
            for (int y = 0; (y / (area / g) + 1) * area <= full.getHeight(); y++) {
                for (int x = 0; (x / (area / g) + 1) * area <= full.getWidth(); x++) {
                    int x0 = x / (area / g) * area;
                    int y0 = y / (area / g) * area;
                    double sum = 0;
                    for (int yy = y0; yy < y0 + area; yy++) {
                        for (int xx = x0; xx < x0 + area; xx++) {
                            sum += full.getSample(xx, yy, b);
                        }
                    }
                    int diff = (int) Math.abs(Math.round(sum / (area * area)) - reduced.getSample(x, y, b));
                    worst = Math.max(worst, diff);
                    total += diff;
                    count++;
                }
            }
            assertThat(count).as("samples compared").isPositive();
            // The full decode rounds and clamps each pixel: ringing past white and black shows over 2x2 pixels.
            // libjpeg upsamples subsampled chroma smoothly, moving some of it across the areas' borders.
            boolean smoothed = area != g;
            assertThat(worst).as("largest difference, band %d at 1/%d", b, g)
                    .isLessThanOrEqualTo(smoothed ? 16 : 3);
            assertThat((double) total / count).as("mean difference, band %d at 1/%d", b, g)
                    .isLessThan(smoothed ? 1.0 : 0.5);
        }
    }

    private static Raster fullDecode(byte[] jpeg) {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("jpeg");
        while (readers.hasNext()) {
            ImageReader reader = readers.next();
            if (reader.getClass().getName().equals("com.sun.imageio.plugins.jpeg.JPEGImageReader")) {
                try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(jpeg))) {
                    reader.setInput(in);
                    return reader.readRaster(0, null);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } finally {
                    reader.dispose();
                }
            }
            reader.dispose();
        }
        throw new IllegalStateException("no JDK JPEG reader");
    }

    private static int[] samples(Raster raster) {
        return samples(raster, raster.getWidth(), raster.getHeight());
    }

    /** The samples of the raster's first {@code width} x {@code height} pixels. */
    private static int[] samples(Raster raster, int width, int height) {
        return raster.getPixels(0, 0, width, height, (int[]) null);
    }

    /** Horizontal sampling factor per component, from the SOF. */
    private static int[] samplingFactors(byte[] jpeg) {
        JpegSegments segments = JpegSegments.afterSoi(jpeg);
        for (int m = segments.next(); m != JpegSegments.END; m = segments.next()) {
            if (JpegMarkers.isFrame(m)) {
                return JpegFrame.read(ByteBuffer.wrap(jpeg), segments.body(), segments.end(), m).hs();
            }
        }
        throw new IllegalStateException("no frame header");
    }

    /** The offset of the first marker of this kind up to the first scan, or -1. */
    private static int indexOfMarker(byte[] jpeg, int marker) {
        JpegSegments segments = JpegSegments.afterSoi(jpeg);
        for (int m = segments.next(); m != JpegSegments.END; m = segments.next()) {
            if (m == marker) {
                return segments.body() - 4;
            }
            if (m == JpegMarkers.SOS) {
                return -1;
            }
        }
        return -1;
    }

    private static int markerCount(byte[] jpeg, int marker) {
        int count = 0;
        for (int i = 0; i + 1 < jpeg.length; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == marker) {
                count++;
            }
        }
        return count;
    }
}
