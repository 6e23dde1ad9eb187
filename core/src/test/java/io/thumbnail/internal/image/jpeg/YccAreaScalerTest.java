package io.thumbnail.internal.image.jpeg;

import org.junit.jupiter.api.Test;

import java.awt.Point;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;
import static org.assertj.core.api.Assertions.within;

/** The area scaler is the exact area average of the raw samples, converted to RGB only afterwards. */
class YccAreaScalerTest {

    @Test
    void each_output_pixel_is_the_exact_area_average_of_the_luma_it_covers() {
        Raster grey = raster(37, 23, 1, 7);

        BufferedImage scaled = YccAreaScaler.scale(grey, 10, 7, 1);

        double[] expected = areaAverage(grey, 0, 10, 7);
        for (int y = 0; y < 7; y++) {
            for (int x = 0; x < 10; x++) {
                int actual = scaled.getRGB(x, y) & 0xFF;
                assertThat((double) actual).as("pixel %d,%d", x, y).isCloseTo(expected[y * 10 + x],
                        offset(0.5 + 1e-9));
            }
        }
    }

    @Test
    void ycbcr_is_averaged_before_conversion_to_rgb() {
        Raster ycc = raster(53, 41, 3, 11);

        BufferedImage scaled = YccAreaScaler.scale(ycc, 13, 9, 3);

        int[][] expected = expectedRgb(ycc, 13, 9);
        for (int i = 0; i < expected.length; i++) {
            int px = scaled.getRGB(i % 13, i / 13);
            // Within one level: the scaler rounds its means to 1/256 level and its coefficients to 1/65536.
            assertThat((px >> 16) & 0xFF).as("red of pixel %d", i).isCloseTo(expected[i][0], within(1));
            assertThat((px >> 8) & 0xFF).as("green of pixel %d", i).isCloseTo(expected[i][1], within(1));
            assertThat(px & 0xFF).as("blue of pixel %d", i).isCloseTo(expected[i][2], within(1));
        }
    }

    @Test
    void a_flat_raster_stays_flat_at_any_ratio() {
        Raster flat = flatGrey(4080, 3, 201);

        BufferedImage scaled = YccAreaScaler.scale(flat, 1601, 2, 1);

        for (int x = 0; x < 1601; x++) {
            assertThat(scaled.getRGB(x, 1) & 0xFFFFFF).as("column %d", x).isEqualTo(0xC9C9C9);
        }
    }

    @Test
    void hundreds_of_rows_per_output_row_are_summed_exactly() {
        // 650 whole rows per output row (more than the 257 that a 16-bit lane holds) and a row length that is
        // not a multiple of eight.
        Raster ycc = raster(21, 1300, 3, 5);

        BufferedImage scaled = YccAreaScaler.scale(ycc, 5, 2, 3);

        int[][] expected = expectedRgb(ycc, 5, 2);
        for (int i = 0; i < expected.length; i++) {
            assertThat((scaled.getRGB(i % 5, i / 5) >> 8) & 0xFF).as("green of pixel %d", i)
                    .isCloseTo(expected[i][1], within(1));
        }
    }

    @Test
    void white_stays_white_over_many_rows() {
        Raster white = flatGrey(19, 1000, 255);

        BufferedImage scaled = YccAreaScaler.scale(white, 3, 1, 1);

        for (int x = 0; x < 3; x++) {
            assertThat(scaled.getRGB(x, 0) & 0xFFFFFF).as("column %d", x).isEqualTo(0xFFFFFF);
        }
    }

