package io.thumbnail.internal.image;

/**
 * The entropy decoder of {@link DctScaledJpegReader}: walks one scan's blocks in order, restart interval by
 * restart interval, and turns each block into its mean at 1/8 or its four quadrants' means at 1/4 (a sequential
 * scan), or into its DC coefficient (a progressive DC scan, first or refinement pass). At 1/8 the AC
 * coefficients are skipped without being stored; at 1/4 they add into the quadrant sums as they are decoded.
 *
 * <p>The bit position only moves forward by what the codes consume, so after each MCU it is checked against the
 * end of the interval's data: a scan whose codes need more bits than it has is inconsistent or truncated, and the
 * whole decode gives up. {@link EntropyData#PADDING} keeps the reads of that one MCU inside the array.
 * A 64-bit buffer holds the next bits, topped up eight bytes at a time.
 */
final class BlockDecoder {
    /** Mode of a sequential scan: every coefficient, means written to the result. */
    static final int FULL = Integer.MIN_VALUE;
    private static final int FAST = HuffmanTable.FAST_BITS;

    final EntropyData data;
    /** The frame's tables as DHT segments define them (shared with the reader, which fills them). */
    private final HuffmanTable[] dcTables;
    private final HuffmanTable[] acTables;
    private final int[] preds = new int[3];
    private final HuffmanTable[] dc = new HuffmanTable[3];
    private final HuffmanTable[] ac = new HuffmanTable[3];
    private final int[] dcQuant = new int[3];
    private final ReducedImage image;
    /** The quadrant arithmetic at 1/4, null at 1/8. */
    private final BlockMeans means;
    private int[] comps;
    private int mode;
    /** The bit buffer: {@code count} bits not yet used at the top of {@code bits}, then {@code next} byte. */
    private long bits;
    private int count;
    private int next;

    /** @param n samples per block side: 1 or 2 */
    BlockDecoder(EntropyData data, int n, ReducedImage image, HuffmanTable[] dcTables, HuffmanTable[] acTables) {
        this.data = data;
        this.dcTables = dcTables;
        this.acTables = acTables;
        this.image = image;
        this.means = n == 1 ? null : new BlockMeans(image);
    }

    /**
     * @param mode {@link #FULL}; for a progressive DC scan its point transform Al for a first pass, -1 - Al for
     *             a refinement pass
     */
    void start(byte[] d, int from, int[] scanComps, int[] dcTable, int[] acTable, int mode) {
        this.comps = scanComps;
        this.mode = mode;
        for (int s = 0; s < scanComps.length; s++) {
            dc[s] = dcTables[dcTable[s]];
            ac[s] = acTables[acTable[s]];
        }
        data.load(d, from);
    }

    /** Sets the dequantisation of scan component {@code s} from its quantisation table (zigzag order). */
    void weights(int s, int[] quant) {
        dcQuant[s] = quant[0];
        if (means != null) {
            means.weights(s, quant);
        }
    }

    /**
     * Decodes {@code mcus} MCUs ({@code perRow} to a row; one block each for a single-component scan).
     * Returns false if the data is inconsistent: a bad code, too few restart intervals, bits past an interval.
     */
    boolean decode(int mcus, int restartInterval, int perRow, boolean single, int[] hs, int[] vs, int[][] dcs,
                   int[] dcStrides) {
        int needed = restartInterval == 0 ? 1 : (mcus + restartInterval - 1) / restartInterval;
        if (data.intervals < needed || (restartInterval == 0 && data.intervals > 1)) {
            return false;
        }
        int mcu = 0;
        for (int interval = 0; interval < needed; interval++) {
            bits = 0;
            count = 0;
            next = data.starts[interval];
            long limit = (long) (interval + 1 < data.intervals ? data.starts[interval + 1] : data.length) << 3;
            preds[0] = 0;
            preds[1] = 0;
            preds[2] = 0;
            int inInterval = restartInterval == 0 ? mcus : Math.min(restartInterval, mcus - mcu);
            for (int m = 0; m < inInterval; m++, mcu++) {
                int mx = mcu % perRow;
                int my = mcu / perRow;
                for (int s = 0; s < comps.length; s++) {
                    int c = comps[s];
                    int h = single ? 1 : hs[c];
                    int v = single ? 1 : vs[c];
                    for (int by = my * v; by < my * v + v; by++) {
                        for (int bx = mx * h; bx < mx * h + h; bx++) {
                            boolean ok = mode == FULL ? block(s, c, bx, by)
                                    : dcBlock(s, dcs[c], dcStrides[c], bx, by);
                            if (!ok) {
                                return false;
                            }
                        }
                    }
                }
                if ((long) next * 8 - count > limit) {
                    return false;
                }
            }
        }
        return true;
    }

