package io.thumbnail.internal.store;

/** SQL the job stores share, kept once so their queues serve jobs in the same order. */
final class JobStatements {
    /**
     * The {@code seq} of the job to claim next: the head of each priority's queue (high, normal, low: ranks 0, 1, 2)
     * read from the queued-by-priority index, the low one ranked as normal once it was created at or before the aging
     * cut-off; the best rank wins, the oldest among equals. Four parameters: now (the retry time that has come), now,
     * the aging cut-off, now.
     */
    static final String NEXT_QUEUED = "SELECT seq FROM ("
            + "SELECT seq, 0 AS queue_rank FROM (SELECT seq FROM jobs WHERE status = 'QUEUED' AND priority = 0"
            + " AND run_after <= ? ORDER BY seq LIMIT 1)"
            + " UNION ALL SELECT seq, 1 FROM (SELECT seq FROM jobs WHERE status = 'QUEUED' AND priority = 1"
            + " AND run_after <= ? ORDER BY seq LIMIT 1)"
            + " UNION ALL SELECT seq, CASE WHEN created_at <= ? THEN 1 ELSE 2 END FROM (SELECT seq, created_at FROM jobs"
            + " WHERE status = 'QUEUED' AND priority = 2 AND run_after <= ? ORDER BY seq LIMIT 1)"
            + ") ORDER BY queue_rank, seq LIMIT 1";

    private JobStatements() {
    }
}
