package io.thumbnail.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.thumbnail.Batch;
import io.thumbnail.Job;
import io.thumbnail.WebhookBody;
import io.thumbnail.server.internal.http.BatchView;
import io.thumbnail.server.internal.http.JobView;

/**
 * What the server's webhooks carry: the job as {@code GET /api/v1/thumbnails/{id}} answers it, the batch as
 * {@code GET /api/v1/batches/{id}} does, written by the same mapper as every answer.
 */
final class WebhookBodies implements WebhookBody {

    @Override
    public byte[] job(Job job) {
        return write(JobView.of(job));
    }

    @Override
    public byte[] batch(Batch batch) {
        return write(BatchView.of(batch));
    }

    private static byte[] write(Object view) {
        try {
            return ServerJson.mapper().writeValueAsBytes(view);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a view could not be written as JSON", e);
        }
    }
}
