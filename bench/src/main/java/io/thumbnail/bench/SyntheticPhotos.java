package io.thumbnail.bench;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
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
    private static final int WIDTH = PhotoSynth.WIDTH;
    private static final int HEIGHT = PhotoSynth.HEIGHT;
    private static final float QUALITY = 0.9f;

    private SyntheticPhotos() {
    }

    /** Writes {@code 20mp-baseline.jpg} and {@code 20mp-progressive.jpg} into {@code dir}. */
    static List<Path> write(Path dir, BufferedImage content) throws IOException {
        BufferedImage image = enlarged(content);
        Path baseline = dir.resolve("20mp-baseline.jpg");
        Path progressive = dir.resolve("20mp-progressive.jpg");
        PhotoSynth.writeJpeg(image, baseline, QUALITY, false);
        PhotoSynth.writeJpeg(image, progressive, QUALITY, true);
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
            px[i] = PhotoSynth.clamp((p >> 16 & 0xFF) + n) << 16 | PhotoSynth.clamp((p >> 8 & 0xFF) + n) << 8
                    | PhotoSynth.clamp((p & 0xFF) + n);
        }
        return image;
    }
}
