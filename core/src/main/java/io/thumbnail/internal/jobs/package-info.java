/**
 * The job system's front: taking jobs in (validated, their originals stored, then committed), looking them up
 * owner-scoped, batches, and the events listeners, waits and batch subscriptions hear. May use the public value
 * types, {@code internal.store}, {@code internal.blob}, {@code internal.image}, {@code internal.image.header} and
 * {@code internal.publish}; never the public service classes. Internal: not part of the public API.
 */
package io.thumbnail.internal.jobs;
