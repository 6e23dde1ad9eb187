package io.thumbnail;

import java.time.Instant;
import java.util.UUID;

/**
 * A snapshot of one thumbnail job. Immutable: query the service again for a newer state.
 *
 * @param result     present when {@code status == DONE}
 * @param startedAt  when the latest attempt started, or null before the first
 * @param error      present when {@code status == FAILED}; also while queued for a retry (the last transient error)
 * @param attempts   how many times a worker has started it (0 for a job completed at submit from a duplicate)
 * @param batchId    the batch it belongs to, or null
 * @param owner      an opaque owner (an API key's name), or null
 * @param publication where the finished thumbnail is published (for example Imgur) and how that went, or null
 */
public record Job(UUID id, JobStatus status, ThumbnailSpec spec, JobSource source, JobResult result, JobError error,
                  int attempts, Instant createdAt, Instant startedAt, Instant finishedAt, UUID batchId, String owner,
                  Publication publication) {
    /** A job that is not published anywhere. */
    public Job(UUID id, JobStatus status, ThumbnailSpec spec, JobSource source, JobResult result, JobError error,
               int attempts, Instant createdAt, Instant startedAt, Instant finishedAt, UUID batchId, String owner) {
        this(id, status, spec, source, result, error, attempts, createdAt, startedAt, finishedAt, batchId, owner, null);
    }
}
