package io.thumbnail;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.Random;

/** Sources for the crop tests: a detailed object on a flat background, and bands of pure colour. */
public final class CropScenes {
    public static final int BACKGROUND = 0x7F8A94;
    public static final int RED = 0xFF0000;
    public static final int GREEN = 0x00FF00;
    public static final int BLUE = 0x0000FF;

    private CropScenes() {
    }

    /**
     * A flat, slightly blue-grey {@code width x height} image with a detailed square object: grey noise in 4 px blocks
     * (coarse enough to outlast any preview's averaging), framed in red.
     */
    public static BufferedImage objectOnFlat(int width, int height, Rectangle object) {
        BufferedImage image = ImageFixtures.solid(width, height, BACKGROUND);
        Random random = new Random(object.x * 31L + object.y);
        int frame = Math.max(2, object.width / 16);
        int[] blocks = new int[(object.width / 4 + 1) * (object.height / 4 + 1)];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = random.nextInt(256) * 0x010101;
        }
        for (int y = 0; y < object.height; y++) {
            for (int x = 0; x < object.width; x++) {
                boolean edge = x < frame || y < frame || x >= object.width - frame || y >= object.height - frame;
                int rgb = edge ? RED : blocks[(y / 4) * (object.width / 4 + 1) + x / 4];
                image.setRGB(object.x + x, object.y + y, rgb);
            }
        }
        return image;
    }

    /** A square of {@code size} centred on {@code (cx, cy)}. */
    public static Rectangle square(int cx, int cy, int size) {
        return new Rectangle(cx - size / 2, cy - size / 2, size, size);
    }

    /** Three equal bands, red, green and blue: left to right, or top to bottom when {@code vertical}. */
    public static BufferedImage bands(int width, int height, boolean vertical) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int band = vertical ? 3 * y / height : 3 * x / width;
                image.setRGB(x, y, band == 0 ? RED : band == 1 ? GREEN : BLUE);
            }
        }
        return image;
    }
}