    @Test
    void a_last_column_and_row_that_cover_part_of_a_cell_weigh_the_part_they_cover() {
        // A 65x51 source in cells of 8: 9x7 samples, the last column covering one source column of eight and the
        // last row three rows of eight, as a JPEG's padded blocks at 1/8.
        Raster cells = raster(9, 7, 1, 13);

        BufferedImage scaled = YccAreaScaler.scale(cells, new Coverage(8, 65, 51), 8, 6, 1);

        double[] expected = areaAverage(expand(cells, 8, 65, 51), 0, 8, 6);
        for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 8; x++) {
                assertThat((double) (scaled.getRGB(x, y) & 0xFF)).as("pixel %d,%d", x, y)
                        .isCloseTo(expected[y * 8 + x], offset(0.5 + 1e-9));
            }
        }
    }

    @Test
    void a_raster_cannot_be_made_larger_than_its_whole_cells() {
        // 9 samples of which the last covers an eighth of a cell: 8.125 samples' worth, so at most 8 across.
        assertThatThrownBy(() -> YccAreaScaler.scale(raster(9, 7, 1, 1), new Coverage(8, 65, 56), 9, 7, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only shrinks");
    }

    @Test
    void enlarging_is_refused() {
        assertThatThrownBy(() -> YccAreaScaler.scale(raster(8, 8, 3, 1), 9, 8, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only shrinks");
    }

    /** A one-band raster with every sample {@code value}. */
    private static Raster flatGrey(int w, int h, int value) {
        Raster flat = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, w, 1, new int[]{0},
                new Point(0, 0));
        Arrays.fill(((DataBufferByte) flat.getDataBuffer()).getData(), (byte) value);
        return flat;
    }

    /** The source a one-band raster of {@code step} x {@code step} cells stands for, cut to width x height. */
    static Raster expand(Raster cells, int step, int width, int height) {
        Raster source = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, width, height, width, 1, new int[]{0},
                new Point(0, 0));
        byte[] data = ((DataBufferByte) source.getDataBuffer()).getData();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                data[y * width + x] = (byte) cells.getSample(x / step, y / step, 0);
            }
        }
        return source;
    }

    private static Raster raster(int w, int h, int bands, long seed) {
        int[] offsets = bands == 3 ? new int[]{0, 1, 2} : new int[]{0};
        Raster r = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, w * bands, bands, offsets, new Point(0, 0));
        byte[] data = ((DataBufferByte) r.getDataBuffer()).getData();
        new Random(seed).nextBytes(data);
        return r;
    }

    /** The reference, in doubles: each input pixel weighted by the area of it inside the output pixel. */
    private static double[] areaAverage(Raster r, int band, int outW, int outH) {
        int w = r.getWidth();
        int h = r.getHeight();
        double sx = (double) w / outW;
        double sy = (double) h / outH;
        double[] out = new double[outW * outH];
        for (int oy = 0; oy < outH; oy++) {
            for (int ox = 0; ox < outW; ox++) {
                double sum = 0;
                for (int y = 0; y < h; y++) {
                    double wy = overlap(y, oy * sy, (oy + 1) * sy);
                    for (int x = 0; wy > 0 && x < w; x++) {
                        sum += r.getSample(x, y, band) * wy * overlap(x, ox * sx, (ox + 1) * sx);
                    }
                }
                out[oy * outW + ox] = sum / (sx * sy);
            }
        }
        return out;
    }

    private static double overlap(int i, double lo, double hi) {
        return Math.max(0, Math.min(i + 1, hi) - Math.max(i, lo));
    }

    /** Red, green and blue of each output pixel: the exact area average of Y, Cb and Cr, then JFIF's conversion. */
    private static int[][] expectedRgb(Raster ycc, int outW, int outH) {
        double[] y = areaAverage(ycc, 0, outW, outH);
        double[] cb = areaAverage(ycc, 1, outW, outH);
        double[] cr = areaAverage(ycc, 2, outW, outH);
        int[][] rgb = new int[y.length][];
        for (int i = 0; i < y.length; i++) {
            rgb[i] = new int[] {
                    clamp(y[i] + 1.402 * (cr[i] - 128)),
                    clamp(y[i] - 0.344136 * (cb[i] - 128) - 0.714136 * (cr[i] - 128)),
                    clamp(y[i] + 1.772 * (cb[i] - 128))};
        }
        return rgb;
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}
