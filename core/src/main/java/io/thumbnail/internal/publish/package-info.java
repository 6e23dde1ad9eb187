/**
 * Publishing finished thumbnails through {@link io.thumbnail.Publisher} plug-ins (Imgur is one) on an executor of its
 * own, never on an image worker, each by the one node that claimed its lease in the job store, and taking up
 * publications a crash or a stop left pending. May use the public value types, {@code internal.store},
 * {@code internal.blob}, {@code internal.health}, {@code internal.time} and {@code internal.worker}'s thread naming,
 * repeating tasks and backoff. Internal: not part of the public API.
 */
package io.thumbnail.internal.publish;
