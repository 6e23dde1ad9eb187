/**
 * Webhooks: a job's or a batch's callback POSTed, signed, once it is finished; durable (pending on the job's row until
 * delivered or given up), retried with backoff, on threads of their own.
 */
package io.thumbnail.internal.webhook;