    /** A progressive DC block: the first pass's difference, or a refinement pass's one bit. */
    private boolean dcBlock(int s, int[] coefs, int stride, int bx, int by) {
        int index = by * stride + bx;
        if (count < 32) {
            refill();
        }
        if (mode < 0) {
            coefs[index] |= (int) (bits >>> 63) << (-1 - mode);
            bits <<= 1;
            count--;
            return true;
        }
        int diff = dcDiff(dc[s]);
        if (diff == Integer.MIN_VALUE) {
            return false;
        }
        coefs[index] = (preds[s] += diff) << mode;
        return true;
    }

    /** The next DC difference (at least 32 bits must be buffered), or Integer.MIN_VALUE for a bad code. */
    private int dcDiff(HuffmanTable table) {
        long buf = bits;
        int e = table.fast[(int) (buf >>> (64 - FAST))];
        int len = e >>> 8 & 0xFF;
        int size = e & 0xFF;
        if (e == 0) {
            len = slowLength(table, buf);
            if (len < 0) {
                return Integer.MIN_VALUE;
            }
            size = table.symbols[table.valueOffset[len] + (int) (buf >>> (64 - len))];
        }
        if (size > 11) {
            return Integer.MIN_VALUE;
        }
        bits = buf << (len + size);
        count -= len + size;
        return size == 0 ? 0 : extend((int) ((buf << len) >>> (64 - size)), size);
    }

    /** Tops the bit buffer up to at least 56 bits from the next bytes (reading ahead is harmless: all zeros). */
    private void refill() {
        bits |= (long) EntropyData.LONGS.get(data.bytes, next) >>> count;
        int add = (63 - count) >>> 3;
        next += add;
        count += add << 3;
    }

    /** A sequential block: DC, then the AC coefficients, which only count for the quadrants' means. */
    private boolean block(int s, int c, int bx, int by) {
        if (count < 32) {
            refill();
        }
        int diff = dcDiff(dc[s]);
        if (diff == Integer.MIN_VALUE) {
            return false;
        }
        int dcValue = preds[s] += diff;
        if (means != null) {
            return quadrants(s, c, bx, by, dcValue);
        }
        // At 1/8 only the DC counts: the AC codes are stepped over, their values never formed. A loop of its own:
        // sharing one method with the quadrant arithmetic, the hot loop's compiled code depended on the JVM instance
        // and was a third slower in most; kept apart, C2 compiles each small loop the same way every time.
        if (!skipAcs(ac[s])) {
            return false;
        }
        image.put(c, bx, by, ReducedImage.clamp((dcValue * dcQuant[s] + 1028) >> 3));
        return true;
    }

