package io.thumbnail.internal.image.header;

import io.thumbnail.ImageFormat;

/** Reads the size of a BMP from its file and DIB headers (OS/2 core header or any BITMAPINFOHEADER variant). */
final class BmpHeaderReader {
    private static final int DIB = 14;

    private BmpHeaderReader() {
    }

    static ImageHeader read(ImageBytes data) {
        HeaderBytes in = new HeaderBytes(data, ImageFormat.BMP, false);
        long dibSize = in.u32(DIB);
        long width;
        long height;
        if (dibSize == 12) {
            width = in.u16(DIB + 4);
            height = in.u16(DIB + 6);
        } else if (dibSize >= 40) {
            width = (int) in.u32(DIB + 4);
            // Negative height means rows stored top-down.
            height = Math.abs((long) (int) in.u32(DIB + 8));
        } else {
            throw in.corrupt("unknown DIB header size " + dibSize);
        }
        if (width < 1 || height < 1 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
            throw in.corrupt("the header declares " + width + "x" + height);
        }
        return new ImageHeader(ImageFormat.BMP, (int) width, (int) height, 1, 1);
    }

    /**
     * Whether an uncompressed BMP holds all its rows; the JDK reader returns a cut-off one silently.
     * Run-length encoded and embedded JPEG/PNG data cannot be checked this way and count as complete.
     */
    static boolean isComplete(byte[] data) {
        HeaderBytes in = new HeaderBytes(data, ImageFormat.BMP, false);
        long dibSize = in.u32(DIB);
        if (dibSize < 40) {
            return true;
        }
        long compression = in.u32(DIB + 16);
        boolean uncompressed = compression == 0 || compression == 3 || compression == 6;
        if (!uncompressed) {
            return true;
        }
        long width = (int) in.u32(DIB + 4);
        long height = Math.abs((long) (int) in.u32(DIB + 8));
        long bitsPerPixel = in.u16(DIB + 14);
        long rowBytes = (bitsPerPixel * width + 31) / 32 * 4;
        return in.u32(10) + rowBytes * height <= data.length;
    }
}
