package io.thumbnail.internal.image;

/**
 * Walks a JPEG's marker segments, bounds-checked: the one marker walker of the JPEG fast path ({@link JpegLayout}
 * reads what the header says with it, {@link DctScaledJpegReader} decodes with it). A segment is a marker and its
 * length-prefixed body; standalone markers (SOI, EOI, RSTn, TEM) have no body. Fill bytes (0xFF) before a marker
 * are skipped. Anything else where a marker should be, a length under 2 or a body running past the data ends the
 * walk: {@link #next} then returns {@link #END}. Every step moves forward, so no input makes the walk loop.
 */
final class JpegSegments {
    /** What {@link #next} returns when the data ends or is not a marker segment. */
    static final int END = -1;
    static final int SOF0 = 0xC0;
    static final int SOF1 = 0xC1;
    static final int SOF2 = 0xC2;
    static final int DHT = 0xC4;
    static final int SOI = 0xD8;
    static final int EOI = 0xD9;
    static final int SOS = 0xDA;
    static final int DQT = 0xDB;
    static final int DNL = 0xDC;
    static final int DRI = 0xDD;
    static final int APP1 = 0xE1;
    static final int APP2 = 0xE2;
    static final int APP14 = 0xEE;
    static final int APP15 = 0xEF;
    static final int COM = 0xFE;

    private final byte[] d;
    /** Where the next marker (or its fill bytes) should be. */
    private int at;
    private int body;
    private int end;

    private JpegSegments(byte[] data, int from) {
        this.d = data;
        this.at = from;
    }

    /** The segments after the start-of-image marker, or {@code null} when the data does not start with one. */
    static JpegSegments afterSoi(byte[] data) {
        if (data.length < 4 || (data[0] & 0xFF) != 0xFF || (data[1] & 0xFF) != SOI) {
            return null;
        }
        return new JpegSegments(data, 2);
    }

    /** The segments from the marker at {@code from} on (a negative {@code from} gives none). */
    static JpegSegments from(byte[] data, int from) {
        return new JpegSegments(data, from);
    }

    /** Moves to the next segment and returns its marker (0x01-0xFE), or {@link #END}. */
    int next() {
        while (at >= 0 && at + 1 < d.length && (d[at] & 0xFF) == 0xFF && (d[at + 1] & 0xFF) == 0xFF) {
            at++;
        }
        if (at < 0 || at + 2 > d.length || (d[at] & 0xFF) != 0xFF) {
            return END;
        }
        int marker = d[at + 1] & 0xFF;
        if (isStandalone(marker)) {
            body = at + 2;
            end = body;
            at = end;
            return marker;
        }
        if (at + 4 > d.length) {
            return END;
        }
        int length = u16(d, at + 2);
        if (length < 2 || at + 2 + length > d.length) {
            return END;
        }
        body = at + 4;
        end = at + 2 + length;
        at = end;
        return marker;
    }

    /** The offset of the current segment's body (after its length). */
    int body() {
        return body;
    }

    /** The offset just past the current segment. */
    int end() {
        return end;
    }

    /** The current segment's body length. */
    int length() {
        return end - body;
    }

    /** Continues the walk at {@code offset}: where a scan's entropy-coded data ends. */
    void resumeAt(int offset) {
        at = offset;
    }

    /**
     * After an SOS segment: moves past the scan's entropy-coded data and returns the offset of the marker that
     * ends it, or -1 (and the walk ends) when the data runs out first.
     */
    int skipScanData() {
        int marker = EntropyData.skip(d, at);
        at = marker < d.length ? marker : -1;
        return at;
    }

    /**
     * Whether an end-of-image marker (FF D9) stands at or after {@code from}. Searched from the end backwards: in
     * a complete file it is found at once instead of after a pass over megabytes of image data.
     */
    static boolean hasEoiFrom(byte[] d, int from) {
        for (int i = d.length - 2; i >= Math.max(0, from); i--) {
            if ((d[i] & 0xFF) == 0xFF && (d[i + 1] & 0xFF) == EOI) {
                return true;
            }
        }
        return false;
    }

    /** SOF0-SOF15, without DHT (C4), JPG (C8) and DAC (CC), which share the range. */
    static boolean isFrame(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != DHT && marker != 0xC8 && marker != 0xCC;
    }

    /** Markers without a length: TEM, RST0-RST7, SOI and EOI. */
    static boolean isStandalone(int marker) {
        return marker == 0x01 || (marker >= 0xD0 && marker <= EOI);
    }

    static int u16(byte[] d, int i) {
        return (d[i] & 0xFF) << 8 | (d[i + 1] & 0xFF);
    }
}
