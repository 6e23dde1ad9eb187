package io.thumbnail.internal.image.jpeg;

import io.thumbnail.quality.Gratings;
import io.thumbnail.quality.LanczosReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.awt.Point;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The kernel scaler of the JPEG fast path: Lanczos3 on the raw samples, converted to RGB only afterwards. */
class YccKernelScalerTest {

    @Test
    void ycbcr_is_filtered_with_lanczos3_before_conversion_to_rgb() {
        // 181 to 53 columns, 97 to 41 rows: under six times, so the kernel alone, no box stage.
        Raster ycc = smoothYcc(181, 97, 11);

        BufferedImage scaled = YccKernelScaler.scale(ycc, 53, 41, 3);

        BufferedImage[] bands = new BufferedImage[3];
        for (int b = 0; b < 3; b++) {
            bands[b] = LanczosReference.downscale(band(ycc, b), 53, 41);
        }
        for (int y = 0; y < 41; y++) {
            for (int x = 0; x < 53; x++) {
                int luma = bands[0].getRGB(x, y) & 0xFF;
                int cb = (bands[1].getRGB(x, y) & 0xFF) - 128;
                int cr = (bands[2].getRGB(x, y) & 0xFF) - 128;
                int px = scaled.getRGB(x, y);
                // Within two levels: the reference rounds each band before the conversion, which amplifies chroma.
                assertThat((px >> 16) & 0xFF).as("red at %d,%d", x, y).isCloseTo(clamp(luma + 1.402 * cr), within(2));
                assertThat((px >> 8) & 0xFF).as("green at %d,%d", x, y)
                        .isCloseTo(clamp(luma - 0.344136 * cb - 0.714136 * cr), within(2));
                assertThat(px & 0xFF).as("blue at %d,%d", x, y).isCloseTo(clamp(luma + 1.772 * cb), within(2));
            }
        }
    }

    @ParameterizedTest(name = "{0} to {1} columns")
    @CsvSource({"4080, 1601", "4080, 400", "4080, 37", "999, 3"})
    void a_flat_raster_stays_flat_at_any_ratio(int width, int outWidth) {
        Raster flat = grey(width, 13, new int[width * 13], 201);

        BufferedImage scaled = YccKernelScaler.scale(flat, outWidth, 2, 1);

        for (int x = 0; x < outWidth; x++) {
            assertThat(scaled.getRGB(x, 1) & 0xFFFFFF).as("column %d", x).isEqualTo(0xC9C9C9);
        }
    }

    @ParameterizedTest(name = "{0} to {1} columns, {2} cycles a sample")
    @CsvSource({"1000, 333, 0.25", "1000, 143, 0.12", "1000, 100, 0.08", "2000, 37, 0.2"})
    void stripes_finer_than_the_output_can_show_come_out_as_flat_grey(int width, int outWidth, double frequency) {
        Raster stripes = grey(width, 8, Gratings.stripes(width, 8, frequency), -1);

        int[] row = row(YccKernelScaler.scale(stripes, outWidth, 2, 1), 1);

        assertThat(Gratings.largestSwing(row, 4, outWidth - 4) / Gratings.AMPLITUDE).as("contrast left")
                .isLessThanOrEqualTo(0.03);
    }

