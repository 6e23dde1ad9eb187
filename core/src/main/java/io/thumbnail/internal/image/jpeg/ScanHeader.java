package io.thumbnail.internal.image.jpeg;

import java.nio.ByteBuffer;

/**
 * A scan header (the body of an SOS segment), checked against its frame: the components it codes (as indexes into
 * the frame's) with their Huffman table numbers, its spectral selection {@code ss..se} and successive approximation
 * {@code ah, al}. Whether the Huffman tables it names are defined is the reader's check: that depends on the pass.
 */
record ScanHeader(int[] comps, int[] dcTables, int[] acTables, int ss, int se, int ah, int al) {

    /**
     * The body at {@code [at, end)}, or {@code null} when it is malformed, names a component the frame lacks, a
     * table number over 3 or a component whose quantisation table is not defined yet, or has a spectral selection
     * or successive approximation the frame's kind does not allow.
     */
    static ScanHeader read(ByteBuffer d, int at, int end, FrameGeometry frame, JpegTables tables) {
        int ns = d.get(at) & 0xFF;
        if (ns < 1 || ns > frame.components || end - at != 4 + 2 * ns) {
            return null;
        }
        int[] comps = new int[ns];
        int[] dcTables = new int[ns];
        int[] acTables = new int[ns];
        for (int s = 0; s < ns; s++) {
            comps[s] = frame.component(d.get(at + 1 + 2 * s) & 0xFF);
            dcTables[s] = (d.get(at + 2 + 2 * s) & 0xFF) >>> 4;
            acTables[s] = d.get(at + 2 + 2 * s) & 15;
            if (comps[s] < 0 || dcTables[s] > 3 || acTables[s] > 3 || tables.quant[frame.tqs[comps[s]]] == null) {
                return null;
            }
        }
        int ss = d.get(at + 1 + 2 * ns) & 0xFF;
        int se = d.get(at + 2 + 2 * ns) & 0xFF;
        int ah = (d.get(at + 3 + 2 * ns) & 0xFF) >>> 4;
        int al = d.get(at + 3 + 2 * ns) & 15;
        boolean valid;
        if (frame.progressive && ss > 0) {
            valid = se >= ss && se <= 63 && ns == 1;
        } else if (frame.progressive) {
            valid = se == 0 && al <= 13 && (ah == 0 || ah == al + 1);
        } else {
            valid = ss == 0 && se == 63 && ah == 0 && al == 0;
        }
        return valid ? new ScanHeader(comps, dcTables, acTables, ss, se, ah, al) : null;
    }

    /** Whether the scan codes AC coefficients only: a progressive AC scan, of one component. */
    boolean acOnly() {
        return ss > 0;
    }

    /** Whether the scan refines coefficients an earlier pass gave (a successive approximation after the first). */
    boolean refinement() {
        return ah != 0;
    }
}
