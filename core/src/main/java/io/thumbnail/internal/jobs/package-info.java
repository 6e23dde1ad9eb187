/**
 * The job system's front: taking jobs in (checked and drafted, their originals stored, then committed), looking them
 * up owner-scoped, batches, the waits for a job to finish, and the events listeners and batch subscriptions hear. May
 * use the public value types, {@code internal.store}, {@code internal.blob}, {@code internal.image}, {@code
 * internal.image.header}, {@code internal.publish} and {@code internal.webhook}; never the public service classes.
 * Internal: not part of the public API.
 */
package io.thumbnail.internal.jobs;
