package io.thumbnail;

import java.awt.image.BufferedImage;

/**
 * Images whose last column and last row differ sharply from the rest, and how far a thumbnail's own last column and
 * row are from a reference's: what shows whether a resizer weighs a partial last block by the pixels it holds.
 */
final class EdgedImages {
    static final int GREY = 0x808080;
    static final int RED = 0xFF2020;
    static final int BLUE = 0x2020FF;

    private EdgedImages() {
    }

    /** Grey, with a red last column and a blue last row. */
    static BufferedImage edged(int width, int height) {
        BufferedImage image = Fixtures.solid(width, height, GREY);
        for (int y = 0; y < height; y++) {
            image.setRGB(width - 1, y, RED);
        }
        for (int x = 0; x < width; x++) {
            image.setRGB(x, height - 1, BLUE);
        }
        return image;
    }

    /** The mean absolute difference per channel between two images over their last column and their last row. */
    record Edges(double lastColumn, double lastRow) {
        static Edges between(BufferedImage a, BufferedImage b) {
            int w = a.getWidth();
            int h = a.getHeight();
            double column = 0;
            for (int y = 0; y < h; y++) {
                column += difference(a.getRGB(w - 1, y), b.getRGB(w - 1, y));
            }
            double row = 0;
            for (int x = 0; x < w; x++) {
                row += difference(a.getRGB(x, h - 1), b.getRGB(x, h - 1));
            }
            return new Edges(column / (3.0 * h), row / (3.0 * w));
        }

        private static int difference(int p, int q) {
            int sum = 0;
            for (int shift = 0; shift < 24; shift += 8) {
                sum += Math.abs((p >> shift & 0xFF) - (q >> shift & 0xFF));
            }
            return sum;
        }
    }
}
