/**
 * Where originals and thumbnails live: the {@link io.thumbnail.internal.blob.BlobStore} interface and its local-disk
 * implementation (durable writes, prefix folders, quarantine of damaged files, pins for files jobs still need). May
 * use the public value types and {@code internal.health}. Internal: not part of the public API.
 */
package io.thumbnail.internal.blob;
