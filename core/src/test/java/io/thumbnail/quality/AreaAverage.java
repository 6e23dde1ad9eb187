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
        int sw = src.getWidth();
        int sh = src.getHeight();
        if (width > sw || height > sh) {
            throw new IllegalArgumentException("the reference only shrinks: " + sw + "x" + sh + " to " + width + "x" + height);
        }
        int[] rgb = src.getRGB(0, 0, sw, sh, null, 0, sw);
        double[][] cols = weights(sw, width);
        double[][] rows = weights(sh, height);
        // Horizontal pass into doubles, three channels interleaved.
        double[] wide = new double[width * sh * 3];
        for (int y = 0; y < sh; y++) {
            for (int x = 0; x < width; x++) {
                double[] w = cols[x];
                int first = (int) w[0];
                double r = 0;
                double g = 0;
                double b = 0;
                for (int j = 1; j < w.length; j++) {
                    int px = rgb[y * sw + first + j - 1];
                    r += ((px >> 16) & 0xFF) * w[j];
                    g += ((px >> 8) & 0xFF) * w[j];
                    b += (px & 0xFF) * w[j];
                }
                int o = (y * width + x) * 3;
                wide[o] = r;
                wide[o + 1] = g;
                wide[o + 2] = b;
            }
        }
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            double[] w = rows[y];
            int first = (int) w[0];
            for (int x = 0; x < width; x++) {
                double r = 0;
                double g = 0;
                double b = 0;
                for (int j = 1; j < w.length; j++) {
                    int i = ((first + j - 1) * width + x) * 3;
                    r += wide[i] * w[j];
                    g += wide[i + 1] * w[j];
                    b += wide[i + 2] * w[j];
                }
                out.setRGB(x, y, channel(r) << 16 | channel(g) << 8 | channel(b));
            }
        }
        return out;
    }

    private static int channel(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
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
