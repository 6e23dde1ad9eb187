/**
 * Pins on blobs kept in the PostgreSQL database several nodes share
 * ({@link io.thumbnail.internal.blob.postgres.PostgresBlobPins}, table {@code blob_pins}), so that a blob one node's
 * new job needs is never removed by another. Internal: not part of the public API.
 */
package io.thumbnail.internal.blob.postgres;
