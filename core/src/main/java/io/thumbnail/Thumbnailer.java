package io.thumbnail;

import io.thumbnail.internal.image.ImageDecoder;
import io.thumbnail.internal.image.ImagePipeline;
import io.thumbnail.internal.image.Libwebp;
import io.thumbnail.internal.image.Sha256;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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

    public Thumbnail thumbnail(Path file, ThumbnailSpec spec) {
        return thumbnail(readFile(file), spec);
    }

    public Thumbnail thumbnail(InputStream in, ThumbnailSpec spec) {
        return thumbnail(readStream(in), spec);
    }

    public Thumbnail thumbnail(byte[] data, ThumbnailSpec spec) {
        return pipeline.thumbnail(data, spec);
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

    private byte[] readFile(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                // A device or a pipe has no size to check first: /dev/zero would be read without end.
                if (Files.isDirectory(file)) {
                    throw new ThumbnailException(ErrorCode.IO_ERROR, file + " is a directory, not an image file");
                }
                try (InputStream in = Files.newInputStream(file)) {
                    return readStream(in);
                }
            }
            pipeline.checkSize(Files.size(file));
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ThumbnailException(ErrorCode.IO_ERROR, "no such file: " + file, e);
        } catch (IOException e) {
            throw new ThumbnailException(ErrorCode.IO_ERROR, "could not read " + file + ": " + reason(e), e);
        }
    }

    /**
     * Why reading failed, in the operating system's words: a file system exception's reason (its message is the path
     * and then the reason), and for an {@link AccessDeniedException}, which carries only the path, the words the
     * system has for it.
     */
    private static String reason(IOException e) {
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        return e instanceof FileSystemException || e.getMessage() == null ? e.getClass().getSimpleName()
                : e.getMessage();
    }

    /** Reads at most the byte limit plus one, so an oversized stream is refused without buffering all of it. */
    private byte[] readStream(InputStream in) {
        try {
            long max = limits().maxInputBytes();
            byte[] data = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
            pipeline.checkSize(data.length);
            return data;
        } catch (IOException e) {
            throw new ThumbnailException(ErrorCode.IO_ERROR, "could not read the image: " + e.getMessage(), e);
        }
    }
}
