package io.thumbnail.internal.image.jpeg;

import java.awt.image.BufferedImage;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.Raster;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Scales a raw JPEG raster (one grey band, or YCbCr as libjpeg decodes it) to any smaller size by the exact area
 * average, fractional edge pixels weighted by the fraction covered, and converts only the result to RGB.
 *
 * <p>The box stage of a cropped thumbnail: it brings the decoded raster down to a few times the size the crop
 * needs, and the {@link io.thumbnail.internal.image.Resizer Resizer} then cuts the crop and filters it to the final
 * size with its kernel. Converting every decoded pixel to RGB and filtering the full size would cost several times
 * as much: averaging is linear and so is the JFIF conversion, so averaging the raw samples first gives the same
 * pixels.
 *
 * <p>Integer sums throughout. In units of 1/{@code outW} input pixel, input pixel {@code x} spans
 * {@code [x*outW, (x+1)*outW)} and output pixel {@code o} spans {@code [o*w, (o+1)*w)}: every weight is an
 * integer and each output pixel's weights add up to {@code w} (and {@code h} down the columns). A raster whose last
 * column or row covers only part of a cell ({@link Coverage}) is measured in source pixels instead: input pixel
 * {@code x} spans {@code [x*step*outW, min((x+1)*step, sourceWidth)*outW)} and output pixel {@code o} spans
 * {@code [o*sourceWidth, (o+1)*sourceWidth)}, so the last column weighs what it covers (a whole raster gives the
 * same weights as before, divided by {@code step}).
 */
final class YccAreaScaler {
    private YccAreaScaler() {
    }

    /**
     * @param raster pixel-interleaved bytes, {@code components} bands in order (as libjpeg delivers them), all its
     *               pixels whole
     */
    static BufferedImage scale(Raster raster, int outW, int outH, int components) {
        return scale(raster, Coverage.whole(raster.getWidth(), raster.getHeight()), outW, outH, components);
    }

