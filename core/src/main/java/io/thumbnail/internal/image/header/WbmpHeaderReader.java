package io.thumbnail.internal.image.header;

import io.thumbnail.ImageFormat;

/**
 * Reads a WBMP (type 0) header: two zero bytes, then width and height as multi-byte integers. WBMP has no
 * magic number, so a header only counts when the pixel bytes that follow have exactly the declared size.
 */
final class WbmpHeaderReader {
    private WbmpHeaderReader() {
    }

    static ImageHeader read(ImageBytes data) {
        long[] size = size(data);
        if (size == null || size[0] > Integer.MAX_VALUE || size[1] > Integer.MAX_VALUE) {
            throw new HeaderBytes(data, ImageFormat.WBMP, true).corrupt("the header is malformed");
        }
        // Black and white is all a WBMP holds: greyscale.
        return new ImageHeader(ImageFormat.WBMP, (int) size[0], (int) size[1], 1, 1, true);
    }

    /** {width, height} when {@code data} is a complete type-0 WBMP, else null. */
    static long[] size(ImageBytes data) {
        if (data.length() < 4 || data.at(0) != 0 || data.at(1) != 0) {
            return null;
        }
        long[] pos = {2};
        long width = multiByteInt(data, pos);
        long height = multiByteInt(data, pos);
        if (width <= 0 || height <= 0) {
            return null;
        }
        long rowBytes = (width + 7) / 8;
        return pos[0] + rowBytes * height == data.length() ? new long[] {width, height} : null;
    }

    /** Up to four 7-bit groups, high bit set on all but the last; -1 when longer or cut off. */
    private static long multiByteInt(ImageBytes data, long[] pos) {
        long value = 0;
        for (int i = 0; i < 4 && pos[0] < data.length(); i++) {
            int v = data.at(pos[0]++);
            value = (value << 7) | (v & 0x7F);
            if ((v & 0x80) == 0) {
                return value;
            }
        }
        return -1;
    }
}
