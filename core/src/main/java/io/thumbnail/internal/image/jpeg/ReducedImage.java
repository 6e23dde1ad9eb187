package io.thumbnail.internal.image.jpeg;

import java.awt.image.DataBufferByte;
import java.awt.image.Raster;

/**
 * The result of {@link DctScaledJpegReader}: a pixel-interleaved byte raster of one or three bands at the
 * reduced size, written sample by sample or block by block as the scans are decoded. A subsampled component's
 * samples each cover 2 x 2 (or 2 x 1, 1 x 2) result pixels and are replicated over them; samples of the
 * blocks that pad the image to whole MCUs fall outside and are dropped.
 */
final class ReducedImage {
    private static final byte[] ZEROS = new byte[16 << 10];
    /** The samples, row by row, in the first {@code width * height * bands} bytes; the array may be longer. */
    private final byte[] out;
    private final int width;
    private final int height;
    private final int bands;
    private final int[] shiftX;
    private final int[] shiftY;

    ReducedImage(int width, int height, int bands, int[] shiftX, int[] shiftY) {
        this(new byte[width * height * bands], width, height, bands, shiftX, shiftY);
    }

    /** Into {@code out}, which must hold at least {@code width * height * bands} bytes; those are zeroed. */
    ReducedImage(byte[] out, int width, int height, int bands, int[] shiftX, int[] shiftY) {
        if (out.length < width * height * bands) {
            throw new IllegalArgumentException("out holds " + out.length + " bytes, fewer than " + width + " x "
                    + height + " x " + bands);
        }
        zero(out, width * height * bands);
        this.out = out;
        this.width = width;
        this.height = height;
        this.bands = bands;
        this.shiftX = shiftX.clone();
        this.shiftY = shiftY.clone();
    }

    /**
     * Zeroes {@code out[0 .. n - 1]} by copies of a zeroed block: both compilers make those a bulk move, while C1, which
     * compiles a short batch's code, makes {@code Arrays.fill} a loop over single bytes.
     */
    private static void zero(byte[] out, int n) {
        for (int at = 0; at < n; at += ZEROS.length) {
            System.arraycopy(ZEROS, 0, out, at, Math.min(ZEROS.length, n - at));
        }
    }

    /** Writes sample (x, y) of component c over the result pixels it covers, clipped to the result. */
    void put(int c, int x, int y, byte value) {
        int sx = shiftX[c];
        int sy = shiftY[c];
        int x0 = x << sx;
        int y0 = y << sy;
        if (x0 >= width || y0 >= height) {
            return;
        }
        if ((sx | sy) == 0) {
            out[(y0 * width + x0) * bands + c] = value;
            return;
        }
        if ((sx & sy) == 1 && x0 + 2 <= width && y0 + 2 <= height) {
            // 4:2:0 chroma inside the image: the common case at 1/8.
            fillTwoByTwo(out, (y0 * width + x0) * bands + c, bands, width * bands, value);
            return;
        }
        int x1 = Math.min(width, x0 + (1 << sx));
        int y1 = Math.min(height, y0 + (1 << sy));
        for (int yy = y0; yy < y1; yy++) {
            for (int xx = x0; xx < x1; xx++) {
                out[(yy * width + xx) * bands + c] = value;
            }
        }
    }

