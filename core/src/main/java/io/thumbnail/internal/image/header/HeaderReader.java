package io.thumbnail.internal.image.header;

import io.thumbnail.ErrorCode;
import io.thumbnail.ImageFormat;
import io.thumbnail.ThumbnailException;

import java.awt.Rectangle;
import java.nio.ByteBuffer;

/**
 * Reads an image's dimensions, frame count and orientation from its header, without decoding pixels and
 * without ImageIO (some of its readers allocate the whole raster before looking at the data). This is what
 * lets limits refuse a decompression bomb in microseconds.
 */
public final class HeaderReader {
    private HeaderReader() {
    }

    public static ImageHeader read(byte[] data, ImageFormat format) {
        return read(ImageBytes.of(data), format);
    }

    /** As {@link #read(byte[], ImageFormat)}, for bytes that may be a file read a block at a time. */
    public static ImageHeader read(ImageBytes data, ImageFormat format) {
        try {
            return switch (format) {
                case JPEG -> JpegHeaderReader.read(data);
                case PNG -> PngHeaderReader.read(data);
                case GIF -> GifHeaderReader.read(data);
                case BMP -> BmpHeaderReader.read(data);
                case WBMP -> WbmpHeaderReader.read(data);
                case TIFF -> tiff(data);
                case WEBP -> WebpHeaderReader.read(data);
            };
        } catch (ThumbnailException e) {
            throw e;
        } catch (RuntimeException e) {
            // The parsers check every bound; this only keeps a missed case from leaking as a crash.
            throw new ThumbnailException(ErrorCode.CORRUPT_IMAGE, "the " + format.id() + " header is malformed", e);
        }
    }

    /** Catches truncation where the reader would not: JPEG, BMP and WebP readers fill missing data silently. */
    public static boolean isComplete(byte[] data, ImageFormat format) {
        return switch (format) {
            case JPEG -> JpegHeaderReader.isComplete(data);
            case BMP -> BmpHeaderReader.isComplete(data);
            case WEBP -> WebpHeaderReader.isComplete(data);
            default -> true;
        };
    }

    /** The JPEG as a reader may be given it: see {@link JpegHeaderReader#withoutUnusableIcc}. */
    public static ByteBuffer withoutUnusableIcc(ByteBuffer jpeg) {
        return JpegHeaderReader.withoutUnusableIcc(jpeg);
    }

    /**
     * Refuses, as corrupt, a JPEG (the buffer's bytes from 0 to its limit) whose first scan is too short to code the
     * blocks its frame header declares: see {@link JpegFirstScan}.
     */
    public static void checkJpegFirstScan(ByteBuffer data) {
        JpegHeaderReader.checkFirstScan(data);
    }

    /** As {@link #isComplete(byte[], ImageFormat)} for a JPEG's bytes: the buffer's from 0 to its limit. */
    public static boolean isCompleteJpeg(ByteBuffer data) {
        return JpegHeaderReader.isComplete(data);
    }

    /**
     * The ICC profile a PNG ({@code iCCP}) or WebP ({@code ICCP}) file carries, as stored; {@code null} when there is
     * none or the format keeps its profile elsewhere.
     */
    public static byte[] iccProfile(byte[] data, ImageFormat format) {
        return switch (format) {
            case PNG -> PngHeaderReader.iccProfile(data);
            case WEBP -> WebpHeaderReader.iccProfile(data);
            default -> null;
        };
    }

    /** Where a GIF's first frame sits on its logical screen. */
    public static Rectangle gifFirstFrame(byte[] data) {
        return GifHeaderReader.firstFrame(data);
    }

    /**
     * Whether a TIFF's first image stores associated (premultiplied) alpha (ExtraSamples 1), which its decoder hands
     * over as it is stored, colours already multiplied by their alpha.
     */
    public static boolean tiffAlphaPremultiplied(byte[] data) {
        try {
            TiffDirectory ifd0 = TiffDirectory.readFirst(new HeaderBytes(data, ImageFormat.TIFF, true));
            return ifd0.integer(TiffDirectory.EXTRA_SAMPLES).orElse(0) == 1;
        } catch (ThumbnailException e) {
            return false;
        }
    }

    /**
     * Samples per pixel a TIFF may have. Its decoder holds every sample of every pixel, so a small image declaring
     * thousands of them takes gigabytes; colour, alpha and a few extra samples are far fewer than this.
     */
    private static final int MAX_TIFF_SAMPLES = 16;

    /** Size, orientation and greyness from the first IFD; later pages are never shown, so they are not counted. */
    private static ImageHeader tiff(ImageBytes data) {
        HeaderBytes in = new HeaderBytes(data, ImageFormat.TIFF, true);
        TiffDirectory ifd0 = TiffDirectory.readFirst(in);
        long width = ifd0.integer(TiffDirectory.IMAGE_WIDTH).orElseThrow(() -> in.corrupt("no single ImageWidth"));
        long height = ifd0.integer(TiffDirectory.IMAGE_LENGTH).orElseThrow(() -> in.corrupt("no single ImageLength"));
        if (width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
            throw in.corrupt("the header declares " + width + "x" + height);
        }
        long samples = ifd0.integer(TiffDirectory.SAMPLES_PER_PIXEL).orElse(1);
        if (samples > MAX_TIFF_SAMPLES) {
            throw new ThumbnailException(ErrorCode.UNSUPPORTED_FORMAT, "TIFF images of more than " + MAX_TIFF_SAMPLES
                    + " samples per pixel are not supported; this one declares " + samples);
        }
        int orientation = ExifOrientation.valid(ifd0.integer(TiffDirectory.ORIENTATION).orElse(ExifOrientation.NORMAL));
        long photometric = ifd0.integer(TiffDirectory.PHOTOMETRIC_INTERPRETATION).orElse(-1);
        return new ImageHeader(ImageFormat.TIFF, (int) width, (int) height, 1, orientation,
                photometric == 0 || photometric == 1);
    }
}
