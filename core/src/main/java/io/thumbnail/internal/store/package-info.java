/**
 * Durable job bookkeeping: the {@link io.thumbnail.internal.store.JobStore} interface and its SQLite implementation
 * (HikariCP, migrations, the data-directory lock, opening checks). May use the public value types and {@code
 * internal.health}. Internal: not part of the public API.
 */
package io.thumbnail.internal.store;
