package io.thumbnail.internal.image.jpeg;

import io.thumbnail.internal.image.header.HeaderBytes;
import io.thumbnail.internal.image.header.JpegMarkers;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * What the markers before a JPEG's first scan say: frame type and size, components, colour transform and the
 * embedded ICC profile. Read in one pass over the header bytes, no pixels.
 *
 * @param progressive     a SOF2 frame
 * @param firstScanEnd    for a progressive JPEG whose first scan holds the DC coefficients of every component
 *                        (libjpeg's and most encoders' progression), the offset where that scan ends: decoding up
 *                        to there gives each 8x8 block's mean. -1 otherwise
 * @param lowPassEnd      when {@code firstScanEnd} is set, the offset where the first later scan with the luma's
 *                        lowest AC coefficients (spectral selection from 1, first approximation) ends: decoding up
 *                        to there gives luma detail down to a few pixels. -1 when there is no such scan
 * @param icc             the assembled ICC profile, or {@code null} if there is none
 * @param iccMarkers      the offsets of the marker codes (0xE2) of the segments carrying it, in file order
 */
record JpegLayout(int width, int height, int components, boolean progressive, int firstScanEnd, int lowPassEnd,
                  byte[] icc, int[] iccMarkers) {

    /**
     * Parses the header, or returns {@code null} for anything but an 8-bit Huffman-coded JPEG with one (grey) or
     * three (YCbCr) components: CMYK, YCCK, RGB-coded, 12-bit, arithmetic-coded and damaged headers go to the
     * general decoder.
     */
    static JpegLayout parse(byte[] d) {
        return parse(ByteBuffer.wrap(d));
    }

    /** As {@link #parse(byte[])}, for the buffer's bytes from 0 to its limit. */
    static JpegLayout parse(ByteBuffer d) {
        JpegSegments segments = JpegSegments.afterSoi(d);
        if (segments == null) {
            return null;
        }
        JpegFrame frame = null;
        int adobeTransform = -1;
        byte[][] iccChunks = null;
        int[] iccMarkers = new int[0];
        int marker;
        while ((marker = segments.next()) != JpegMarkers.SOS) {
            int body = segments.body();
            int length = segments.length();
            if (marker == JpegSegments.END || JpegMarkers.isStandalone(marker)) {
                return null;
            }
            if (marker == JpegMarkers.SOF0 || marker == JpegMarkers.SOF1 || marker == JpegMarkers.SOF2) {
                frame = JpegFrame.read(d, body, segments.end(), marker);
                if (frame == null || frame.precision() != 8) {
                    return null;
                }
            } else if (JpegMarkers.isFrame(marker)) {
                return null;
            } else if (marker == JpegMarkers.APP14 && length >= 12 && HeaderBytes.ascii(d, body, "Adobe")) {
                adobeTransform = d.get(body + 11) & 0xFF;
            } else if (marker == JpegMarkers.APP2 && length > 14 && HeaderBytes.ascii(d, body, "ICC_PROFILE\0")) {
                int seq = d.get(body + 12) & 0xFF;
                int count = d.get(body + 13) & 0xFF;
                if (iccChunks == null) {
                    iccChunks = new byte[Math.max(1, count)][];
                }
                if (seq < 1 || seq > iccChunks.length) {
                    return null;
                }
                iccChunks[seq - 1] = new byte[segments.end() - body - 14];
                d.get(body + 14, iccChunks[seq - 1]);
                iccMarkers = Arrays.copyOf(iccMarkers, iccMarkers.length + 1);
                iccMarkers[iccMarkers.length - 1] = body - 3;
            }
        }
        int body = segments.body();
        int ns = d.get(body) & 0xFF;
        if (frame == null || frame.width() < 1 || frame.height() < 1
                || !(frame.components() == 1 || frame.components() == 3) || segments.length() < 4 + 2 * ns) {
            return null;
        }
        int ss = d.get(body + 1 + 2 * ns) & 0xFF;
        int se = d.get(body + 2 + 2 * ns) & 0xFF;
        int components = frame.components();
        boolean dcOnly = frame.progressive() && ns == components && ss == 0 && se == 0;
        int[] ids = frame.ids();
        boolean rgbIds = components == 3 && ids[0] == 'R' && ids[1] == 'G' && ids[2] == 'B';
        if (components == 3 && (rgbIds || adobeTransform == 0)) {
            return null;
        }
        byte[] icc = assemble(iccChunks);
        if (iccChunks != null && icc == null) {
            return null;
        }
        int firstEnd = dcOnly ? segments.skipScanData() : -1;
        return new JpegLayout(frame.width(), frame.height(), components, frame.progressive(), firstEnd,
                lowPassEnd(d, firstEnd, ids[0]), icc, iccMarkers);
    }

    /**
     * Walks the scans after the one ending at {@code from} to the first that starts the luma's AC coefficients
     * (Ss = 1, Ah = 0) and returns where it ends; -1 if none comes before the end of the image or the markers
     * between scans are anything but tables, restart intervals and application data.
     */
    private static int lowPassEnd(ByteBuffer d, int from, int lumaId) {
        JpegSegments segments = JpegSegments.from(d, from);
        while (true) {
            int marker = segments.next();
            if (marker == JpegMarkers.SOS) {
                int body = segments.body();
                int ns = d.get(body) & 0xFF;
                if (segments.length() < 4 + 2 * ns) {
                    return -1;
                }
                int spectral = body + 1 + 2 * ns;
                boolean luma = false;
                for (int c = 0; c < ns; c++) {
                    luma |= (d.get(body + 1 + 2 * c) & 0xFF) == lumaId;
                }
                int scanEnd = segments.skipScanData();
                if (luma && (d.get(spectral) & 0xFF) == 1 && (d.get(spectral + 2) & 0xF0) == 0) {
                    return scanEnd;
                }
            } else if (!isBetweenScans(marker)) {
                return -1;
            }
        }
    }

    /** Tables, restart intervals, application data and comments: what may stand between two scans. */
    private static boolean isBetweenScans(int marker) {
        return marker == JpegMarkers.DHT || marker == JpegMarkers.DQT || marker == JpegMarkers.DRI
                || (marker >= 0xE0 && marker <= 0xEF) || marker == JpegMarkers.COM;
    }

    private static byte[] assemble(byte[][] chunks) {
        if (chunks == null) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] chunk : chunks) {
            if (chunk == null) {
                return null;
            }
            out.writeBytes(chunk);
        }
        return out.size() == 0 ? null : out.toByteArray();
    }
}