    /**
     * @param raster   pixel-interleaved bytes, {@code components} bands in order (as libjpeg delivers them)
     * @param coverage where the raster's pixels lie on the source; the output may be at most its whole cells a side
     */
    static BufferedImage scale(Raster raster, Coverage coverage, int outW, int outH, int components) {
        ComponentSampleModel model = (ComponentSampleModel) raster.getSampleModel();
        DataBufferByte buffer = (DataBufferByte) raster.getDataBuffer();
        int w = raster.getWidth();
        int h = raster.getHeight();
        coverage.check(raster);
        // Per axis, a whole pixel's length and the source's in the smallest common unit: 1 and the raster's size
        // when every pixel is whole.
        int unitX = coverage.step() / gcd(coverage.step(), coverage.sourceWidth());
        int spanX = coverage.sourceWidth() / gcd(coverage.step(), coverage.sourceWidth());
        int unitY = coverage.step() / gcd(coverage.step(), coverage.sourceHeight());
        int spanY = coverage.sourceHeight() / gcd(coverage.step(), coverage.sourceHeight());
        if (outW < 1 || outH < 1 || (long) outW * unitX > spanX || (long) outH * unitY > spanY) {
            throw new IllegalArgumentException("area scaling only shrinks: " + w + "x" + h + " to " + outW + "x" + outH);
        }
        int channels = components == 3 ? 3 : 1;
        if (!isInterleaved(model, channels)) {
            throw new IllegalArgumentException("not a pixel-interleaved raster of " + channels + " bands");
        }
        byte[] data = buffer.getData();
        int rowLength = w * channels;
        // Vertical first, over whole rows (a loop the JIT vectorises). Input row y spans [y*unitY*outH,
        // (y+1)*unitY*outH), the last one only up to spanY*outH, and output row o spans [o*spanY, (o+1)*spanY):
        // a row is shared by at most two output rows, so two accumulators suffice and every input row is read
        // once. Sums stay below 255 * spanY: ints hold them.
        int[] current = new int[rowLength];
        int[] next = new int[rowLength];
        int rowWeight = unitY * outH;
        long end = (long) spanY * outH;
        WholeRows whole = new WholeRows(rowLength);
        Columns columns = new Columns(w, unitX, spanX, outW, channels);
        BufferedImage out = new BufferedImage(outW, outH, BufferedImage.TYPE_INT_RGB);
        int[] rgb = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        int oy = 0;
        for (int y = 0; y < h && oy < outH; y++) {
            int start = buffer.getOffset() + y * model.getScanlineStride();
            long lo = (long) y * rowWeight;
            long hi = Math.min(end, lo + rowWeight);
            long boundary = (long) (oy + 1) * spanY;
            int inCurrent = (int) (Math.min(hi, boundary) - lo);
            int inNext = (int) (hi - lo) - inCurrent;
            if (inCurrent == rowWeight) {
                // Most rows lie within one output row (weight rowWeight): summed eight samples at a time.
                whole.add(data, start, current, rowWeight);
            } else {
                for (int i = 0; i < rowLength; i++) {
                    current[i] += (data[start + i] & 0xFF) * inCurrent;
                }
                if (inNext > 0) {
                    for (int i = 0; i < rowLength; i++) {
                        next[i] += (data[start + i] & 0xFF) * inNext;
                    }
                }
            }
            if (hi >= boundary) {
                whole.flush(current, rowWeight);
                columns.emit(current, rgb, oy * outW, 256.0 / ((double) spanX * spanY));
                int[] done = current;
                current = next;
                next = done;
                Arrays.fill(next, 0);
                oy++;
            }
        }
        return out;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /**
     * Unweighted sums of whole rows, eight samples to a long in four 16-bit lanes each (even and odd bytes
     * apart): two additions per eight samples where the plain loop, which the JIT does not vectorise from bytes
     * to ints, made eight. On an 8 MP photo at 400 px that loop was a third of the thumbnail's CPU.
     */
    private static final class WholeRows {
        private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
                ByteOrder.LITTLE_ENDIAN);
        private static final long LOW_BYTES = 0x00FF00FF00FF00FFL;
        /** 257 rows of 255 still fit a 16-bit lane. */
        private static final int MAX_ROWS = 257;
        private final int groups;
        private final int length;
        private final long[] even;
        private final long[] odd;
        private int rows;

        WholeRows(int length) {
            this.length = length;
            this.groups = length / 8;
            this.even = new long[groups];
            this.odd = new long[groups];
        }

        /** Adds a row; samples past the last whole group of eight go straight into {@code sums}. */
        void add(byte[] data, int start, int[] sums, int weight) {
            if (rows == MAX_ROWS) {
                flush(sums, weight);
            }
            for (int g = 0; g < groups; g++) {
                long v = (long) LONGS.get(data, start + g * 8);
                even[g] += v & LOW_BYTES;
                odd[g] += (v >>> 8) & LOW_BYTES;
            }
            for (int i = groups * 8; i < length; i++) {
                sums[i] += (data[start + i] & 0xFF) * weight;
            }
            rows++;
        }

        /** Adds the rows summed so far, each of weight {@code weight}, to {@code sums}, and starts afresh. */
        void flush(int[] sums, int weight) {
            if (rows == 0) {
                return;
            }
            for (int g = 0; g < groups; g++) {
                long e = even[g];
                long o = odd[g];
                int i = g * 8;
                for (int lane = 0; lane < 4; lane++) {
                    sums[i + 2 * lane] += (int) (e >>> (16 * lane) & 0xFFFF) * weight;
                    sums[i + 2 * lane + 1] += (int) (o >>> (16 * lane) & 0xFFFF) * weight;
                }
            }
            Arrays.fill(even, 0);
            Arrays.fill(odd, 0);
            rows = 0;
        }
    }

