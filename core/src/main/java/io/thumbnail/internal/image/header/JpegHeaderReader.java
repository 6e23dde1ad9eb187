package io.thumbnail.internal.image.header;

import io.thumbnail.ErrorCode;
import io.thumbnail.ImageFormat;
import io.thumbnail.ThumbnailException;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Walks the marker segments of a JPEG up to its first scan: frame size and precision from SOF, orientation
 * from the EXIF APP1 segment. Entropy-coded data is never touched here.
 */
final class JpegHeaderReader {
    private JpegHeaderReader() {
    }

    static ImageHeader read(ImageBytes data) {
        return walk(data).header();
    }

    /**
     * Whether an EOI marker follows the first scan. Readers return a truncated JPEG silently with its missing
     * part grey; inside entropy-coded data 0xFF is always followed by 0x00 or a restart marker, so any FF D9
     * after the first scan is a real end of image (trailing bytes after it are harmless).
     */
    static boolean isComplete(byte[] data) {
        return isComplete(ByteBuffer.wrap(data));
    }

    static boolean isComplete(ByteBuffer data) {
        return JpegMarkers.hasEoiFrom(data, Math.toIntExact(walk(ImageBytes.of(data)).firstScan()));
    }

    /**
     * What the walk found: the header, where the first scan begins, the frame's component count, and the ICC
     * profile's chunks (each segment's start and end) with the length the profile gives itself, the bytes its chunks
     * carry and the channels of the colour space its header names (0 when it names none this reader knows).
     */
    private record Walk(ImageHeader header, long firstScan, int components, List<long[]> iccSegments,
                        long iccDeclared, long iccCarried, int iccChannels, Segment frame, Segment scan) {
    }

    /** A marker segment: its marker and where its body begins and ends. */
    private record Segment(int marker, long body, long end) {
    }

    /** Refuses, as corrupt, a JPEG whose first scan is too short for the blocks its frame declares. */
    static void checkFirstScan(ByteBuffer data) {
        Walk walk = walk(ImageBytes.of(data));
        JpegFirstScan.check(data, walk.frame().marker(), (int) walk.frame().body(), (int) walk.frame().end(),
                (int) walk.scan().body(), (int) walk.scan().end());
    }

    /**
     * The JPEG without its ICC profile when a reader must not be given it, else {@code jpeg} itself: when the profile
     * gives itself more bytes than its chunks carry (a damaged or hostile one: readers allocate what it claims,
     * gigabytes if it says so), and when its colour space has another number of channels than the frame has
     * components (an RGB profile in a CMYK JPEG). Readers ignore a profile that does not fit the data, but
     * TwelveMonkeys', ignoring it in a CMYK JPEG, converts every pixel through a colour space that is not an ICC one,
     * one LCMS call per pixel: a large image then costs tens of times what the same file without the profile does.
     * A reader then decodes a 3-component JPEG as sRGB and a CMYK one with its plain conversion, as it does without
     * a profile.
     */
    static ByteBuffer withoutUnusableIcc(ByteBuffer jpeg) {
        Walk walk = walk(ImageBytes.of(jpeg));
        boolean oversized = walk.iccDeclared() > walk.iccCarried();
        boolean mismatched = walk.iccChannels() != 0 && walk.iccChannels() != walk.components();
        if (walk.iccSegments().isEmpty() || !oversized && !mismatched) {
            return jpeg;
        }
        ByteBuffer kept = ByteBuffer.allocate(jpeg.limit());
        long from = 0;
        for (long[] segment : walk.iccSegments()) {
            kept.put(jpeg.slice((int) from, (int) (segment[0] - from)));
            from = segment[1];
        }
        return kept.put(jpeg.slice((int) from, (int) (jpeg.limit() - from))).flip();
    }

