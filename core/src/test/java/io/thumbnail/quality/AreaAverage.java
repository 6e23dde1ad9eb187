package io.thumbnail.quality;

import java.awt.image.BufferedImage;

/**
 * The reference downscale: each output pixel is the exact mean of the source area it covers, fractional edge
 * pixels weighted by the fraction covered. Slow (doubles, every source pixel) and as faithful as a shrink gets,
 * which is why thumbnails are scored against it. Alpha is ignored.
 */
public final class AreaAverage {
    private AreaAverage() {
    }

    /** Shrinks {@code src} to {@code width} x {@code height}; both must be at most the source size. */
    public static BufferedImage downscale(BufferedImage src, int width, int height) {
        Separable.checkShrinks(src, width, height);
        return Separable.apply(src, weights(src.getWidth(), width), weights(src.getHeight(), height));
    }

    /** Per output index: the first source index, then the weight of each source index from it on (summing to 1). */
    private static double[][] weights(int in, int out) {
        double scale = in / (double) out;
        double[][] result = new double[out][];
        for (int i = 0; i < out; i++) {
            double lo = i * scale;
            double hi = Math.min(in, (i + 1) * scale);
            int first = (int) Math.floor(lo);
            int last = Math.min(in - 1, (int) Math.ceil(hi) - 1);
            double[] w = new double[last - first + 2];
            w[0] = first;
            for (int s = first; s <= last; s++) {
                w[s - first + 1] = (Math.min(hi, s + 1) - Math.max(lo, s)) / scale;
            }
            result[i] = w;
        }
        return result;
    }
}
