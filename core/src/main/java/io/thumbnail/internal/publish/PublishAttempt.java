package io.thumbnail.internal.publish;

import io.thumbnail.ErrorCode;
import io.thumbnail.Job;
import io.thumbnail.JobError;
import io.thumbnail.JobResult;
import io.thumbnail.JobStatus;
import io.thumbnail.Publication;
import io.thumbnail.Publisher;
import io.thumbnail.ThumbnailException;
import io.thumbnail.internal.blob.BlobStore;
import io.thumbnail.internal.health.StoreException;
import io.thumbnail.internal.store.JobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * One publication of a done job's thumbnail, claimed in the store first ({@link HeldPublications#claim}) so that of
 * the nodes sharing it one alone publishes, its outcome recorded on the job's row, which lets the claim go: published,
 * or failed ({@code publish_failed}) without failing the job. One cut short by a shutdown is left pending. A publisher
 * still running at its time limit loses the publication to {@link Publishing#expireOverdue}, which records it failed;
 * what the publisher returns after that is dropped.
 *
 * <p>The outcome is recorded while the lease is still held, tried again for a few seconds if the store fails
 * ({@link OutcomeRecorder}). One that still cannot be recorded is left to its lease
 * ({@link HeldPublications#leaveToRunOut}): the thumbnail is published again, by any node, only once that has run
 * out.
 */
final class PublishAttempt {
    private static final Logger log = LoggerFactory.getLogger(PublishAttempt.class);

    private final JobStore store;
    private final BlobStore blobs;
    private final Publishers publishers;
    private final HeldPublications held;
    private final PublishDeadlines deadlines;
    private final OutcomeRecorder recorder;
    private final Clock clock;
    private final Duration timeLimit;

    PublishAttempt(JobStore store, BlobStore blobs, Publishers publishers, HeldPublications held,
                   PublishDeadlines deadlines, OutcomeRecorder recorder, Clock clock, Duration timeLimit) {
        this.store = store;
        this.blobs = blobs;
        this.publishers = publishers;
        this.held = held;
        this.deadlines = deadlines;
        this.recorder = recorder;
        this.clock = clock;
        this.timeLimit = timeLimit;
    }

    /**
     * Publishes job {@code id}'s thumbnail if its publication is pending and this node claims it; {@code stopping}
     * says whether an interruption is the service's shutdown.
     */
    void publish(UUID id, BooleanSupplier stopping) {
        if (!held.claim(id)) {
            // Published or failed already, or another node holds it: that node goes on, or its lease runs out.
            log.debug("job {}: its publication is not pending or another node holds it", id);
            return;
        }
        try {
            store.get(id).filter(job -> job.status() == JobStatus.DONE)
                    .ifPresent(job -> publish(job, stopping));
        } finally {
            held.letGo(id);
        }
    }

    private void publish(Job job, BooleanSupplier stopping) {
        UUID id = job.id();
        String target = job.publication().target();
        Publication outcome;
        deadlines.started(id, target, clock.instant().plus(timeLimit));
        boolean inTime;
        try {
            Publisher publisher = publishers.get(target).orElseThrow(() -> new ThumbnailException(
                    ErrorCode.PUBLISH_FAILED, "publishing to " + target + " is not configured on this service"));
            JobResult result = job.result();
            outcome = publisher.publish(blobs.read(result.sha256()), result.format());
            if (outcome == null || outcome.link() == null || !target.equals(outcome.target())) {
                throw new ThumbnailException(ErrorCode.PUBLISH_FAILED, "the " + target
                        + " publisher did not say where it published the thumbnail");
            }
        } catch (StoreException e) {
            throw e;
        } catch (ThumbnailException e) {
            if (stopping.getAsBoolean() && Thread.currentThread().isInterrupted()) {
                log.info("job {}: publishing to {} was cut short by the shutdown; it goes on at the next start, or on"
                        + " another node once its lease runs out", id, target);
                return;
            }
            outcome = Publication.failed(target, JobError.of(e));
        } catch (RuntimeException e) {
            log.warn("job {}: the {} publisher failed unexpectedly", id, target, e);
            outcome = Publication.failed(target, new JobError(ErrorCode.PUBLISH_FAILED, "publishing to " + target
                    + " failed unexpectedly; it has been logged"));
        } finally {
            inTime = deadlines.finished(id);
        }
        String said = outcome.link() != null ? outcome.link() : outcome.error().message();
        if (!inTime) {
            log.warn("job {}: the {} publisher returned after its time limit ({}); the failure recorded then stands",
                    id, target, said);
            return;
        }
        if (outcome.link() != null) {
            log.info("job {} published to {}: {}", id, target, said);
        } else {
            log.info("job {} could not be published to {}: {}", id, target, said);
        }
        Optional<Job> recorded;
        try {
            recorded = recorder.record(id, held.nodeId(), outcome);
        } catch (StoreException e) {
            held.leaveToRunOut(id);
            log.warn("job {}: the outcome of publishing to {} ({}) could not be recorded; it is published again once"
                    + " its lease has run out", id, target, said);
            throw e;
        }
        if (recorded.isEmpty()) {
            // This node's lease ran out while it published (a stall longer than the lease) and another node took the
            // publication over, or recorded its outcome first: theirs stands. Or the job was deleted meanwhile.
            log.warn("job {}: its publication to {} is not recorded ({}): the job was deleted, or another node took"
                    + " the publication over once this node's lease ran out", id, target, said);
        }
    }
}
