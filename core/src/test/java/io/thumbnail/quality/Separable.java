package io.thumbnail.quality;

import java.awt.image.BufferedImage;

/**
 * A separable filter in doubles: rows, then columns, each output sample a weighted sum of a run of input samples,
 * rounded and clamped only at the end. The reference downscales differ only in their weights.
 */
final class Separable {
    private Separable() {
    }

    /**
     * @param cols per output column: the first source column, then the weight of each source column from it on
     * @param rows the same for the rows
     */
    static BufferedImage apply(BufferedImage src, double[][] cols, double[][] rows) {
        int sw = src.getWidth();
        int sh = src.getHeight();
        int width = cols.length;
        int height = rows.length;
        int[] rgb = src.getRGB(0, 0, sw, sh, null, 0, sw);
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

    static void checkShrinks(BufferedImage src, int width, int height) {
        if (width > src.getWidth() || height > src.getHeight()) {
            throw new IllegalArgumentException("the reference only shrinks: " + src.getWidth() + "x" + src.getHeight()
                    + " to " + width + "x" + height);
        }
    }

    private static int channel(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}
