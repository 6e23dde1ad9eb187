/**
 * What the service knows of its stores' health (the job database, the blob folder): whether they can be written,
 * whether the database is damaged, and the exception that marks a failure as the server's rather than a job's.
 * Internal: not part of the public API.
 */
package io.thumbnail.internal.health;
