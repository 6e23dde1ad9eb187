package io.thumbnail;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A group of jobs submitted together.
 *
 * @param total  how many jobs were submitted in it
 * @param counts how many items are in each status (every status present, zero when none)
 * @param items  the jobs, in submission order (fewer than {@code total} once some have been deleted)
 * @param callback the webhook POSTed once every item is finished ({@code batch.done}), and how delivering it went,
 *                 or null
 */
public record Batch(UUID id, int total, Map<JobStatus, Integer> counts, List<Job> items, Instant createdAt, String owner,
                    Callback callback) {

    /** A batch without a callback. */
    public Batch(UUID id, int total, Map<JobStatus, Integer> counts, List<Job> items, Instant createdAt, String owner) {
        this(id, total, counts, items, createdAt, owner, null);
    }

    /** True when every item is done or failed; deleted items have nothing left to finish. */
    public boolean isFinished() {
        return counts.getOrDefault(JobStatus.DONE, 0) + counts.getOrDefault(JobStatus.FAILED, 0) == items.size();
    }
}
