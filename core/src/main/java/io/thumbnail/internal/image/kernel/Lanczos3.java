package io.thumbnail.internal.image.kernel;

/**
 * The resampling kernel of every resize: Lanczos3, a sinc windowed by a sinc three times as wide, stretched by the
 * scale factor when shrinking so that it cuts off at the output's Nyquist frequency (as libvips and ImageMagick
 * use it). Against an exact area average (a box one output pixel wide) it keeps the detail the output can show
 * (a pattern of four output pixels a cycle at full contrast, where the box keeps 90 % of it) and removes what the
 * output cannot show (under 1 % of any pattern from 1.5 times the Nyquist frequency on, where the box lets up to
 * 30 % through as moire). The price is a ring beside hard edges: about 7 % of a step on either side.
 *
 * <p>Weights are normalised over the input pixels that exist: at the image's edges the kernel is cut and its
 * remaining weights scaled up, as ImageMagick does.
 */
public final class Lanczos3 {
    /** The kernel's radius in input pixels when not stretched (enlarging or keeping the size). */
    public static final int RADIUS = 3;
    /**
     * Where a source is more than this many times the output size, a box stage averages it down before the kernel
     * runs, leaving the kernel at least this multiple of the output size: both resizers (the RGB one and the JPEG
     * decoder's YCbCr one) use it, so they make the same pixels.
     */
    public static final int GAP = 6;

    private Lanczos3() {
    }

    /** The kernel at {@code x} input pixels (already divided by the stretch) from the output pixel's centre. */
    public static double weight(double x) {
        if (x == 0) {
            return 1;
        }
        if (x <= -RADIUS || x >= RADIUS) {
            return 0;
        }
        double px = Math.PI * x;
        return RADIUS * Math.sin(px) * Math.sin(px / RADIUS) / (px * px);
    }

    /**
     * The taps that resample input pixels {@code [offset, offset + length)} (fractions allowed) of a line of
     * {@code inSize} pixels to {@code outSize} pixels.
     */
    public static Taps taps(int inSize, int outSize, double offset, double length) {
        return taps(inSize, outSize, offset, length, 1);
    }

    /**
     * As {@link #taps(int, int, double, double)} for a line whose last pixel covers only {@code lastCoverage} (more
     * than 0, at most 1) of a pixel from its start, as an image's edge cuts short the last cell of a reduced raster:
     * that pixel weighs the part it covers, taken at its middle, so it stands for no more of the line than it holds.
     */
    public static Taps taps(int inSize, int outSize, double offset, double length, double lastCoverage) {
        if (!(lastCoverage > 0 && lastCoverage <= 1)) {
            throw new IllegalArgumentException("last pixel's coverage " + lastCoverage + " is not in (0, 1]");
        }
        double scale = length / outSize;
        double stretch = Math.max(1, scale);
        double radius = RADIUS * stretch;
        int stride = (int) Math.ceil(2 * radius) + 2;
        int[] start = new int[outSize];
        int[] count = new int[outSize];
        float[] weights = new float[outSize * stride];
        double[] w = new double[stride];
        for (int i = 0; i < outSize; i++) {
            // Input pixel j has its centre at j + 0.5.
            double centre = offset + (i + 0.5) * scale;
            int first = Math.max(0, (int) Math.floor(centre - radius));
            int end = Math.min(inSize, (int) Math.ceil(centre + radius) + 1);
            int n = 0;
            double sum = 0;
            for (int j = first; j < end && n < stride; j++) {
                double v = j == inSize - 1 && lastCoverage < 1
                        ? lastCoverage * weight((j + lastCoverage / 2 - centre) / stretch)
                        : weight((j + 0.5 - centre) / stretch);
                if (n == 0 && v == 0) {
                    first++;
                    continue;
                }
                w[n++] = v;
                sum += v;
            }
            while (n > 0 && w[n - 1] == 0) {
                n--;
            }
            if (n == 0 || sum <= 0) {
                // Degenerate window (a crop edge at the image edge): take the nearest pixel.
                first = Math.max(0, Math.min(inSize - 1, (int) Math.floor(centre)));
                n = 1;
                w[0] = sum = 1;
            }
            start[i] = first;
            count[i] = n;
            for (int j = 0; j < n; j++) {
                weights[i * stride + j] = (float) (w[j] / sum);
            }
        }
        return new Taps(start, count, weights, stride);
    }

    /**
     * For each output pixel {@code i}: input pixels {@code start[i] .. start[i] + count[i] - 1}, weighted by
     * {@code weights[i * stride + j]} (summing to 1).
     */
    public static final class Taps {
        public final int[] start;
        public final int[] count;
        public final float[] weights;
        public final int stride;

        private Taps(int[] start, int[] count, float[] weights, int stride) {
            this.start = start;
            this.count = count;
            this.weights = weights;
            this.stride = stride;
        }

        public int size() {
            return start.length;
        }

        /** The first input pixel any output pixel reads. */
        public int first() {
            int min = Integer.MAX_VALUE;
            for (int s : start) {
                min = Math.min(min, s);
            }
            return min;
        }

        /** One past the last input pixel any output pixel reads. */
        public int end() {
            int max = 0;
            for (int i = 0; i < start.length; i++) {
                max = Math.max(max, start[i] + count[i]);
            }
            return max;
        }

        /**
         * The weights in fixed point with {@code bits} fraction bits, each output pixel's still summing to exactly
         * {@code 1 << bits}: rounding must not change the sum, or flat areas would come out a shade lighter or
         * darker.
         */
        public int[] fixed(int bits) {
            int one = 1 << bits;
            int[] q = new int[weights.length];
            for (int i = 0; i < start.length; i++) {
                int base = i * stride;
                int total = 0;
                int biggest = base;
                for (int j = base; j < base + count[i]; j++) {
                    q[j] = Math.round(weights[j] * one);
                    total += q[j];
                    if (q[j] > q[biggest]) {
                        biggest = j;
                    }
                }
                q[biggest] += one - total;
            }
            return q;
        }
    }
}