    @ParameterizedTest(name = "{0} to {1} columns")
    @CsvSource({"1000, 333", "1000, 143", "2000, 37"})
    void stripes_of_four_output_pixels_a_cycle_keep_their_contrast(int width, int outWidth) {
        Raster stripes = grey(width, 8, Gratings.stripes(width, 8, 0.25 * outWidth / width), -1);

        int[] row = row(YccKernelScaler.scale(stripes, outWidth, 2, 1), 1);

        assertThat(Gratings.amplitude(row, 4, outWidth - 4, 0.25) / Gratings.AMPLITUDE).as("contrast kept")
                .isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void a_black_to_white_step_rings_into_the_clamp_not_past_it() {
        // Lanczos3 overshoots both sides of a full step; the conversion clamps, nothing wraps around.
        Raster step = grey(300, 8, Gratings.step(300, 8, 150.5, 0, 255), -1);

        int[] row = row(YccKernelScaler.scale(step, 100, 2, 1), 1);

        // The edge falls at column 50.17; the ring spans three columns either side of it. A value that wrapped
        // around would show as white on the black side or black on the white side.
        assertThat(Arrays.stream(row, 0, 49).max().orElseThrow()).as("the black side, ring included")
                .isLessThanOrEqualTo(8);
        assertThat(Arrays.stream(row, 52, 100).min().orElseThrow()).as("the white side, ring included")
                .isGreaterThanOrEqualTo(247);
        assertThat(row).as("the undershoot and overshoot, clamped").contains(0, 255);
    }

    @ParameterizedTest(name = "{0} cells for {1} source columns to {2}")
    @CsvSource({"9, 65, 4", "4081, 32641, 37", "4081, 32643, 400"})
    void a_flat_raster_stays_flat_when_its_last_cells_are_cut_short(int cells, int sourceWidth, int outWidth) {
        Raster flat = grey(cells, 13, new int[cells * 13], 201);

        BufferedImage scaled = YccKernelScaler.scale(flat, new Coverage(8, sourceWidth, 99), outWidth, 2, 1);

        for (int x = 0; x < outWidth; x++) {
            assertThat(scaled.getRGB(x, 1) & 0xFFFFFF).as("column %d", x).isEqualTo(0xC9C9C9);
        }
    }

    @ParameterizedTest(name = "{0}x{1} source pixels in cells of 8 to {2}x{3}")
    @CsvSource({"65, 49, 4, 3", "67, 51, 4, 3", "1025, 771, 4, 3", "1027, 773, 16, 12"})
    void last_cells_cut_short_by_the_edge_weigh_the_source_pixels_they_cover(int width, int height, int outW,
                                                                            int outH) {
        // White source pixels only in the last column and row, which fall in the last cells (8x8 block means):
        // a cell holding one column of eight is as white as that column, and must count as one column.
        int cw = (width + 7) / 8;
        int ch = (height + 7) / 8;
        int[] samples = new int[cw * ch];
        for (int y = 0; y < ch; y++) {
            for (int x = 0; x < cw; x++) {
                samples[y * cw + x] = x == cw - 1 || y == ch - 1 ? 255 : 0;
            }
        }
        Raster cells = grey(cw, ch, samples, -1);

        BufferedImage scaled = YccKernelScaler.scale(cells, new Coverage(8, width, height), outW, outH, 1);

        BufferedImage reference = LanczosReference.downscale(band(YccAreaScalerTest.expand(cells, 8, width, height),
                0), outW, outH);
        for (int y = 0; y < outH; y++) {
            for (int x = 0; x < outW; x++) {
                assertThat(scaled.getRGB(x, y) & 0xFF).as("pixel %d,%d", x, y)
                        .isCloseTo(reference.getRGB(x, y) & 0xFF, within(2));
            }
        }
    }

    @Test
    void chroma_repeated_over_two_by_two_pixels_is_filtered_from_its_own_samples() {
        // 4:2:0 as the DCT reader lays it out: each chroma sample over 2 x 2 pixels from an even column and row; the
        // chroma has detail down to single samples, bursts of a checkerboard and noise.
        Random random = new Random(1);
        Raster half = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 91, 49, 91 * 3, 3, new int[]{0, 1, 2},
                new Point(0, 0));
        byte[] samples = ((DataBufferByte) half.getDataBuffer()).getData();
        for (int y = 0; y < 49; y++) {
            for (int x = 0; x < 91; x++) {
                samples[(y * 91 + x) * 3 + 1] = (byte) (128 + (x % 7 < 4 ? ((x + y) % 2 == 0 ? 60 : -60) : 0));
                samples[(y * 91 + x) * 3 + 2] = (byte) (128 + random.nextInt(121) - 60);
            }
        }
        Raster ycc = repeatedChroma(grey3(182, 98, 128), half);

        BufferedImage scaled = YccKernelScaler.scale(ycc, Coverage.whole(182, 98), 53, 41, 3, true);

        BufferedImage[] reference = {LanczosReference.downscale(band(half, 1), 53, 41),
                LanczosReference.downscale(band(half, 2), 53, 41)};
        for (int y = 0; y < 41; y++) {
            for (int x = 0; x < 53; x++) {
                int px = scaled.getRGB(x, y);
                double r = px >> 16 & 0xFF;
                double g = px >> 8 & 0xFF;
                double b = px & 0xFF;
                // Filtered through the repeats instead, the chroma is up to 8 levels off the reference here.
                assertThat(128 - 0.168736 * r - 0.331264 * g + 0.5 * b).as("Cb at %d,%d", x, y)
                        .isCloseTo(reference[0].getRGB(x, y) & 0xFF, within(1.5));
                assertThat(128 + 0.5 * r - 0.418688 * g - 0.081312 * b).as("Cr at %d,%d", x, y)
                        .isCloseTo(reference[1].getRGB(x, y) & 0xFF, within(1.5));
            }
        }
    }

