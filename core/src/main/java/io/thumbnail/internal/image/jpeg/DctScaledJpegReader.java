package io.thumbnail.internal.image.jpeg;

import io.thumbnail.internal.image.header.JpegMarkers;

import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.nio.ByteBuffer;

/**
 * Decodes a plain JPEG straight into a reduced raw raster (grey, or YCbCr as libjpeg's {@code readRaster} delivers
 * it) from its DCT coefficients: each 8x8 block becomes 1x1 or 2x2 samples, each the exact mean of the block
 * area it covers, so no inverse DCT runs at all. Chroma is replicated to luma's size.
 *
 * <p>Why: for a small thumbnail of a camera photo the JDK's libjpeg spends most of the time in the full-size
 * inverse DCT and colour upsampling of pixels that are averaged away right after; libjpeg-turbo in libvips scales
 * in the DCT instead. A block's mean is its DC coefficient over 8; the mean of a half or a quarter of a block
 * depends only on coefficients whose frequency averages to something over it, a fixed weighted sum per
 * coefficient. Progressive files at 1/8 need only their DC scans: the AC scans, nine
 * tenths of the file, are skipped unread. At 1/4 the first pass of each AC scan it is given counts, at the precision
 * that pass has; refinement passes are skipped (the caller gives it only the first scans, see
 * {@link ReducingJpegDecoder}).
 *
 * <p>Supported: Huffman-coded baseline, extended and progressive (SOF0, SOF1, SOF2) frames of 8 bits with one or
 * three components, sampling factors 1 or 2, restart intervals. For anything else, and for any
 * inconsistency in the data (a bad code, a missing restart marker, data that runs out), {@link #read} returns
 * {@code null} and the caller's general path decides. Work is bounded by the number of blocks the frame declares.
 */
final class DctScaledJpegReader {
    /** Zigzag index to natural (row-major) index. */
    private static final int[] NATURAL = {
            0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7,
            14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39,
            46, 53, 60, 61, 54, 47, 55, 62, 63};

    /** Entropy-data buffers (as large as the file) shared by all decodes; see {@link ScratchBytes} for why. */
    private static final ScratchBytes ENTROPY_BUFFERS = ScratchBytes.forThisJvm();
    /**
     * The rasters' arrays (up to 1/16 of the source's pixels, times 3), shared the same way: a 20 MP photo's is one
     * or several G1 regions. The caller gives each back with {@link #recycle} once it has used the raster.
     */
    private static final ScratchBytes RASTERS = ScratchBytes.forThisJvm();
    /** The most samples (and blocks per component) a result may have: 1 GB, far past any pixel limit. */
    private static final long MAX_SAMPLES = 1L << 30;

    private final ByteBuffer d;
    /** Samples per block side in the result: 1 or 2. */
    private final int n;
    private BlockDecoder blocks;
    private final JpegTables tables = new JpegTables();
    private int width;
    private int height;
    private int components;
    private boolean progressive;
    private final int[] ids = new int[3];
    private final int[] hs = new int[3];
    private final int[] vs = new int[3];
    private final int[] tqs = new int[3];
    private int hMax;
    private int vMax;
    private int mcusX;
    private int mcusY;
    private int restartInterval;
    /** The result, once the frame header is read. */
    private ReducedImage out;
    /** Progressive only: each block's DC coefficient, rows of {@code strides[c]} blocks. */
    private final int[] strides = new int[3];
    private int[][] dcs;
    /** Whether the component's coefficients (progressive: its first DC pass) came in a scan. */
    private final boolean[] dcSeen = new boolean[3];
    /**
     * Progressive at 1/4 only: per component, the AC coefficients' contributions to each block's four quadrant
     * means (4 floats per block, laid out as {@link #dcs}); null until a first-pass AC scan of it comes.
     */
    private float[][] acSums;

    /** Whether the data ends right after a scan, which then stands for the end of the image. */
    private final boolean cut;

