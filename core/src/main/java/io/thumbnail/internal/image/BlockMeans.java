package io.thumbnail.internal.image;

/**
 * The arithmetic of {@link DctScaledJpegReader} at 1/4 and 1/2: a block's coefficients to the exact means of its
 * 2 x 2 or 4 x 4 areas. The mean over a run of pixels of a DCT basis cosine is a constant per frequency and run,
 * so each mean is a fixed weighted sum of the coefficients. At 1/4 the decoder adds them up itself with
 * {@link #quadrantWeights(int)}; at 1/2 the sum is separable, so each coefficient first adds into the column sums
 * of its frequency row, and the (few) rows that have any then combine into the 4 x 4 means.
 */
final class BlockMeans {
    /** Per zigzag index: the coefficient's vertical frequency (its row in natural order). */
    private static final int[] ROW = new int[64];
    /** Per zigzag index: 1 if the horizontal frequency is odd, plus 2 if the vertical one is. */
    private static final int[] PARITY = new int[64];
    /** Per zigzag index, for n = 4: where in {@link #rows} its two sums are (row v, even or odd u). */
    private static final int[] SLOT4 = new int[64];

    static {
        for (int k = 0; k < 64; k++) {
            int natural = DctScaledJpegReader.natural(k);
            ROW[k] = natural >>> 3;
            PARITY[k] = (natural & 1) | (natural >>> 3 & 1) << 1;
            SLOT4[k] = (natural >>> 3) * 4 + (natural & 1) * 2;
        }
    }

    private final int n;
    private final ReducedImage image;
    /** Per scan component, per zigzag index k: the dequantised weight in column mean i, at {@code k * n + i}. */
    private final float[][] weights = new float[3][];
    /** The weight of frequency row v in result row j: {@code rowWeights[v * n + j]}. */
    private final float[] rowWeights;
    /** Per frequency row v, its n column sums for the block being written; all zero between blocks. */
    private final float[] rows;
    private final float[] sums;
    private final float[] half = new float[16];
    /** Fraction bits of {@link #quadrantWeights}. */
    private static final int FIXED = 16;
    /** Half a level plus the level shift of 128, in fixed point. */
    private static final long ROUND = (1L << (FIXED - 1)) + (128L << FIXED);
    /** For n = 2, per scan component: coefficient k's weight in quadrant i (top left, top right, bottom left,
     * bottom right) at {@code k * 4 + i}, in fixed point. */
    private final int[][] quadrantWeights = new int[3][];
    /** Per scan component: a DC coefficient's weight in the block's mean (its quantiser over 8). */
    private final float[] dcWeights = new float[3];
    /** Bit k set when coefficient k (zigzag) has any weight: the others average to zero over every area. */
    private final long useful;

    BlockMeans(int n, ReducedImage image) {
        if (n != 2 && n != 4) {
            throw new IllegalArgumentException("n must be 2 or 4, not " + n);
        }
        this.n = n;
        this.image = image;
        this.rows = new float[8 * n];
        this.sums = new float[n * n];
        this.rowWeights = new float[8 * n];
        double[][] means = cosineMeans(n);
        long mask = 0;
        for (int k = 0; k < 64; k++) {
            int natural = DctScaledJpegReader.natural(k);
            if (Math.abs(means[natural & 7][0]) > 1e-9 && Math.abs(means[natural >>> 3][0]) > 1e-9) {
                mask |= 1L << k;
            }
        }
        this.useful = mask;
        for (int v = 0; v < 8; v++) {
            for (int j = 0; j < n; j++) {
                rowWeights[v * n + j] = (float) ((v == 0 ? Math.sqrt(0.5) : 1) * means[v][j]);
            }
        }
    }

    /** Bit k set when coefficient k (zigzag order) counts for any mean. */
    long useful() {
        return useful;
    }

    /** Sets the weights of scan component {@code s} from its quantisation table (zigzag order). */
    void weights(int s, int[] quant) {
        float[] w = weights[s] == null ? new float[64 * n] : weights[s];
        double[][] means = cosineMeans(n);
        for (int k = 0; k < 64; k++) {
            int u = DctScaledJpegReader.natural(k) & 7;
            double scale = quant[k] / 4.0 * (u == 0 ? Math.sqrt(0.5) : 1);
            for (int i = 0; i < n; i++) {
                w[k * n + i] = (float) (scale * means[u][i]);
            }
            if (n == 2) {
                // Per quadrant: the mirrored half of an odd frequency's cosine averages to the negated mean.
                double topLeft = w[k * 2] * (double) rowWeights[ROW[k] * 2];
                int[] qw = quadrantWeights[s] == null ? new int[64 * 4] : quadrantWeights[s];
                for (int quadrant = 0; quadrant < 4; quadrant++) {
                    boolean flipX = (quadrant & 1) != 0 && (PARITY[k] & 1) != 0;
                    boolean flipY = (quadrant & 2) != 0 && (PARITY[k] & 2) != 0;
                    qw[k * 4 + quadrant] = (int) Math.round((flipX ^ flipY ? -topLeft : topLeft) * (1 << FIXED));
                }
                quadrantWeights[s] = qw;
            }
        }
        weights[s] = w;
        dcWeights[s] = quant[0] / 8f;
    }

