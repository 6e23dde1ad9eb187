/**
 * Image bytes by their SHA-256: the {@link io.thumbnail.internal.blob.BlobStore} seam with its local-disk store, the
 * pins that keep blobs jobs are coming to need from deletion ({@link io.thumbnail.internal.blob.BlobGuard}), how blobs
 * no job refers to are removed ({@link io.thumbnail.internal.blob.BlobRemovals}) and kept a while in the quarantine,
 * and uploads received a piece at a time. The object-storage store is in {@code s3}, shared pins in {@code postgres}.
 * May use the public value types and {@code internal.health}. Internal: not part of the public API.
 */
package io.thumbnail.internal.blob;
