package io.thumbnail.internal.image.jpeg;

/**
 * What a progressive file's scans leave per block until the image ends: each block's DC coefficient and, at 1/4,
 * the AC coefficients' contributions to its four quadrant means. The scans come component by component and pass by
 * pass, so no block's mean is known before the last of them; {@link #writeTo} then makes the result's samples.
 */
final class ProgressiveMeans {
    private final FrameGeometry frame;
    /** Samples per block side in the result: 1 or 2. */
    private final int n;
    /** Per component, each block's DC coefficient, rows of {@code frame.strides[c]} blocks. */
    final int[][] dcs;
    /**
     * At 1/4 only: per component, the AC coefficients' contributions to each block's four quadrant means (4 floats
     * per block, laid out as {@link #dcs}); null until a first-pass AC scan of it comes.
     */
    private final float[][] acSums;

    ProgressiveMeans(FrameGeometry frame, int n) {
        this.frame = frame;
        this.n = n;
        dcs = new int[frame.components][];
        for (int c = 0; c < frame.components; c++) {
            dcs[c] = new int[frame.strides[c] * frame.mcusY * frame.vs[c]];
        }
        acSums = n == 2 ? new float[frame.components][] : null;
    }

    /** Component c's quadrant sums (at 1/4), made on its first AC scan. */
    float[] acSums(int c) {
        if (acSums[c] == null) {
            acSums[c] = new float[dcs[c].length * 4];
        }
        return acSums[c];
    }

    /** Writes every block's mean (1/8) or quadrant means (1/4) into {@code out}, dequantised with {@code tables}. */
    void writeTo(ReducedImage out, JpegTables tables) {
        if (n == 1) {
            for (int c = 0; c < frame.components; c++) {
                int q0 = tables.quant[frame.tqs[c]][0];
                int[] coefs = dcs[c];
                int stride = frame.strides[c];
                for (int b = 0; b < coefs.length; b++) {
                    out.put(c, b % stride, b / stride, ReducedImage.clamp((coefs[b] * q0 + 1028) >> 3));
                }
            }
            return;
        }
        float[] quadrants = new float[4];
        for (int c = 0; c < frame.components; c++) {
            // The block's mean, plus the level shift of 128 and half a level: putBlock rounds down.
            float q0 = tables.quant[frame.tqs[c]][0] / 8f;
            int[] coefs = dcs[c];
            float[] sums = acSums[c];
            int stride = frame.strides[c];
            for (int b = 0; b < coefs.length; b++) {
                float mean = coefs[b] * q0 + 128.5f;
                for (int i = 0; i < 4; i++) {
                    quadrants[i] = sums == null ? mean : mean + sums[b * 4 + i];
                }
                out.putBlock(c, b % stride, b / stride, 2, quadrants);
            }
        }
    }
}
