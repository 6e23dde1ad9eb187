package io.thumbnail.internal.image.jpeg;

import java.nio.ByteBuffer;

/**
 * The Huffman and quantisation tables a JPEG has defined so far (DHT and DQT segments may come before any scan,
 * and redefine tables between scans). Table indexes outside 0-3, 12-bit style table precisions and tables that
 * run past their segment are refused.
 */
final class JpegTables {
    final HuffmanTable[] dc = new HuffmanTable[4];
    final HuffmanTable[] ac = new HuffmanTable[4];
    /** Per table, its 64 quantisers in zigzag order; null until defined. */
    final int[][] quant = new int[4][];

    /** Reads a DHT segment body; false if it is malformed. */
    boolean readHuffman(ByteBuffer d, int at, int end) {
        int p = at;
        while (p < end) {
            int tc = (d.get(p) & 0xFF) >>> 4;
            int th = d.get(p) & 15;
            HuffmanTable table = tc > 1 || th > 3 ? null : HuffmanTable.read(d, p + 1, end);
            if (table == null) {
                return false;
            }
            (tc == 0 ? dc : ac)[th] = table;
            p += 1 + 16 + table.symbols.length;
        }
        return true;
    }

    /** Reads a DQT segment body (8- or 16-bit entries); false if it is malformed. */
    boolean readQuant(ByteBuffer d, int at, int end) {
        int p = at;
        while (p < end) {
            int pq = (d.get(p) & 0xFF) >>> 4;
            int tq = d.get(p) & 15;
            int size = pq == 0 ? 64 : 128;
            if (pq > 1 || tq > 3 || p + 1 + size > end) {
                return false;
            }
            int[] q = new int[64];
            for (int k = 0; k < 64; k++) {
                q[k] = pq == 0 ? d.get(p + 1 + k) & 0xFF
                        : (d.get(p + 1 + 2 * k) & 0xFF) << 8 | (d.get(p + 2 + 2 * k) & 0xFF);
            }
            quant[tq] = q;
            p += 1 + size;
        }
        return true;
    }
}
