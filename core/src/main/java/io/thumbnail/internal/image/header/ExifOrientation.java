package io.thumbnail.internal.image.header;

import io.thumbnail.ImageFormat;
import io.thumbnail.ThumbnailException;

/** Reads the EXIF orientation tag; broken or hostile EXIF means orientation 1, never a refused image. */
final class ExifOrientation {
    static final int NORMAL = 1;
    /** EXIF holds at most 64 KB in a JPEG; a chunk far larger is no EXIF worth reading for one tag. */
    private static final long MAX_CHUNK_BYTES = 1 << 20;

    private ExifOrientation() {
    }

    /** The orientation in a TIFF-structured EXIF block (what follows "Exif\0\0" in a JPEG APP1 segment). */
    static int read(byte[] tiffStructure, ImageFormat format) {
        try {
            TiffDirectory ifd0 = TiffDirectory.readFirst(new HeaderBytes(tiffStructure, format, true));
            return valid(ifd0.integer(TiffDirectory.ORIENTATION).orElse(NORMAL));
        } catch (ThumbnailException e) {
            return NORMAL;
        }
    }

    /**
     * The orientation in an EXIF block carried whole in a chunk of its own (PNG's eXIf, WebP's EXIF): TIFF-structured,
     * perhaps after the "Exif\0\0" a JPEG puts first; 1 when it is larger than any real one or unreadable.
     */
    static int readChunk(HeaderBytes in, long offset, long length, ImageFormat format) {
        if (length < 8 || length > MAX_CHUNK_BYTES) {
            return NORMAL;
        }
        long start = in.ascii(offset, "Exif") ? offset + 6 : offset;
        return read(in.copy(start, offset + length), format);
    }

    /** The orientation itself when it is one of the eight defined values, else 1. */
    static int valid(long orientation) {
        return orientation >= 1 && orientation <= 8 ? (int) orientation : NORMAL;
    }
}
