package io.thumbnail.testing;

import io.thumbnail.ImageFormat;
import io.thumbnail.internal.image.ImageEncoder;
import io.thumbnail.internal.image.Orientation;
import io.thumbnail.internal.image.header.HeaderReader;
import io.thumbnail.internal.worker.ThreadNice;

import java.awt.image.BufferedImage;

/**
 * What the benchmarks measure or mimic below the public API, in core's test-jar so that the bench module depends on
 * no internal package itself: the encoder alone, photos set upright as the pipeline sets them, and load threads
 * niced as the service's workers are.
 */
public final class BenchInternals {
    private BenchInternals() {
    }

    /** The service's encoder on its own: {@code image} as {@code format} at {@code quality}. */
    public static byte[] encode(BufferedImage image, ImageFormat format, int quality, int background) {
        return ImageEncoder.encode(image, format, quality, background);
    }

    /** {@code decoded}, the pixels of the JPEG {@code data}, turned upright as its EXIF orientation says. */
    public static BufferedImage uprightJpeg(byte[] data, BufferedImage decoded) {
        return Orientation.apply(decoded, HeaderReader.read(data, ImageFormat.JPEG).orientation());
    }

    /** Lowers the calling thread's priority to {@code nice}, as workers do; false where that cannot be done. */
    public static boolean lowerCurrentThread(int nice) {
        return ThreadNice.lowerCurrentThread(nice);
    }
}
