package io.thumbnail.internal.image.jpeg;

import io.thumbnail.internal.image.header.JpegMarkers;

import java.nio.ByteBuffer;

/**
 * A JPEG frame header (the body of an SOFn segment): sample precision, size and, per component, its id,
 * sampling factors and quantisation table. Values are as the file states them; what is supported is the
 * reader's decision.
 */
record JpegFrame(int marker, int precision, int height, int width, int[] ids, int[] hs, int[] vs, int[] tqs) {

    /** The body at {@code [at, end)}, or {@code null} when it is shorter than its component count needs. */
    static JpegFrame read(ByteBuffer d, int at, int end, int marker) {
        if (end - at < 6) {
            return null;
        }
        int components = d.get(at + 5) & 0xFF;
        if (end - at < 6 + 3 * components) {
            return null;
        }
        int[] ids = new int[components];
        int[] hs = new int[components];
        int[] vs = new int[components];
        int[] tqs = new int[components];
        for (int c = 0; c < components; c++) {
            int p = at + 6 + 3 * c;
            ids[c] = d.get(p) & 0xFF;
            hs[c] = (d.get(p + 1) & 0xFF) >>> 4;
            vs[c] = d.get(p + 1) & 15;
            tqs[c] = d.get(p + 2) & 0xFF;
        }
        return new JpegFrame(marker, d.get(at) & 0xFF, JpegMarkers.u16(d, at + 1), JpegMarkers.u16(d, at + 3), ids, hs,
                vs, tqs);
    }

    int components() {
        return ids.length;
    }

    boolean progressive() {
        return marker == JpegMarkers.SOF2;
    }
}
