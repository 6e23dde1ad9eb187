package io.thumbnail.internal.image;

import io.thumbnail.ErrorCode;
import io.thumbnail.ImageFormat;
import io.thumbnail.ThumbnailException;
import io.thumbnail.internal.image.header.BoundedImageInputStream;
import io.thumbnail.internal.image.header.HeaderReader;
import io.thumbnail.internal.image.header.ImageHeader;
import io.thumbnail.internal.image.jpeg.ReducingJpegDecoder;

import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DirectColorModel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Decodes the first frame of an image into an sRGB {@code TYPE_INT_RGB} or {@code TYPE_INT_ARGB} image,
 * in stored orientation, shrinking on load where the format allows: the result is at least
 * {@code minWidth} x {@code minHeight} but may be smaller than the source.
 *
 * <p>A still WebP is decoded by libwebp where it loads ({@link WebpDecoder}), everything else through ImageIO.
 *
 * <p>Truncated data is refused as {@code corrupt_image}: readers fill what is missing with grey and only warn.
 * Any exception a reader throws on malformed data becomes {@code corrupt_image} as well.
 */
public final class ImageDecoder {
    /** Zero bytes after a WebP for the bit reader's look-ahead (it reads a long ahead of what it uses). */
    private static final int WEBP_LOOK_AHEAD = 64;

    private ImageDecoder() {
    }

    public static BufferedImage decode(byte[] data, ImageHeader header, int minWidth, int minHeight) {
        return decode(data, header, minWidth, minHeight, false);
    }

    /**
     * @param exact the caller will show the whole image at exactly {@code minWidth} x {@code minHeight} (stored
     *              orientation), so a decoder that can scale with the resizer's kernel may return that size
     *              directly and spare the resizer its work
     */
    public static BufferedImage decode(byte[] data, ImageHeader header, int minWidth, int minHeight, boolean exact) {
        return decode(ByteBuffer.wrap(data), header, minWidth, minHeight, exact);
    }

    /**
     * As {@link #decode(byte[], ImageHeader, int, int, boolean)} for the buffer's bytes from 0 to its limit. A JPEG
     * is read where it is (a buffer outside the heap is never copied into it); the other formats' readers take an
     * array, so theirs are copied unless the buffer wraps one whole.
     */
    public static BufferedImage decode(ByteBuffer data, ImageHeader header, int minWidth, int minHeight,
                                       boolean exact) {
        ImageFormat format = header.format();
        if (format != ImageFormat.JPEG) {
            return decodeOther(array(data), header, minWidth, minHeight);
        }
        if (!HeaderReader.isCompleteJpeg(data)) {
            throw truncated(format);
        }
        HeaderReader.checkJpegFirstScan(data);
        // Fast path for plain YCbCr/grey JPEGs; null means "not for me", and the general path below decides. Its
        // reduced planes are the whole image for a thumbnail near the photo's size: budgeted like any decode.
        BufferedImage reduced = DecodeMemory.heap().decode(header, reducedPixels(header, minWidth, minHeight),
                () -> ReducingJpegDecoder.decode(data, minWidth, minHeight, exact));
        if (reduced != null) {
            return reduced;
        }
        ReducingJpegDecoder.checkScans(data, header.width(), header.height());
        ByteBuffer readable = HeaderReader.withoutUnusableIcc(data);
        return read(() -> new BoundedImageInputStream(readable, 0), null, header, minWidth, minHeight);
    }

    /** Any format but JPEG, from an array. */
    private static BufferedImage decodeOther(byte[] data, ImageHeader header, int minWidth, int minHeight) {
        ImageFormat format = header.format();
        if (!HeaderReader.isComplete(data, format)) {
            throw truncated(format);
        }
        if (format == ImageFormat.WEBP && WebpDecoder.decodes(header, data)) {
            int step = subsampling(header, minWidth, minHeight);
            return DecodeMemory.heap().decode(header, decodedPixels(header, step), () -> {
                try {
                    return WebpDecoder.decode(data, header, step);
                } catch (IOException | RuntimeException e) {
                    throw corrupt(format, e);
                }
            });
        }
        int padding = format == ImageFormat.WEBP ? WEBP_LOOK_AHEAD : 0;
        return read(() -> new BoundedImageInputStream(data, padding), data, header, minWidth, minHeight);
    }

    /**
     * Through ImageIO; {@code data} (the same bytes as an array) is needed for PNG and GIF only. {@code input} opens
     * the bytes afresh for each try: a reader that ran out of heap is not read again.
     */
    private static BufferedImage read(Supplier<BoundedImageInputStream> input, byte[] data, ImageHeader header,
                                      int minWidth, int minHeight) {
        int step = subsampling(header, minWidth, minHeight);
        return DecodeMemory.heap().decode(header, decodedPixels(header, step),
                () -> readOnce(input.get(), data, header, step));
    }

    private static BufferedImage readOnce(BoundedImageInputStream input, byte[] data, ImageHeader header, int step) {
        ImageFormat format = header.format();
        ImageReader reader = readerFor(format);
        try (ImageInputStream in = input) {
            List<String> warnings = new ArrayList<>();
            reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
            reader.setInput(in, true, true);
            ImageReadParam param = reader.getDefaultReadParam();
            param.setSourceSubsampling(step, step, 0, 0);
            BufferedImage image = reader.read(0, param);
            if (warnings.stream().anyMatch(ImageDecoder::meansTruncated)) {
                throw truncated(format);
            }
            if (format == ImageFormat.TIFF && HeaderReader.tiffAlphaPremultiplied(data)) {
                image = unpremultiplied(image);
            }
            BufferedImage srgb = SrgbConverter.convert(image, unappliedProfile(data, format));
            return format == ImageFormat.GIF ? onLogicalScreen(srgb, data, header, step) : srgb;
        } catch (IOException | RuntimeException e) {
            throw readFailure(header, e);
        } finally {
            reader.dispose();
        }
    }

