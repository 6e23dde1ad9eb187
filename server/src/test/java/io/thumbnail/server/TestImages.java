package io.thumbnail.server;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Small real images made on the spot, so no test depends on files outside the repository. */
final class TestImages {
    private TestImages() {
    }

    /** An opaque gradient, encoded as {@code format} ("png" or "jpeg"). */
    static byte[] gradient(int width, int height, String format) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setPaint(new GradientPaint(0, 0, Color.ORANGE, width, height, Color.BLUE));
            g.fillRect(0, 0, width, height);
        } finally {
            g.dispose();
        }
        return encode(image, format);
    }

    /**
     * A photo-like JPEG: a sky gradient, a sun and darker water, with a stripe placed by {@code variant} so that
     * different variants are different images (the service would dedupe identical ones).
     */
    static byte[] photo(int width, int height, int variant) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            int horizon = height * 13 / 20;
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setPaint(new GradientPaint(0, 0, new Color(40, 90, 170), 0, horizon, new Color(250, 180, 120)));
            g.fillRect(0, 0, width, horizon);
            g.setColor(new Color(255, 230, 150));
            int sun = height / 4;
            g.fill(new Ellipse2D.Double(width * 0.65, horizon - sun * 1.2, sun, sun));
            g.setPaint(new GradientPaint(0, horizon, new Color(30, 70, 90), 0, height, new Color(10, 25, 35)));
            g.fillRect(0, horizon, width, height - horizon);
            g.setColor(new Color(Math.floorMod(variant, 255), 120, 140));
            g.fillRect(0, horizon + 10 + Math.floorMod(variant, Math.max(1, height - horizon - 20)), width, 6);
        } finally {
            g.dispose();
        }
        return encode(image, "jpeg");
    }

    /**
     * A PNG of flat grey with one detailed square object of side {@code size} centred at {@code (cx, height / 2)}:
     * random grey 4 px blocks (coarse enough to survive the reduction to a thumbnail) inside a pure red frame, so a
     * thumbnail shows where the object went by its red.
     */
    static byte[] objectOnFlat(int width, int height, int cx, int size) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(new Color(0x7F8A94));
            g.fillRect(0, 0, width, height);
            int left = cx - size / 2;
            int top = (height - size) / 2;
            g.setColor(Color.RED);
            g.fillRect(left, top, size, size);
            int frame = Math.max(2, size / 16);
            Random random = new Random(cx);
            for (int y = top + frame; y < top + size - frame; y += 4) {
                for (int x = left + frame; x < left + size - frame; x += 4) {
                    int grey = random.nextInt(256);
                    g.setColor(new Color(grey, grey, grey));
                    g.fillRect(x, y, Math.min(4, left + size - frame - x), Math.min(4, top + size - frame - y));
                }
            }
        } finally {
            g.dispose();
        }
        return encode(image, "png");
    }

    /** A PNG whose left half is fully transparent and right half opaque red. */
    static byte[] halfTransparentPng(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < height; y++) {
            for (int x = width / 2; x < width; x++) {
                image.setRGB(x, y, 0xFFFF0000);
            }
        }
        return encode(image, "png");
    }

    static Path write(Path dir, String name, byte[] bytes) {
        try {
            return Files.write(dir.resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] encode(BufferedImage image, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
