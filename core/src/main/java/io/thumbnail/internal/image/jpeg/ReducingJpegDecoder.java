package io.thumbnail.internal.image.jpeg;

import io.thumbnail.internal.image.header.BoundedImageInputStream;
import io.thumbnail.internal.image.header.JpegMarkers;

import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;
import java.awt.color.ICC_ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.Optional;

/**
 * Shrink on load for plain JPEGs (8-bit grey or YCbCr, with or without an RGB ICC profile): decodes straight
 * into an sRGB image of exactly the thumbnail's size, filtered with
 * {@link io.thumbnail.internal.image.kernel.Lanczos3 Lanczos3}, when the caller takes the whole image at that size
 * ({@link YccKernelScaler}); and into four times the size it needs otherwise, by the exact area average, for the
 * {@link io.thumbnail.internal.image.Resizer Resizer} to crop and filter ({@link YccAreaScaler}).
 *
 * <p>Why it is fast: the JDK reader's {@code read} spends most of its time turning libjpeg's rows into a
 * {@code BufferedImage}, while {@code readRaster} hands over the YCbCr rows untouched, several times faster.
 * Filtering is linear and so is YCbCr to RGB, so filtering first and converting
 * the few remaining pixels gives the same pixels at a fraction of the cost; the ICC conversion, too, runs on the
 * reduced image. The JDK reader renders a progressive JPEG once per scan (about ten times); those being shrunk a
 * lot are cut short instead: after their first scan (the DC coefficients, i.e. each 8x8 block's mean) for small
 * thumbnails, after the first scan of the luma's low frequencies for larger ones.
 *
 * <p>Before all that, where the image is at least {@link #DCT_HEADROOM} times the needed size at 1/8 or 1/4,
 * {@link DctScaledJpegReader} decodes it straight to that size from the DCT coefficients (block means, no inverse
 * DCT; progressive files from their DC scans at 1/8, and from those and the luma's first AC scan at 1/4), which
 * spares the JDK reader's full-size decode (for a progressive file, its decode of every scan): a half to a fifth
 * of the CPU. The rest of the path (kernel, conversion, ICC) is the same; whatever that reader declines goes the
 * JDK way. Where the image is not a whole number of blocks wide or high, its last blocks are mostly padding: the
 * scaling weighs that column and row of the reduced raster by the pixels they hold ({@link Coverage}), as it does
 * the last, cut-short cells of a subsampled read.
 *
 * <p>Returns {@code null} whenever the input is anything else or the reader reports any problem, so that the
 * general decoder makes the decision (and the error message) for unusual and damaged files.
 */
public final class ReducingJpegDecoder {
    /** Point subsampling in the reader is considered from this multiple of the needed size. */
    static final int HEADROOM = 8;
    /**
     * Unless asked for the exact size, the decoded image is averaged down to this multiple of the needed size: the
     * resizer's box stage, done on the raw samples. Its kernel then has four times the output to work on and room
     * for a crop at fractional offsets.
     */
    private static final int MULTIPLE = 4;
    /** The DC scan alone is used when 8x8 block means are still this many times the needed size. */
    private static final int DC_HEADROOM = 4;
    /**
     * The DC scan and the first scan of the luma's lowest AC coefficients are used when the source is this many
     * times the needed size. With libjpeg's progression (AC 1-5 at a quarter of their precision) that costs 0.0005
     * SSIM at most on camera photos after JPEG encoding, and two passes over the image instead of ten.
     */
    private static final int LOW_PASS_HEADROOM = 8;
    /** Whether plain JPEGs are decoded from their DCT coefficients straight to a reduced raster. */
    static final boolean DCT_SCALING = true;
    /**
     * {@link DctScaledJpegReader} is used at the smallest scale (1/8, else 1/4) whose raster is at least this
     * multiple of the needed size: libvips' rule for its shrink on load, which leaves the kernel at least twice the
     * output size to work on. The reduction's 8x8 or 4x4 block means are then at most half an output pixel wide.
     * On camera photos keeping four times the size instead gains next to nothing against Lanczos3 of the full
     * decode and, at 400 px, costs the JDK's full decode, twice the time; so the reader has no 1/2 scale either. Like
     * libvips', the block means let some of a pattern just finer than the blocks alias into the thumbnail: at
     * twice the size, up to about an eighth of its contrast.
     */
    static final int DCT_HEADROOM = 2;
    /** Converting more pixels than this from an embedded profile is worth a coarser final resize step. */
    private static final long ICC_PIXELS = 2_000_000L;
    private static final byte[] EOI = {(byte) 0xFF, (byte) JpegMarkers.EOI};

