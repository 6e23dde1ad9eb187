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
import java.util.Objects;

/**
 * The image pipeline: encoded bytes in, an upright sRGB thumbnail out, every {@link Limits limit} checked from the
 * header before any pixel is decoded. Thread-safe and stateless apart from its limits. The public
 * {@link io.thumbnail.Thumbnailer} is a face of this; the job system's intake and workers use it directly.
 */
public final class ImagePipeline implements Pipeline {
    private final Limits limits;

    public ImagePipeline(Limits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    public Limits limits() {
        return limits;
    }

    @Override
    public Thumbnail thumbnail(byte[] data, ThumbnailSpec spec) {
        Objects.requireNonNull(spec, "spec");
        checkSize(data.length);
        ImageHeader header = header(ImageBytes.of(data));
        return make(ByteBuffer.wrap(data), header, spec, sourceInfo(data.length, header, Sha256.hex(data)));
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
        checkSize(data.limit());
        ImageHeader header = header(ImageBytes.of(data));
        if (inspected.bytes() != data.limit() || inspected.format() != header.format()) {
            throw new IllegalArgumentException("inspected describes " + inspected.bytes() + " bytes of "
                    + inspected.format().id() + ", not these " + data.limit() + " bytes of " + header.format().id());
        }
        return make(data, header, spec, inspected);
    }

    /** Reads only the header: format, upright size, byte count and hash. Enforces every limit. */
    public SourceInfo inspect(byte[] data) {
        checkSize(data.length);
        return sourceInfo(data.length, header(ImageBytes.of(data)), Sha256.hex(data));
    }

    /**
     * As {@link #inspect(byte[])} for bytes read a few blocks at a time (an upload received into the blob store), whose
     * hash the caller computed as they arrived.
     */
    public SourceInfo inspect(ImageBytes bytes, String sha256) {
        checkSize(bytes.length());
        return sourceInfo(bytes.length(), header(bytes), sha256);
    }

    /** Refuses, with {@code too_large}, a source of more than the input limit's bytes. */
    public void checkSize(long size) {
        SourceCheck.size(size, limits);
    }

    private Thumbnail make(ByteBuffer data, ImageHeader header, ThumbnailSpec spec, SourceInfo source) {
        ThumbnailPlan plan = ThumbnailPlan.of(header.uprightWidth(), header.uprightHeight(), spec, limits.maxOutputSide());
        // The decoder may shrink on load, but never below what the plan needs at its scale.
        // Without a crop the whole image becomes exactly the plan's size, which a decoder may produce directly.
        boolean whole = plan.whole();
        int needW = plan.decodeWidth(header.uprightWidth());
        int needH = plan.decodeHeight(header.uprightHeight());
        if (spec.format() == OutputFormat.WEBP) {
            ImageEncoder.checkWebp(plan.width(), plan.height());
        }
        BufferedImage decoded = header.transposed()
                ? ImageDecoder.decode(data, header, needH, needW, whole)
                : ImageDecoder.decode(data, header, needW, needH, whole);
        BufferedImage upright = Orientation.apply(decoded, header.orientation());
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
        byte[] bytes = encode(scaled, out, spec);
        Thumbnail.Fallback fallback = spec.format() == OutputFormat.AUTO_WEBP && out == ImageFormat.WEBP
                ? new Thumbnail.Fallback(encode(scaled, plain, spec), plain) : null;
        return new Thumbnail(bytes, out, scaled.getWidth(), scaled.getHeight(), source, fallback);
    }

    private static byte[] encode(BufferedImage image, ImageFormat format, ThumbnailSpec spec) {
        return ImageEncoder.encode(image, format, spec.qualityFor(format), spec.background());
    }

    private ImageHeader header(ImageBytes bytes) {
        return SourceCheck.header(bytes, limits);
    }

    private static SourceInfo sourceInfo(long size, ImageHeader header, String sha256) {
        return new SourceInfo(header.format(), header.uprightWidth(), header.uprightHeight(), size, sha256);
    }
}
