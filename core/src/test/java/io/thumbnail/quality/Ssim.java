package io.thumbnail.quality;

import java.awt.image.BufferedImage;

/**
 * Structural similarity (Wang et al. 2004) of two images of the same size, on luma: 11x11 Gaussian windows
 * (sigma 1.5), K1 = 0.01, K2 = 0.03, the mean over every window that fits. 1 means identical.
 */
public final class Ssim {
    private static final int RADIUS = 5;
    private static final double C1 = Math.pow(0.01 * 255, 2);
    private static final double C2 = Math.pow(0.03 * 255, 2);
    private static final double[] WINDOW = gaussian();

    private Ssim() {
    }

    public static double of(BufferedImage a, BufferedImage b) {
        int w = a.getWidth();
        int h = a.getHeight();
        if (w != b.getWidth() || h != b.getHeight()) {
            throw new IllegalArgumentException("SSIM needs images of one size: " + w + "x" + h + " and "
                    + b.getWidth() + "x" + b.getHeight());
        }
        if (w < 2 * RADIUS + 1 || h < 2 * RADIUS + 1) {
            throw new IllegalArgumentException("SSIM needs at least 11x11 pixels, not " + w + "x" + h);
        }
        double[] x = luma(a);
        double[] y = luma(b);
        double[] xx = new double[x.length];
        double[] yy = new double[x.length];
        double[] xy = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            xx[i] = x[i] * x[i];
            yy[i] = y[i] * y[i];
            xy[i] = x[i] * y[i];
        }
        double[] mx = blur(x, w, h);
        double[] my = blur(y, w, h);
        double[] sxx = blur(xx, w, h);
        double[] syy = blur(yy, w, h);
        double[] sxy = blur(xy, w, h);
        double total = 0;
        for (int i = 0; i < mx.length; i++) {
            double vx = sxx[i] - mx[i] * mx[i];
            double vy = syy[i] - my[i] * my[i];
            double cov = sxy[i] - mx[i] * my[i];
            total += (2 * mx[i] * my[i] + C1) * (2 * cov + C2)
                    / ((mx[i] * mx[i] + my[i] * my[i] + C1) * (vx + vy + C2));
        }
        return total / mx.length;
    }

    private static double[] luma(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] rgb = image.getRGB(0, 0, w, h, null, 0, w);
        double[] out = new double[rgb.length];
        for (int i = 0; i < rgb.length; i++) {
            int px = rgb[i];
            out[i] = 0.299 * ((px >> 16) & 0xFF) + 0.587 * ((px >> 8) & 0xFF) + 0.114 * (px & 0xFF);
        }
        return out;
    }

    /** Gaussian-weighted means over the windows that fit entirely inside the image. */
    private static double[] blur(double[] v, int w, int h) {
        int ow = w - 2 * RADIUS;
        int oh = h - 2 * RADIUS;
        double[] rows = new double[ow * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < ow; x++) {
                double s = 0;
                for (int k = 0; k < WINDOW.length; k++) {
                    s += v[y * w + x + k] * WINDOW[k];
                }
                rows[y * ow + x] = s;
            }
        }
        double[] out = new double[ow * oh];
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                double s = 0;
                for (int k = 0; k < WINDOW.length; k++) {
                    s += rows[(y + k) * ow + x] * WINDOW[k];
                }
                out[y * ow + x] = s;
            }
        }
        return out;
    }

    private static double[] gaussian() {
        double[] g = new double[2 * RADIUS + 1];
        double sum = 0;
        for (int i = 0; i < g.length; i++) {
            g[i] = Math.exp(-Math.pow(i - RADIUS, 2) / (2 * 1.5 * 1.5));
            sum += g[i];
        }
        for (int i = 0; i < g.length; i++) {
            g[i] /= sum;
        }
        return g;
    }
}
