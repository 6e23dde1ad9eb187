package io.thumbnail.internal.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.thumbnail.Batch;
import io.thumbnail.Job;
import io.thumbnail.JobStatus;
import io.thumbnail.WebhookBody;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@link WebhookBody#minimal()}: the id, the status and the error of a job; the totals of a batch. */
public final class MinimalBody implements WebhookBody {
    public static final MinimalBody INSTANCE = new MinimalBody();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private MinimalBody() {
    }

    @Override
    public byte[] job(Job job) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", job.id().toString());
        body.put("status", job.status().id());
        if (job.error() != null) {
            body.put("error", Map.of("code", job.error().code().id(), "message", job.error().message()));
        }
        return write(body);
    }

    @Override
    public byte[] batch(Batch batch) {
        Map<String, Object> counts = new LinkedHashMap<>();
        for (JobStatus status : JobStatus.values()) {
            counts.put(status.id(), batch.counts().getOrDefault(status, 0));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", batch.id().toString());
        body.put("total", batch.total());
        body.put("counts", counts);
        return write(body);
    }

    private static byte[] write(Map<String, Object> body) {
        try {
            return MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings and numbers could not be written as JSON", e);
        }
    }
}
