package io.thumbnail.bench;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.MultipleGradientPaint;
import java.awt.RadialGradientPaint;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Photo-like JPEGs of a given size (20 MP: 5472x3648, a common DSLR sensor) for memory runs when the corpus has none
 * that large: sky and ground gradients, soft shapes and sensor-like noise, so they compress about as a photo does
 * (several MB at quality 90) and decode with the same work.
 */
final class PhotoSynth {
    static final int WIDTH = 5472;
    static final int HEIGHT = 3648;

    private PhotoSynth() {
    }

    /** Writes {@code count} different photos {@code synth-N-WxH.jpg} into {@code dir}. */
    static List<Path> write(Path dir, int count, int width, int height) throws IOException {
        List<Path> files = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            Path file = dir.resolve("synth-" + n + "-" + width + "x" + height + ".jpg");
            writeJpeg(draw(width, height, new Random(20 + n)), file, 0.9f, false);
            files.add(file);
        }
        return files;
    }

    static BufferedImage draw(int width, int height, Random random) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            int horizon = height * (2 + random.nextInt(3)) / 6;
            g.setPaint(new GradientPaint(0, 0, hue(random, 0.55f, 0.5f, 0.95f), 0, horizon,
                    hue(random, 0.6f, 0.2f, 0.8f)));
            g.fillRect(0, 0, width, horizon);
            g.setPaint(new GradientPaint(0, horizon, hue(random, 0.25f, 0.6f, 0.5f), width, height,
                    hue(random, 0.1f, 0.5f, 0.25f)));
            g.fillRect(0, horizon, width, height - horizon);
            for (int i = 0; i < 40; i++) {
                float r = (0.02f + random.nextFloat() * 0.15f) * width;
                float x = random.nextFloat() * width;
                float y = random.nextFloat() * height;
                g.setPaint(new RadialGradientPaint(x, y, r, new float[] {0f, 1f},
                        new Color[] {hue(random, random.nextFloat(), 0.7f, 0.9f), hue(random, random.nextFloat(), 0.4f, 0.3f)},
                        MultipleGradientPaint.CycleMethod.NO_CYCLE));
                if (random.nextBoolean()) {
                    g.fill(new Ellipse2D.Float(x - r, y - r * 0.7f, 2 * r, 1.4f * r));
                } else {
                    Path2D.Float shape = new Path2D.Float();
                    shape.moveTo(x, y);
                    for (int k = 0; k < 5; k++) {
                        shape.lineTo(x + (random.nextFloat() - 0.5f) * 2 * r, y + (random.nextFloat() - 0.5f) * 2 * r);
                    }
                    shape.closePath();
                    g.fill(shape);
                }
            }
        } finally {
            g.dispose();
        }
        addNoise(((DataBufferInt) image.getRaster().getDataBuffer()).getData(), random.nextLong());
        return image;
    }

    private static Color hue(Random random, float h, float s, float b) {
        return Color.getHSBColor(h + (random.nextFloat() - 0.5f) * 0.1f, s, b);
    }

    /** Sensor-like grain: a small independent offset per channel (xorshift; Random would be slow at 20 MP). */
    private static void addNoise(int[] pixels, long seed) {
        long x = seed | 1;
        for (int i = 0; i < pixels.length; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            int p = pixels[i];
            int r = clamp(((p >> 16) & 0xff) + (int) ((x & 15) - 7));
            int gr = clamp(((p >> 8) & 0xff) + (int) (((x >>> 8) & 15) - 7));
            int b = clamp((p & 0xff) + (int) (((x >>> 16) & 15) - 7));
            pixels[i] = (r << 16) | (gr << 8) | b;
        }
    }

    static int clamp(int v) {
        return v < 0 ? 0 : Math.min(255, v);
    }

    /** A JPEG at {@code quality} (0-1); progressive with libjpeg's standard progression when asked. */
    static void writeJpeg(BufferedImage image, Path file, float quality, boolean progressive) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (OutputStream os = Files.newOutputStream(file);
             ImageOutputStream out = ImageIO.createImageOutputStream(os)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            if (progressive) {
                // libjpeg's standard progression: DC first, then spectral selection and successive approximation.
                param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            }
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
    }
}
