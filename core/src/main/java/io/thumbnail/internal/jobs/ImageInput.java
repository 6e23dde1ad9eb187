package io.thumbnail.internal.jobs;

import io.thumbnail.internal.blob.BlobStore;

import java.net.URI;
import java.nio.file.Path;

/**
 * An image handed to the service, as the intake takes it: exactly one of {@code bytes}, {@code file}, {@code url} and
 * {@code upload} is set.
 *
 * @param name       the original name or URL, or null
 * @param handedOver whether {@code bytes} were handed over, so the intake may keep that very array
 */
public record ImageInput(String name, byte[] bytes, boolean handedOver, Path file, URI url, Upload upload) {

    /** Bytes received into the blob store, ended and hashed. */
    public record Upload(BlobStore.Incoming incoming, long size, String sha256) {
    }

    /** The size known before reading: the bytes' or the upload's, else 0. */
    long knownSize() {
        return bytes != null ? bytes.length : upload != null ? upload.size() : 0;
    }
}
