package io.thumbnail.internal.image;

import io.thumbnail.ErrorCode;
import io.thumbnail.ImageFormat;
import io.thumbnail.ThumbnailException;

import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
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
        if (header.format() == ImageFormat.JPEG) {
            BufferedImage reduced = ReducingJpegDecoder.decode(data, minWidth, minHeight);
            if (reduced != null) {
                return reduced;
            }
        }
        // A memory cache: ImageIO's default file cache copies every image through a temporary file.
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(data))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new ThumbnailException(ErrorCode.UNSUPPORTED_FORMAT, "no decoder for " + header.format().id());
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                ImageReadParam param = reader.getDefaultReadParam();
                int sub = subsampling(header, minWidth, minHeight);
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

    /**
     * Source subsampling for this general path. Point subsampling aliases (a one-pixel checkerboard subsampled
     * by 2 comes out flat black), so lossless formats are decoded whole unless an eighth of the heap cannot hold
     * them; JPEGs that reach this path (CMYK, YCCK, unusual colour) keep four times the needed size.
     */
    static int subsampling(ImageHeader header, int minWidth, int minHeight) {
        int most = Math.max(1, Math.min(header.width() / (4 * Math.max(1, minWidth)),
                header.height() / (4 * Math.max(1, minHeight))));
        if (header.format() == ImageFormat.JPEG) {
            return most;
        }
        long budget = Runtime.getRuntime().maxMemory() / 8;
        int s = 1;
        while (s < most && (long) (header.width() / s) * (header.height() / s) * 4 > budget) {
            s++;
        }
        return s;
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
