package io.thumbnail.internal.image.jpeg;

import io.thumbnail.internal.image.kernel.Lanczos3;

import java.awt.image.BufferedImage;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.Raster;
import java.util.Arrays;

/**
 * Scales a raw JPEG raster (one grey band, or YCbCr as libjpeg decodes it) to a smaller size with the
 * {@link Lanczos3} kernel, and converts only the result to RGB: the kernel and the JFIF conversion are both
 * linear, so filtering the raw samples first gives the same pixels as filtering RGB, for a fraction of the
 * conversions. Where the raster is more than {@link Lanczos3#GAP} times the output size, whole blocks of it are
 * averaged first as each row is read (the box stage of
 * {@link io.thumbnail.internal.image.Resizer Resizer}).
 *
 * <p>Vertical first, one output row at a time: each output row is a weighted sum of whole input rows, a loop over
 * floats that the JIT vectorises (from bytes it does not), and only that row's samples then go through the
 * horizontal taps. Input rows are turned into floats once, into a ring as deep as the vertical kernel. Every loop
 * sits in a small method called once per row, so the JIT compiles each as a whole after a few images instead of
 * replacing a long-running loop on its stack, which costs a compilation per loop head.
 *
 * <p>A raster's last column or row may cover only part of a pixel ({@link Coverage}), and so may the box stage's
 * last block: each weighs the part it covers, in the box means and in the kernel's taps, so that an image's edge
 * counts for the pixels it has.
 */
final class YccKernelScaler {
    /** Added before a cast that truncates, so that every level from -128 up is positive there: the cast floors. */
    private static final int ROUNDING_SHIFT = 128 * 256;
    private final byte[] data;
    private final int offset;
    private final int scanline;
    private final int w;
    private final int h;
    private final int channels;
    private final int kx;
    private final int ky;
    /** Samples per row after the box stage. */
    private final int rowLength;
    private final int[] sums;
    /** The part of a whole pixel the raster's last column and row cover. */
    private final float lastColumn;
    private final float lastRow;
    /** The box sums of the raster's last row when it is partial, kept apart to be weighted by {@link #lastRow}. */
    private final int[] lastRowSums;
    /** One past the last box-stage row made so far. */
    private int made;

    private YccKernelScaler(Raster raster, int channels, int kx, int ky, Coverage coverage) {
        ComponentSampleModel model = (ComponentSampleModel) raster.getSampleModel();
        DataBufferByte buffer = (DataBufferByte) raster.getDataBuffer();
        this.data = buffer.getData();
        this.offset = buffer.getOffset();
        this.scanline = model.getScanlineStride();
        this.w = raster.getWidth();
        this.h = raster.getHeight();
        this.channels = channels;
        this.kx = kx;
        this.ky = ky;
        this.rowLength = ceilDiv(w, kx) * channels;
        this.sums = kx > 1 || ky > 1 ? new int[rowLength] : null;
        this.lastColumn = (float) coverage.lastColumn();
        this.lastRow = (float) coverage.lastRow();
        this.lastRowSums = ky > 1 && lastRow < 1 ? new int[rowLength] : null;
    }

    /**
     * @param raster pixel-interleaved bytes, {@code components} bands in order (as libjpeg delivers them)
     */
    static BufferedImage scale(Raster raster, int outW, int outH, int components) {
        return scale(raster, Coverage.whole(raster.getWidth(), raster.getHeight()), outW, outH, components);
    }

