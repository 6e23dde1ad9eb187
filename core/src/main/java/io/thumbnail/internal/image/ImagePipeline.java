package io.thumbnail.internal.image;

import io.thumbnail.Gravity;
import io.thumbnail.ImageFormat;
import io.thumbnail.Limits;
import io.thumbnail.OutputFormat;
import io.thumbnail.SourceInfo;
import io.thumbnail.Thumbnail;
import io.thumbnail.ThumbnailSpec;
import io.thumbnail.internal.image.header.ImageBytes;
import io.thumbnail.internal.image.header.ImageHeader;
import io.thumbnail.internal.image.header.SourceCheck;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

/**
 * The image pipeline: encoded bytes in, an upright sRGB thumbnail out, every {@link Limits limit} checked from the
 * header before any pixel is decoded. Thread-safe and stateless apart from its limits. The public
 * {@link io.thumbnail.Thumbnailer} is a face of this; the job system's intake and workers use it directly.
 */
public final class ImagePipeline implements Pipeline {
    /** How the pipeline turns bytes into pixels: {@link ImageDecoder} unless told otherwise (a test counting). */
    @FunctionalInterface
    public interface Decoder {
        /** As {@link ImageDecoder#decode(ByteBuffer, ImageHeader, int, int, boolean)}. */
        BufferedImage decode(ByteBuffer data, ImageHeader header, int minWidth, int minHeight, boolean exact);
    }

    private final Limits limits;
    private final Decoder decoder;
    private final boolean hashSources;

    public ImagePipeline(Limits limits) {
        this(limits, ImageDecoder::decode, true);
    }

    public ImagePipeline(Limits limits, Decoder decoder) {
        this(limits, decoder, true);
    }

