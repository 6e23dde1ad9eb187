package io.thumbnail.internal.image;

/**
 * What draws the eye in an image, after libvips' {@code attention} strategy, measured on a small preview:
 * <em>detail</em>, the gradient magnitude (3x3 Sobel) of CIE L*, summed per column and per row, and
 * <em>attention</em>, detail plus skin tones and strongly saturated colour, summed over a grid of {@value #GRID} x
 * {@value #GRID} cells.
 *
 * <p>Units are steps of L* scaled to 0-255: an edge between two flat areas {@code d} apart adds {@code d} of detail
 * per pixel of its length, and a pixel of skin tone or of strong colour adds {@value #SKIN} or {@value #SATURATED},
 * as libvips weighs them against its edges. Skin is libvips' range (a* 3 to 22, b* 4 to 31, L* over 15), strong
 * colour a chroma C*ab over 60. Transparent pixels count for nothing.
 */
final class AttentionMap {
    /** Cells of the attention grid along each axis, as libvips' shrink before its blur. */
    static final int GRID = 32;
    static final float SKIN = 80;
    static final float SATURATED = 80;
    /** sRGB 0-255 to linear light. */
    private static final float[] LINEAR = new float[256];
    /** CIE's f(t) for t in 0..1, in {@link #F_STEPS} steps. */
    private static final int F_STEPS = 16384;
    private static final float[] F = new float[F_STEPS + 1];

    static {
        for (int i = 0; i < 256; i++) {
            double c = i / 255.0;
            LINEAR[i] = (float) (c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4));
        }
        for (int i = 0; i <= F_STEPS; i++) {
            double t = i / (double) F_STEPS;
            F[i] = (float) (t > 216.0 / 24389 ? Math.cbrt(t) : (24389.0 / 27 * t + 16) / 116);
        }
    }

    /** Detail per column of the preview. */
    final float[] columnDetail;
    /** Detail per row of the preview. */
    final float[] rowDetail;
    /** Attention per cell, row by row: cell (x, y) covers columns {@code x * width / GRID} up to the next cell's. */
    final float[] grid = new float[GRID * GRID];

    private AttentionMap(int width, int height) {
        columnDetail = new float[width];
        rowDetail = new float[height];
    }

    /** The map of {@code preview}, an image at about the thumbnail's scale. */
    static AttentionMap of(Pixels preview) {
        int w = preview.width();
        int h = preview.height();
        AttentionMap map = new AttentionMap(w, h);
        float[] lightness = new float[w * h];
        float[] colour = new float[w * h];
        measureColour(preview, lightness, colour);
        map.addUp(lightness, colour, w, h);
        return map;
    }

    /** Fills {@code lightness} with L* (0-255) and {@code colour} with the colour score, both times opacity. */
    private static void measureColour(Pixels p, float[] lightness, float[] colour) {
        int[] argb = p.argb();
        for (int i = 0; i < argb.length; i++) {
            int px = argb[i];
            float opacity = p.alpha() ? (px >>> 24) / 255f : 1;
            float r = LINEAR[(px >> 16) & 0xFF];
            float g = LINEAR[(px >> 8) & 0xFF];
            float b = LINEAR[px & 0xFF];
            // CIE L*a*b* (D65) from linear sRGB.
            float fx = f((0.4124f * r + 0.3576f * g + 0.1805f * b) / 0.95047f);
            float fy = f(0.2126f * r + 0.7152f * g + 0.0722f * b);
            float fz = f((0.0193f * r + 0.1192f * g + 0.9505f * b) / 1.08883f);
            float lStar = 116 * fy - 16;
            float aStar = 500 * (fx - fy);
            float bStar = 200 * (fy - fz);
            float score = 0;
            if (lStar > 15 && aStar >= 3 && aStar <= 22 && bStar >= 4 && bStar <= 31) {
                score += SKIN;
            }
            if (aStar * aStar + bStar * bStar > 60 * 60) {
                score += SATURATED;
            }
            lightness[i] = lStar * 2.55f * opacity;
            colour[i] = score * opacity;
        }
    }

    private static float f(float t) {
        return F[(int) (Math.max(0, Math.min(t, 1)) * F_STEPS + 0.5f)];
    }

    /**
     * Computes the detail of every pixel, {@code |Sobel| / 8} on {@code luma} with edges replicated, and sums it per
     * column and row, and with {@code colour} per cell.
     */
    private void addUp(float[] luma, float[] colour, int w, int h) {
        int[] cellX = new int[w];
        for (int x = 0; x < w; x++) {
            cellX[x] = x * GRID / w;
        }
        for (int y = 0; y < h; y++) {
            int up = Math.max(0, y - 1) * w;
            int row = y * w;
            int down = Math.min(h - 1, y + 1) * w;
            int cellRow = y * GRID / h * GRID;
            float rowSum = 0;
            for (int x = 0; x < w; x++) {
                int l = Math.max(0, x - 1);
                int r = Math.min(w - 1, x + 1);
                float gx = luma[up + r] + 2 * luma[row + r] + luma[down + r]
                        - luma[up + l] - 2 * luma[row + l] - luma[down + l];
                float gy = luma[down + l] + 2 * luma[down + x] + luma[down + r]
                        - luma[up + l] - 2 * luma[up + x] - luma[up + r];
                float detail = (float) Math.sqrt(gx * gx + gy * gy) / 8;
                columnDetail[x] += detail;
                rowSum += detail;
                grid[cellRow + cellX[x]] += detail + colour[row + x];
            }
            rowDetail[y] = rowSum;
        }
    }
}
