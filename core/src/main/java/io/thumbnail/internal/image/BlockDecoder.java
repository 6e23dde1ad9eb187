package io.thumbnail.internal.image;

/**
 * The entropy decoder of {@link DctScaledJpegReader}: walks one scan's blocks in order, restart interval by
 * restart interval, and turns each block into its {@code n x n} area means (a sequential scan) or into its DC
 * coefficient (a progressive DC scan, first or refinement pass). AC coefficients that cannot change the means
 * are skipped without being stored; at 1/8 that is all of them.
 *
 * <p>The bit position only moves forward by what the codes consume, so after each MCU it is checked against the
 * end of the interval's data: a scan whose codes need more bits than it has is inconsistent or truncated, and the
 * whole decode gives up. {@link EntropyData#PADDING} keeps the reads of that one MCU inside the array.
 * A 64-bit buffer holds the next bits, topped up eight bytes at a time.
 */
final class BlockDecoder {
    /** Mode of a sequential scan: every coefficient, means written to the planes. */
    static final int FULL = Integer.MIN_VALUE;
    private static final int FAST = HuffmanTable.FAST_BITS;
    /** Per result size n, per frequency u, per sample i: the mean of cos((2x+1)u pi/16) over the sample's pixels. */
    private static final double[][][] MEANS = {null, cosineMeans(1), cosineMeans(2), null, cosineMeans(4)};

    final EntropyData data;
    final HuffmanTable[] dcTables = new HuffmanTable[4];
    final HuffmanTable[] acTables = new HuffmanTable[4];
    private final int n;
    private final int[] preds = new int[3];
    private final HuffmanTable[] dc = new HuffmanTable[3];
    private final HuffmanTable[] ac = new HuffmanTable[3];
    /** Per scan component: the weight of each coefficient (zigzag order, dequantised) in each of the n x n means. */
    private final float[][] weights = new float[3][];
    private final int[] dcQuant = new int[3];
    private final float[] sums;
    private int[] comps;
    private int mode;
    /** The bit buffer: {@code count} bits not yet used at the top of {@code bits}, then {@code next} byte. */
    private long bits;
    private int count;
    private int next;

    BlockDecoder(EntropyData data, int n) {
        this.data = data;
        this.n = n;
        this.sums = new float[n * n];
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

    /** Sets the dequantised weights of scan component {@code s} from its quantisation table (zigzag order). */
    void weights(int s, int[] quant) {
        dcQuant[s] = quant[0];
        if (n == 1) {
            return;
        }
        int nn = n * n;
        float[] w = weights[s] == null ? new float[64 * nn] : weights[s];
        double[][] means = MEANS[n];
        for (int k = 0; k < 64; k++) {
            int natural = DctScaledJpegReader.natural(k);
            int u = natural & 7;
            int v = natural >>> 3;
            double scale = quant[k] / 4.0 * (u == 0 ? Math.sqrt(0.5) : 1) * (v == 0 ? Math.sqrt(0.5) : 1);
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < n; i++) {
                    w[k * nn + j * n + i] = (float) (scale * means[u][i] * means[v][j]);
                }
            }
        }
        weights[s] = w;
    }

    /**
     * Decodes {@code mcus} MCUs ({@code perRow} to a row; one block each for a single-component scan).
     * Returns false if the data is inconsistent: a bad code, too few restart intervals, bits past an interval.
     */
    boolean decode(int mcus, int restartInterval, int perRow, boolean single, int[] hs, int[] vs, byte[][] planes,
                   int[] strides, int[][] dcs) {
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
                            boolean ok = mode == FULL ? block(s, planes[c], strides[c], bx, by)
                                    : dcBlock(s, dcs[c], strides[c], bx, by);
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
        int len = e >>> 8;
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

    /** A sequential block: DC, then the AC coefficients, which only count when {@code n > 1}. */
    private boolean block(int s, byte[] plane, int stride, int bx, int by) {
        if (count < 32) {
            refill();
        }
        int diff = dcDiff(dc[s]);
        if (diff == Integer.MIN_VALUE) {
            return false;
        }
        int dcValue = preds[s] += diff;
        HuffmanTable table = ac[s];
        int[] fastAc = table.fastAc;
        byte[] bytes = data.bytes;
        float[] w = weights[s];
        int nn = n * n;
        if (n > 1) {
            for (int o = 0; o < nn; o++) {
                sums[o] = dcValue * w[o];
            }
        }
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
            int a = fastAc[(int) (buf >>> (64 - FAST))];
            int run;
            int value;
            if (a != 0) {
                int used = a & 31;
                buf <<= used;
                cnt -= used;
                if ((a & HuffmanTable.EOB) != 0) {
                    break;
                }
                run = (a >>> 5) & 31;
                value = a >> 16;
            } else {
                int e = table.fast[(int) (buf >>> (64 - FAST))];
                int len = e >>> 8;
                int rs = e & 0xFF;
                if (e == 0) {
                    len = slowLength(table, buf);
                    if (len < 0) {
                        return false;
                    }
                    rs = table.symbols[table.valueOffset[len] + (int) (buf >>> (64 - len))];
                }
                int size = rs & 15;
                run = rs >>> 4;
                if (size > 10) {
                    return false;
                }
                value = size == 0 ? 0 : extend((int) ((buf << len) >>> (64 - size)), size);
                buf <<= len + size;
                cnt -= len + size;
                if (size == 0 && run != 15) {
                    break;
                }
            }
            k += run;
            if (value != 0 && n > 1 && k < 64) {
                int base = k * nn;
                for (int o = 0; o < nn; o++) {
                    sums[o] += value * w[base + o];
                }
            }
            k++;
        }
        bits = buf;
        count = cnt;
        next = nx;
        if (n == 1) {
            plane[by * stride + bx] = clamp((dcValue * dcQuant[s] + 1028) >> 3);
        } else {
            for (int j = 0; j < n; j++) {
                int row = (by * n + j) * stride + bx * n;
                for (int i = 0; i < n; i++) {
                    plane[row + i] = clamp((int) (sums[j * n + i] + 128.5f));
                }
            }
        }
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

    private static int extend(int bits, int size) {
        return bits < 1 << (size - 1) ? bits - (1 << size) + 1 : bits;
    }

    static byte clamp(int v) {
        return (byte) (v < 0 ? 0 : Math.min(v, 255));
    }

    private static double[][] cosineMeans(int n) {
        int g = 8 / n;
        double[][] means = new double[8][n];
        for (int u = 0; u < 8; u++) {
            for (int i = 0; i < n; i++) {
                double sum = 0;
                for (int x = i * g; x < (i + 1) * g; x++) {
                    sum += Math.cos((2 * x + 1) * u * Math.PI / 16);
                }
                means[u][i] = sum / g;
            }
        }
        return means;
    }
}