    /**
     * @param hashSources false leaves {@link SourceInfo#sha256()} null where this pipeline would hash the bytes itself
     *                    (a batch that never reads it is spared a pass over every input byte)
     */
    public ImagePipeline(Limits limits, Decoder decoder, boolean hashSources) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.decoder = Objects.requireNonNull(decoder, "decoder");
        this.hashSources = hashSources;
    }

    public Limits limits() {
        return limits;
    }

    @Override
    public Thumbnail thumbnail(byte[] data, ThumbnailSpec spec) {
        Objects.requireNonNull(spec, "spec");
        checkSize(data.length);
        ImageHeader header = header(ImageBytes.of(data));
        return make(ByteBuffer.wrap(data), header, spec, sourceInfo(data.length, header, hash(data)));
    }

    /**
     * As {@link #thumbnail(byte[], ThumbnailSpec)} for bytes already {@link #inspect inspected}: {@code inspected}
     * becomes the thumbnail's {@link Thumbnail#source()}, so the bytes are not hashed again. The header is still read
     * and every limit checked.
     *
     * @throws IllegalArgumentException if {@code inspected} names another size or format than these bytes have
     */
    @Override
    public Thumbnail thumbnail(byte[] data, SourceInfo inspected, ThumbnailSpec spec) {
        return thumbnail(ByteBuffer.wrap(data), inspected, spec);
    }

    /**
     * As {@link #thumbnail(byte[], SourceInfo, ThumbnailSpec)} for the buffer's bytes from 0 to its limit: a stored
     * original read into memory outside the heap (see {@link Pipeline}) is decoded where it is.
     */
    @Override
    public Thumbnail thumbnail(ByteBuffer data, SourceInfo inspected, ThumbnailSpec spec) {
        Objects.requireNonNull(inspected, "inspected");
        Objects.requireNonNull(spec, "spec");
        return make(data, checkedHeader(data, inspected), spec, inspected);
    }

    /**
     * Every spec's thumbnail from one decode, at the scale the largest of them needs (for a JPEG, one DCT-domain
     * reduction serves all): a smaller one is resized from those pixels rather than from its own decode, so it may
     * differ from the thumbnail made alone by resampling detail (a single small thumbnail may come from 8x8 block
     * means; here it is filtered from finer pixels). A spec whose plan is refused (too large a side, a WebP too large) fails
     * alone; a source that cannot be decoded fails them all. {@code inspected} may be null (the bytes are hashed).
     */
    @Override
    public List<Rendition> thumbnails(byte[] data, SourceInfo inspected, List<ThumbnailSpec> specs) {
        ByteBuffer buffer = ByteBuffer.wrap(data);
        ImageHeader header = inspected == null ? header(ImageBytes.of(data)) : checkedHeader(buffer, inspected);
        SourceInfo source = inspected != null ? inspected : sourceInfo(data.length, header, hash(data));
        Rendition[] made = new Rendition[specs.size()];
        ThumbnailPlan[] plans = new ThumbnailPlan[specs.size()];
        int needW = 0;
        int needH = 0;
        for (int i = 0; i < plans.length; i++) {
            try {
                plans[i] = plan(header, specs.get(i));
                needW = Math.max(needW, plans[i].decodeWidth(header.uprightWidth()));
                needH = Math.max(needH, plans[i].decodeHeight(header.uprightHeight()));
            } catch (RuntimeException e) {
                made[i] = new Rendition(null, e);
            }
        }
        if (needW > 0) {
            // When the largest shows the whole image at the most both ways need, the decoder may make exactly its
            // size: that thumbnail is then the very one it would be alone, and the smaller ones are resized from it.
            boolean exact = false;
            for (ThumbnailPlan plan : plans) {
                exact |= plan != null && plan.whole() && plan.width() >= needW && plan.height() >= needH;
            }
            BufferedImage upright = decode(buffer, header, needW, needH, exact);
            for (int i = 0; i < plans.length; i++) {
                if (plans[i] != null) {
                    try {
                        made[i] = new Rendition(finish(upright, header.grey(), plans[i], specs.get(i), source),
                                null);
                    } catch (RuntimeException e) {
                        made[i] = new Rendition(null, e);
                    } catch (OutOfMemoryError e) {
                        made[i] = new Rendition(null, DecodeMemory.tooLarge(header));
                    }
                }
            }
        }
        return List.of(made);
    }

    /** The header of bytes the caller inspected before, checked again (every limit) and against what it recorded. */
    private ImageHeader checkedHeader(ByteBuffer data, SourceInfo inspected) {
        checkSize(data.limit());
        ImageHeader header = header(ImageBytes.of(data));
        if (inspected.bytes() != data.limit() || inspected.format() != header.format()) {
            throw new IllegalArgumentException("inspected describes " + inspected.bytes() + " bytes of "
                    + inspected.format().id() + ", not these " + data.limit() + " bytes of " + header.format().id());
        }
        return header;
    }

    /** Reads only the header: format, upright size, byte count and hash. Enforces every limit. */
    public SourceInfo inspect(byte[] data) {
        checkSize(data.length);
        return sourceInfo(data.length, header(ImageBytes.of(data)), hash(data));
    }

    /**
     * As {@link #inspect(byte[])} for bytes read a few blocks at a time (an upload received into the blob store), whose
     * hash the caller computed as they arrived.
     */
    public SourceInfo inspect(ImageBytes bytes, String sha256) {
        checkSize(bytes.length());
        return sourceInfo(bytes.length(), header(bytes), sha256);
    }

    /**
     * Refuses, with {@code invalid_spec}, a spec whose thumbnail of {@code source} would break the output limit, as a
     * worker would; with {@code source} null (not fetched yet), a box past the limit.
     */
    public void checkSpec(SourceInfo source, ThumbnailSpec spec) {
        if (source == null) {
            ThumbnailPlan.checkBox(spec, limits.maxOutputSide());
        } else {
            ThumbnailPlan.of(source.width(), source.height(), spec, limits.maxOutputSide());
        }
    }

    /** Refuses, with {@code too_large}, a source of more than the input limit's bytes. */
    public void checkSize(long size) {
        SourceCheck.size(size, limits);
    }

    private Thumbnail make(ByteBuffer data, ImageHeader header, ThumbnailSpec spec, SourceInfo source) {
        ThumbnailPlan plan = plan(header, spec);
        // The decoder may shrink on load, but never below what the plan needs at its scale.
        // Without a crop the whole image becomes exactly the plan's size, which a decoder may produce directly.
        BufferedImage upright = decode(data, header, plan.decodeWidth(header.uprightWidth()),
                plan.decodeHeight(header.uprightHeight()), plan.whole());
        try {
            return finish(upright, header.grey(), plan, spec, source);
        } catch (OutOfMemoryError e) {
            throw DecodeMemory.tooLarge(header);
        }
    }

    private ThumbnailPlan plan(ImageHeader header, ThumbnailSpec spec) {
        ThumbnailPlan plan = ThumbnailPlan.of(header.uprightWidth(), header.uprightHeight(), spec, limits.maxOutputSide());
        if (spec.format() == OutputFormat.WEBP) {
            ImageEncoder.checkWebp(plan.width(), plan.height());
        }
        return plan;
    }

    /** The source upright, at least {@code needW} x {@code needH} (upright) where the decoder shrinks on load. */
    private BufferedImage decode(ByteBuffer data, ImageHeader header, int needW, int needH, boolean exact) {
        BufferedImage decoded = header.transposed()
                ? decoder.decode(data, header, needH, needW, exact)
                : decoder.decode(data, header, needW, needH, exact);
        try {
            return Orientation.apply(decoded, header.orientation());
        } catch (OutOfMemoryError e) {
            throw DecodeMemory.tooLarge(header);
        }
    }

    /**
     * The thumbnail of {@code plan} from the decoded, upright source: crop, resize, encode; grey when the source is
     * ({@code grey}: its pixels then have equal red, green and blue, and resizing keeps them so).
     */
    private static Thumbnail finish(BufferedImage upright, boolean grey, ThumbnailPlan plan, ThumbnailSpec spec,
                                    SourceInfo source) {
        if (spec.gravity() == Gravity.SMART) {
            plan = SmartCrop.place(plan, upright);
        }
        BufferedImage scaled = Resizer.resize(upright, plan);
        ImageFormat plain = scaled.getColorModel().hasAlpha() ? ImageFormat.PNG : ImageFormat.JPEG;
        ImageFormat out = switch (spec.format()) {
            case JPEG -> ImageFormat.JPEG;
            case PNG -> ImageFormat.PNG;
            case WEBP -> ImageFormat.WEBP;
            case AUTO -> plain;
            case AUTO_WEBP -> ImageEncoder.canWriteWebp(scaled.getWidth(), scaled.getHeight()) ? ImageFormat.WEBP : plain;
        };
        byte[] bytes = encode(scaled, out, spec, grey);
        Thumbnail.Fallback fallback = spec.format() == OutputFormat.AUTO_WEBP && out == ImageFormat.WEBP
                ? new Thumbnail.Fallback(encode(scaled, plain, spec, grey), plain) : null;
        return new Thumbnail(bytes, out, scaled.getWidth(), scaled.getHeight(), source, fallback);
    }

    private static byte[] encode(BufferedImage image, ImageFormat format, ThumbnailSpec spec, boolean grey) {
        return ImageEncoder.encode(image, format, spec.qualityFor(format), spec.background(), grey);
    }

    private ImageHeader header(ImageBytes bytes) {
        return SourceCheck.header(bytes, limits);
    }

    private String hash(byte[] data) {
        return hashSources ? Sha256.hex(data) : null;
    }

    private static SourceInfo sourceInfo(long size, ImageHeader header, String sha256) {
        return new SourceInfo(header.format(), header.uprightWidth(), header.uprightHeight(), size, sha256);
    }
}