    /**
     * Writes block (bx, by) of component c at 1/4 of the size: its four quadrant means, top left to bottom right,
     * rounded down; the same as {@link #putBlock} with n = 2. Blocks inside the result, of full-size or 4:2:0 components,
     * are written here without going through an array: at 1/4 this runs once per block of the image.
     *
     * @param sums where to put the four means for {@link #putBlock}, which writes the other blocks
     */
    void putQuadrants(int c, int bx, int by, long topLeft, long topRight, long bottomLeft, long bottomRight,
                      float[] sums) {
        int sx = shiftX[c];
        int sy = shiftY[c];
        int x0 = bx << 1 << sx;
        int y0 = by << 1 << sy;
        boolean inside = x0 + (2 << sx) <= width && y0 + (2 << sy) <= height;
        if (inside && (sx | sy) == 0) {
            int p = (y0 * width + x0) * bands + c;
            int below = p + width * bands;
            out[p] = clamp(topLeft);
            out[p + bands] = clamp(topRight);
            out[below] = clamp(bottomLeft);
            out[below + bands] = clamp(bottomRight);
        } else if (inside && (sx & sy) == 1) {
            int stride = width * bands;
            int p = (y0 * width + x0) * bands + c;
            fillTwoByTwo(out, p, bands, stride, clamp(topLeft));
            fillTwoByTwo(out, p + 2 * bands, bands, stride, clamp(topRight));
            fillTwoByTwo(out, p + 2 * stride, bands, stride, clamp(bottomLeft));
            fillTwoByTwo(out, p + 2 * stride + 2 * bands, bands, stride, clamp(bottomRight));
        } else {
            sums[0] = topLeft;
            sums[1] = topRight;
            sums[2] = bottomLeft;
            sums[3] = bottomRight;
            putBlock(c, bx, by, 2, sums);
        }
    }

    /**
     * One subsampled sample over the 2 x 2 result pixels it covers, from {@code p}: {@code dx} to the next pixel,
     * {@code dy} to the next row. Static and under 35 bytes of bytecode, so that C1 (a short batch's compiler) inlines it.
     */
    private static void fillTwoByTwo(byte[] out, int p, int dx, int dy, byte value) {
        out[p] = value;
        out[p + dx] = value;
        out[p + dy] = value;
        out[p + dx + dy] = value;
    }

    /**
     * Writes block (bx, by) of component c: {@code n x n} samples, {@code sums[j * n + i]} rounded down and
     * clamped to 0-255.
     */
    void putBlock(int c, int bx, int by, int n, float[] sums) {
        int sx = shiftX[c];
        int sy = shiftY[c];
        int x0 = bx * n << sx;
        int y0 = by * n << sy;
        if (x0 + (n << sx) > width || y0 + (n << sy) > height) {
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < n; i++) {
                    put(c, bx * n + i, by * n + j, clamp((int) sums[j * n + i]));
                }
            }
            return;
        }
        int stride = width * bands;
        if ((sx | sy) == 0) {
            for (int j = 0; j < n; j++) {
                int p = ((y0 + j) * width + x0) * bands + c;
                for (int i = 0; i < n; i++, p += bands) {
                    out[p] = clamp((int) sums[j * n + i]);
                }
            }
            return;
        }
        if ((sx & sy) == 1) {
            for (int j = 0; j < n; j++) {
                int p = ((y0 + 2 * j) * width + x0) * bands + c;
                for (int i = 0; i < n; i++, p += 2 * bands) {
                    fillTwoByTwo(out, p, bands, stride, clamp((int) sums[j * n + i]));
                }
            }
            return;
        }
        int dx = bands << sx;
        for (int j = 0; j < n; j++) {
            int p = ((y0 + (j << sy)) * width + x0) * bands + c;
            for (int i = 0; i < n; i++, p += dx) {
                byte value = clamp((int) sums[j * n + i]);
                out[p] = value;
                if (sx != 0) {
                    out[p + bands] = value;
                }
                if (sy != 0) {
                    out[p + stride] = value;
                    if (sx != 0) {
                        out[p + stride + bands] = value;
                    }
                }
            }
        }
    }

    Raster raster() {
        int[] offsets = bands == 1 ? new int[]{0} : new int[]{0, 1, 2};
        return Raster.createInterleavedRaster(new DataBufferByte(out, width * height * bands), width, height,
                width * bands, bands, offsets, null);
    }

    static byte clamp(int v) {
        return (byte) Math.max(0, Math.min(v, 255));
    }

    private static byte clamp(long v) {
        return (byte) Math.max(0, Math.min(v, 255));
    }
}