    /** The buffer's bytes from 0 to its limit as an array: the one it wraps if that is all of them, else a copy. */
    private static byte[] array(ByteBuffer data) {
        if (data.hasArray() && data.arrayOffset() == 0 && data.array().length == data.limit()) {
            return data.array();
        }
        byte[] copy = new byte[data.limit()];
        data.get(0, copy);
        return copy;
    }

    /**
     * The reader for a sniffed format, by name so that ImageIO's own content guessing never decides. For JPEG
     * TwelveMonkeys comes first: it converts CMYK and YCCK, applies ICC profiles and survives broken ones.
     */
    static ImageReader readerFor(ImageFormat format) {
        String preferred = switch (format) {
            case JPEG, TIFF, WEBP -> "com.twelvemonkeys.";
            case PNG, GIF, BMP, WBMP -> "com.sun.imageio.";
        };
        ImageReader fallback = null;
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.id());
        while (readers.hasNext()) {
            ImageReader reader = readers.next();
            if (reader.getClass().getName().startsWith(preferred)) {
                if (fallback != null) {
                    fallback.dispose();
                }
                return reader;
            }
            if (fallback == null) {
                fallback = reader;
            } else {
                reader.dispose();
            }
        }
        if (fallback == null) {
            throw new ThumbnailException(ErrorCode.UNSUPPORTED_FORMAT, "no decoder for " + format.id() + " is installed");
        }
        return fallback;
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

    /**
     * The JDK returns a GIF frame at its own size; a first frame smaller than the canvas is shown at its offset,
     * with the rest of the canvas transparent, as browsers do.
     */
    private static BufferedImage onLogicalScreen(BufferedImage frame, byte[] data, ImageHeader header, int step) {
        Rectangle bounds = HeaderReader.gifFirstFrame(data);
        int width = ceilDiv(header.width(), step);
        int height = ceilDiv(header.height(), step);
        if (bounds.x == 0 && bounds.y == 0 && frame.getWidth() == width && frame.getHeight() == height) {
            return frame;
        }
        BufferedImage canvas = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = canvas.createGraphics();
        try {
            g.drawImage(frame, bounds.x / step, bounds.y / step, null);
        } finally {
            g.dispose();
        }
        return canvas;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** A profile the reader ignores: the JDK PNG reader does not apply iCCP. */
    /**
     * {@code image}, whose decoder handed over colours still multiplied by their alpha (a TIFF's associated alpha)
     * under a model that says they are not, with them divided back in place: the pipeline takes straight alpha, and
     * would show such colours the darker the more transparent they are.
     */
    static BufferedImage unpremultiplied(BufferedImage image) {
        ColorModel model = image.getColorModel();
        if (!model.hasAlpha() || model.isAlphaPremultiplied()) {
            return image; // opaque, or said premultiplied: Java2D divides as it converts
        }
        ColorModel premultiplied;
        if (model instanceof ComponentColorModel c) {
            premultiplied = new ComponentColorModel(c.getColorSpace(), c.getComponentSize(), true, true,
                    c.getTransparency(), c.getTransferType());
        } else if (model instanceof DirectColorModel d) {
            premultiplied = new DirectColorModel(d.getColorSpace(), d.getPixelSize(), d.getRedMask(),
                    d.getGreenMask(), d.getBlueMask(), d.getAlphaMask(), true, d.getTransferType());
        } else {
            return image;
        }
        // Same raster, the model that says what it holds; coerceData divides it in place.
        new BufferedImage(premultiplied, image.getRaster(), true, null).coerceData(false);
        return image;
    }

    private static ICC_Profile unappliedProfile(byte[] data, ImageFormat format) {
        return format == ImageFormat.PNG ? SrgbConverter.profile(HeaderReader.iccProfile(data, format)) : null;
    }

    private static boolean meansTruncated(String warning) {
        String w = warning.toLowerCase(Locale.ROOT);
        return w.contains("truncated file") || w.contains("premature end") || w.contains("missing eoi");
    }

    /**
     * What an ImageIO reader's exception means: corrupt data, unless it wraps the heap running out (the JDK's do), which
     * is thrown as it is for {@link DecodeMemory#run} to judge.
     */
    private static ThumbnailException readFailure(ImageHeader header, Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OutOfMemoryError oom) {
                throw oom;
            }
        }
        return corrupt(header.format(), e);
    }

    private static ThumbnailException corrupt(ImageFormat format, Exception e) {
        if (e instanceof ThumbnailException te) {
            return te;
        }
        return new ThumbnailException(ErrorCode.CORRUPT_IMAGE,
                "the " + format.id() + " image is corrupt and cannot be decoded", e);
    }

    /**
     * About the pixels the DCT-domain path decodes a JPEG to: scaled down by a power of two up to 8 while at least
     * twice the box remains.
     */
    static long reducedPixels(ImageHeader header, int minWidth, int minHeight) {
        int scale = 1;
        while (scale < 8 && header.width() / (2L * scale) >= 2L * Math.max(1, minWidth)
                && header.height() / (2L * scale) >= 2L * Math.max(1, minHeight)) {
            scale *= 2;
        }
        return decodedPixels(header, scale);
    }

    /** The pixels a whole-image decode with source subsampling {@code step} makes. */
    private static long decodedPixels(ImageHeader header, int step) {
        return (long) ceilDiv(header.width(), step) * ceilDiv(header.height(), step);
    }

    private static ThumbnailException truncated(ImageFormat format) {
        return new ThumbnailException(ErrorCode.CORRUPT_IMAGE, "the " + format.id() + " image is truncated");
    }
}
