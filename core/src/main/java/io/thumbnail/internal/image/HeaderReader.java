package io.thumbnail.internal.image;

import io.thumbnail.ErrorCode;
import io.thumbnail.ImageFormat;
import io.thumbnail.ThumbnailException;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;

/** Reads an image's dimensions, frame count and orientation without decoding pixels. */
public final class HeaderReader {
    private HeaderReader() {
    }

    public static ImageHeader read(byte[] data, ImageFormat format) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(data))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new ThumbnailException(ErrorCode.UNSUPPORTED_FORMAT, "no decoder for " + format.id());
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return new ImageHeader(format, reader.getWidth(0), reader.getHeight(0), 1, 1);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ThumbnailException te) {
                throw te;
            }
            throw new ThumbnailException(ErrorCode.CORRUPT_IMAGE, "the " + format.id() + " header is unreadable", e);
        }
    }
}