    private DctScaledJpegReader(ByteBuffer data, int n, boolean cut) {
        this.d = data;
        this.n = n;
        this.cut = cut;
    }

    /**
     * @param samplesPerBlock 1 or 2: the result is the image reduced 8 or 4 times (rounded up)
     * @return a pixel-interleaved byte raster of one (grey) or three (YCbCr) bands, or {@code null} when the
     * file is not one this reader supports or its data is inconsistent
     */
    static Raster read(byte[] data, int samplesPerBlock) {
        return read(ByteBuffer.wrap(data), samplesPerBlock, false);
    }

    /**
     * As {@link #read(byte[], int)} for the buffer's bytes from 0 to its limit, which may be only the first scans of
     * a progressive file ({@code cutAfterScan}): its end then stands for the end-of-image marker.
     */
    static Raster read(ByteBuffer data, int samplesPerBlock, boolean cutAfterScan) {
        try {
            return decode(data, samplesPerBlock, cutAfterScan);
        } catch (RuntimeException | OutOfMemoryError e) {
            // A safety net only: the decoder checks what it reads; whatever slipped through is the general path's.
            return null;
        }
    }

    /** {@link #read} without the safety net, for tests that show nothing slips through it. */
    static Raster decode(byte[] data, int samplesPerBlock) {
        return decode(ByteBuffer.wrap(data), samplesPerBlock, false);
    }

    private static Raster decode(ByteBuffer data, int samplesPerBlock, boolean cutAfterScan) {
        if (samplesPerBlock != 1 && samplesPerBlock != 2) {
            throw new IllegalArgumentException("samplesPerBlock must be 1 or 2, not " + samplesPerBlock);
        }
        DctScaledJpegReader reader = new DctScaledJpegReader(data, samplesPerBlock, cutAfterScan);
        try {
            return reader.read();
        } finally {
            if (reader.blocks != null) {
                ENTROPY_BUFFERS.give(reader.blocks.data.bytes);
            }
        }
    }

    /** Takes back the array of a raster {@link #read} returned, for a later read; the raster must not be used again. */
    static void recycle(Raster raster) {
        RASTERS.give(((DataBufferByte) raster.getDataBuffer()).getData());
    }

    private Raster read() {
        JpegSegments segments = JpegSegments.afterSoi(d);
        if (segments == null) {
            return null;
        }
        boolean scanned = false;
        while (true) {
            int marker = segments.next();
            int body = segments.body();
            int end = segments.end();
            if (marker == JpegMarkers.EOI || (marker == JpegSegments.END && cut && segments.exhausted())) {
                return scanned ? raster() : null;
            }
            if (marker == JpegMarkers.SOF0 || marker == JpegMarkers.SOF1 || marker == JpegMarkers.SOF2) {
                if (out != null || !frame(JpegFrame.read(d, body, end, marker))) {
                    return null;
                }
            } else if (marker == JpegMarkers.DHT) {
                if (!tables.readHuffman(d, body, end)) {
                    return null;
                }
            } else if (marker == JpegMarkers.DQT) {
                if (!tables.readQuant(d, body, end)) {
                    return null;
                }
            } else if (marker == JpegMarkers.DRI) {
                if (end - body < 2) {
                    return null;
                }
                restartInterval = JpegMarkers.u16(d, body);
            } else if (marker == JpegMarkers.SOS) {
                int after = out == null ? -1 : scan(body, end);
                if (after < 0) {
                    return null;
                }
                segments.resumeAt(after);
                scanned = true;
            } else if (marker == JpegSegments.END || (marker >= 0xC3 && marker <= 0xCF) || marker == JpegMarkers.DNL
                    || JpegMarkers.isStandalone(marker) || marker < 0xC0) {
                // Other frame types, arithmetic conditioning, DNL, stray RST or SOI: not for this reader.
                return null;
            }
        }
    }

