package io.thumbnail;

import io.thumbnail.internal.image.ImageDecoder;
import io.thumbnail.internal.image.ImagePipeline;
import io.thumbnail.internal.image.Libwebp;
import io.thumbnail.internal.image.Sha256;
import io.thumbnail.internal.image.header.SourceBytes;

import java.io.InputStream;
import java.nio.file.Path;
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
    private final ImagePipeline pipeline;

    private Thumbnailer(ImagePipeline pipeline) {
        this.pipeline = pipeline;
    }

    /** A thumbnailer enforcing {@code limits} on every image it is given ({@link Limits#defaults()} for the usual). */
    public static Thumbnailer create(Limits limits) {
        return new Thumbnailer(new ImagePipeline(limits));
    }

    /**
     * This thumbnailer without the SHA-256 of each source: {@link Thumbnail#source()} then has a null
     * {@link SourceInfo#sha256() sha256}. For batch work that never reads it: the hash is a pass over every input byte,
     * and in a JVM's first second, before the JIT has compiled it, the slowest part of a short batch.
     */
    public Thumbnailer withoutSourceHashes() {
        return new Thumbnailer(new ImagePipeline(limits(), ImageDecoder::decode, false));
    }

    public Limits limits() {
        return pipeline.limits();
    }

    /**
     * The thumbnail of the image in {@code file}, read whole into memory (refused past the byte limit).
     *
     * @throws ThumbnailException {@code io_error} naming the file and the system's reason when it cannot be read (no
     *                            such file, a directory, no permission); {@code too_large} past the byte limit;
     *                            otherwise as
     *                            {@link #thumbnail(byte[], ThumbnailSpec)}
     */
    public Thumbnail thumbnail(Path file, ThumbnailSpec spec) {
        return thumbnail(SourceBytes.read(Objects.requireNonNull(file, "file"), limits()), spec);
    }

    /**
     * The thumbnail of the image {@code in} holds, read to its end into memory (at most one byte past the byte limit:
     * a longer stream is refused {@code too_large}). The stream is left open: the caller closes it.
     *
     * @throws ThumbnailException {@code io_error} when reading fails; otherwise as
     *                            {@link #thumbnail(byte[], ThumbnailSpec)}
     */
    public Thumbnail thumbnail(InputStream in, ThumbnailSpec spec) {
        return thumbnail(SourceBytes.read(Objects.requireNonNull(in, "in"), limits()), spec);
    }

    /**
     * The thumbnail of the encoded image {@code data} (JPEG, PNG, GIF, BMP, TIFF, WebP...), made as {@code spec}
     * says: upright (EXIF orientation applied), in sRGB.
     *
     * @throws ThumbnailException {@code unsupported_format} for a format no reader takes, {@code corrupt_image} for a
     *                            damaged file, {@code too_large} past the byte limit, {@code too_many_pixels} past the
     *                            pixel limit (read from the header, before any pixel is decoded), {@code invalid_spec}
     *                            for a spec past {@link Limits#maxOutputSide()} or an output this JVM cannot write
     */
    public Thumbnail thumbnail(byte[] data, ThumbnailSpec spec) {
        return pipeline.thumbnail(Objects.requireNonNull(data, "data"), spec);
    }

    /**
     * As {@link #thumbnail(byte[], ThumbnailSpec)} for bytes already {@link #inspect inspected}: {@code inspected}
     * becomes the thumbnail's {@link Thumbnail#source()}, so the bytes are not hashed again. The header is still read
     * and every limit checked.
     *
     * @throws IllegalArgumentException if {@code inspected} names another size or format than these bytes have
     */
    public Thumbnail thumbnail(byte[] data, SourceInfo inspected, ThumbnailSpec spec) {
        return pipeline.thumbnail(data, inspected, spec);
    }

    /** Reads only the header: format, upright size, byte count and hash. Enforces every limit. */
    public SourceInfo inspect(byte[] data) {
        return pipeline.inspect(data);
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

    /** Lower-case hex SHA-256 of {@code data}. */
    public static String sha256(byte[] data) {
        return Sha256.hex(data);
    }
}
