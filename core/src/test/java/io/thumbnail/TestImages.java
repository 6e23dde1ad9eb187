package io.thumbnail;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Small real images made on the spot; {@code seed} makes each one's bytes different. */
public final class TestImages {
    private TestImages() {
    }

    public static byte[] png(int width, int height, int seed) {
        return encode(image(width, height, seed), "png");
    }

    public static byte[] jpeg(int width, int height, int seed) {
        return encode(image(width, height, seed), "jpeg");
    }

    private static BufferedImage image(int width, int height, int seed) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(new Color((seed * 37) & 0xFF, (seed * 11) & 0xFF, (seed >> 3) & 0xFF));
            g.fillRect(0, 0, width, height);
            g.setColor(Color.WHITE);
            g.fillRect(seed % width, (seed / width) % height, 1 + width / 4, 1 + height / 4);
        } finally {
            g.dispose();
        }
        image.setRGB(0, 0, seed); // distinct bytes even when colours repeat
        return image;
    }

    private static byte[] encode(BufferedImage image, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no writer for " + format);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
