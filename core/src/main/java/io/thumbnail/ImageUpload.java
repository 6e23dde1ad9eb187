package io.thumbnail;

import io.thumbnail.internal.blob.BlobStore;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * An image received a piece at a time (an HTTP upload as it arrives) into a file of the service's data directory,
 * hashed on the way, so it is never held whole in memory however large it is. Submitting its {@link #source} moves
 * the file into the store: no copy, no second read. Close it in every case; that deletes the file unless a submit
 * took it. One writer at a time (calls may come from different threads, one after another).
 *
 * <pre>{@code
 * try (ImageUpload upload = service.newUpload()) {
 *     upload.write(chunk);                    // as the bytes arrive; too_large past the input limit
 *     Job job = service.submit(upload.source("cat.jpg"), ThumbnailSpec.box(100, 100));
 * }
 * }</pre>
 */
public final class ImageUpload implements AutoCloseable {
    private final BlobStore blobs;
    private final Path file;
    private final long maxBytes;
    private final MessageDigest digest;
    private FileChannel channel;
    private long size;
    private String sha256;

    ImageUpload(BlobStore blobs, long maxBytes) {
        this.blobs = blobs;
        String name = UUID.randomUUID() + ".upload";
        this.file = blobs.incoming().resolve(name);
        this.maxBytes = maxBytes;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
        this.channel = blobs.createIncoming(name);
    }

    /**
     * Appends the remaining bytes of {@code bytes}.
     *
     * @throws ThumbnailException {@code too_large} once the upload would pass the service's input limit (nothing of
     *                            this call is written); {@code io_error} when the file cannot be written
     */
    public void write(ByteBuffer bytes) {
        if (channel == null) {
            throw new IllegalStateException("the upload was finished by source() or closed; it takes no more bytes");
        }
        int n = bytes.remaining();
        if (size + n > maxBytes) {
            throw new ThumbnailException(ErrorCode.TOO_LARGE, "the image is larger than the limit of " + maxBytes
                    + " bytes");
        }
        digest.update(bytes.duplicate());
        try {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        } catch (IOException e) {
            throw blobs.incomingFailed(file, e);
        }
        size += n;
    }

    /** Bytes written so far. */
    public long size() {
        return size;
    }

    /**
     * The upload as a source to submit, named {@code name} (kept for display and downloads, never trusted for the
     * format). The first call ends the writing: the file is forced to disk, so a job accepted from it survives a
     * crash, and its hash is final.
     */
    public ImageSource source(String name) {
        if (sha256 == null) {
            if (channel == null) {
                throw new IllegalStateException("the upload was closed");
            }
            try (FileChannel finished = channel) {
                channel = null;
                finished.force(true);
            } catch (IOException e) {
                throw blobs.incomingFailed(file, e);
            }
            sha256 = HexFormat.of().formatHex(digest.digest());
        }
        return ImageSource.upload(this, name);
    }

    /** The file the bytes are in until a submit moves it into the store. */
    public Path file() {
        return file;
    }

    /** Lower-case hex SHA-256 of the bytes once {@link #source} has ended the writing, else null. */
    public String sha256() {
        return sha256;
    }

    /** Deletes the file, unless a submit has moved it into the store. */
    @Override
    public void close() {
        try {
            if (channel != null) {
                channel.close();
                channel = null;
            }
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // A file left behind is deleted the next time the service opens.
        }
    }
}