    /**
     * @param raster   pixel-interleaved bytes, {@code components} bands in order (as libjpeg delivers them)
     * @param coverage where the raster's pixels lie on the source
     */
    static BufferedImage scale(Raster raster, Coverage coverage, int outW, int outH, int components) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        coverage.check(raster);
        if (outW < 1 || outH < 1 || outW > w || outH > h) {
            throw new IllegalArgumentException("kernel scaling only shrinks: " + w + "x" + h + " to " + outW + "x" + outH);
        }
        int channels = components == 3 ? 3 : 1;
        if (!YccAreaScaler.isInterleaved((ComponentSampleModel) raster.getSampleModel(), channels)
                || !(raster.getDataBuffer() instanceof DataBufferByte)) {
            throw new IllegalArgumentException("not a pixel-interleaved byte raster of " + channels + " bands");
        }
        double extentX = coverage.extentX();
        double extentY = coverage.extentY();
        int kx = Math.max(1, (int) (extentX / (Lanczos3.GAP * outW)));
        int ky = Math.max(1, (int) (extentY / (Lanczos3.GAP * outH)));
        return new YccKernelScaler(raster, channels, kx, ky, coverage).run(taps(w, kx, extentX, outW),
                taps(h, ky, extentY, outH));
    }

    /**
     * The kernel's taps along a line of {@code size} raster pixels, {@code extent} of them whole, made into blocks of
     * {@code k}: the last block weighs the part of a whole block it covers.
     */
    private static Lanczos3.Taps taps(int size, int k, double extent, int out) {
        int blocks = ceilDiv(size, k);
        double length = extent / k;
        return Lanczos3.taps(blocks, out, 0, length, Math.min(1, length - (blocks - 1)));
    }

    private BufferedImage run(Lanczos3.Taps columns, Lanczos3.Taps rows) {
        int outW = columns.size();
        int outH = rows.size();
        float[][] slots = new float[rows.stride][rowLength];
        BufferedImage out = new BufferedImage(outW, outH, BufferedImage.TYPE_INT_RGB);
        int[] rgb = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        float[] sum = new float[rowLength];
        int[] columnStart = new int[outW];
        for (int x = 0; x < outW; x++) {
            columnStart[x] = columns.start[x] * channels;
        }
        for (int y = 0; y < outH; y++) {
            int first = rows.start[y];
            int n = rows.count[y];
            while (made < first + n) {
                makeRow(slots[made % slots.length], made);
                made++;
            }
            int wi = y * rows.stride;
            Arrays.fill(sum, 0);
            float[] weights = rows.weights;
            int j = 0;
            for (; j + 4 <= n; j += 4) {
                add4(sum, slots[(first + j) % slots.length], weights[wi + j],
                        slots[(first + j + 1) % slots.length], weights[wi + j + 1],
                        slots[(first + j + 2) % slots.length], weights[wi + j + 2],
                        slots[(first + j + 3) % slots.length], weights[wi + j + 3]);
            }
            for (; j < n; j++) {
                add(sum, slots[(first + j) % slots.length], weights[wi + j]);
            }
            if (channels == 3) {
                emitYcc(sum, columns, columnStart, rgb, y * outW);
            } else {
                emitGrey(sum, columns, columnStart, rgb, y * outW);
            }
        }
        return out;
    }

    /**
     * Box-stage row {@code r} as floats: the mean of its block of input rows and columns, the raster's last row and
     * column weighted by the part of a pixel they cover.
     */
    private void makeRow(float[] row, int r) {
        int y0 = r * ky;
        int y1 = Math.min(h, y0 + ky);
        if (kx == 1 && ky == 1) {
            toFloats(data, offset + y0 * scanline, row, rowLength);
            return;
        }
        boolean partialRow = y1 == h && lastRowSums != null;
        int wholeEnd = partialRow ? y1 - 1 : y1;
        Arrays.fill(sums, 0);
        for (int y = y0; y < wholeEnd; y++) {
            addSamples(y, sums);
        }
        // The weight of the raster's last row, when it is partial and in this block.
        float partial = partialRow ? lastRow : 0;
        if (partialRow) {
            Arrays.fill(lastRowSums, 0);
            addSamples(h - 1, lastRowSums);
        }
        float rows = wholeEnd - y0 + partial;
        int whole = w / kx;
        int lastBlock = ceilDiv(w, kx) - 1;
        int wholeSamples = (lastColumn < 1 ? Math.min(whole, lastBlock) : whole) * channels;
        float scale = 1f / (kx * rows);
        if (partialRow) {
            for (int i = 0; i < wholeSamples; i++) {
                row[i] = (sums[i] + partial * lastRowSums[i]) * scale;
            }
        } else {
            for (int i = 0; i < wholeSamples; i++) {
                row[i] = sums[i] * scale;
            }
        }
        if (wholeSamples < rowLength) {
            // The last block is narrower, or holds the raster's partial last column.
            float columns = w - lastBlock * kx - (1 - lastColumn);
            float last = 1f / (columns * rows);
            for (int c = 0; c < channels; c++) {
                int i = wholeSamples + c;
                float sum = partialRow ? sums[i] + partial * lastRowSums[i] : sums[i];
                if (lastColumn < 1) {
                    sum -= (1 - lastColumn) * lastColumnSum(c, y0, wholeEnd, partial);
                }
                row[i] = sum * last;
            }
        }
    }

    /** Adds raster row y into {@code into}, block by block. */
    private void addSamples(int y, int[] into) {
        if (kx == 1) {
            addRow(data, offset + y * scanline, into, rowLength);
        } else if (channels == 3) {
            addBlocks3(data, offset + y * scanline, into, w, kx);
        } else {
            addBlocks1(data, offset + y * scanline, into, w, kx);
        }
    }

    /**
     * Band c of the raster's last column over rows {@code y0 .. wholeEnd - 1}, plus its last row times
     * {@code partial}.
     */
    private float lastColumnSum(int c, int y0, int wholeEnd, float partial) {
        int at = offset + (w - 1) * channels + c;
        int sum = 0;
        for (int y = y0; y < wholeEnd; y++) {
            sum += data[at + y * scanline] & 0xFF;
        }
        return sum + (partial > 0 ? partial * (data[at + (h - 1) * scanline] & 0xFF) : 0);
    }

    private static void toFloats(byte[] data, int start, float[] row, int n) {
        for (int i = 0; i < n; i++) {
            row[i] = data[start + i] & 0xFF;
        }
    }

    private static void addRow(byte[] data, int start, int[] sums, int n) {
        for (int i = 0; i < n; i++) {
            sums[i] += data[start + i] & 0xFF;
        }
    }

    private static void addBlocks3(byte[] data, int start, int[] sums, int w, int kx) {
        for (int x = 0, o = 0; x < w; o += 3) {
            int end = Math.min(w, x + kx);
            int a = 0;
            int b = 0;
            int c = 0;
            for (int p = start + 3 * x; x < end; x++, p += 3) {
                a += data[p] & 0xFF;
                b += data[p + 1] & 0xFF;
                c += data[p + 2] & 0xFF;
            }
            sums[o] += a;
            sums[o + 1] += b;
            sums[o + 2] += c;
        }
    }

    private static void addBlocks1(byte[] data, int start, int[] sums, int w, int kx) {
        for (int x = 0, o = 0; x < w; o++) {
            int end = Math.min(w, x + kx);
            int a = 0;
            for (; x < end; x++) {
                a += data[start + x] & 0xFF;
            }
            sums[o] += a;
        }
    }

    /**
     * Four rows' taps in one pass over the sum: a quarter of the loads and stores of the sum, which is what the loop
     * costs where it is not vectorised (C1's code, a short batch's). The additions are in the order of four calls
     * of {@link #add}, so the sums are the same to the bit.
     */
    static void add4(float[] sum, float[] a, float wa, float[] b, float wb, float[] c, float wc, float[] d,
                             float wd) {
        for (int i = 0; i < sum.length; i++) {
            sum[i] = sum[i] + a[i] * wa + b[i] * wb + c[i] * wc + d[i] * wd;
        }
    }

    static void add(float[] sum, float[] row, float weight) {
        for (int i = 0; i < sum.length; i++) {
            sum[i] += row[i] * weight;
        }
    }

    private static void emitYcc(float[] sum, Lanczos3.Taps columns, int[] columnStart, int[] rgb, int offset) {
        float[] weights = columns.weights;
        for (int x = 0; x < columnStart.length; x++) {
            int wi = x * columns.stride;
            int end = wi + columns.count[x];
            float y = 0;
            float cb = 0;
            float cr = 0;
            // The three bands in one pass over the taps: each weight is loaded once.
            for (int j = wi, s = columnStart[x]; j < end; j++, s += 3) {
                float wt = weights[j];
                y += sum[s] * wt;
                cb += sum[s + 1] * wt;
                cr += sum[s + 2] * wt;
            }
            rgb[offset + x] = YccConverter.toRgb(level(y), level(cb), level(cr));
        }
    }

    private static void emitGrey(float[] sum, Lanczos3.Taps columns, int[] columnStart, int[] rgb, int offset) {
        for (int x = 0; x < columnStart.length; x++) {
            rgb[offset + x] = YccConverter.grey(level(tap(sum, columnStart[x], columns.weights,
                    x * columns.stride, columns.count[x])));
        }
    }

    /** One grey output sample: {@code n} samples from {@code s}, weighted from {@code weights[wi]}. */
    private static float tap(float[] sum, int s, float[] weights, int wi, int n) {
        float v = 0;
        for (int j = 0; j < n; j++) {
            v += sum[s + j] * weights[wi + j];
        }
        return v;
    }

    /**
     * A value in levels as 1/256 levels, rounded half up: the int {@link Math#round(float)} gives for every value
     * from -128 levels up (below, which only a kernel's overshoot could reach, at most 1/256 of a level above it).
     * Not Math.round itself: C1, which compiles a short batch's code, calls it rather than inlining it.
     */
    static int level(float v) {
        // Exact in double: a float times 256 plus a half. Shifted up, the cast's truncation is the floor.
        return (int) (v * 256.0 + (ROUNDING_SHIFT + 0.5)) - ROUNDING_SHIFT;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