    @Test
    void with_neutral_chroma_filtering_it_at_half_resolution_changes_no_pixel() {
        Raster ycc = smoothYcc(400, 300, 3);
        byte[] data = ((DataBufferByte) ycc.getDataBuffer()).getData();
        for (int i = 0; i < data.length; i += 3) {
            data[i + 1] = (byte) 128;
            data[i + 2] = (byte) 128;
        }
        Coverage coverage = Coverage.whole(400, 300);

        BufferedImage halved = YccKernelScaler.scale(ycc, coverage, 100, 75, 3, true);
        BufferedImage whole = YccKernelScaler.scale(ycc, coverage, 100, 75, 3, false);

        for (int y = 0; y < 75; y++) {
            for (int x = 0; x < 100; x++) {
                assertThat(halved.getRGB(x, y)).as("pixel %d,%d", x, y).isEqualTo(whole.getRGB(x, y));
            }
        }
    }

    @ParameterizedTest(name = "{1}x{2} source pixels in cells of {0} to {3}x{4}")
    @CsvSource({"8, 4083, 3061, 400, 300", "8, 4089, 3065, 100, 75", "4, 3263, 2449, 37, 28",
            "4, 1601, 1199, 400, 299"}) // the last: chroma has fewer samples than the output, filtered at luma's size
    void a_flat_colour_stays_flat_when_the_chroma_planes_last_cells_are_cut_short(int step, int width, int height,
                                                                                   int outW, int outH) {
        Coverage coverage = new Coverage(step, width, height);
        Raster flat = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, coverage.width(), coverage.height(),
                coverage.width() * 3, 3, new int[]{0, 1, 2}, new Point(0, 0));
        byte[] data = ((DataBufferByte) flat.getDataBuffer()).getData();
        for (int i = 0; i < data.length; i += 3) {
            data[i] = (byte) 120;
            data[i + 1] = (byte) 90;
            data[i + 2] = (byte) 200;
        }

        BufferedImage scaled = YccKernelScaler.scale(flat, coverage, outW, outH, 3, true);