    private ReducingJpegDecoder() {
    }

    /** @param exact return exactly {@code minWidth} x {@code minHeight} when the source is at least that large */
    public static BufferedImage decode(byte[] data, int minWidth, int minHeight, boolean exact) {
        return decode(ByteBuffer.wrap(data), minWidth, minHeight, exact, DCT_SCALING);
    }

    /**
     * As {@link #decode(byte[], int, int, boolean)} for the buffer's bytes from 0 to its limit, read where they are:
     * a file read into memory outside the heap is never copied into it.
     */
    public static BufferedImage decode(ByteBuffer data, int minWidth, int minHeight, boolean exact) {
        return decode(data, minWidth, minHeight, exact, DCT_SCALING);
    }

    /**
     * Refuses a progressive JPEG with more scans than its size allows ({@link JpegScans}), for a decoder about to read
     * every scan of it (the buffer's bytes from 0 to its limit).
     */
    public static void checkScans(ByteBuffer jpeg, int width, int height) {
        JpegScans.check(jpeg, width, height);
    }

    /** @param dctScaling whether to try {@link DctScaledJpegReader} first (false: the JDK reader only) */
    static BufferedImage decode(byte[] data, int minWidth, int minHeight, boolean exact, boolean dctScaling) {
        return decode(ByteBuffer.wrap(data), minWidth, minHeight, exact, dctScaling);
    }

    static BufferedImage decode(ByteBuffer data, int minWidth, int minHeight, boolean exact,
                                boolean dctScaling) {
        JpegLayout layout = JpegLayout.parse(data);
        if (layout == null) {
            return null;
        }
        ICC_ColorSpace space = null;
        if (layout.icc() != null) {
            Optional<EmbeddedProfiles.Profile> profile = layout.components() == 3
                    ? EmbeddedProfiles.rgb(layout.icc()) : Optional.empty();
            if (profile.isEmpty()) {
                return null;
            }
            space = profile.get().srgb() ? null : profile.get().space();
        }
        int w = layout.width();
        int h = layout.height();
        int minW = Math.max(1, minWidth);
        int minH = Math.max(1, minHeight);
        int n = dctScaling ? samplesPerBlock(layout, data.limit(), minW, minH) : 0;
        ByteBuffer scans = data;
        if (n > 0 && layout.progressive()) {
            if (!endsWithEoi(data) || (n == 2 && layout.lowPassEnd() < 0)) {
                n = 0;
            } else if (n == 2) {
                scans = data.slice(0, layout.lowPassEnd());
            }
        }
        if (layout.progressive() && n == 2) {
            // Each scan of the first ones costs a pass over the reduced image; at 1/8 the AC scans are skipped unread.
            JpegScans.check(scans, w, h);
        }
        if (n > 0) {
            DctScaledJpegReader.Reduced reduced = DctScaledJpegReader.readReduced(scans, n, scans != data);
            // Each sample stands for a block (1/8) or a quarter of one (1/4); the last ones may hold padding.
            Coverage blocks = new Coverage(8 / n, w, h);
            if (reduced != null) {
                try {
                    if (blocks.fits(reduced.raster())) {
                        return finish(reduced.raster(), blocks, minW, minH, layout.components(), exact, space,
                                reduced.chromaHalved());
                    }
                } finally {
                    DctScaledJpegReader.recycle(reduced.raster());
                }
            }
        }
        int sub = subsampling(layout, shrinkFactor(layout, minW, minH, HEADROOM));
        int cut = -1;
        if (layout.firstScanEnd() > 0 && endsWithEoi(data)) {
            if (Math.min(w / (8 * minW), h / (8 * minH)) >= DC_HEADROOM) {
                cut = layout.firstScanEnd();
            } else if (layout.lowPassEnd() > 0 && Math.min(w / minW, h / minH) >= LOW_PASS_HEADROOM) {
                cut = layout.lowPassEnd();
            }
        }
        if (layout.progressive()) {
            // The JDK's decoder makes a pass over the whole image for every scan it reads.
            JpegScans.check(cut > 0 ? data.slice(0, cut) : data, w, h);
        }
        Raster raster = readRaster(data, cut > 0 ? cut : data.limit(), cut > 0 ? EOI : new byte[0], sub,
                layout.iccMarkers());
        Coverage samples = new Coverage(sub, w, h);
        return raster == null || !samples.fits(raster) ? null
                : finish(raster, samples, minW, minH, layout.components(), exact, space, false);
    }