    private boolean frame(JpegFrame frame) {
        if (frame == null || frame.precision() != 8) {
            return false;
        }
        progressive = frame.progressive();
        height = frame.height();
        width = frame.width();
        components = frame.components();
        if (width < 1 || height < 1 || !(components == 1 || components == 3)) {
            return false;
        }
        hMax = 1;
        vMax = 1;
        for (int c = 0; c < components; c++) {
            ids[c] = frame.ids()[c];
            hs[c] = components == 1 ? 1 : frame.hs()[c];
            vs[c] = components == 1 ? 1 : frame.vs()[c];
            tqs[c] = frame.tqs()[c];
            if (hs[c] < 1 || hs[c] > 2 || vs[c] < 1 || vs[c] > 2 || tqs[c] > 3) {
                return false;
            }
            for (int o = 0; o < c; o++) {
                if (ids[o] == ids[c]) {
                    return false;
                }
            }
            hMax = Math.max(hMax, hs[c]);
            vMax = Math.max(vMax, vs[c]);
        }
        mcusX = (width + 8 * hMax - 1) / (8 * hMax);
        mcusY = (height + 8 * vMax - 1) / (8 * vMax);
        // The caller checks pixel limits first; this only keeps array sizes in range whoever calls.
        if ((long) resultWidth() * resultHeight() * components > MAX_SAMPLES
                || (long) mcusX * hMax * mcusY * vMax > MAX_SAMPLES) {
            return false;
        }
        dcs = progressive ? new int[components][] : null;
        acSums = progressive && n == 2 ? new float[components][] : null;
        int[] shiftX = new int[3];
        int[] shiftY = new int[3];
        for (int c = 0; c < components; c++) {
            strides[c] = mcusX * hs[c];
            shiftX[c] = hs[c] == hMax ? 0 : 1;
            shiftY[c] = vs[c] == vMax ? 0 : 1;
            if (progressive) {
                dcs[c] = new int[strides[c] * mcusY * vs[c]];
            }
        }
        out = new ReducedImage(RASTERS.take(resultWidth() * resultHeight() * components), resultWidth(),
                resultHeight(), components, shiftX, shiftY);
        blocks = new BlockDecoder(new EntropyData(ENTROPY_BUFFERS.take(EntropyData.bytesFor(d.limit()))), n, out,
                tables.dc, tables.ac);
        return true;
    }

    /** Decodes (or skips) one scan; returns the offset of the marker after its data, or -1. */
    private int scan(int at, int end) {
        int ns = d.get(at) & 0xFF;
        if (ns < 1 || ns > components || end - at != 4 + 2 * ns) {
            return -1;
        }
        int[] comps = new int[ns];
        int[] dcTable = new int[ns];
        int[] acTable = new int[ns];
        for (int s = 0; s < ns; s++) {
            int id = d.get(at + 1 + 2 * s) & 0xFF;
            comps[s] = -1;
            for (int c = 0; c < components; c++) {
                if (ids[c] == id) {
                    comps[s] = c;
                }
            }
            dcTable[s] = (d.get(at + 2 + 2 * s) & 0xFF) >>> 4;
            acTable[s] = d.get(at + 2 + 2 * s) & 15;
            if (comps[s] < 0 || dcTable[s] > 3 || acTable[s] > 3 || tables.quant[tqs[comps[s]]] == null) {
                return -1;
            }
        }
        int ss = d.get(at + 1 + 2 * ns) & 0xFF;
        int se = d.get(at + 2 + 2 * ns) & 0xFF;
        int ah = (d.get(at + 3 + 2 * ns) & 0xFF) >>> 4;
        int al = d.get(at + 3 + 2 * ns) & 15;
        if (progressive && ss > 0) {
            if (se < ss || se > 63 || ns != 1) {
                return -1;
            }
            // At 1/8 a block's mean does not depend on AC coefficients. At 1/4 a first pass counts, at the
            // precision it has; a refinement pass adds bits below it and is left out.
            return n == 1 || ah != 0 ? EntropyData.skip(d, end) : acScan(comps[0], acTable, ss, se, al, end);
        }
        if (progressive ? se != 0 || al > 13 || (ah != 0 && ah != al + 1) : ss != 0 || se != 63 || ah != 0 || al != 0) {
            return -1;
        }
        for (int s = 0; s < ns; s++) {
            // Each component's coefficients once (a progressive DC refinement after its first pass), with the
            // tables the scan decodes with.
            boolean refinement = progressive && ah != 0;
            boolean tabled = refinement
                    || (tables.dc[dcTable[s]] != null && (progressive || tables.ac[acTable[s]] != null));
            if (refinement != dcSeen[comps[s]] || !tabled) {
                return -1;
            }
            dcSeen[comps[s]] = true;
        }
        int mcus = ns == 1 ? blocksWide(comps[0]) * blocksHigh(comps[0]) : mcusX * mcusY;
        blocks.start(d, end, comps, dcTable, acTable, progressive ? (ah == 0 ? al : -1 - al) : BlockDecoder.FULL);
        if (!progressive) {
            for (int s = 0; s < ns; s++) {
                blocks.weights(s, tables.quant[tqs[comps[s]]]);
            }
        }
        return blocks.decode(mcus, restartInterval, ns == 1 ? blocksWide(comps[0]) : mcusX, ns == 1, hs, vs, dcs,
                strides) ? blocks.data.end : -1;
    }

