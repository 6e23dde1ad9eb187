package io.thumbnail.quality;

import java.awt.image.BufferedImage;

/**
 * The sharp reference downscale: a Lanczos3 filter (sinc windowed by a three times wider sinc) stretched over the
 * whole scale factor and applied to every source pixel, in doubles, rounded and clamped only at the end; what
 * ImageMagick's {@code -filter Lanczos -resize WxH!} computes. At the image's edges the kernel is cut and its
 * remaining weights scaled up to sum to 1, as ImageMagick does. Slow (about 18 multiply-adds per source pixel,
 * whatever the factor) and free of any shortcut, which is why thumbnails are scored against it. Alpha is ignored.
 */
public final class LanczosReference {
    private static final int RADIUS = 3;

    private LanczosReference() {
    }

    /** Shrinks {@code src} to {@code width} x {@code height}; both must be at most the source size. */
    public static BufferedImage downscale(BufferedImage src, int width, int height) {
        Separable.checkShrinks(src, width, height);
        return Separable.apply(src, weights(src.getWidth(), width), weights(src.getHeight(), height));
    }

    /** The Lanczos3 kernel at {@code x} (in units of the stretched kernel). */
    public static double kernel(double x) {
        if (x == 0) {
            return 1;
        }
        if (Math.abs(x) >= RADIUS) {
            return 0;
        }
        double px = Math.PI * x;
        return RADIUS * Math.sin(px) * Math.sin(px / RADIUS) / (px * px);
    }

    /** Per output index: the first source index, then the weight of each source index from it on (summing to 1). */
    private static double[][] weights(int in, int out) {
        double scale = in / (double) out;
        double stretch = Math.max(1, scale);
        double support = RADIUS * stretch;
        double[][] result = new double[out][];
        for (int i = 0; i < out; i++) {
            double centre = (i + 0.5) * scale;
            int first = Math.max(0, (int) Math.floor(centre - support));
            int last = Math.min(in - 1, (int) Math.ceil(centre + support));
            double[] w = new double[last - first + 2];
            w[0] = first;
            double sum = 0;
            for (int s = first; s <= last; s++) {
                double v = kernel((s + 0.5 - centre) / stretch);
                w[s - first + 1] = v;
                sum += v;
            }
            for (int j = 1; j < w.length; j++) {
                w[j] /= sum;
            }
            result[i] = w;
        }
        return result;
    }
}
