/**
 * Waiting between tries, behind an interface so tests record the waits instead of sleeping through them. Used by
 * the workers and by publishing alike, so it belongs to neither; uses nothing of the service.
 * Internal: not part of the public API.
 */
package io.thumbnail.internal.time;