    /** Steps over one block's AC codes; false for a code that is none of the table's or an oversized value. */
    private boolean skipAcs(HuffmanTable table) {
        byte[] bytes = data.bytes;
        // The bit buffer in locals: the loop's only dependency chain is look-up, shift, look-up.
        long buf = bits;
        int cnt = count;
        int nx = next;
        int k = 1;
        while (k < 64) {
            if (cnt < 32) {
                buf |= (long) EntropyData.LONGS.get(bytes, nx) >>> cnt;
                int add = (63 - cnt) >>> 3;
                nx += add;
                cnt += add << 3;
            }
            int e = table.fast[(int) (buf >>> (64 - FAST))];
            if (e == 0) {
                int len = slowLength(table, buf);
                if (len < 0) {
                    return false;
                }
                e = HuffmanTable.entry(len, table.symbols[table.valueOffset[len] + (int) (buf >>> (64 - len))]);
            }
            // Code and extra bits in one shift.
            buf <<= e >>> 16;
            cnt -= e >>> 16;
            int size = e & 15;
            int run = (e >>> 4) & 15;
            if (size == 0) {
                if (run != 15) {
                    break;
                }
                k += 16;
                continue;
            }
            if (size > 10) {
                return false;
            }
            k += run + 1;
        }
        bits = buf;
        count = cnt;
        next = nx;
        return true;
    }

    /**
     * The AC coefficients of a block at 1/4, added into its four quadrants' sums as they are decoded. Its loop
     * head (refill, look-up) repeats {@link #skipAcs}'s on purpose: one loop per method is what keeps C2's code for
     * each of them fast (see {@link #block}).
     */
    private boolean quadrants(int s, int c, int bx, int by, int dcValue) {
        HuffmanTable table = ac[s];
        byte[] bytes = data.bytes;
        // The four quadrant sums are kept right here, in registers (fixed point, see BlockMeans).
        int[] quadrants = means.quadrantWeights(s);
        long topLeft = 0;
        long topRight = 0;
        long bottomLeft = 0;
        long bottomRight = 0;
        long buf = bits;
        int cnt = count;
        int nx = next;
        int k = 1;
        while (k < 64) {
            if (cnt < 32) {
                buf |= (long) EntropyData.LONGS.get(bytes, nx) >>> cnt;
                int add = (63 - cnt) >>> 3;
                nx += add;
                cnt += add << 3;
            }
            // One look-up per code and no data-dependent branches but the block's end: codes and signs of
            // camera photos are too varied for a branch predictor.
            int e = table.fast[(int) (buf >>> (64 - FAST))];
            if (e == 0) {
                int len = slowLength(table, buf);
                if (len < 0) {
                    return false;
                }
                e = HuffmanTable.entry(len, table.symbols[table.valueOffset[len] + (int) (buf >>> (64 - len))]);
            }
            int len = e >>> 8 & 0xFF;
            int size = e & 15;
            int run = (e >>> 4) & 15;
            int raw = (int) ((buf << len) >>> 1 >>> (63 - size));
            buf <<= e >>> 16;
            cnt -= e >>> 16;
            if (size == 0) {
                if (run != 15) {
                    break;
                }
                k += 16;
                continue;
            }
            if (size > 10) {
                return false;
            }
            k += run;
            // Coefficients past the block (a corrupt run) count for nothing; the weights of the others are zero
            // where the frequency averages to zero.
            int at = (k & 63) * 4;
            long value = extend(raw, size) & -((k - 64) >>> 31);
            topLeft += value * quadrants[at];
            topRight += value * quadrants[at + 1];
            bottomLeft += value * quadrants[at + 2];
            bottomRight += value * quadrants[at + 3];
            k++;
        }
        bits = buf;
        count = cnt;
        next = nx;
        means.writeQuadrants(s, dcValue, topLeft, topRight, bottomLeft, bottomRight, c, bx, by);
        return true;
    }

    /** The length of a code longer than the fast look-up, or -1 when the bits are no code of the table. */
    private static int slowLength(HuffmanTable table, long word) {
        int code16 = (int) (word >>> 48);
        for (int len = FAST + 1; len <= 16; len++) {
            if (code16 >>> (16 - len) <= table.maxCode[len]) {
                return len;
            }
        }
        return -1;
    }

    /** The signed value of {@code size} extra bits (size 1-15): branch-free, signs being unpredictable. */
    private static int extend(int bits, int size) {
        return bits + (((bits >>> (size - 1) & 1) - 1) & (1 - (1 << size)));
    }
}
