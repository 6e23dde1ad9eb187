package io.thumbnail.internal.image.jpeg;

/**
 * The arithmetic of {@link DctScaledJpegReader} at 1/4: a block's coefficients to the exact means of its four
 * 4 x 4 quadrants. The mean over a run of pixels of a DCT basis cosine is a constant per frequency and run, so
 * each quadrant's mean is a fixed weighted sum of the coefficients; the decoder adds them up itself with
 * {@link #quadrantWeights(int)}.
 */
final class BlockMeans {
    /** Zigzag index to natural (row-major) index. */
    static final int[] NATURAL = {
            0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7,
            14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39,
            46, 53, 60, 61, 54, 47, 55, 62, 63};
    /** Per zigzag index: the coefficient's vertical frequency (its row in natural order). */
    private static final int[] ROW = new int[64];
    /** Per zigzag index: 1 if the horizontal frequency is odd, plus 2 if the vertical one is. */
    private static final int[] PARITY = new int[64];
    /** Per frequency u: the mean of cos((2x+1) u pi / 16) over the first four pixels of a block. */
    private static final double[] HALF_MEANS = halfMeans();
    /** Fraction bits of {@link #quadrantWeights}. */
    private static final int FIXED = 16;
    /** Half a level plus the level shift of 128, in fixed point. */
    private static final long ROUND = (1L << (FIXED - 1)) + (128L << FIXED);

    static {
        for (int k = 0; k < 64; k++) {
            int natural = NATURAL[k];
            ROW[k] = natural >>> 3;
            PARITY[k] = (natural & 1) | (natural >>> 3 & 1) << 1;
        }
    }

    /** The weight of frequency row v in the top quadrants' means: {@code ROW_WEIGHTS[v]}. */
    private static final float[] ROW_WEIGHTS = new float[8];

    static {
        for (int v = 0; v < 8; v++) {
            ROW_WEIGHTS[v] = (float) ((v == 0 ? Math.sqrt(0.5) : 1) * HALF_MEANS[v]);
        }
    }

    private final ReducedImage image;
    private final float[] sums = new float[4];
    /**
     * Per scan component: coefficient k's weight in quadrant i (top left, top right, bottom left, bottom right)
     * at {@code k * 4 + i}, in fixed point.
     */
    private final int[][] quadrantWeights = new int[3][];

    BlockMeans(ReducedImage image) {
        this.image = image;
    }

    /** Sets the weights of scan component {@code s} from its quantisation table (zigzag order). */
    void weights(int s, int[] quant) {
        int[] qw = quadrantWeights[s] == null ? new int[64 * 4] : quadrantWeights[s];
        double[] exact = weights(quant);
        for (int i = 0; i < qw.length; i++) {
            qw[i] = (int) Math.round(exact[i] * (1 << FIXED));
        }
        quadrantWeights[s] = qw;
    }

    /**
     * Coefficient k's (zigzag order, dequantised by {@code quant}) contribution to quadrant i's mean (top left, top
     * right, bottom left, bottom right) at {@code k * 4 + i}, in levels.
     */
    static double[] weights(int[] quant) {
        double[] weights = new double[64 * 4];
        for (int k = 0; k < 64; k++) {
            int u = NATURAL[k] & 7;
            double scale = quant[k] / 4.0 * (u == 0 ? Math.sqrt(0.5) : 1);
            float column = (float) (scale * HALF_MEANS[u]);
            // Per quadrant: the mirrored half of an odd frequency's cosine averages to the negated mean.
            double topLeft = column * (double) ROW_WEIGHTS[ROW[k]];
            for (int quadrant = 0; quadrant < 4; quadrant++) {
                boolean flipX = (quadrant & 1) != 0 && (PARITY[k] & 1) != 0;
                boolean flipY = (quadrant & 2) != 0 && (PARITY[k] & 2) != 0;
                weights[k * 4 + quadrant] = flipX ^ flipY ? -topLeft : topLeft;
            }
        }
        return weights;
    }

    /** The fixed-point quadrant weights of scan component s (see {@link #quadrantWeights}). */
    int[] quadrantWeights(int s) {
        return quadrantWeights[s];
    }

    /**
     * Writes the quadrant means of a block from the AC coefficients' sums the decoder kept with
     * {@link #quadrantWeights(int)}, and its DC value.
     */
    void writeQuadrants(int s, int dcValue, long topLeft, long topRight, long bottomLeft, long bottomRight, int c,
                        int bx, int by) {
        long dc = (long) dcValue * quadrantWeights[s][0] + ROUND;
        image.putQuadrants(c, bx, by, (dc + topLeft) >> FIXED, (dc + topRight) >> FIXED, (dc + bottomLeft) >> FIXED,
                (dc + bottomRight) >> FIXED, sums);
    }

    private static double[] halfMeans() {
        double[] means = new double[8];
        for (int u = 0; u < 8; u++) {
            double sum = 0;
            for (int x = 0; x < 4; x++) {
                sum += Math.cos((2 * x + 1) * u * Math.PI / 16);
            }
            means[u] = sum / 4;
        }
        return means;
    }
}
