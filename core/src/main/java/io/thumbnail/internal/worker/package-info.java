/**
 * The fixed pool of named image workers and what keeps jobs moving: claiming and running jobs through the pipeline,
 * what a failure becomes (failed at once, or retried with backoff), deadlines, held jobs, housekeeping and retention.
 * May use the public value types, {@code internal.store}, {@code internal.blob}, {@code internal.health}, {@code
 * internal.image}, {@code internal.source} and {@code internal.time}; never the public service classes. Internal: not
 * part of the public API.
 */
package io.thumbnail.internal.worker;
