package io.thumbnail.internal.image.jpeg;

import io.thumbnail.internal.image.kernel.Lanczos3;

import java.util.Arrays;

/**
 * One plane of {@link YccKernelScaler}'s input and its vertical pass: the raster's interleaved bands together, or one
 * band read on its own (a chroma band at its half resolution), made into box-stage rows of floats as the output rows
 * need them, then summed with the vertical taps of each output row. The horizontal taps are the scaler's.
 */
final class KernelPlane {
    private final byte[] data;
    private final int offset;
    private final int scanline;
    /** Bytes from one pixel to the next: the channels, or more for a plane read from an interleaved raster. */
    private final int pixelStride;
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
    /** The plane's width and height in whole pixels, its last column and row counted for the part they cover. */
    private final double extentX;
    private final double extentY;
    /** Bytes from one sample of a row to the next: 1 in an interleaved raster's rows, the pixel stride in a plane's. */
    private final int sampleStep;
    /** The box sums of the raster's last row when it is partial, kept apart to be weighted by {@link #lastRow}. */
    private final int[] lastRowSums;
    /** One past the last box-stage row made so far. */
    private int made;
    /** The box-stage rows the vertical taps read, a ring as deep as the most taps of an output row. */
    private float[][] slots;
    /** The vertical taps' sum for the output row being made. */
    private float[] sum;

    /**
     * A plane of {@code w x h} pixels of {@code channels} interleaved bytes each, from {@code offset}, a pixel every
     * {@code pixelStride} bytes and a row every {@code scanline}, its pixels lying on the source as {@code coverage}
     * says; where it is more than {@link Lanczos3#GAP} times an output of {@code outW x outH}, whole blocks of it are
     * averaged first.
     */
    KernelPlane(byte[] data, int offset, int pixelStride, int scanline, int w, int h, int channels, Coverage coverage,
                int outW, int outH) {
        this.data = data;
        this.offset = offset;
        this.pixelStride = pixelStride;
        this.scanline = scanline;
        this.w = w;
        this.h = h;
        this.channels = channels;
        this.kx = Math.max(1, (int) (coverage.extentX() / (Lanczos3.GAP * outW)));
        this.ky = Math.max(1, (int) (coverage.extentY() / (Lanczos3.GAP * outH)));
        this.rowLength = ceilDiv(w, kx) * channels;
        this.sums = kx > 1 || ky > 1 ? new int[rowLength] : null;
        this.lastColumn = (float) coverage.lastColumn();
        this.lastRow = (float) coverage.lastRow();
        this.extentX = coverage.extentX();
        this.extentY = coverage.extentY();
        this.lastRowSums = ky > 1 && lastRow < 1 ? new int[rowLength] : null;
        if (channels != 1 && pixelStride != channels) {
            throw new IllegalArgumentException("interleaved bands must be adjacent: " + channels + " bands, a pixel every "
                    + pixelStride + " bytes");
        }
        this.sampleStep = channels == 1 ? pixelStride : 1;
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

    int channels() {
        return channels;
    }

    Lanczos3.Taps columnTaps(int outW) {
        return taps(w, kx, extentX, outW);
    }

    Lanczos3.Taps rowTaps(int outH) {
        return taps(h, ky, extentY, outH);
    }

    /** Where each output column's taps start in a vertical sum: a sample index, times the channels. */
    int[] columnStarts(Lanczos3.Taps columns) {
        int[] columnStart = new int[columns.size()];
        for (int x = 0; x < columnStart.length; x++) {
            columnStart[x] = columns.start[x] * channels;
        }
        return columnStart;
    }

    /**
     * The vertical taps of output row {@code y}: its box-stage rows weighed and summed, into {@link #sum} (returned),
     * making the rows it needs that are not made yet.
     */
    float[] vertical(Lanczos3.Taps rows, int y) {
        if (slots == null) {
            slots = new float[rows.stride][rowLength];
            sum = new float[rowLength];
        }
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
        return sum;
    }

    /**
     * Box-stage row {@code r} as floats: the mean of its block of input rows and columns, the raster's last row and
     * column weighted by the part of a pixel they cover.
     */
    private void makeRow(float[] row, int r) {
        int y0 = r * ky;
        int y1 = Math.min(h, y0 + ky);
        if (kx == 1 && ky == 1) {
            toFloats(data, offset + y0 * scanline, sampleStep, row, rowLength);
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
            addRow(data, offset + y * scanline, sampleStep, into, rowLength);
        } else if (channels == 3) {
            addBlocks3(data, offset + y * scanline, into, w, kx);
        } else {
            addBlocks1(data, offset + y * scanline, sampleStep, into, w, kx);
        }
    }

    /**
     * Band c of the raster's last column over rows {@code y0 .. wholeEnd - 1}, plus its last row times
     * {@code partial}.
     */
    private float lastColumnSum(int c, int y0, int wholeEnd, float partial) {
        int at = offset + (w - 1) * pixelStride + c;
        int sum = 0;
        for (int y = y0; y < wholeEnd; y++) {
            sum += data[at + y * scanline] & 0xFF;
        }
        return sum + (partial > 0 ? partial * (data[at + (h - 1) * scanline] & 0xFF) : 0);
    }

    /** {@code n} samples from {@code start}, one every {@code step} bytes. */
    private static void toFloats(byte[] data, int start, int step, float[] row, int n) {
        for (int i = 0, p = start; i < n; i++, p += step) {
            row[i] = data[p] & 0xFF;
        }
    }

    private static void addRow(byte[] data, int start, int step, int[] sums, int n) {
        for (int i = 0, p = start; i < n; i++, p += step) {
            sums[i] += data[p] & 0xFF;
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

    private static void addBlocks1(byte[] data, int start, int step, int[] sums, int w, int kx) {
        for (int x = 0, o = 0; x < w; o++) {
            int end = Math.min(w, x + kx);
            int a = 0;
            for (int p = start + x * step; x < end; x++, p += step) {
                a += data[p] & 0xFF;
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

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
