package io.thumbnail.internal.image.header;

import io.thumbnail.ErrorCode;
import io.thumbnail.ImageFormat;
import io.thumbnail.Limits;
import io.thumbnail.ThumbnailException;

/**
 * The checks every source passes before anything is decoded: its size, a supported format, a non-empty image and
 * the pixel limit, all from the header. Bytes in memory and a file read a block at a time are checked alike.
 */
public final class SourceCheck {
    private SourceCheck() {
    }

    /** The header of an image within every limit; a {@link ThumbnailException} naming the first limit it breaks. */
    public static ImageHeader header(ImageBytes data, Limits limits) {
        size(data.length(), limits);
        ImageFormat format = FormatSniffer.sniff(data);
        ImageHeader header = HeaderReader.read(data, format);
        if (header.width() < 1 || header.height() < 1) {
            throw new ThumbnailException(ErrorCode.CORRUPT_IMAGE,
                    "the " + format.id() + " header declares an empty image (" + header.width() + "x" + header.height() + ")");
        }
        if (header.totalPixels() > limits.maxPixels()) {
            throw new ThumbnailException(ErrorCode.TOO_MANY_PIXELS, "the image has " + header.totalPixels()
                    + " pixels (" + header.width() + "x" + header.height()
                    + (header.frames() > 1 ? " x " + header.frames() + " frames" : "")
                    + "); the limit is " + limits.maxPixels());
        }
        return header;
    }

    /** Refuses an encoded image larger than the limit with {@code too_large}. */
    public static void size(long bytes, Limits limits) {
        if (bytes > limits.maxInputBytes()) {
            throw new ThumbnailException(ErrorCode.TOO_LARGE,
                    "the image is " + bytes + " bytes; the limit is " + limits.maxInputBytes());
        }
    }
}
