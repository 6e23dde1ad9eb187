package io.thumbnail;

import java.time.Instant;
import java.util.UUID;

/**
 * A snapshot of one thumbnail job. Immutable: query the service again for a newer state.
 *
 * @param result     present when {@code status == DONE}
 * @param error      present when {@code status == FAILED}
 * @param attempts   how many times a worker has started it
 * @param batchId    the batch it belongs to, or null
 * @param owner      an opaque owner (an API key's name), or null
 */
public record Job(UUID id, JobStatus status, ThumbnailSpec spec, JobSource source, JobResult result, JobError error,
                  int attempts, Instant createdAt, Instant startedAt, Instant finishedAt, UUID batchId, String owner) {
}
