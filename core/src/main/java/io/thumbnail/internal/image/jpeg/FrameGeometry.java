package io.thumbnail.internal.image.jpeg;

/**
 * A frame {@link DctScaledJpegReader} supports and the grids it implies: the MCUs, each component's blocks, and the
 * result's size at {@code n} samples per block side. Supported: 8 bits, one or three components with distinct ids,
 * sampling factors 1 or 2 (a single component's are taken as 1, as its scans are not interleaved), quantisation
 * tables 0 to 3, and a result and block count small enough for arrays.
 */
final class FrameGeometry {
    /** The most samples (and blocks per component) a result may have: 1 GB, far past any pixel limit. */
    private static final long MAX_SAMPLES = 1L << 30;

    final boolean progressive;
    final int width;
    final int height;
    final int components;
    /** Per component: its id, sampling factors and quantisation table. */
    final int[] ids = new int[3];
    final int[] hs = new int[3];
    final int[] vs = new int[3];
    final int[] tqs = new int[3];
    final int hMax;
    final int vMax;
    final int mcusX;
    final int mcusY;
    /** Per component: its blocks in a row of MCUs, the row length of a per-block store. */
    final int[] strides = new int[3];
    /** The result's size: the image reduced 8 (n = 1) or 4 (n = 2) times, rounded up. */
    final int resultWidth;
    final int resultHeight;

    private FrameGeometry(JpegFrame frame, int n) {
        progressive = frame.progressive();
        width = frame.width();
        height = frame.height();
        components = frame.components();
        int h = 1;
        int v = 1;
        for (int c = 0; c < components; c++) {
            ids[c] = frame.ids()[c];
            hs[c] = components == 1 ? 1 : frame.hs()[c];
            vs[c] = components == 1 ? 1 : frame.vs()[c];
            tqs[c] = frame.tqs()[c];
            h = Math.max(h, hs[c]);
            v = Math.max(v, vs[c]);
        }
        hMax = h;
        vMax = v;
        mcusX = (width + 8 * hMax - 1) / (8 * hMax);
        mcusY = (height + 8 * vMax - 1) / (8 * vMax);
        for (int c = 0; c < components; c++) {
            strides[c] = mcusX * hs[c];
        }
        resultWidth = (width * n + 7) / 8;
        resultHeight = (height * n + 7) / 8;
    }

    /** The frame's geometry at {@code n} samples per block side, or {@code null} when the frame is not supported. */
    static FrameGeometry of(JpegFrame frame, int n) {
        if (frame == null || frame.precision() != 8 || frame.width() < 1 || frame.height() < 1
                || !(frame.components() == 1 || frame.components() == 3)) {
            return null;
        }
        FrameGeometry geometry = new FrameGeometry(frame, n);
        return geometry.supported() ? geometry : null;
    }

    private boolean supported() {
        for (int c = 0; c < components; c++) {
            if (hs[c] < 1 || hs[c] > 2 || vs[c] < 1 || vs[c] > 2 || tqs[c] > 3) {
                return false;
            }
            for (int o = 0; o < c; o++) {
                if (ids[o] == ids[c]) {
                    return false;
                }
            }
        }
        // The caller checks pixel limits first; this only keeps array sizes in range whoever calls.
        return (long) resultWidth * resultHeight * components <= MAX_SAMPLES
                && (long) mcusX * hMax * mcusY * vMax <= MAX_SAMPLES;
    }

    /** The index of the component with this id, or -1. */
    int component(int id) {
        for (int c = 0; c < components; c++) {
            if (ids[c] == id) {
                return c;
            }
        }
        return -1;
    }

    /** A component's blocks across in a scan of it alone: its own size rounded up, not the MCU grid's. */
    int blocksWide(int c) {
        return (samplesWide(c) + 7) / 8;
    }

    int blocksHigh(int c) {
        return (samplesHigh(c) + 7) / 8;
    }

    /** A component's real samples across: the image's width scaled by its sampling factor, rounded up. */
    int samplesWide(int c) {
        return (width * hs[c] + hMax - 1) / hMax;
    }

    int samplesHigh(int c) {
        return (height * vs[c] + vMax - 1) / vMax;
    }

    /** A new image for the result, into {@code samples} (at least {@link #resultSamples} long). */
    ReducedImage resultImage(byte[] samples) {
        int[] shiftX = new int[3];
        int[] shiftY = new int[3];
        for (int c = 0; c < components; c++) {
            shiftX[c] = hs[c] == hMax ? 0 : 1;
            shiftY[c] = vs[c] == vMax ? 0 : 1;
        }
        return new ReducedImage(samples, resultWidth, resultHeight, components, shiftX, shiftY);
    }

    /** Whether the result's chroma is 4:2:0: luma whole, each chroma sample repeated over 2 x 2 result pixels. */
    boolean chromaHalved() {
        if (components != 3 || hs[0] != hMax || vs[0] != vMax) {
            return false;
        }
        for (int c = 1; c < 3; c++) {
            if (hs[c] * 2 != hMax || vs[c] * 2 != vMax) {
                return false;
            }
        }
        return true;
    }

    int resultSamples() {
        return resultWidth * resultHeight * components;
    }

    /** The blocks of all components: what one scan of every component codes. */
    long blocks() {
        long blocks = 0;
        for (int c = 0; c < components; c++) {
            blocks += (long) strides[c] * mcusY * vs[c];
        }
        return blocks;
    }
}