    /**
     * The raw raster, whose pixels lie on the source as {@code coverage} says, reduced and converted to RGB, then to
     * sRGB from {@code space} unless that is null.
     */
    private static BufferedImage finish(Raster raster, Coverage coverage, int minW, int minH, int components,
                                        boolean exact, ICC_ColorSpace space, boolean chromaHalved) {
        BufferedImage image = reduce(raster, coverage, minW, minH, components, exact ? 1 : MULTIPLE, space != null,
                chromaHalved);
        return space == null ? image : EmbeddedProfiles.toSrgb(image, space);
    }

    /**
     * The raw raster averaged down to a whole multiple (at most {@code most}) of the needed size and converted
     * to RGB; a raster smaller than the needed size in either direction is only converted. Either way the result
     * covers the source evenly: a last column or row that covers only part of a cell weighs that part.
     */
    private static BufferedImage reduce(Raster raster, Coverage coverage, int minW, int minH, int components,
                                        int most, boolean icc, boolean chromaHalved) {
        int wholeColumns = coverage.sourceWidth() / coverage.step();
        int wholeRows = coverage.sourceHeight() / coverage.step();
        int m = Math.min(most, Math.min(wholeColumns / minW, wholeRows / minH));
        // The ICC conversion costs about 15 ns a pixel: a coarser multiple keeps it to a few megapixels.
        while (icc && m > 2 && (long) m * minW * m * minH > ICC_PIXELS) {
            m--;
        }
        if (m < 1 || (coverage.isWhole() && m * minW == raster.getWidth() && m * minH == raster.getHeight())) {
            return YccConverter.convert(raster, components);
        }
        if (most == 1) {
            return YccKernelScaler.scale(raster, coverage, minW, minH, components, chromaHalved);
        }
        return YccAreaScaler.scale(raster, coverage, m * minW, m * minH, components);
    }

    /**
     * How many samples per 8x8 block side {@link DctScaledJpegReader} should make (1 or 2): the fewest that keep
     * the reduced image {@link #DCT_HEADROOM} times the needed size; 0 when none does or when that raster and the
     * reader's copy of the file would not fit in an eighth of the heap.
     */
    static int samplesPerBlock(JpegLayout layout, long fileBytes, int minW, int minH) {
        long budget = Runtime.getRuntime().maxMemory() / 8;
        for (int n = 1; n <= 2; n++) {
            int g = 8 / n;
            int room = Math.min(layout.width() / (g * minW), layout.height() / (g * minH));
            if (room >= DCT_HEADROOM) {
                long bytes = (long) (layout.width() / g + 1) * (layout.height() / g + 1) * layout.components();
                if (layout.progressive() && n == 2) {
                    // The luma blocks' quadrant sums of the AC scans: four floats per block.
                    bytes += (long) layout.width() * layout.height() / 4;
                }
                return bytes + fileBytes <= budget ? n : 0;
            }
        }
        return 0;
    }

    private static int shrinkFactor(JpegLayout layout, int minWidth, int minHeight, int headroom) {
        return Math.max(1, Math.min(layout.width() / (headroom * Math.max(1, minWidth)),
                layout.height() / (headroom * Math.max(1, minHeight))));
    }

