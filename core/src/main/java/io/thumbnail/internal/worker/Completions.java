package io.thumbnail.internal.worker;

import io.thumbnail.Job;
import io.thumbnail.JobResult;
import io.thumbnail.JobStatus;
import io.thumbnail.Thumbnail;
import io.thumbnail.internal.blob.BlobStore;
import io.thumbnail.internal.health.OutageRetry;
import io.thumbnail.internal.health.StoreException;
import io.thumbnail.internal.image.Sha256;
import io.thumbnail.internal.store.JobStore;
import io.thumbnail.internal.time.Sleeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Marks a job done, if this node still holds it: with the thumbnail a worker made (stored first, forced to disk), or
 * with the result of a done twin (dedupe at run time); then hands it to publishing if it asked to be published.
 *
 * <p>The write that marks the job done is tried again for a few seconds while the job database fails (a dropped
 * connection, a failover, a lock held past its timeout): the thumbnail is made and stored by then, and a job whose
 * completion is given up on goes back to the queue to be made again, or, if the database refuses that too, is left to
 * its lease, whose running out spends one of the job's attempts (its last one fails the job). The job is still held
 * meanwhile, so the heartbeat renews its lease and no node takes it back while this one tries.
 */
final class Completions {
    private static final Logger log = LoggerFactory.getLogger(Completions.class);
    /**
     * Tries in all ({@link OutageRetry}): the waits between them come to under four seconds, an eighth of the default
     * lease, which the heartbeat renews meanwhile.
     */
    static final int TRIES = OutageRetry.TRIES;

    private final JobStore store;
    private final BlobStore blobs;
    private final Clock clock;
    private final String nodeId;
    private final Consumer<UUID> publish;
    private final OutageRetry retry;

    Completions(JobStore store, BlobStore blobs, Clock clock, String nodeId, Consumer<UUID> publish, Sleeper sleeper) {
        this.store = store;
        this.blobs = blobs;
        this.clock = clock;
        this.nodeId = nodeId;
        this.publish = publish;
        this.retry = new OutageRetry(sleeper);
    }

    /** Stores the thumbnail (forced to disk) and marks the job done, if this node still holds it. */
    void record(Job job, Thumbnail thumbnail) {
        String sha = Sha256.hex(thumbnail.bytes());
        Thumbnail.Fallback fallback = thumbnail.fallback();
        JobResult result = new JobResult(thumbnail.format(), thumbnail.width(), thumbnail.height(),
                thumbnail.bytes().length, sha, fallback == null ? null : new JobResult.Fallback(fallback.format(),
                fallback.bytes().length, Sha256.hex(fallback.bytes())));
        boolean recorded = false;
        try (BlobStore.Pin pin = blobs.pin(sha);
             BlobStore.Pin fallbackPin = fallback == null ? null : blobs.pin(result.fallback().sha256())) {
            blobs.write(sha, thumbnail.bytes());
            if (fallback != null) {
                blobs.write(result.fallback().sha256(), fallback.bytes());
            }
            recorded = complete(job, result);
            if (!recorded) {
                lost(job);
            } else if (job.publication() != null) {
                publish.accept(job.id());
            }
        } finally {
            if (!recorded) {
                result.files().forEach(file -> blobs.deleteIfUnreferenced(file, store::references));
            }
        }
    }

    /** Logs why a thumbnail made was not recorded: its job was deleted meanwhile (as asked), or taken over. */
    private void lost(Job job) {
        boolean deleted;
        try {
            deleted = store.get(job.id()).isEmpty();
        } catch (StoreException e) {
            deleted = false;
        }
        if (deleted) {
            log.info("job {} was deleted while it was made; its thumbnail is dropped", job.id());
        } else {
            log.warn("job {} finished after its lease was lost (taken over after a stall); result dropped", job.id());
        }
    }

    /** Dedupe at run time: an identical job of the same owner finished while this one waited in the queue. */
    boolean completeFrom(Job job, Job done) {
        JobResult result = done.result();
        try (BlobStore.Pin pin = blobs.pin(result.sha256());
             BlobStore.Pin fallbackPin = result.fallback() == null ? null : blobs.pin(result.fallback().sha256())) {
            if (!result.files().stream().allMatch(blobs::exists)) {
                return false;
            }
            if (complete(job, result) && job.publication() != null) {
                publish.accept(job.id());
            }
            return true;
        }
    }

    /**
     * Marks {@code job} done with {@code result} as {@link JobStore#complete} does, trying again while the store
     * fails; whether the job is now done with it (false: this node no longer holds the job).
     *
     * @throws StoreException the store's failure, once {@link #TRIES} tries have failed or the wait between two was
     *                        interrupted (a stop)
     */
    private boolean complete(Job job, JobResult result) {
        OutageRetry.Tried<Boolean> tried = retry.run(
                () -> store.complete(job.id(), nodeId, result, now()).isPresent());
        if (!tried.value() && tried.retried()) {
            // A failed try may have committed before its connection broke: then the row holds this result.
            return retry.run(() -> store.get(job.id())).value().filter(row -> row.status() == JobStatus.DONE
                    && row.result() != null && result.sha256().equals(row.result().sha256())).isPresent();
        }
        return tried.value();
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