    /** Whether the raster is what {@link #scale} reads: {@code channels} bands interleaved in order. */
    static boolean isInterleaved(ComponentSampleModel model, int channels) {
        int[] bands = model.getBandOffsets();
        if (model.getPixelStride() != channels || bands.length != channels) {
            return false;
        }
        for (int b = 0; b < channels; b++) {
            if (bands[b] != b) {
                return false;
            }
        }
        return true;
    }

    /** A weighted sum as a mean in 1/256 levels, rounded; {@code scale} is 256 over the total weight. */
    private static int mean(long sum, double scale) {
        // A multiplication, not a division: three divisions per pixel took a third of the time.
        return (int) (sum * scale + 0.5);
    }

    /**
     * The horizontal step: for each output column, the first and last input column it overlaps and their
     * partial weights (the whole input columns in between weigh {@code unit * outW} each).
     */
    private static final class Columns {
        private final int[] first;
        private final int[] last;
        private final int[] firstWeight;
        private final int[] lastWeight;
        private final int outW;
        /** The weight of a whole input column. */
        private final int wholeWeight;
        private final int channels;
        /** {@code prefix[x * channels + c]}: the sum of band c over columns 0 .. x-1 of the current row. */
        private final long[] prefix;

        /** In the units of {@link #scale}: input column x spans {@code [x*unit*outW, ...)}, the line {@code span}. */
        Columns(int w, int unit, int span, int outW, int channels) {
            prefix = new long[(w + 1) * channels];
            this.outW = outW;
            this.wholeWeight = unit * outW;
            this.channels = channels;
            first = new int[outW];
            last = new int[outW];
            firstWeight = new int[outW];
            lastWeight = new int[outW];
            for (int o = 0; o < outW; o++) {
                long lo = (long) o * span;
                long hi = lo + span;
                int x0 = (int) (lo / wholeWeight);
                int x1 = (int) ((hi - 1) / wholeWeight);
                first[o] = x0;
                last[o] = x1;
                // The last input column may be short; it only ever ends the last output's span, so its weight is
                // one of these two.
                firstWeight[o] = x0 == x1 ? span : (int) ((x0 + 1L) * wholeWeight - lo);
                lastWeight[o] = x0 == x1 ? 0 : (int) (hi - (long) x1 * wholeWeight);
            }
        }

        /** Area-weights one row of vertical sums into {@code outW} pixels and converts them to RGB. */
        void emit(int[] sums, int[] rgb, int offset, double scale) {
            // Running sums along the row turn each output's run of whole input columns into one subtraction:
            // no inner loop, whose few, varying iterations cost more than the additions.
            int n = sums.length;
            for (int i = 0; i < n; i++) {
                prefix[i + channels] = prefix[i] + sums[i];
            }
            long wWhole = wholeWeight;
            for (int o = 0; o < outW; o++) {
                int p = first[o] * channels;
                int end = last[o] * channels;
                long wFirst = firstWeight[o];
                long wLast = lastWeight[o];
                // Whole columns: first+1 .. last-1 (none when the output lies within one input column).
                int inner = p == end ? p + channels : end;
                if (channels == 3) {
                    long y = sums[p] * wFirst + (prefix[inner] - prefix[p + 3]) * wWhole + sums[end] * wLast;
                    long cb = sums[p + 1] * wFirst + (prefix[inner + 1] - prefix[p + 4]) * wWhole + sums[end + 1] * wLast;
                    long cr = sums[p + 2] * wFirst + (prefix[inner + 2] - prefix[p + 5]) * wWhole + sums[end + 2] * wLast;
                    rgb[offset + o] = YccConverter.toRgb(mean(y, scale), mean(cb, scale), mean(cr, scale));
                } else {
                    long y = sums[p] * wFirst + (prefix[inner] - prefix[p + 1]) * wWhole + sums[end] * wLast;
                    rgb[offset + o] = YccConverter.grey(mean(y, scale));
                }
            }
        }
    }
}