        int expected = YccKernelScaler.scale(flat, coverage, outW, outH, 3, false).getRGB(0, 0);
        for (int y = 0; y < outH; y++) {
            for (int x = 0; x < outW; x++) {
                assertThat(scaled.getRGB(x, y)).as("pixel %d,%d", x, y).isEqualTo(expected);
            }
        }
    }

    @Test
    void enlarging_is_refused() {
        assertThatThrownBy(() -> YccKernelScaler.scale(grey(8, 8, new int[64], 0), 9, 8, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only shrinks");
    }

    /** A one-band raster of {@code samples}, or of {@code fill} everywhere when it is 0 or more. */
    private static Raster grey(int w, int h, int[] samples, int fill) {
        Raster r = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, w, 1, new int[]{0}, new Point(0, 0));
        byte[] data = ((DataBufferByte) r.getDataBuffer()).getData();
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (fill >= 0 ? fill : samples[i]);
        }
        return r;
    }

    /** Three bands of smooth noise (each sample a blend of its neighbours), as decoded photos are. */
    private static Raster smoothYcc(int w, int h, long seed) {
        Raster r = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, w * 3, 3, new int[]{0, 1, 2},
                new Point(0, 0));
        byte[] data = ((DataBufferByte) r.getDataBuffer()).getData();
        Random random = new Random(seed);
        for (int b = 0; b < 3; b++) {
            double[] phase = {random.nextDouble() * 6, random.nextDouble() * 6};
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double v = 128 + 50 * Math.sin(x / 9.0 + phase[0]) * Math.cos(y / 7.0 + phase[1])
                            + random.nextInt(21) - 10;
                    data[(y * w + x) * 3 + b] = (byte) clamp(b == 0 ? v : 128 + (v - 128) / 3);
                }
            }
        }
        return r;
    }

    /** Three bands of {@code fill}. */
    private static Raster grey3(int w, int h, int fill) {
        Raster r = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, w * 3, 3, new int[]{0, 1, 2},
                new Point(0, 0));
        Arrays.fill(((DataBufferByte) r.getDataBuffer()).getData(), (byte) fill);
        return r;
    }

    /** {@code ycc}'s luma with {@code half}'s chroma, each sample repeated over the 2 x 2 pixels it stands for. */
    private static Raster repeatedChroma(Raster ycc, Raster half) {
        byte[] data = ((DataBufferByte) ycc.getDataBuffer()).getData();
        for (int y = 0; y < ycc.getHeight(); y++) {
            for (int x = 0; x < ycc.getWidth(); x++) {
                data[(y * ycc.getWidth() + x) * 3 + 1] = (byte) half.getSample(x / 2, y / 2, 1);
                data[(y * ycc.getWidth() + x) * 3 + 2] = (byte) half.getSample(x / 2, y / 2, 2);
            }
        }
        return ycc;
    }

    /** Band b of a raster as a grey RGB image, for the reference. */
    private static BufferedImage band(Raster r, int b) {
        BufferedImage image = new BufferedImage(r.getWidth(), r.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < r.getHeight(); y++) {
            for (int x = 0; x < r.getWidth(); x++) {
                image.setRGB(x, y, r.getSample(x, y, b) * 0x010101);
            }
        }
        return image;
    }

    private static int[] row(BufferedImage image, int y) {
        int[] row = new int[image.getWidth()];
        for (int x = 0; x < row.length; x++) {
            row[x] = image.getRGB(x, y) >> 8 & 0xFF;
        }
        return row;
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }

    @Test
    void levels_round_as_math_round_does_from_minus_128_levels_up() {
        Random random = new Random(7);
        for (int i = 0; i < 200_000; i++) {
            float v = -128 + random.nextFloat() * 600;
            assertThat(YccKernelScaler.level(v)).as("level of %s", v).isEqualTo(Math.round(v * 256));
        }
        // Ties round up, as Math.round's do: exactly half a 1/256 level above and below zero.
        for (float tie : new float[] {0.5f / 256, -0.5f / 256, 1.5f / 256, -1.5f / 256, 255.5f / 256, -128f, 383.5f}) {
            assertThat(YccKernelScaler.level(tie)).as("level of the tie %s", tie).isEqualTo(Math.round(tie * 256));
        }
    }

    @Test
    void four_rows_at_once_sum_to_the_bit_what_four_single_rows_do() {
        Random random = new Random(11);
        float[][] rows = new float[4][301];
        float[] weights = new float[4];
        for (int r = 0; r < 4; r++) {
            weights[r] = random.nextFloat() * 2 - 0.5f;
            for (int i = 0; i < rows[r].length; i++) {
                rows[r][i] = random.nextInt(256);
            }
        }
        float[] one = new float[301];
        float[] four = new float[301];
        for (int pass = 0; pass < 3; pass++) {
            for (int r = 0; r < 4; r++) {
                KernelPlane.add(one, rows[r], weights[r]);
            }
            KernelPlane.add4(four, rows[0], weights[0], rows[1], weights[1], rows[2], weights[2], rows[3],
                    weights[3]);
        }

        for (int i = 0; i < one.length; i++) {
            assertThat(Float.floatToIntBits(four[i])).as("sample %d: %s against %s", i, four[i], one[i])
                    .isEqualTo(Float.floatToIntBits(one[i]));
        }
    }
}
