package io.thumbnail.internal.image.jpeg;

import io.thumbnail.internal.image.kernel.Lanczos3;

import java.awt.image.BufferedImage;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.Raster;

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
 *
 * <p>4:2:0 chroma, which the DCT reader repeats over 2 x 2 pixels, is filtered at its own half resolution, a plane of
 * its own ({@link KernelPlane}) read from one pixel of each 2 x 2: a third of the work of filtering it at luma's, and
 * the kernel's taps fall on the samples themselves rather than on their repeats.
 */
final class YccKernelScaler {
    /** Added before a cast that truncates, so that every level from -128 up is positive there: the cast floors. */
    private static final int ROUNDING_SHIFT = 128 * 256;

    private YccKernelScaler() {
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
        return scale(raster, coverage, outW, outH, components, false);
    }

    /**
     * @param raster       pixel-interleaved bytes, {@code components} bands in order (as libjpeg delivers them)
     * @param coverage     where the raster's pixels lie on the source
     * @param chromaHalved whether the raster's chroma bands hold 4:2:0 samples, each repeated over the 2 x 2 pixels
     *                     from an even column and row ({@link ReducedImage}), to be filtered at their own resolution
     */
    static BufferedImage scale(Raster raster, Coverage coverage, int outW, int outH, int components,
                               boolean chromaHalved) {
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
        DataBufferByte buffer = (DataBufferByte) raster.getDataBuffer();
        byte[] data = buffer.getData();
        int offset = buffer.getOffset();
        int scanline = ((ComponentSampleModel) raster.getSampleModel()).getScanlineStride();
        // Chroma at its own resolution only where it has at least the output's samples, so its taps still shrink.
        Coverage chroma = new Coverage(coverage.step() * 2, coverage.sourceWidth(), coverage.sourceHeight());
        if (channels == 3 && chromaHalved && chroma.width() >= outW && chroma.height() >= outH) {
            return planes(new KernelPlane(data, offset, 3, scanline, w, h, 1, coverage, outW, outH),
                    new KernelPlane(data, offset + 1, 6, 2 * scanline, chroma.width(), chroma.height(), 1, chroma,
                            outW, outH),
                    new KernelPlane(data, offset + 2, 6, 2 * scanline, chroma.width(), chroma.height(), 1, chroma,
                            outW, outH),
                    outW, outH);
        }
        return interleaved(new KernelPlane(data, offset, channels, scanline, w, h, channels, coverage, outW, outH),
                outW, outH);
    }

    /** All bands in one plane: three (YCbCr) in one pass over each row's taps, or grey. */
    private static BufferedImage interleaved(KernelPlane plane, int outW, int outH) {
        Lanczos3.Taps columns = plane.columnTaps(outW);
        Lanczos3.Taps rows = plane.rowTaps(outH);
        BufferedImage out = new BufferedImage(outW, outH, BufferedImage.TYPE_INT_RGB);
        int[] rgb = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        int[] columnStart = plane.columnStarts(columns);
        for (int y = 0; y < outH; y++) {
            float[] sum = plane.vertical(rows, y);
            if (plane.channels() == 3) {
                emitYcc(sum, columns, columnStart, rgb, y * outW);
            } else {
                emitGrey(sum, columns, columnStart, rgb, y * outW);
            }
        }
        return out;
    }

    /** Luma and the two chroma planes, each with taps of its own, to one RGB image. */
    private static BufferedImage planes(KernelPlane luma, KernelPlane cb, KernelPlane cr, int outW, int outH) {
        Lanczos3.Taps lumaColumns = luma.columnTaps(outW);
        Lanczos3.Taps lumaRows = luma.rowTaps(outH);
        Lanczos3.Taps chromaColumns = cb.columnTaps(outW);
        Lanczos3.Taps chromaRows = cb.rowTaps(outH);
        int[] lumaStart = luma.columnStarts(lumaColumns);
        int[] chromaStart = cb.columnStarts(chromaColumns);
        BufferedImage out = new BufferedImage(outW, outH, BufferedImage.TYPE_INT_RGB);
        int[] rgb = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        float[] ys = new float[outW];
        float[] cbs = new float[outW];
        float[] crs = new float[outW];
        for (int y = 0; y < outH; y++) {
            emitPlane(luma.vertical(lumaRows, y), lumaColumns, lumaStart, ys);
            emitPlane(cb.vertical(chromaRows, y), chromaColumns, chromaStart, cbs);
            emitPlane(cr.vertical(chromaRows, y), chromaColumns, chromaStart, crs);
            int at = y * outW;
            for (int x = 0; x < outW; x++) {
                rgb[at + x] = YccConverter.toRgb(level(ys[x]), level(cbs[x]), level(crs[x]));
            }
        }
        return out;
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

    /** A plane's output row, in levels: its horizontal taps over the vertical sum. */
    private static void emitPlane(float[] sum, Lanczos3.Taps columns, int[] columnStart, float[] out) {
        for (int x = 0; x < out.length; x++) {
            out[x] = tap(sum, columnStart[x], columns.weights, x * columns.stride, columns.count[x]);
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
}
