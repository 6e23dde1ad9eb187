package io.thumbnail.bench;

import io.thumbnail.quality.AreaAverage;
import io.thumbnail.quality.LanczosReference;
import io.thumbnail.quality.Ssim;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * One JPEG of the benchmark: its bytes, and its upright full decode from which the two quality references of
 * every thumbnail size are made (once per size, since several tools may make the same size).
 *
 * @param generated made by the bench (the 20 MP pair, progressive copies), not one of the given files
 */
record Photo(Path path, byte[] data, BufferedImage upright, boolean generated, Map<String, BufferedImage[]> references) {
    /** "8 MP or more": a nominal 8 MP sensor makes 3264x2448, 7.99 million pixels. */
    static final long LARGE = 7_900_000L;

    Photo(Path path, byte[] data, BufferedImage upright, boolean generated) {
        this(path, data, upright, generated, new HashMap<>());
    }

    long pixels() {
        return (long) upright.getWidth() * upright.getHeight();
    }

    boolean large() {
        return pixels() >= LARGE;
    }

    int longSide() {
        return Math.max(upright.getWidth(), upright.getHeight());
    }

    /** SSIM (luma) of a thumbnail against the exact area average and against Lanczos3, both of its own size. */
    double[] ssim(Path thumbnail) {
        try {
            BufferedImage t = ImageIO.read(Files.newInputStream(thumbnail));
            if (t == null) {
                throw new IllegalStateException("not an image: " + thumbnail);
            }
            BufferedImage[] refs = references(t.getWidth(), t.getHeight());
            return new double[]{Ssim.of(refs[0], t), Ssim.of(refs[1], t)};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private synchronized BufferedImage[] references(int width, int height) {
        return references.computeIfAbsent(width + "x" + height, size -> new BufferedImage[]{
                AreaAverage.downscale(upright, width, height), LanczosReference.downscale(upright, width, height)});
    }
}
