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
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                // (sx, sy): the stored pixel that shows at upright (x, y).
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> { sx = w - 1 - x; sy = y; }           // mirrored left to right
                    case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }   // turned 180 degrees
                    case 4 -> { sx = x; sy = h - 1 - y; }           // mirrored top to bottom
                    case 5 -> { sx = y; sy = x; }                   // mirrored along the main diagonal
                    case 6 -> { sx = y; sy = h - 1 - x; }           // needs 90 degrees clockwise
                    case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }   // mirrored along the anti-diagonal
                    default -> { sx = w - 1 - y; sy = x; }          // 8: needs 90 degrees counter-clockwise
                }
                to[y * ow + x] = from[sy * w + sx];
            }
        }
        return out;
    }

    private static int[] pixels(BufferedImage src) {
        if (src.getType() == BufferedImage.TYPE_INT_RGB || src.getType() == BufferedImage.TYPE_INT_ARGB) {
            return ((DataBufferInt) src.getRaster().getDataBuffer()).getData();
        }
        return src.getRGB(0, 0, src.getWidth(), src.getHeight(), null, 0, src.getWidth());
    }
}
