package io.thumbnail.internal.image.jpeg;

import java.util.Arrays;

/**
 * The samples of a sequential scan's edge blocks, those the image's right or bottom edge cuts: each sample such a
 * block makes (its mean at 1/8, its quadrants' at 1/4) becomes the exact mean of the real samples in its area, from
 * all the block's coefficients, rather than of the padding too.
 *
 * <p>Why: an encoder pads the image out to whole blocks (libjpeg repeats the last sample), and a block's mean (its
 * DC) counts that padding. Where the image ends three samples into a block, the repeated edge sample makes up 6/8 of
 * the mean where it is 1/3 of the real ones; with 4:2:0 chroma, whose blocks span two result pixels a side, the
 * padding of a block the image ends in past its middle tints the whole pixel beside the edge too. The mean over a
 * run of samples of each DCT basis cosine is a constant per frequency and run, so a block's mean over any
 * rectangle of it is a weighted sum of its coefficients, as {@link BlockMeans} uses for its quadrants. Only the edge
 * blocks pay for it (a few in a thousand); a progressive file's edge blocks keep their block means, as only its DC
 * scans are read at 1/8.
 */
final class EdgeMeans {
    /** {@code BASIS[x][u]}: the basis cosine of frequency u at sample x, with its scale {@code C(u) / 2}. */
    private static final double[][] BASIS = basis();

    private final ReducedImage image;
    /**
     * Per component: its real samples across and down, a fraction when it is subsampled and the image's size odd (the
     * last sample then stands for one pixel of two), and its whole blocks across and down.
     */
    private final double[] samplesWide = new double[3];
    private final double[] samplesHigh = new double[3];
    private final int[] wholeBlocksWide = new int[3];
    private final int[] wholeBlocksHigh = new int[3];
    /** Samples per block side in the result: 1 or 2. */
    private final int n;
    /** A sample's weights: of each frequency across and down, over the real samples in its area. */
    private final double[] columns = new double[8];
    private final double[] rows = new double[8];

    /** @param n samples per block side in the result: 1 or 2 */
    EdgeMeans(FrameGeometry frame, int n, ReducedImage image) {
        this.image = image;
        this.n = n;
        for (int c = 0; c < frame.components; c++) {
            samplesWide[c] = (double) frame.width * frame.hs[c] / frame.hMax;
            samplesHigh[c] = (double) frame.height * frame.vs[c] / frame.vMax;
            wholeBlocksWide[c] = (int) (samplesWide[c] / 8);
            wholeBlocksHigh[c] = (int) (samplesHigh[c] / 8);
        }
    }

    /** Whether block (bx, by) of component c is cut by the image's edge, or lies past it in the last MCUs' padding. */
    boolean isEdge(int c, int bx, int by) {
        return bx >= wholeBlocksWide[c] || by >= wholeBlocksHigh[c];
    }

    /** Component c's blocks across that the edge leaves whole. */
    int wholeBlocksWide(int c) {
        return wholeBlocksWide[c];
    }

    int wholeBlocksHigh(int c) {
        return wholeBlocksHigh[c];
    }

    /**
     * Writes the samples of edge block (bx, by) of component c, each the mean of the block's real samples in its
     * area. {@code coefs} are its coefficients in zigzag order, {@code quant} their quantisation table.
     */
    void write(int c, int bx, int by, int[] coefs, int[] quant) {
        double realX = Math.min(8, samplesWide[c] - bx * 8);
        double realY = Math.min(8, samplesHigh[c] - by * 8);
        int side = 8 / n;
        // A sample whose area starts past the real samples lies past the result's edge too.
        for (int j = 0; j * side < realY; j++) {
            weights(j * side, Math.min((j + 1) * side, realY), rows);
            for (int i = 0; i * side < realX; i++) {
                weights(i * side, Math.min((i + 1) * side, realX), columns);
                // The level shift and half a level, the sum being rounded down.
                double mean = 128.5;
                for (int k = 0; k < 64; k++) {
                    if (coefs[k] != 0) {
                        int natural = BlockMeans.NATURAL[k];
                        mean += coefs[k] * quant[k] * columns[natural & 7] * rows[natural >>> 3];
                    }
                }
                image.put(c, bx * n + i, by * n + j, ReducedImage.clamp((int) Math.floor(mean)));
            }
        }
    }

    /**
     * Into {@code into}, per frequency: the mean of its basis cosine over samples {@code from} to {@code to}, the last
     * one weighted by the part of it before {@code to}.
     */
    private static void weights(int from, double to, double[] into) {
        Arrays.fill(into, 0);
        for (int x = from; x < to; x++) {
            double w = Math.min(1, to - x);
            for (int u = 0; u < 8; u++) {
                into[u] += w * BASIS[x][u];
            }
        }
        for (int u = 0; u < 8; u++) {
            into[u] /= to - from;
        }
    }

    private static double[][] basis() {
        double[][] basis = new double[8][8];
        for (int x = 0; x < 8; x++) {
            for (int u = 0; u < 8; u++) {
                basis[x][u] = Math.cos((2 * x + 1) * u * Math.PI / 16) * (u == 0 ? Math.sqrt(0.5) : 1) / 2;
            }
        }
        return basis;
    }
}
