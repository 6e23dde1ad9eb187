package io.thumbnail.internal.image;

/**
 * One JPEG Huffman table (a DHT entry) in the forms the entropy decoder reads fastest: a look-up on the next
 * {@link #FAST_BITS} bits for short codes, the canonical code ranges for the rest, and for AC tables a second
 * look-up that also takes the coefficient's extra bits, so that most AC coefficients cost one table read
 * (after stb_image's {@code fast_ac}).
 */
final class HuffmanTable {
    /** Look-up width: 2^10 ints (4 KB) per table stay in the first-level cache and catch most codes. */
    static final int FAST_BITS = 10;
    /** In {@link #fastAc}: the entry ends the block (EOB). */
    static final int EOB = 1 << 10;

    /** By the next FAST_BITS bits: code length << 8 | symbol, or 0 when the code is longer. */
    final int[] fast = new int[1 << FAST_BITS];
    /**
     * AC tables only, by the next FAST_BITS bits when code and extra bits fit in them: bits consumed (0-4),
     * zero run before the coefficient (5-9, 15 and no coefficient for ZRL), {@link #EOB}, and the coefficient's
     * value (16-31, signed); 0 when they do not fit.
     */
    final int[] fastAc;
    /** By code length 1-16: the largest code of that length, -1 when there is none. */
    final int[] maxCode = new int[18];
    /** By code length: index in {@link #symbols} of the first code of that length, minus that code. */
    final int[] valueOffset = new int[18];
    final int[] symbols;

    private HuffmanTable(int[] counts, int[] symbols, boolean ac) {
        this.symbols = symbols;
        int code = 0;
        int k = 0;
        for (int len = 1; len <= 16; len++) {
            valueOffset[len] = k - code;
            for (int i = 0; i < counts[len]; i++, k++, code++) {
                if (len <= FAST_BITS) {
                    int shift = FAST_BITS - len;
                    for (int f = code << shift, end = (code + 1) << shift; f < end; f++) {
                        fast[f] = len << 8 | symbols[k];
                    }
                }
            }
            maxCode[len] = counts[len] == 0 ? -1 : code - 1;
            code <<= 1;
        }
        fastAc = ac ? fastAc(fast) : null;
    }

    /**
     * Reads a DHT table body at {@code at}: 16 counts then the symbols. Returns {@code null} when the counts do
     * not fit the segment or the code space (an over-full table has codes that cannot be told apart).
     */
    static HuffmanTable read(byte[] d, int at, int end, boolean ac) {
        if (at + 16 > end) {
            return null;
        }
        int[] counts = new int[17];
        int total = 0;
        long space = 1L << 16;
        for (int len = 1; len <= 16; len++) {
            counts[len] = d[at + len - 1] & 0xFF;
            total += counts[len];
            space -= (long) counts[len] << (16 - len);
        }
        if (total > 256 || at + 16 + total > end || space < 0) {
            return null;
        }
        int[] symbols = new int[total];
        for (int i = 0; i < total; i++) {
            symbols[i] = d[at + 16 + i] & 0xFF;
        }
        return new HuffmanTable(counts, symbols, ac);
    }

    /** The number of bytes a DHT table body with these counts takes, or -1 if it runs past {@code end}. */
    static int length(byte[] d, int at, int end) {
        if (at + 16 > end) {
            return -1;
        }
        int total = 0;
        for (int i = 0; i < 16; i++) {
            total += d[at + i] & 0xFF;
        }
        return at + 16 + total > end ? -1 : 16 + total;
    }

    private static int[] fastAc(int[] fast) {
        int[] table = new int[fast.length];
        for (int i = 0; i < fast.length; i++) {
            int entry = fast[i];
            if (entry == 0) {
                continue;
            }
            int len = entry >>> 8;
            int rs = entry & 0xFF;
            int run = rs >>> 4;
            int size = rs & 15;
            if (size == 0) {
                table[i] = run == 15 ? len | 15 << 5 : len | EOB;
            } else if (size <= 10 && len + size <= FAST_BITS) {
                int bits = (i << len & ((1 << FAST_BITS) - 1)) >>> (FAST_BITS - size);
                int value = bits < 1 << (size - 1) ? bits - (1 << size) + 1 : bits;
                table[i] = value << 16 | run << 5 | (len + size);
            }
        }
        return table;
    }
}
