package io.thumbnail.internal.image.jpeg;

import io.thumbnail.internal.image.header.JpegMarkers;

import java.nio.ByteBuffer;

/**
 * Walks a JPEG's marker segments, bounds-checked: the one marker walker of the JPEG fast path ({@link JpegLayout}
 * reads what the header says with it, {@link DctScaledJpegReader} decodes with it). A segment is a marker and its
 * length-prefixed body; standalone markers (SOI, EOI, RSTn, TEM) have no body (the codes are {@link JpegMarkers}).
 * Fill bytes (0xFF) before a marker are skipped. Anything else where a marker should be, a length under 2 or a body
 * running past the data ends the walk: {@link #next} then returns {@link #END}. Every step moves forward, so no
 * input makes the walk loop.
 */
final class JpegSegments {
    /** What {@link #next} returns when the data ends or is not a marker segment. */
    static final int END = -1;

    private final ByteBuffer d;
    /** Where the next marker (or its fill bytes) should be. */
    private int at;
    private int body;
    private int end;

    private JpegSegments(ByteBuffer data, int from) {
        this.d = data;
        this.at = from;
    }

    /** The segments after the start-of-image marker, or {@code null} when the data does not start with one. */
    static JpegSegments afterSoi(byte[] data) {
        return afterSoi(ByteBuffer.wrap(data));
    }

    /** As {@link #afterSoi(byte[])} for the buffer's bytes from 0 to its limit. */
    static JpegSegments afterSoi(ByteBuffer data) {
        if (data.limit() < 4 || (data.get(0) & 0xFF) != 0xFF || (data.get(1) & 0xFF) != JpegMarkers.SOI) {
            return null;
        }
        return new JpegSegments(data, 2);
    }

    /** The segments from the marker at {@code from} on (a negative {@code from} gives none). */
    static JpegSegments from(ByteBuffer data, int from) {
        return new JpegSegments(data, from);
    }

    /** Moves to the next segment and returns its marker (0x01-0xFE), or {@link #END}. */
    int next() {
        while (at >= 0 && at + 1 < d.limit() && (d.get(at) & 0xFF) == 0xFF && (d.get(at + 1) & 0xFF) == 0xFF) {
            at++;
        }
        if (at < 0 || at + 2 > d.limit() || (d.get(at) & 0xFF) != 0xFF) {
            return END;
        }
        int marker = d.get(at + 1) & 0xFF;
        if (JpegMarkers.isStandalone(marker)) {
            body = at + 2;
            end = body;
            at = end;
            return marker;
        }
        if (at + 4 > d.limit()) {
            return END;
        }
        int length = JpegMarkers.u16(d, at + 2);
        if (length < 2 || at + 2 + length > d.limit()) {
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

    /** Whether the walk stopped exactly at the end of the data (not at something that is not a marker). */
    boolean exhausted() {
        return at == d.limit();
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
        at = marker < d.limit() ? marker : -1;
        return at;
    }
}
