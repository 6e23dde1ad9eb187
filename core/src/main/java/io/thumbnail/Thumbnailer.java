package io.thumbnail;

import io.thumbnail.internal.image.ImageBytes;
import io.thumbnail.internal.image.ImageDecoder;
import io.thumbnail.internal.image.ImageEncoder;
import io.thumbnail.internal.image.ImageHeader;
import io.thumbnail.internal.image.Libwebp;
import io.thumbnail.internal.image.Orientation;
import io.thumbnail.internal.image.Resizer;
import io.thumbnail.internal.image.SmartCrop;
import io.thumbnail.internal.image.SourceCheck;
import io.thumbnail.internal.image.ThumbnailPlan;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * The image pipeline: encoded bytes in, an upright sRGB thumbnail out. Thread-safe and stateless apart from
 * its {@link Limits}; one instance can serve every thread of an application.
 *
 * <pre>{@code
 * Thumbnailer thumbnailer = Thumbnailer.create(Limits.defaults());
 * Thumbnail t = thumbnailer.thumbnail(Path.of("cat.jpg"), ThumbnailSpec.box(100, 100));
 * Files.write(Path.of("cat.thumbnail." + t.format().extension()), t.bytes());
 * }</pre>
 *
 * <p>Every refusal is a {@link ThumbnailException} with a stable {@link ErrorCode}. Limits are checked from the
 * header before any pixel is decoded.
 */
public final class Thumbnailer {
    private final Limits limits;

    private Thumbnailer(Limits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    public static Thumbnailer create(Limits limits) {
        return new Thumbnailer(limits);
    }

    public Limits limits() {
        return limits;
    }

    public Thumbnail thumbnail(Path file, ThumbnailSpec spec) {
        return thumbnail(readFile(file), spec);
    }

    public Thumbnail thumbnail(InputStream in, ThumbnailSpec spec) {
        return thumbnail(readStream(in), spec);
    }

    public Thumbnail thumbnail(byte[] data, ThumbnailSpec spec) {
        Objects.requireNonNull(spec, "spec");
        checkSize(data.length);
        ImageHeader header = header(data);
        return make(data, header, spec, sourceInfo(data, header));
    }

    /**
     * As {@link #thumbnail(byte[], ThumbnailSpec)} for bytes already {@link #inspect inspected}: {@code inspected}
     * becomes the thumbnail's {@link Thumbnail#source()}, so the bytes are not hashed again. The header is still read
     * and every limit checked.
     *
     * @throws IllegalArgumentException if {@code inspected} names another size or format than these bytes have
     */
    public Thumbnail thumbnail(byte[] data, SourceInfo inspected, ThumbnailSpec spec) {
        Objects.requireNonNull(inspected, "inspected");
        Objects.requireNonNull(spec, "spec");
        checkSize(data.length);
        ImageHeader header = header(data);
        if (inspected.bytes() != data.length || inspected.format() != header.format()) {
            throw new IllegalArgumentException("inspected describes " + inspected.bytes() + " bytes of "
                    + inspected.format().id() + ", not these " + data.length + " bytes of " + header.format().id());
        }
        return make(data, header, spec, inspected);
    }

    private Thumbnail make(byte[] data, ImageHeader header, ThumbnailSpec spec, SourceInfo source) {
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

    /**
     * Why this JVM cannot write WebP, or empty when it can. WebP is written by libwebp, a native library bundled for
     * 64-bit Linux (glibc 2.27 or newer), macOS and Windows; elsewhere {@link OutputFormat#WEBP} is refused with
     * {@code invalid_spec} and {@link OutputFormat#AUTO_WEBP} makes what {@link OutputFormat#AUTO} makes. The first
     * call loads the library (a fraction of a second) and logs the outcome.
     */
    public static Optional<String> webpUnavailableReason() {
        return Libwebp.unavailableReason();
    }

    /** Reads only the header: format, upright size, byte count and hash. Enforces every limit. */
    public SourceInfo inspect(byte[] data) {
        checkSize(data.length);
        return sourceInfo(data, header(data));
    }

    /** Lower-case hex SHA-256 of {@code data}. */
    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    private ImageHeader header(byte[] data) {
        return SourceCheck.header(ImageBytes.of(data), limits);
    }

    private static SourceInfo sourceInfo(byte[] data, ImageHeader header) {
        return new SourceInfo(header.format(), header.uprightWidth(), header.uprightHeight(), data.length, sha256(data));
    }

    private void checkSize(long size) {
        SourceCheck.size(size, limits);
    }

    private byte[] readFile(Path file) {
        try {
            checkSize(Files.size(file));
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ThumbnailException(ErrorCode.IO_ERROR, "no such file: " + file, e);
        } catch (IOException e) {
            throw new ThumbnailException(ErrorCode.IO_ERROR, "could not read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads at most the byte limit plus one, so an oversized stream is refused without buffering all of it. */
    private byte[] readStream(InputStream in) {
        try {
            long max = limits.maxInputBytes();
            byte[] data = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
            checkSize(data.length);
            return data;
        } catch (IOException e) {
            throw new ThumbnailException(ErrorCode.IO_ERROR, "could not read the image: " + e.getMessage(), e);
        }
    }
}
