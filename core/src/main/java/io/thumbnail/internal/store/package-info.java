/**
 * Durable job bookkeeping: the {@link io.thumbnail.internal.store.JobStore} interface, with the sides each store
 * implements in a class of its own (its {@link io.thumbnail.internal.store.JobReads reads}, its
 * {@link io.thumbnail.internal.store.JobLeases leases} and its {@link io.thumbnail.internal.store.CallbackStore
 * webhooks' bookkeeping}); what both stores share: the statements, the row mapping, the reads, the webhooks'
 * bookkeeping and the secrets, run through each store's {@link io.thumbnail.internal.store.StoreCalls}; and the SQLite
 * implementation (HikariCP, migrations, the data-directory lock, opening checks). May use the public value types and
 * {@code internal.health}. Internal: not part of the public API.
 */
package io.thumbnail.internal.store;
