package io.thumbnail;

import io.thumbnail.internal.webhook.MinimalBody;

/**
 * What a webhook delivery carries: the JSON body POSTed to a job's (or batch's) callback URL. An application serving
 * its own view of jobs renders that view here, so a receiver gets exactly what a lookup of the job answers (the
 * server renders its REST API's JSON). Called on a webhook thread at each try, with the job as it is then; return
 * quickly and never throw.
 */
public interface WebhookBody {

    /** The body for a finished job's {@code job.done} or {@code job.failed} delivery. */
    byte[] job(Job job);

    /** The body for a finished batch's {@code batch.done} delivery. */
    byte[] batch(Batch batch);

    /**
     * The default when none is set: {@code {"id": ..., "status": "done"|"failed", "error": {"code", "message"}}} for a
     * job (no error when done), {@code {"id": ..., "total": N, "counts": {"done": N, "failed": N, ...}}} for a batch.
     */
    static WebhookBody minimal() {
        return MinimalBody.INSTANCE;
    }
}
