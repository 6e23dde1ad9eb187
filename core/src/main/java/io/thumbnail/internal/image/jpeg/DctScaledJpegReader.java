package io.thumbnail.internal.image.jpeg;

import io.thumbnail.internal.image.header.JpegMarkers;

import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.nio.ByteBuffer;

/**
 * Decodes a plain JPEG straight into a reduced raw raster (grey, or YCbCr as libjpeg's {@code readRaster} delivers
 * it) from its DCT coefficients: each 8x8 block becomes 1x1 or 2x2 samples, each the exact mean of the block
 * area it covers, so no inverse DCT runs at all. Chroma is replicated to luma's size; a 4:2:0 result says so
 * ({@link #readReduced}), for the kernel to filter its chroma at its own resolution.
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
 *
 * <p>This class walks the segments and drives the scans; {@link FrameGeometry} and {@link ScanHeader} read and check
 * the frame and scan headers, {@link BlockDecoder} decodes a scan's blocks, {@link ProgressiveMeans} holds what a
 * progressive file's scans leave per block until its end, and {@link ReducedImage} is the result.
 */
final class DctScaledJpegReader {
    /** Entropy-data buffers (as large as a scan) shared by all decodes; see {@link ScratchBytes} for why. */
    private static final ScratchBytes ENTROPY_BUFFERS = ScratchBytes.forThisJvm();
    /**
     * The rasters' arrays (up to 1/16 of the source's pixels, times 3), shared the same way: a 20 MP photo's is one
     * or several G1 regions. The caller gives each back with {@link #recycle} once it has used the raster.
     */
    private static final ScratchBytes RASTERS = ScratchBytes.forThisJvm();

