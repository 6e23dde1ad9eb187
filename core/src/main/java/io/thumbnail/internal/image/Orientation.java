package io.thumbnail.internal.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/**
 * Applies an EXIF orientation (1-8) to pixels so the result is upright. Pixels are moved, not resampled:
 * every output pixel is exactly one stored pixel.
 */
public final class Orientation {
    private Orientation() {
    }

    /**
     * @param src a {@code TYPE_INT_RGB} or {@code TYPE_INT_ARGB} image as stored, which is returned as it is
     *            for orientation 1 or an undefined value
     */
    public static BufferedImage apply(BufferedImage src, int orientation) {
        if (orientation <= 1 || orientation > 8) {
            return src;
        }
        int w = src.getWidth();
        int h = src.getHeight();
        boolean transposed = orientation >= 5;
        int ow = transposed ? h : w;
        int oh = transposed ? w : h;
        BufferedImage out = new BufferedImage(ow, oh, src.getColorModel().hasAlpha()
                ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        int[] from = pixels(src);
        int[] to = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        // The stored pixel that shows at upright (0, 0), and how its index moves one pixel right and one row down.
        int origin;
        int right;
        int down;
        switch (orientation) {
            case 2 -> { origin = w - 1; right = -1; down = w; }                  // mirrored left to right
            case 3 -> { origin = h * w - 1; right = -1; down = -w; }             // turned 180 degrees
            case 4 -> { origin = (h - 1) * w; right = 1; down = -w; }            // mirrored top to bottom
            case 5 -> { origin = 0; right = w; down = 1; }                       // mirrored along the main diagonal
            case 6 -> { origin = (h - 1) * w; right = -w; down = 1; }            // needs 90 degrees clockwise
            case 7 -> { origin = h * w - 1; right = -w; down = -1; }             // mirrored along the anti-diagonal
            default -> { origin = w - 1; right = w; down = -1; }                 // 8: needs 90 degrees counter-clockwise
        }
        for (int y = 0; y < oh; y++) {
            row(from, origin + y * down, right, to, y * ow, ow);
        }
        return out;
    }

    /** One upright row: {@code n} stored pixels from {@code start}, {@code step} apart. */
    private static void row(int[] from, int start, int step, int[] to, int offset, int n) {
        for (int x = 0, i = start; x < n; x++, i += step) {
            to[offset + x] = from[i];
        }
    }

    private static int[] pixels(BufferedImage src) {
        if (src.getType() == BufferedImage.TYPE_INT_RGB || src.getType() == BufferedImage.TYPE_INT_ARGB) {
            return ((DataBufferInt) src.getRaster().getDataBuffer()).getData();
        }
        return src.getRGB(0, 0, src.getWidth(), src.getHeight(), null, 0, src.getWidth());
    }
}
