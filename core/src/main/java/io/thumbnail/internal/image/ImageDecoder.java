package io.thumbnail.internal.image;

import io.thumbnail.ErrorCode;
import io.thumbnail.ThumbnailException;

import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;

/**
 * Decodes the first frame of an image into an sRGB {@code TYPE_INT_RGB} or {@code TYPE_INT_ARGB} image,
 * in stored orientation, shrinking on load where the format allows: the result is at least
 * {@code minWidth} x {@code minHeight} but may be smaller than the source.
 */
public final class ImageDecoder {
    private ImageDecoder() {
    }

    public static BufferedImage decode(byte[] data, ImageHeader header, int minWidth, int minHeight) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(data))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new ThumbnailException(ErrorCode.UNSUPPORTED_FORMAT, "no decoder for " + header.format().id());
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                ImageReadParam param = reader.getDefaultReadParam();
                int sub = Math.max(1, Math.min(header.width() / Math.max(1, minWidth), header.height() / Math.max(1, minHeight)));
                param.setSourceSubsampling(sub, sub, 0, 0);
                return toSrgb(reader.read(0, param));
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ThumbnailException te) {
                throw te;
            }
            throw new ThumbnailException(ErrorCode.CORRUPT_IMAGE, "the " + header.format().id() + " image is corrupt or truncated", e);
        }
    }

    static BufferedImage toSrgb(BufferedImage src) {
        boolean alpha = src.getColorModel().hasAlpha();
        int type = alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB;
        if (src.getType() == type) {
            return src;
        }
        BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), type);
        Graphics2D g = out.createGraphics();
        try {
            g.drawImage(src, 0, 0, null);
        } finally {
            g.dispose();
        }
        return out;
    }
}
