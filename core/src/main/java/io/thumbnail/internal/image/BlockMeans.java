package io.thumbnail.internal.image;

/**
 * The arithmetic of {@link DctScaledJpegReader} at 1/4 and 1/2: a block's coefficients to the exact means of its
 * 2 x 2 or 4 x 4 areas. The mean over a run of pixels of a DCT basis cosine is a constant per frequency and run,
 * so each mean is a fixed weighted sum of the coefficients; it is separable, so each coefficient first adds into
 * the n column sums of its frequency row, and the (few) rows that have any then combine into the n x n means.
 */
final class BlockMeans {
    /** Per zigzag index: the coefficient's vertical frequency (its row in natural order). */
    private static final int[] ROW = new int[64];
    /** Per zigzag index: 1 if the horizontal frequency is odd, plus 2 if the vertical one is. */
    private static final int[] PARITY = new int[64];

    static {
        for (int k = 0; k < 64; k++) {
            int natural = DctScaledJpegReader.natural(k);
            ROW[k] = natural >>> 3;
            PARITY[k] = (natural & 1) | (natural >>> 3 & 1) << 1;
        }
    }

    private final int n;
    private final ReducedImage image;
    /**
     * Per scan component, per zigzag index k: the dequantised weight in column mean i, at {@code k * n + i}; for
     * n = 2 at {@code k * 2} the weight in the top left quadrant's mean instead.
     */
    private final float[][] weights = new float[3][];
    /** The weight of frequency row v in result row j: {@code rowWeights[v * n + j]}. */
    private final float[] rowWeights;
    /** Per frequency row v, its n column sums for the block being written; all zero between blocks. */
    private final float[] rows;
    private final float[] sums;
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
                // write2 takes the whole top-left quadrant weight, the vertical part too.
                w[k * 2] *= rowWeights[ROW[k] * 2];
            }
        }
        weights[s] = w;
    }

    /**
     * Writes the means of block (bx, by) of component c (scan component s) from its DC value and its non-zero
     * AC coefficients (zigzag positions and values).
     */
    void write(int s, int dcValue, int[] positions, int[] values, int nonZero, int c, int bx, int by) {
        if (n == 2) {
            write2(weights[s], dcValue, positions, values, nonZero, c, bx, by);
        } else {
            write4(weights[s], dcValue, positions, values, nonZero, c, bx, by);
        }
    }

    /**
     * {@link #write} for n = 2. A half block's mean of an odd frequency's cosine is the other half's negated, and
     * of an even one's zero: each quadrant is the same four sums (of the coefficients even-even, odd-even,
     * even-odd and odd-odd in u and v, each weighted for the top left quadrant) with signs.
     */
    private void write2(float[] w, int dcValue, int[] positions, int[] values, int nonZero, int c, int bx, int by) {
        float[] parts = this.rows;
        parts[0] = dcValue * w[0];
        parts[1] = 0;
        parts[2] = 0;
        parts[3] = 0;
        for (int t = 0; t < nonZero; t++) {
            int k = positions[t];
            parts[PARITY[k]] += values[t] * w[k * 2];
        }
        float ee = parts[0] + 128.5f;
        float oe = parts[1];
        float eo = parts[2];
        float oo = parts[3];
        float[] sums = this.sums;
        sums[0] = ee + oe + eo + oo;
        sums[1] = ee - oe + eo - oo;
        sums[2] = ee + oe - eo - oo;
        sums[3] = ee - oe - eo + oo;
        image.putBlock(c, bx, by, 2, sums);
    }

    /** {@link #write} for n = 4, its loops unrolled by the compiler. */
    private void write4(float[] w, int dcValue, int[] positions, int[] values, int nonZero, int c, int bx, int by) {
        float[] rows = this.rows;
        for (int i = 0; i < 4; i++) {
            rows[i] += dcValue * w[i];
        }
        int touched = 1;
        for (int t = 0; t < nonZero; t++) {
            int k = positions[t];
            float value = values[t];
            int v = ROW[k];
            touched |= 1 << v;
            int row = v * 4;
            int base = k * 4;
            for (int i = 0; i < 4; i++) {
                rows[row + i] += value * w[base + i];
            }
        }
        float[] sums = this.sums;
        for (int o = 0; o < 4 * 4; o++) {
            sums[o] = 128.5f;
        }
        for (int more = touched; more != 0; more &= more - 1) {
            int row = Integer.numberOfTrailingZeros(more) * 4;
            for (int j = 0; j < 4; j++) {
                float f = rowWeights[row + j];
                for (int i = 0; i < 4; i++) {
                    sums[j * 4 + i] += rows[row + i] * f;
                }
            }
            for (int i = 0; i < 4; i++) {
                rows[row + i] = 0;
            }
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