    /**
     * Source subsampling. When blocks of 4x4 or more are to be averaged, every second pixel of every second row
     * is enough (libjpeg still decodes all of them, but half the rows never reach Java and the averaging has a
     * quarter of the work, for the same SSIM: those pixels are averaged away anyway).
     * Beyond that, more only while the raster would not fit in an eighth of the heap, so a 20-megapixel photo
     * still becomes a thumbnail in a 64 MB heap. Point subsampling aliases, so it never goes past the shrink
     * factor the thumbnail allows.
     */
    static int subsampling(JpegLayout layout, int reduce) {
        long budget = Runtime.getRuntime().maxMemory() / 8;
        int s = reduce >= 4 ? 2 : 1;
        while (s < reduce && (long) (layout.width() / s) * (layout.height() / s) * layout.components() > budget) {
            s++;
        }
        return s;
    }

    /**
     * Whether the end-of-image marker is within the last kilobyte. Reading only the first scan would not notice
     * a file truncated in a later scan; those are left to the full decode, which reports them as corrupt.
     */
    private static boolean endsWithEoi(ByteBuffer data) {
        return JpegMarkers.hasEoiFrom(data, data.limit() - 1024);
    }

    /**
     * The raw samples of the data's first {@code length} bytes followed by {@code tail}, subsampled by {@code sub}.
     * A cut after a scan, closed with an end-of-image marker as its tail, is how to read only some scans: asked for
     * fewer passes with {@code setSourceProgressivePasses}, the JDK reader skips the rest of the file from native code
     * holding a pinned array, and in a small heap that deadlocks with the garbage collector. The ICC segments at
     * {@code iccMarkers} are shown to the reader as APP15, which it skips: it would otherwise build a colour
     * transform from the profile on every read (only to check the profile, a cost comparable to the whole reduced
     * decode), although a raster read never uses it; the caller converts with the profile it parsed.
     */
    private static Raster readRaster(ByteBuffer data, int length, byte[] tail, int sub, int[] iccMarkers) {
        ImageReaderSpi spi = JdkJpeg.SPI;
        if (spi == null) {
            return null;
        }
        ImageReader reader;
        try {
            reader = spi.createReaderInstance();
        } catch (IOException e) {
            return null;
        }
        // Straight over the bytes: a memory-cache stream would copy the whole file into its own buffers first.
        byte app15 = (byte) JpegMarkers.APP15;
        try (ImageInputStream in = BoundedImageInputStream.withBytesReplaced(data, length, tail, iccMarkers,
                app15)) {
            boolean[] warned = {false};
            reader.addIIOReadWarningListener((source, warning) -> warned[0] = true);
            reader.setInput(in, true, true);
            ImageReadParam param = reader.getDefaultReadParam();
            param.setSourceSubsampling(sub, sub, 0, 0);
            Raster raster = reader.readRaster(0, param);
            boolean usable = !warned[0] && raster.getDataBuffer() instanceof DataBufferByte
                    && raster.getSampleModel() instanceof ComponentSampleModel model
                    && YccAreaScaler.isInterleaved(model, raster.getNumBands());
            return usable ? raster : null;
        } catch (IOException | RuntimeException e) {
            return null;
        } finally {
            reader.dispose();
        }
    }

    /**
     * The JDK's own JPEG reader, looked up at first use: finding it starts ImageIO's registry (every plugin on the
     * class path), which a JPEG our reader takes never needs before its thumbnail is encoded.
     */
    private static final class JdkJpeg {
        static final ImageReaderSpi SPI = jdkJpegReader();
    }

    private static ImageReaderSpi jdkJpegReader() {
        Iterator<ImageReaderSpi> spis = IIORegistry.getDefaultInstance().getServiceProviders(ImageReaderSpi.class, true);
        while (spis.hasNext()) {
            ImageReaderSpi spi = spis.next();
            if ("com.sun.imageio.plugins.jpeg.JPEGImageReader".equals(spi.getPluginClassName())) {
                return spi;
            }
        }
        return null;
    }
}
