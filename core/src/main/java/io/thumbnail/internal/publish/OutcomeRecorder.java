package io.thumbnail.internal.publish;

import io.thumbnail.Job;
import io.thumbnail.Publication;
import io.thumbnail.internal.health.StoreException;
import io.thumbnail.internal.store.JobStore;
import io.thumbnail.internal.time.Sleeper;
import io.thumbnail.internal.worker.Backoff;

import java.time.Duration;
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
    /** Tries in all: the waits between them come to under four seconds, far within any lease. */
    static final int TRIES = 5;
    /**
     * The wait after each failed try: a quarter of a second, doubling, so the later tries come after the failing
     * store's probe (once a second) has had time to find it back.
     */
    static final Backoff WAITS = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(2));

    private final JobStore store;
    private final Sleeper sleeper;

    OutcomeRecorder(JobStore store, Sleeper sleeper) {
        this.store = store;
        this.sleeper = sleeper;
    }

    /**
     * Records {@code outcome} for job {@code id}'s publication as {@link JobStore#recordPublication} does, held by
     * {@code nodeId}; the job as recorded, or empty when another outcome stands or the job is gone.
     *
     * @throws StoreException the store's failure, once {@link #TRIES} tries have failed or the wait between two was
     *                        interrupted (a stop)
     */
    Optional<Job> record(UUID id, String nodeId, Publication outcome) {
        for (int tried = 1; ; tried++) {
            try {
                Optional<Job> recorded = store.recordPublication(id, nodeId, outcome);
                if (recorded.isEmpty() && tried > 1) {
                    // A failed try may have committed before its connection broke: then the row holds this outcome.
                    return store.get(id).filter(job -> outcome.equals(job.publication()));
                }
                return recorded;
            } catch (StoreException e) {
                if (tried >= TRIES) {
                    throw e;
                }
                try {
                    sleeper.sleep(WAITS.delayAfter(tried));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
