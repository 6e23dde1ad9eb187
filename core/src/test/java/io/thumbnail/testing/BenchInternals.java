package io.thumbnail.testing;

import io.thumbnail.ImageFormat;
import io.thumbnail.Limits;
import io.thumbnail.ThumbnailSpec;
import io.thumbnail.internal.image.ImageDecoder;
import io.thumbnail.internal.image.ImageEncoder;
import io.thumbnail.internal.image.Orientation;
import io.thumbnail.internal.image.SmartCrop;
import io.thumbnail.internal.image.ThumbnailPlan;
import io.thumbnail.internal.image.header.HeaderReader;
import io.thumbnail.internal.image.header.ImageBytes;
import io.thumbnail.internal.image.header.ImageHeader;
import io.thumbnail.internal.image.header.SourceCheck;
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

    /**
     * The smart crop's own step for the cover crop {@code spec} of {@code data}, prepared as the pipeline prepares it
     * (decoded for the crop's plan, the DCT-domain reader's reduced image for most JPEGs, set upright): {@code place}
     * runs only the placement (preview, attention map, search).
     */
    public static SmartCropStep smartCropStep(byte[] data, ThumbnailSpec spec, Limits limits) {
        ImageHeader header = SourceCheck.header(ImageBytes.of(data), limits);
        ThumbnailPlan plan = ThumbnailPlan.of(header.uprightWidth(), header.uprightHeight(), spec,
                limits.maxOutputSide());
        int w = plan.decodeWidth(header.uprightWidth());
        int h = plan.decodeHeight(header.uprightHeight());
        BufferedImage stored = header.transposed()
                ? ImageDecoder.decode(data, header, h, w, plan.whole())
                : ImageDecoder.decode(data, header, w, h, plan.whole());
        BufferedImage upright = Orientation.apply(stored, header.orientation());
        return new SmartCropStep(header.uprightWidth(), header.uprightHeight(), upright.getWidth(),
                upright.getHeight(), () -> SmartCrop.place(plan, upright));
    }

    /** A source's upright size, the size decoded for the crop, and the placement alone. */
    public record SmartCropStep(int width, int height, int decodedWidth, int decodedHeight, Runnable place) {
    }
}