    private final ByteBuffer d;
    /** Samples per block side in the result: 1 or 2. */
    private final int n;
    /** Whether the data ends right after a scan, which then stands for the end of the image. */
    private final boolean cut;
    private final JpegTables tables = new JpegTables();
    private int restartInterval;
    /** The frame, the result and the block decoder writing it, once the frame header is read. */
    private FrameGeometry frame;
    private ReducedImage out;
    private BlockDecoder blocks;
    /** Progressive only: each block's coefficients until the image ends. */
    private ProgressiveMeans progressiveMeans;
    /** Whether the component's coefficients (progressive: its first DC pass) came in a scan. */
    private final boolean[] dcSeen = new boolean[3];

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
        Reduced reduced = readReduced(data, samplesPerBlock, cutAfterScan);
        return reduced == null ? null : reduced.raster();
    }

    /**
     * A reduced raster and whether its chroma is 4:2:0, each sample repeated over 2 x 2 pixels from an even column
     * and row (see {@link YccKernelScaler#scale(Raster, Coverage, int, int, int, boolean)}).
     */
    record Reduced(Raster raster, boolean chromaHalved) {
    }

    /** As {@link #read(ByteBuffer, int, boolean)}, with how the chroma was laid out. */
    static Reduced readReduced(ByteBuffer data, int samplesPerBlock, boolean cutAfterScan) {
        try {
            DctScaledJpegReader reader = new DctScaledJpegReader(data, samplesPerBlock, cutAfterScan);
            Raster raster = reader.decodeAll();
            return raster == null ? null : new Reduced(raster, reader.frame.chromaHalved());
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
        return new DctScaledJpegReader(data, samplesPerBlock, cutAfterScan).decodeAll();
    }

    /** Reads the whole image, giving back the entropy buffer whatever happens. */
    private Raster decodeAll() {
        if (n != 1 && n != 2) {
            throw new IllegalArgumentException("samplesPerBlock must be 1 or 2, not " + n);
        }
        try {
            return read();
        } finally {
            if (blocks != null) {
                ENTROPY_BUFFERS.give(blocks.data.bytes);
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
                if (frame != null || !frame(JpegFrame.read(d, body, end, marker))) {
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
                int after = frame == null ? -1 : scan(body, end);
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

    private boolean frame(JpegFrame header) {
        frame = FrameGeometry.of(header, n);
        if (frame == null) {
            return false;
        }
        progressiveMeans = frame.progressive ? new ProgressiveMeans(frame, n) : null;
        out = frame.resultImage(RASTERS.take(frame.resultSamples()));
        byte[] entropy = ENTROPY_BUFFERS.take(EntropyData.bytesFor(frame.blocks(), d.limit()));
        blocks = new BlockDecoder(new EntropyData(entropy), n, out, tables.dc, tables.ac, new EdgeMeans(frame, n, out));
        return true;
    }

    /** Decodes (or skips) one scan; returns the offset of the marker after its data, or -1. */
    private int scan(int at, int end) {
        ScanHeader scan = ScanHeader.read(d, at, end, frame, tables);
        if (scan == null) {
            return -1;
        }
        if (scan.acOnly()) {
            // At 1/8 a block's mean does not depend on AC coefficients. At 1/4 a first pass counts, at the
            // precision it has; a refinement pass adds bits below it and is left out.
            return n == 1 || scan.refinement() ? EntropyData.skip(d, end) : acScan(scan, end);
        }
        boolean progressive = frame.progressive;
        int[] comps = scan.comps();
        int ns = comps.length;
        for (int s = 0; s < ns; s++) {
            // Each component's coefficients once (a progressive DC refinement after its first pass), with the
            // tables the scan decodes with.
            boolean refinement = progressive && scan.refinement();
            boolean tabled = refinement || (tables.dc[scan.dcTables()[s]] != null
                    && (progressive || tables.ac[scan.acTables()[s]] != null));
            if (refinement != dcSeen[comps[s]] || !tabled) {
                return -1;
            }
            dcSeen[comps[s]] = true;
        }
        int mcus = ns == 1 ? frame.blocksWide(comps[0]) * frame.blocksHigh(comps[0]) : frame.mcusX * frame.mcusY;
        blocks.start(d, end, comps, scan.dcTables(), scan.acTables(),
                progressive ? (scan.refinement() ? -1 - scan.al() : scan.al()) : BlockDecoder.FULL);
        if (!progressive) {
            for (int s = 0; s < ns; s++) {
                blocks.weights(s, tables.quant[frame.tqs[comps[s]]]);
            }
        }
        return blocks.decode(mcus, restartInterval, ns == 1 ? frame.blocksWide(comps[0]) : frame.mcusX, ns == 1,
                frame.hs, frame.vs, progressive ? progressiveMeans.dcs : null, frame.strides) ? blocks.data.end : -1;
    }

    /** Decodes the first pass of a progressive AC scan at 1/4 into its component's quadrant sums. */
    private int acScan(ScanHeader scan, int end) {
        int c = scan.comps()[0];
        if (!dcSeen[c] || scan.al() > 13 || tables.ac[scan.acTables()[0]] == null) {
            return -1;
        }
        float[] sums = progressiveMeans.acSums(c);
        double[] exact = BlockMeans.weights(tables.quant[frame.tqs[c]]);
        float[] weights = new float[exact.length];
        for (int i = 0; i < exact.length; i++) {
            weights[i] = (float) exact[i];
        }
        blocks.startAc(d, end, new int[]{c}, scan.acTables(), scan.ss(), scan.se(), scan.al(), sums, frame.strides[c],
                weights);
        return blocks.decode(frame.blocksWide(c) * frame.blocksHigh(c), restartInterval, frame.blocksWide(c), true,
                frame.hs, frame.vs, progressiveMeans.dcs, frame.strides) ? blocks.data.end : -1;
    }

    private Raster raster() {
        for (int c = 0; c < frame.components; c++) {
            if (!dcSeen[c]) {
                return null;
            }
        }
        if (progressiveMeans != null) {
            progressiveMeans.writeTo(out, tables);
        }
        return out.raster();
    }
}
