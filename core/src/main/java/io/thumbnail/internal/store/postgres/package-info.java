/**
 * The job store on PostgreSQL, for several nodes sharing one queue: its schema and migrations, the claim with
 * {@code FOR UPDATE SKIP LOCKED}, leases by the database's clock, notifications between nodes ({@code LISTEN} /
 * {@code NOTIFY}) and the advisory locks that keep node ids unique and let one node at a time run the janitor.
 * Loaded only when a PostgreSQL URL is configured. Internal: not part of the public API.
 */
package io.thumbnail.internal.store.postgres;
