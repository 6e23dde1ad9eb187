package io.thumbnail;

import io.thumbnail.internal.blob.BlobStore;
import io.thumbnail.internal.image.Sha256;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * An image received a piece at a time (an HTTP upload as it arrives) into the service's blob store (a file of its data
 * directory), hashed on the way, so it is never held whole in memory however large it is. Submitting its
 * {@link #source} stores it: no copy, no second read. One submit takes it (also one that fails once it stored it); a
 * second, or one after {@link #close}, throws {@link IllegalStateException}. Close it in every case; that deletes what
 * was received unless a submit took it. One writer at a time (calls may come from different threads, one after
 * another).
 *
 * <pre>{@code
 * try (ImageUpload upload = service.newUpload()) {
 *     upload.write(chunk);                    // as the bytes arrive; too_large past the input limit
 *     Job job = service.submit(upload.source("cat.jpg"), ThumbnailSpec.box(100, 100), SubmitOptions.defaults());
 * }
 * }</pre>
 */
public final class ImageUpload implements AutoCloseable {
    private final BlobStore.Incoming incoming;
    private final long maxBytes;
    private final MessageDigest digest;
    private boolean writing = true;
    private long size;
    private String sha256;

    ImageUpload(BlobStore.Incoming incoming, long maxBytes) {
        this.incoming = incoming;
        this.maxBytes = maxBytes;
        this.digest = Sha256.digest();
    }

    /**
     * Appends the remaining bytes of {@code bytes}.
     *
     * @throws ThumbnailException {@code too_large} once the upload would pass the service's input limit (nothing of
     *                            this call is written); {@code io_error} when the bytes cannot be written
     */
    public void write(ByteBuffer bytes) {
        if (!writing) {
            throw new IllegalStateException("the upload was finished by source() or closed; it takes no more bytes");
        }
        int n = bytes.remaining();
        if (size + n > maxBytes) {
            throw new ThumbnailException(ErrorCode.TOO_LARGE, "the image is larger than the limit of " + maxBytes
                    + " bytes");
        }
        digest.update(bytes.duplicate());
        incoming.write(bytes);
        size += n;
    }

    /** Bytes written so far. */
    public long size() {
        return size;
    }

    /**
     * The upload as a source to submit, named {@code name} (kept for display and downloads, never trusted for the
     * format). The first call ends the writing: the bytes are forced to disk, so a job accepted from them survives a
     * crash, and their hash is final.
     */
    public ImageSource source(String name) {
        if (sha256 == null) {
            if (!writing) {
                throw new IllegalStateException("the upload was closed");
            }
            writing = false;
            incoming.finish();
            sha256 = HexFormat.of().formatHex(digest.digest());
        }
        return ImageSource.upload(this, name);
    }

    /** Lower-case hex SHA-256 of the bytes once {@link #source} has ended the writing, else null. */
    public String sha256() {
        return sha256;
    }

    /** The received bytes, which a submit stores. */
    BlobStore.Incoming incoming() {
        return incoming;
    }

    /** Discards the bytes, unless a submit has stored them. */
    @Override
    public void close() {
        writing = false;
        incoming.close();
    }
}
