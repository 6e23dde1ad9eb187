package io.thumbnail.internal.publish;

import io.thumbnail.Job;
import io.thumbnail.Publication;
import io.thumbnail.internal.health.OutageRetry;
import io.thumbnail.internal.health.StoreException;
import io.thumbnail.internal.store.JobStore;
import io.thumbnail.internal.time.Sleeper;

import java.util.Optional;
import java.util.UUID;

/**
 * Records a publication's outcome on its job's row ({@link JobStore#recordPublication}), trying again for a few
 * seconds while the store fails. The outcome exists nowhere else: a link the row never gets is published a second
 * time once the publication's lease runs out, so a blip of the database (a lost connection, a failover) is waited
 * out rather than given up on at its first failure. The caller holds the lease meanwhile and its heartbeat renews it,
 * so no other node takes the publication up while this one tries.
 */
final class OutcomeRecorder {
    /** Tries in all ({@link OutageRetry}: under four seconds of waits, far within any lease). */
    static final int TRIES = OutageRetry.TRIES;

    private final JobStore store;
    private final OutageRetry retry;

    OutcomeRecorder(JobStore store, Sleeper sleeper) {
        this.store = store;
        this.retry = new OutageRetry(sleeper);
    }

    /**
     * Records {@code outcome} for job {@code id}'s publication as {@link JobStore#recordPublication} does, held by
     * {@code nodeId}; the job as recorded, or empty when another outcome stands or the job is gone.
     *
     * @throws StoreException the store's failure, once {@link #TRIES} tries have failed or the wait between two was
     *                        interrupted (a stop)
     */
    Optional<Job> record(UUID id, String nodeId, Publication outcome) {
        OutageRetry.Tried<Optional<Job>> tried = retry.run(() -> store.recordPublication(id, nodeId, outcome));
        if (tried.value().isEmpty() && tried.retried()) {
            // A failed try may have committed before its connection broke: then the row holds this outcome.
            return store.get(id).filter(job -> outcome.equals(job.publication()));
        }
        return tried.value();
    }
}
