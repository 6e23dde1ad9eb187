package io.thumbnail;

import java.awt.image.BufferedImage;
import java.util.Random;

/** Test images made in code: encoded with ImageIO, decoded back for pixel checks. */
final class Fixtures {
    private Fixtures() {
    }

    static byte[] png(BufferedImage image) {
        return ImageFixtures.write(image, "png");
    }

    static byte[] jpeg(BufferedImage image, int quality, boolean progressive) {
        return ImageFixtures.jpeg(image, quality, progressive);
    }

    static BufferedImage read(byte[] data) {
        return ImageFixtures.read(data);
    }

    /** One flat colour. */
    static BufferedImage solid(int width, int height, int rgb) {
        return ImageFixtures.solid(width, height, rgb);
    }

    /** Something like a photo: smooth gradients, hard-edged shapes, fine texture and sensor-like noise. */
    static BufferedImage photoLike(int width, int height, long seed) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[][] discs = new int[12][];
        for (int i = 0; i < discs.length; i++) {
            discs[i] = new int[]{random.nextInt(width), random.nextInt(height), 20 + random.nextInt(Math.max(1, width / 6)),
                    random.nextInt(0x1000000)};
        }
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double r = 255.0 * x / width;
                double g = 255.0 * y / height;
                double b = 128 + 60 * Math.sin(x / 37.0) * Math.cos(y / 23.0);
                for (int[] d : discs) {
                    long dx = x - d[0];
                    long dy = y - d[1];
                    if (dx * dx + dy * dy < (long) d[2] * d[2]) {
                        r = (d[3] >> 16) & 0xFF;
                        g = (d[3] >> 8) & 0xFF;
                        b = d[3] & 0xFF;
                    }
                }
                double texture = 20 * Math.sin(x * 0.9) * Math.sin(y * 1.3);
                double noise = random.nextGaussian() * 6;
                image.setRGB(x, y, channel(r + texture + noise) << 16 | channel(g + texture + noise) << 8
                        | channel(b + texture + noise));
            }
        }
        return image;
    }

    private static int channel(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}
