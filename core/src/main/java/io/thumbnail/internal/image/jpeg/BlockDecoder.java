package io.thumbnail.internal.image.jpeg;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The entropy decoder of {@link DctScaledJpegReader}: walks one scan's blocks in order, restart interval by
 * restart interval, and turns each block into its mean at 1/8 or its four quadrants' means at 1/4 (a sequential
 * scan), into its DC coefficient (a progressive DC scan, first or refinement pass), or adds its AC coefficients
 * into its quadrant sums (the first pass of a progressive AC scan). At 1/8 the AC coefficients are skipped without
 * being stored; at 1/4 they add into the quadrant sums as they are decoded. A sequential scan's blocks that the
 * image's edge cuts are read whole instead, for the means of their real samples ({@link EdgeMeans}).
 *
 * <p>The bit position only moves forward by what the codes consume, so after each MCU it is checked against the
 * end of the interval's data: a scan whose codes need more bits than it has is inconsistent or truncated, and the
 * whole decode gives up. {@link EntropyData#PADDING} keeps the reads of that one MCU inside the array.
 * A 64-bit buffer holds the next bits, topped up four bytes at a time.
 *
 * <p>Longer than most classes on purpose: these are the decoder's inner loops, one per scan kind, with the bit
 * buffer kept in locals and the Huffman lookups written out in each loop, because splitting them into calls or
 * sharing one generic loop costs the decode measurable time per coefficient. The rest of the decoder keeps to
 * small classes.
 */
final class BlockDecoder {
    /** Mode of a sequential scan: every coefficient, means written to the result. */
    static final int FULL = Integer.MIN_VALUE;
    /** Mode of a progressive AC scan's first pass (see {@link #startAc}). */
    static final int AC_FIRST = Integer.MIN_VALUE + 1;
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
    /** The means of the blocks the image's edge cuts, from all their coefficients. */
    private final EdgeMeans edges;
    /** Per scan component, its quantisation table (zigzag order), for {@link #edges}. */
    private final int[][] quant = new int[3][];
    /** An edge block's coefficients, zigzag order. */
    private final int[] coefs = new int[64];
    /**
     * A sequential scan: from this MCU across, and from this row of MCUs down, an MCU may hold edge blocks;
     * {@link Integer#MAX_VALUE} for other scans.
     */
    private int edgeMcuX;
    private int edgeMcuY;
    private int[] comps;
    private int mode;
    /** The scan being decoded: one component alone, the sampling factors, a progressive scan's DC store. */
    private boolean single;
    private int[] hs;
    private int[] vs;
    private int[][] dcs;
    private int[] dcStrides;
    /** A progressive AC scan: its band of coefficients, point transform and the blocks left in an EOB run. */
    private int ss;
    private int se;
    private int al;
    private int eobRun;
    /** A progressive AC scan: where its blocks' quadrant sums go, 4 per block, and each coefficient's weights. */
    private float[] acSums;
    private int acStride;
    private float[] acWeights;
    /** The bit buffer: {@code count} bits not yet used at the top of {@code bits}, then {@code next} byte. */
    private long bits;
    private int count;
    private int next;

    /** @param n samples per block side: 1 or 2 */
    BlockDecoder(EntropyData data, int n, ReducedImage image, HuffmanTable[] dcTables, HuffmanTable[] acTables,
                 EdgeMeans edges) {
        this.data = data;
        this.dcTables = dcTables;
        this.acTables = acTables;
        this.image = image;
        this.means = n == 1 ? null : new BlockMeans(image);
        this.edges = edges;
    }

    /**
     * @param mode {@link #FULL}; for a progressive DC scan its point transform Al for a first pass, -1 - Al for
     *             a refinement pass
     */
    void start(ByteBuffer d, int from, int[] scanComps, int[] dcTable, int[] acTable, int mode) {
        this.comps = scanComps;
        this.mode = mode;
        for (int s = 0; s < scanComps.length; s++) {
            dc[s] = dcTables[dcTable[s]];
            ac[s] = acTables[acTable[s]];
        }
        data.load(d, from);
    }

    /**
     * Starts the first pass of a progressive AC scan of one component: coefficients {@code ss..se}, shifted left by
     * {@code al}, each adds {@code weights[k * 4 + i]} times its value to quadrant i of its block's sums in
     * {@code sums} (four per block, {@code stride} blocks to a row).
     */
    void startAc(ByteBuffer d, int from, int[] scanComps, int[] acTable, int ss, int se, int al, float[] sums,
                 int stride, float[] weights) {
        start(d, from, scanComps, new int[scanComps.length], acTable, AC_FIRST);
        this.ss = ss;
        this.se = se;
        this.al = al;
        this.acSums = sums;
        this.acStride = stride;
        this.acWeights = weights;
    }

    /** Sets the dequantisation of scan component {@code s} from its quantisation table (zigzag order). */
    void weights(int s, int[] quant) {
        dcQuant[s] = quant[0];
        this.quant[s] = quant;
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
        this.single = single;
        this.hs = hs;
        this.vs = vs;
        this.dcs = dcs;
        this.dcStrides = dcStrides;
        edgeMcuX = Integer.MAX_VALUE;
        edgeMcuY = Integer.MAX_VALUE;
        for (int s = 0; mode == FULL && s < comps.length; s++) {
            int c = comps[s];
            edgeMcuX = Math.min(edgeMcuX, edges.wholeBlocksWide(c) / (single ? 1 : hs[c]));
            edgeMcuY = Math.min(edgeMcuY, edges.wholeBlocksHigh(c) / (single ? 1 : vs[c]));
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
            eobRun = 0;
            int end = mcu + (restartInterval == 0 ? mcus : Math.min(restartInterval, mcus - mcu));
            // A row of MCUs at a time (what of it lies in this interval): the JIT compiles the row's method after a
            // few rows. One loop over the whole scan would be compiled on the stack instead, once per loop head and
            // again when a later image brings another kind of scan, several times the work.
            while (mcu < end) {
                int rowEnd = Math.min(end, (mcu / perRow + 1) * perRow);
                boolean ok = mode == AC_FIRST ? acRow(mcu, rowEnd, perRow, limit) : mcuRow(mcu, rowEnd, perRow, limit);
                if (!ok) {
                    return false;
                }
                mcu = rowEnd;
            }
        }
        return true;
    }

    /** MCUs {@code from .. to - 1}, all in one row, of a sequential scan or a progressive DC scan. */
    private boolean mcuRow(int from, int to, int perRow, long limit) {
        int my = from / perRow;
        boolean sequential = mode == FULL;
        boolean edgeRow = my >= edgeMcuY;
        for (int mcu = from; mcu < to; mcu++) {
            int mx = mcu - my * perRow;
            // Decided per MCU, not per block: the blocks' loop stays as it was.
            boolean edge = edgeRow || mx >= edgeMcuX;
            for (int s = 0; s < comps.length; s++) {
                int c = comps[s];
                int h = single ? 1 : hs[c];
                int v = single ? 1 : vs[c];
                for (int by = my * v; by < my * v + v; by++) {
                    for (int bx = mx * h; bx < mx * h + h; bx++) {
                        boolean ok = !sequential ? dcBlock(s, dcs[c], dcStrides[c], bx, by)
                                : edge && edges.isEdge(c, bx, by) ? edgeBlock(s, c, bx, by) : block(s, c, bx, by);
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
        return true;
    }

    /** Blocks {@code from .. to - 1}, all in one row, of a progressive AC scan's first pass (one component). */
    private boolean acRow(int from, int to, int perRow, long limit) {
        int by = from / perRow;
        for (int b = from; b < to; b++) {
            if (!acFirstBlock(b - by * perRow, by) || (long) next * 8 - count > limit) {
                return false;
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

    /**
     * A block of a progressive AC scan's first pass: its coefficients in the scan's band, added into the block's
     * quadrant sums, or nothing while an end-of-band run lasts.
     */
    private boolean acFirstBlock(int bx, int by) {
        if (eobRun > 0) {
            eobRun--;
            return true;
        }
        HuffmanTable table = ac[0];
        float[] weights = acWeights;
        int at = (by * acStride + bx) * 4;
        float topLeft = 0;
        float topRight = 0;
        float bottomLeft = 0;
        float bottomRight = 0;
        for (int k = ss; k <= se; ) {
            if (count < 32) {
                refill();
            }
            int e = table.fast[(int) (bits >>> (64 - FAST))];
            if (e == 0) {
                int len = slowLength(table, bits);
                if (len < 0) {
                    return false;
                }
                e = HuffmanTable.entry(len, table.symbols[table.valueOffset[len] + (int) (bits >>> (64 - len))]);
            }
            int len = e >>> 8 & 0xFF;
            int size = e & 15;
            int run = (e >>> 4) & 15;
            if (size == 0) {
                bits <<= len;
                count -= len;
                if (run == 15) {
                    k += 16;
                    continue;
                }
                // End of band in this block and in the next 2^run - 1 + (run extra bits) blocks.
                int extra = (int) (bits >>> 1 >>> (63 - run));
                bits <<= run;
                count -= run;
                eobRun = (1 << run) - 1 + extra;
                break;
            }
            if (size > 10) {
                return false;
            }
            int raw = (int) ((bits << len) >>> 1 >>> (63 - size));
            bits <<= len + size;
            count -= len + size;
            k += run;
            if (k > se) {
                return false;
            }
            float value = extend(raw, size) << al;
            topLeft += value * weights[k * 4];
            topRight += value * weights[k * 4 + 1];
            bottomLeft += value * weights[k * 4 + 2];
            bottomRight += value * weights[k * 4 + 3];
            k++;
        }
        float[] sums = acSums;
        sums[at] += topLeft;
        sums[at + 1] += topRight;
        sums[at + 2] += bottomLeft;
        sums[at + 3] += bottomRight;
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

    /**
     * Adds the next 32 bits below the {@code count} (under 32) left, for at least 32: a code and its value take at
     * most 27. Four bytes, not eight: C1, which compiles a short batch's code, inlines an int's byte swap and calls a
     * long's. Reading past the data is harmless: zeros.
     */
    private void refill() {
        bits |= ((int) EntropyData.INTS.get(data.bytes, next) & 0xFFFFFFFFL) << (32 - count);
        next += 4;
        count += 32;
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

    /** A sequential block the image's edge cuts: every coefficient read, for the means of its real samples. */
    private boolean edgeBlock(int s, int c, int bx, int by) {
        if (count < 32) {
            refill();
        }
        int diff = dcDiff(dc[s]);
        if (diff == Integer.MIN_VALUE) {
            return false;
        }
        int[] block = coefs;
        Arrays.fill(block, 0);
        block[0] = preds[s] += diff;
        if (!readAcs(ac[s], block)) {
            return false;
        }
        edges.write(c, bx, by, block, quant[s]);
        return true;
    }

    /**
     * One block's AC coefficients into {@code block} (zigzag order; a corrupt run past the block's end counts for
     * nothing); false for a code that is none of the table's or an oversized value. Edge blocks only, a few in a
     * thousand: plain calls, not the hot loops' inlined bit buffer.
     */
    private boolean readAcs(HuffmanTable table, int[] block) {
        for (int k = 1; k < 64; ) {
            if (count < 32) {
                refill();
            }
            int e = table.fast[(int) (bits >>> (64 - FAST))];
            if (e == 0) {
                int len = slowLength(table, bits);
                if (len < 0) {
                    return false;
                }
                e = HuffmanTable.entry(len, table.symbols[table.valueOffset[len] + (int) (bits >>> (64 - len))]);
            }
            int len = e >>> 8 & 0xFF;
            int size = e & 15;
            int run = (e >>> 4) & 15;
            int raw = (int) ((bits << len) >>> 1 >>> (63 - size));
            bits <<= e >>> 16;
            count -= e >>> 16;
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
            if (k < 64) {
                block[k] = extend(raw, size);
            }
            k++;
        }
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
                buf |= ((int) EntropyData.INTS.get(bytes, nx) & 0xFFFFFFFFL) << (32 - cnt);
                nx += 4;
                cnt += 32;
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
        // In a local, as the bit buffer is: C1, which compiles a short batch's code, reloads a field each time.
        int[] fast = table.fast;
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
                buf |= ((int) EntropyData.INTS.get(bytes, nx) & 0xFFFFFFFFL) << (32 - cnt);
                nx += 4;
                cnt += 32;
            }
            // One look-up per code and no data-dependent branches but the block's end: codes and signs of
            // camera photos are too varied for a branch predictor.
            int e = fast[(int) (buf >>> (64 - FAST))];
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