    /** Decodes the first pass of a progressive AC scan of component c at 1/4 into {@link #acSums}. */
    private int acScan(int c, int[] acTable, int ss, int se, int al, int end) {
        if (!dcSeen[c] || al > 13 || tables.ac[acTable[0]] == null) {
            return -1;
        }
        if (acSums[c] == null) {
            acSums[c] = new float[dcs[c].length * 4];
        }
        double[] exact = BlockMeans.weights(tables.quant[tqs[c]]);
        float[] weights = new float[exact.length];
        for (int i = 0; i < exact.length; i++) {
            weights[i] = (float) exact[i];
        }
        blocks.startAc(d, end, new int[]{c}, acTable, ss, se, al, acSums[c], strides[c], weights);
        return blocks.decode(blocksWide(c) * blocksHigh(c), restartInterval, blocksWide(c), true, hs, vs, dcs,
                strides) ? blocks.data.end : -1;
    }

    /** A component's blocks across in a scan of it alone: its own size rounded up, not the MCU grid's. */
    private int blocksWide(int c) {
        return ((width * hs[c] + hMax - 1) / hMax + 7) / 8;
    }

    private int blocksHigh(int c) {
        return ((height * vs[c] + vMax - 1) / vMax + 7) / 8;
    }

    private int resultWidth() {
        return (width * n + 7) / 8;
    }

    private int resultHeight() {
        return (height * n + 7) / 8;
    }

    private Raster raster() {
        for (int c = 0; c < components; c++) {
            if (!dcSeen[c]) {
                return null;
            }
        }
        if (progressive && n == 1) {
            for (int c = 0; c < components; c++) {
                int q0 = tables.quant[tqs[c]][0];
                int[] coefs = dcs[c];
                for (int b = 0; b < coefs.length; b++) {
                    out.put(c, b % strides[c], b / strides[c], ReducedImage.clamp((coefs[b] * q0 + 1028) >> 3));
                }
            }
        } else if (progressive) {
            float[] quadrants = new float[4];
            for (int c = 0; c < components; c++) {
                // The block's mean, plus the level shift of 128 and half a level: putBlock rounds down.
                float q0 = tables.quant[tqs[c]][0] / 8f;
                int[] coefs = dcs[c];
                float[] sums = acSums[c];
                for (int b = 0; b < coefs.length; b++) {
                    float mean = coefs[b] * q0 + 128.5f;
                    for (int i = 0; i < 4; i++) {
                        quadrants[i] = sums == null ? mean : mean + sums[b * 4 + i];
                    }
                    out.putBlock(c, b % strides[c], b / strides[c], 2, quadrants);
                }
            }
        }
        return out.raster();
    }

    static int natural(int zigzag) {
        return NATURAL[zigzag];
    }
}
