package io.thumbnail.internal.image.header;

import io.thumbnail.ImageFormat;
import io.thumbnail.ThumbnailException;

/** Reads the EXIF orientation tag; broken or hostile EXIF means orientation 1, never a refused image. */
final class ExifOrientation {
    static final int NORMAL = 1;

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

    /** The orientation itself when it is one of the eight defined values, else 1. */
    static int valid(long orientation) {
        return orientation >= 1 && orientation <= 8 ? (int) orientation : NORMAL;
    }
}