    /**
     * Writes the 1/2 means of block (bx, by) of component c (scan component s) from its DC value and its
     * non-zero AC coefficients that have any weight (zigzag positions and values).
     */
    void write(int s, int dcValue, int[] positions, int[] values, int nonZero, int c, int bx, int by) {
        if (nonZero == 0) {
            // A flat block (common in skies, walls, shadows): every mean is the block's.
            float[] sums = this.sums;
            float mean = dcValue * dcWeights[s] + 128.5f;
            for (int o = 0; o < n * n; o++) {
                sums[o] = mean;
            }
            image.putBlock(c, bx, by, n, sums);
        } else {
            write4(weights[s], dcValue, positions, values, nonZero, c, bx, by);
        }
    }

    /** For n = 2, the fixed-point quadrant weights of scan component s (see {@link #quadrantWeights}); else null. */
    int[] quadrantWeights(int s) {
        return n == 2 ? quadrantWeights[s] : null;
    }

    /**
     * Writes the 1/4 means of a block from the AC coefficients' sums the decoder kept with
     * {@link #quadrantWeights(int)}, and its DC value.
     */
    void writeQuadrants(int s, int dcValue, long topLeft, long topRight, long bottomLeft, long bottomRight, int c,
                        int bx, int by) {
        long dc = (long) dcValue * quadrantWeights[s][0] + ROUND;
        float[] sums = this.sums;
        sums[0] = (dc + topLeft) >> FIXED;
        sums[1] = (dc + topRight) >> FIXED;
        sums[2] = (dc + bottomLeft) >> FIXED;
        sums[3] = (dc + bottomRight) >> FIXED;
        image.putBlock(c, bx, by, 2, sums);
    }

    /**
     * {@link #write} for n = 4. The mean over the last quarter of a block of a cosine of frequency u is (-1)^u
     * times the mean over the first, and likewise for the second and third: so each coefficient adds into two
     * sums of its frequency row, kept apart for even and odd u, and each row into eight sums, kept apart for even
     * and odd v; the sixteen means are those sums' sums and differences.
     */
    private void write4(float[] w, int dcValue, int[] positions, int[] values, int nonZero, int c, int bx, int by) {
        float[] rows = this.rows;
        rows[0] += dcValue * w[0];
        rows[1] += dcValue * w[1];
        int touched = 1;
        for (int t = 0; t < nonZero; t++) {
            int k = positions[t];
            float value = values[t];
            int slot = SLOT4[k];
            touched |= 1 << ROW[k];
            rows[slot] += value * w[k * 4];
            rows[slot + 1] += value * w[k * 4 + 1];
        }
        // Half sums: j = 0 and 1 of even rows at [0, 8), of odd rows at [8, 16), each j by i = 0-3.
        float[] half = this.half;
        for (int o = 0; o < 16; o++) {
            half[o] = 0;
        }
        for (int more = touched; more != 0; more &= more - 1) {
            int v = Integer.numberOfTrailingZeros(more);
            int r = v * 4;
            float c0 = rows[r] + rows[r + 2];
            float c1 = rows[r + 1] + rows[r + 3];
            float c2 = rows[r + 1] - rows[r + 3];
            float c3 = rows[r] - rows[r + 2];
            rows[r] = 0;
            rows[r + 1] = 0;
            rows[r + 2] = 0;
            rows[r + 3] = 0;
            int h = (v & 1) * 8;
            float f0 = rowWeights[r];
            float f1 = rowWeights[r + 1];
            half[h] += c0 * f0;
            half[h + 1] += c1 * f0;
            half[h + 2] += c2 * f0;
            half[h + 3] += c3 * f0;
            half[h + 4] += c0 * f1;
            half[h + 5] += c1 * f1;
            half[h + 6] += c2 * f1;
            half[h + 7] += c3 * f1;
        }
        float[] sums = this.sums;
        for (int o = 0; o < 8; o++) {
            float even = half[o] + 128.5f;
            float odd = half[o + 8];
            // o = j * 4 + i for j = 0, 1; row 3 - j mirrors row j.
            sums[o] = even + odd;
            sums[(3 - (o >> 2)) * 4 + (o & 3)] = even - odd;
        }
        image.putBlock(c, bx, by, 4, sums);
    }

    /** Per frequency u, per run i of 8/n pixels: the mean of cos((2x+1) u pi / 16) over the run. */
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
