package io.thumbnail.bench;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * Two 20-megapixel JPEGs (5472x3648, a 20 MP camera's size), one baseline and one progressive, for the memory
 * test and as the progressive case the corpus lacks. Drawn with Java2D: the largest corpus photo enlarged with
 * bicubic interpolation, plus a little per-pixel noise so that the files are as large and as costly to decode
 * as a camera's (about 1 bit per pixel more than a smooth enlargement).
 */
final class SyntheticPhotos {
    static final int WIDTH = 5472;
    static final int HEIGHT = 3648;
    private static final int QUALITY = 90;

    private SyntheticPhotos() {
    }

    /** Writes {@code 20mp-baseline.jpg} and {@code 20mp-progressive.jpg} into {@code dir}. */
    static List<Path> write(Path dir, BufferedImage content) throws IOException {
        BufferedImage image = enlarged(content);
        Path baseline = dir.resolve("20mp-baseline.jpg");
        Path progressive = dir.resolve("20mp-progressive.jpg");
        writeJpeg(image, baseline, false);
        writeJpeg(image, progressive, true);
        return List.of(baseline, progressive);
    }

    private static BufferedImage enlarged(BufferedImage content) {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.drawImage(content, 0, 0, WIDTH, HEIGHT, null);
        } finally {
            g.dispose();
        }
        int[] px = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        Random random = new Random(20);
        for (int i = 0; i < px.length; i++) {
            int n = random.nextInt(7) - 3;
            int p = px[i];
            px[i] = clamp((p >> 16 & 0xFF) + n) << 16 | clamp((p >> 8 & 0xFF) + n) << 8 | clamp((p & 0xFF) + n);
        }
        return image;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    private static void writeJpeg(BufferedImage image, Path file, boolean progressive) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (OutputStream os = Files.newOutputStream(file); ImageOutputStream out = ImageIO.createImageOutputStream(os)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(QUALITY / 100f);
            if (progressive) {
                // libjpeg's standard progression: DC first, then spectral selection and successive approximation.
                param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            }
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
    }
}