    private static Walk walk(ImageBytes data) {
        HeaderBytes in = new HeaderBytes(data, ImageFormat.JPEG, true);
        long size = data.length();
        int orientation = ExifOrientation.NORMAL;
        boolean exifSeen = false;
        int width = -1;
        int height = -1;
        int components = 0;
        Segment frame = null;
        List<long[]> iccSegments = new ArrayList<>();
        long iccDeclared = 0;
        long iccCarried = 0;
        int iccChannels = 0;
        long pos = 2;
        while (true) {
            // Tolerate junk between segments as libjpeg does, then any number of 0xFF fill bytes.
            while (pos < size && data.at(pos) != 0xFF) {
                pos++;
            }
            while (pos < size && data.at(pos) == 0xFF) {
                pos++;
            }
            if (pos >= size) {
                throw in.corrupt("the file ends before the image data");
            }
            int marker = data.at(pos);
            if (marker == JpegMarkers.EOI) {
                throw in.corrupt("the file has no image data");
            }
            if (JpegMarkers.isStandalone(marker)) {
                pos++;
                continue;
            }
            int length = in.u16(pos + 1);
            long body = pos + 3;
            long end = pos + 1 + length;
            if (length < 2) {
                throw in.corrupt("a segment has length " + length);
            }
            in.require(body, length - 2L);
            if (marker == JpegMarkers.APP1 && !exifSeen && length >= 8 && in.ascii(body, "Exif\0\0")) {
                exifSeen = true;
                orientation = ExifOrientation.read(in.copy(body + 6, end), ImageFormat.JPEG);
            } else if (marker == JpegMarkers.APP2 && length >= 16 + 4 && in.ascii(body, "ICC_PROFILE\0")) {
                boolean numberedOne = in.u8(body + 12) == 1;
                if (numberedOne || iccSegments.isEmpty()) {
                    // Readers start the profile with the chunk numbered 1 or, when the chunks are misnumbered (a lone
                    // chunk of any number, 0-based numbers), with the first in the file: either may hold its header.
                    iccDeclared = Math.max(iccDeclared, in.u32(body + 14));
                    if (numberedOne || iccChannels == 0) {
                        iccChannels = length >= 16 + 20 ? channels(in, body + 14 + 16) : 0;
                    }
                }
                iccCarried += length - 16;
                iccSegments.add(new long[] {pos - 1, end});
            } else if (JpegMarkers.isFrame(marker)) {
                if (width >= 0) {
                    // Decoders differ on which one counts; the size checked here must be the size decoded.
                    throw in.corrupt("it has more than one frame header");
                }
                checkCodingSupported(marker, in.u8(body));
                height = in.u16(body + 1);
                width = in.u16(body + 3);
                components = in.u8(body + 5);
                frame = new Segment(marker, body, end);
                if (height == 0) {
                    throw new ThumbnailException(ErrorCode.UNSUPPORTED_FORMAT,
                            "JPEG images whose height is defined after the first scan (DNL) are not supported");
                }
            } else if (marker == JpegMarkers.SOS) {
                if (width < 0) {
                    throw in.corrupt("a scan comes before the frame header");
                }
                return new Walk(new ImageHeader(ImageFormat.JPEG, width, height, 1, orientation, components == 1), end,
                        components, iccSegments, iccDeclared, iccCarried, iccChannels, frame,
                        new Segment(marker, body, end));
            }
            pos = end;
        }
    }

    /**
     * The channels of the colour space an ICC profile header names at {@code offset} (its data colour space field):
     * 1 for grey, 3 for RGB, 4 for CMYK, 0 for any other.
     */
    private static int channels(HeaderBytes in, long offset) {
        if (in.ascii(offset, "GRAY")) {
            return 1;
        }
        if (in.ascii(offset, "RGB ")) {
            return 3;
        }
        return in.ascii(offset, "CMYK") ? 4 : 0;
    }

    private static void checkCodingSupported(int marker, int precision) {
        if (marker >= 0xC9) {
            throw new ThumbnailException(ErrorCode.UNSUPPORTED_FORMAT, "arithmetic-coded JPEG is not supported");
        }
        if (marker >= 0xC5) {
            throw new ThumbnailException(ErrorCode.UNSUPPORTED_FORMAT, "hierarchical JPEG is not supported");
        }
        // Neither the JDK nor TwelveMonkeys decodes 12-bit DCT JPEG (TwelveMonkeys fails with a misleading error).
        if (precision != 8 && marker != 0xC3) {
            throw new ThumbnailException(ErrorCode.UNSUPPORTED_FORMAT,
                    precision + "-bit JPEG is not supported; only 8-bit JPEG is decoded");
        }
    }
}
