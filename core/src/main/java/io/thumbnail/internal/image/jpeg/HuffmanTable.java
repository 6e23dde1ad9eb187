package io.thumbnail.internal.image.jpeg;

import java.nio.ByteBuffer;

/**
 * One JPEG Huffman table (a DHT entry) in the forms the entropy decoder reads fastest: a look-up on the next
 * {@link #FAST_BITS} bits for short codes (nearly all of them), the canonical code ranges for the rest.
 *
 * <p>A second look-up that also takes an AC coefficient's extra bits (stb_image's {@code fast_ac}) was tried and
 * was no faster on camera photos: their codes plus extra bits too often exceed the look-up's width, and the
 * two paths then cost a mispredicted branch.
 */
final class HuffmanTable {
    /** Look-up width: 2^10 ints (4 KB) per table stay in the first-level cache and catch most codes. */
    static final int FAST_BITS = 10;
    /** By the next FAST_BITS bits: an {@link #entry}, or 0 when the code is longer. */
    final int[] fast = new int[1 << FAST_BITS];
    /** By code length 1-16: the largest code of that length, -1 when there is none. */
    final int[] maxCode = new int[18];
    /** By code length: index in {@link #symbols} of the first code of that length, minus that code. */
    final int[] valueOffset = new int[18];
    final int[] symbols;

    private HuffmanTable(int[] counts, int[] symbols) {
        this.symbols = symbols;
        int code = 0;
        int k = 0;
        for (int len = 1; len <= 16; len++) {
            valueOffset[len] = k - code;
            for (int i = 0; i < counts[len]; i++, k++, code++) {
                if (len <= FAST_BITS) {
                    int shift = FAST_BITS - len;
                    for (int f = code << shift, end = (code + 1) << shift; f < end; f++) {
                        fast[f] = entry(len, symbols[k]);
                    }
                }
            }
            maxCode[len] = counts[len] == 0 ? -1 : code - 1;
            code <<= 1;
        }
    }

    /**
     * A code's length (bits 8-15) and symbol (0-7), and the bits an AC code takes with its extra bits, the
     * symbol's low four (16-20): the decoder shifts them out without adding them up on its critical path.
     */
    static int entry(int length, int symbol) {
        return (length + (symbol & 15)) << 16 | length << 8 | symbol;
    }

    /**
     * Reads a DHT table body at {@code at}: 16 counts then the symbols. Returns {@code null} when the counts do
     * not fit the segment or the code space (an over-full table has codes that cannot be told apart).
     */
    static HuffmanTable read(ByteBuffer d, int at, int end) {
        if (at + 16 > end) {
            return null;
        }
        int[] counts = new int[17];
        int total = 0;
        long space = 1L << 16;
        for (int len = 1; len <= 16; len++) {
            counts[len] = d.get(at + len - 1) & 0xFF;
            total += counts[len];
            space -= (long) counts[len] << (16 - len);
        }
        if (total > 256 || at + 16 + total > end || space < 0) {
            return null;
        }
        int[] symbols = new int[total];
        for (int i = 0; i < total; i++) {
            symbols[i] = d.get(at + 16 + i) & 0xFF;
        }
        return new HuffmanTable(counts, symbols);
    }
}
