package io.thumbnail.internal.image.header;

import java.nio.ByteBuffer;

/**
 * The JPEG marker codes and what kind of segment each starts (ITU T.81, table B.1): shared by the header reader,
 * which walks a file's markers to its first scan, and by the DCT-domain decoder, which walks them to decode.
 */
public final class JpegMarkers {
    public static final int SOF0 = 0xC0;
    public static final int SOF1 = 0xC1;
    public static final int SOF2 = 0xC2;
    public static final int DHT = 0xC4;
    public static final int SOI = 0xD8;
    public static final int EOI = 0xD9;
    public static final int SOS = 0xDA;
    public static final int DQT = 0xDB;
    public static final int DNL = 0xDC;
    public static final int DRI = 0xDD;
    public static final int APP1 = 0xE1;
    public static final int APP2 = 0xE2;
    public static final int APP14 = 0xEE;
    public static final int APP15 = 0xEF;
    public static final int COM = 0xFE;

    private JpegMarkers() {
    }

    /**
     * Whether an end-of-image marker (FF D9) stands at or after {@code from}. Searched from the end backwards: in
     * a complete file it is found at once instead of after a pass over megabytes of image data.
     */
    public static boolean hasEoiFrom(byte[] d, int from) {
        for (int i = d.length - 2; i >= Math.max(0, from); i--) {
            if ((d[i] & 0xFF) == 0xFF && (d[i + 1] & 0xFF) == EOI) {
                return true;
            }
        }
        return false;
    }

    /** As {@link #hasEoiFrom(byte[], int)} for the buffer's bytes from 0 to its limit. */
    public static boolean hasEoiFrom(ByteBuffer d, int from) {
        for (int i = d.limit() - 2; i >= Math.max(0, from); i--) {
            if ((d.get(i) & 0xFF) == 0xFF && (d.get(i + 1) & 0xFF) == EOI) {
                return true;
            }
        }
        return false;
    }

    /** SOF0-SOF15, without DHT (C4), JPG (C8) and DAC (CC), which share the range. */
    public static boolean isFrame(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != DHT && marker != 0xC8 && marker != 0xCC;
    }

    /** Markers without a length: TEM, RST0-RST7, SOI and EOI. */
    public static boolean isStandalone(int marker) {
        return marker == 0x01 || (marker >= 0xD0 && marker <= EOI);
    }

    /** The big-endian 16-bit value at {@code i}: a segment's length and most header fields. */
    public static int u16(byte[] d, int i) {
        return (d[i] & 0xFF) << 8 | (d[i + 1] & 0xFF);
    }

    /** As {@link #u16(byte[], int)}, at index {@code i} of the buffer. */
    public static int u16(ByteBuffer d, int i) {
        return (d.get(i) & 0xFF) << 8 | (d.get(i + 1) & 0xFF);
    }
}
