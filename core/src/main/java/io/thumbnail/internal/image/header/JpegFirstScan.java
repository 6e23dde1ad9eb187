package io.thumbnail.internal.image.header;

import io.thumbnail.ErrorCode;
import io.thumbnail.ThumbnailException;

import java.nio.ByteBuffer;

/**
 * The least a JPEG's first scan can hold. Every block the scan codes takes at least one Huffman code, and a Huffman
 * code is at least one bit: the DC difference, and in a sequential frame a second for the AC coefficients (the end
 * of block, or the last coefficient's). A frame header declaring far more blocks than the first scan's bytes can
 * code belongs to a damaged or forged file, which would otherwise cost a decoder a pass over every block it declares
 * (tens of megapixels from a few kilobytes, a pass per scan in a progressive file) before the data runs out. Only
 * what the spec makes certain is counted: lossless frames and first scans that break the spec are left to the
 * decoder.
 */
final class JpegFirstScan {
    private JpegFirstScan() {
    }

    /**
     * Refuses, as corrupt, a JPEG whose first scan is too short for the blocks its frame declares.
     *
     * @param frameMarker the SOF marker; {@code frame} to {@code frameEnd} its body
     * @param scan        the body of the first SOS segment, which ends at {@code scanEnd} where its data begins
     */
    static void check(ByteBuffer d, int frameMarker, int frame, int frameEnd, int scan, int scanEnd) {
        long blocks = blocks(d, frame, frameEnd, scan, scanEnd, frameMarker == JpegMarkers.SOF2);
        if (blocks == 0 || frameMarker == 0xC3) {
            return;
        }
        int bitsPerBlock = frameMarker == JpegMarkers.SOF2 ? 1 : 2;
        long least = (blocks * bitsPerBlock + 7) / 8;
        // Looked for no further than the least it needs: a baseline photo's first scan is the whole file.
        long bytes = dataEnd(d, scanEnd, (int) Math.min(d.limit(), scanEnd + least)) - scanEnd;
        if (bytes < least) {
            throw new ThumbnailException(ErrorCode.CORRUPT_IMAGE, "the jpeg image is corrupt: its first scan has "
                    + bytes + " bytes, too few for the " + blocks + " blocks of the " + JpegMarkers.u16(d, frame + 3)
                    + "x" + JpegMarkers.u16(d, frame + 1) + " pixels its frame header declares (they take at least "
                    + least + ")");
        }
    }

    /**
     * The blocks the first scan codes, or 0 when that cannot be told for certain: a component without sampling
     * factors, a scan of a component the frame lacks, a first scan that is not a first DC pass (progressive) or all
     * of the coefficients (sequential).
     */
    private static long blocks(ByteBuffer d, int frame, int frameEnd, int scan, int scanEnd, boolean progressive) {
        int components = d.get(frame + 5) & 0xFF;
        int ns = scanEnd > scan ? d.get(scan) & 0xFF : 0;
        if (components == 0 || frameEnd - frame < 6 + 3 * components || ns == 0 || scanEnd - scan < 4 + 2 * ns) {
            return 0;
        }
        int ss = d.get(scan + 1 + 2 * ns) & 0xFF;
        int se = d.get(scan + 2 + 2 * ns) & 0xFF;
        int ah = (d.get(scan + 3 + 2 * ns) & 0xFF) >>> 4;
        if (progressive ? ss != 0 || ah != 0 : ss != 0 || se != 63) {
            return 0;
        }
        int hMax = 1;
        int vMax = 1;
        for (int c = 0; c < components; c++) {
            int factors = d.get(frame + 7 + 3 * c) & 0xFF;
            if (factors >>> 4 == 0 || (factors & 15) == 0) {
                return 0;
            }
            hMax = Math.max(hMax, factors >>> 4);
            vMax = Math.max(vMax, factors & 15);
        }
        long width = JpegMarkers.u16(d, frame + 3);
        long height = JpegMarkers.u16(d, frame + 1);
        long blocks = 0;
        for (int s = 0; s < ns; s++) {
            int factors = factors(d, frame, components, d.get(scan + 1 + 2 * s) & 0xFF);
            if (factors < 0) {
                return 0;
            }
            int h = factors >>> 4;
            int v = factors & 15;
            if (ns == 1) {
                // A scan of one component codes its own blocks, not the MCU grid's.
                blocks = ceilDiv(ceilDiv(width * h, hMax), 8) * ceilDiv(ceilDiv(height * v, vMax), 8);
            } else {
                blocks += ceilDiv(width, 8L * hMax) * ceilDiv(height, 8L * vMax) * h * v;
            }
        }
        return blocks;
    }

    /** The sampling factors byte of the frame component with {@code id}, or -1. */
    private static int factors(ByteBuffer d, int frame, int components, int id) {
        for (int c = 0; c < components; c++) {
            if ((d.get(frame + 6 + 3 * c) & 0xFF) == id) {
                return d.get(frame + 7 + 3 * c) & 0xFF;
            }
        }
        return -1;
    }

    /**
     * Where the entropy-coded data from {@code from} ends: the first marker but a restart marker, or {@code until} if
     * none comes before it.
     */
    private static int dataEnd(ByteBuffer d, int from, int until) {
        int i = from;
        while (i < until && i + 1 < d.limit()) {
            if ((d.get(i) & 0xFF) == 0xFF) {
                int next = d.get(i + 1) & 0xFF;
                if (next != 0 && (next < 0xD0 || next > 0xD7) && next != 0xFF) {
                    return i;
                }
            }
            i++;
        }
        return Math.max(from, Math.min(until, d.limit()));
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
