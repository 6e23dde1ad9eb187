package io.thumbnail.internal.image;

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
 * conversions. Where the raster is more than {@link Resizer#GAP} times the output size, whole blocks of it are
 * averaged first as each row is read (the box stage of {@link Resizer}).
 *
 * <p>Vertical first, one output row at a time: each output row is a weighted sum of whole input rows, a loop over
 * floats that the JIT vectorises (from bytes it does not), and only that row's samples then go through the
 * horizontal taps. Input rows are turned into floats once, into a ring as deep as the vertical kernel. Every loop
 * sits in a small method called once per row, so the JIT compiles each as a whole after a few images instead of
 * replacing a long-running loop on its stack, which costs a compilation per loop head.
 */
final class YccKernelScaler {
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
    /** One past the last box-stage row made so far. */
    private int made;

    private YccKernelScaler(Raster raster, int channels, int kx, int ky) {
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
    }

    /**
     * @param raster pixel-interleaved bytes, {@code components} bands in order (as libjpeg delivers them)
     */
    static BufferedImage scale(Raster raster, int outW, int outH, int components) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        if (outW < 1 || outH < 1 || outW > w || outH > h) {
            throw new IllegalArgumentException("kernel scaling only shrinks: " + w + "x" + h + " to " + outW + "x" + outH);
        }
        int channels = components == 3 ? 3 : 1;
        if (!YccAreaScaler.isInterleaved((ComponentSampleModel) raster.getSampleModel(), channels)
                || !(raster.getDataBuffer() instanceof DataBufferByte)) {
            throw new IllegalArgumentException("not a pixel-interleaved byte raster of " + channels + " bands");
        }
        int kx = Math.max(1, w / (Resizer.GAP * outW));
        int ky = Math.max(1, h / (Resizer.GAP * outH));
        Lanczos3.Taps columns = Lanczos3.taps(ceilDiv(w, kx), outW, 0, w / (double) kx);
        Lanczos3.Taps rows = Lanczos3.taps(ceilDiv(h, ky), outH, 0, h / (double) ky);
        return new YccKernelScaler(raster, channels, kx, ky).run(columns, rows);
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
            for (int j = 0; j < n; j++) {
                add(sum, slots[(first + j) % slots.length], rows.weights[wi + j]);
            }
            if (channels == 3) {
                emitYcc(sum, columns, columnStart, rgb, y * outW);
            } else {
                emitGrey(sum, columns, columnStart, rgb, y * outW);
            }
        }
        return out;
    }

    /** Box-stage row {@code r} as floats: the mean of its block of input rows and columns. */
    private void makeRow(float[] row, int r) {
        int y0 = r * ky;
        int y1 = Math.min(h, y0 + ky);
        if (kx == 1 && ky == 1) {
            toFloats(data, offset + y0 * scanline, row, rowLength);
            return;
        }
        Arrays.fill(sums, 0);
        for (int y = y0; y < y1; y++) {
            if (kx == 1) {
                addRow(data, offset + y * scanline, sums, rowLength);
            } else if (channels == 3) {
                addBlocks3(data, offset + y * scanline, sums, w, kx);
            } else {
                addBlocks1(data, offset + y * scanline, sums, w, kx);
            }
        }
        int rows = y1 - y0;
        int whole = w / kx;
        float scale = 1f / (kx * rows);
        for (int i = 0; i < whole * channels; i++) {
            row[i] = sums[i] * scale;
        }
        if (whole * channels < rowLength) {
            // The last block is narrower.
            float last = 1f / ((w - whole * kx) * rows);
            for (int i = whole * channels; i < rowLength; i++) {
                row[i] = sums[i] * last;
            }
        }
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

    private static void add(float[] sum, float[] row, float weight) {
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

    /** A value in levels as 1/256 levels, rounded; overshoot beyond 0..255 is left to the conversion's clamp. */
    private static int level(float v) {
        return Math.round(v * 256);
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
