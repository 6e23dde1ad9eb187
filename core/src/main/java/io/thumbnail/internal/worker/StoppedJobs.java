package io.thumbnail.internal.worker;

import io.thumbnail.ErrorCode;
import io.thumbnail.Job;
import io.thumbnail.JobError;
import io.thumbnail.internal.health.StorageHealth;
import io.thumbnail.internal.health.StoreException;
import io.thumbnail.internal.store.JobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * What becomes of the jobs whose thread a {@link JobRunner} lets go before they are made: those that ran longer than
 * the time limit fail with {@code timeout} (or go back to the queue while a store fails), and those deleted while
 * being made are dropped. Either way they stop counting as running and held at once, so a worker is free, no heartbeat
 * renews their leases, and a crash suspect among them no longer holds up the claims.
 *
 * <p>The running count, the held jobs, the deadlines and the crash suspects are the runner's own, shared with the
 * threads that claim and run jobs: it hands them over, and each job let go here is taken off them as a job that ends
 * is.
 */
final class StoppedJobs {
    /** The runner's: these lines are about the jobs it runs, and are read with its other lines. */
    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

    private final JobStore store;
    private final StorageHealth health;
    private final String nodeId;
    private final Duration jobTimeout;
    private final AtomicInteger running;
    private final HeldJobs held;
    private final JobDeadlines deadlines;
    private final CrashSuspects suspects;

    StoppedJobs(JobStore store, StorageHealth health, String nodeId, Duration jobTimeout, AtomicInteger running,
                HeldJobs held, JobDeadlines deadlines, CrashSuspects suspects) {
        this.store = store;
        this.health = health;
        this.nodeId = nodeId;
        this.jobTimeout = jobTimeout;
        this.running = running;
        this.held = held;
        this.deadlines = deadlines;
        this.suspects = suspects;
    }

    /**
     * Fails every job that has run longer than the time limit at {@code now} with {@code timeout} (not retried: the
     * same input would most likely hang again), interrupts its thread and hands the thread to {@code abandon}, which
     * must not block. Returns the jobs failed.
     */
    List<Job> expireOverdue(Instant now, Consumer<Thread> abandon) {
        List<JobDeadlines.Overrun> overruns = deadlines.expire(now, abandon);
        // Every overrun job is let go before any is written: one write failing must not leave the others held, their
        // leases renewed for ever by a heartbeat while no thread works on them.
        for (JobDeadlines.Overrun overrun : overruns) {
            running.decrementAndGet();
            overrun.jobs().forEach(job -> held.drop(job.id()));
            suspects.ended(overrun.jobs());
        }
        List<Job> failed = new ArrayList<>();
        JobError error = new JobError(ErrorCode.TIMEOUT, "making the thumbnail took longer than the time limit of "
                + describe(jobTimeout) + "; it was stopped");
        // A store that does not answer holds a job's reads and writes up to its own timeouts: the job overran for the
        // store, not for its image, and goes back to the queue as for any store outage, its attempt not spent.
        Optional<StorageHealth.Failing> storeFailing = health.failing();
        for (JobDeadlines.Overrun overrun : overruns) {
            for (Job job : overrun.jobs()) {
                if (storeFailing.isPresent()) {
                    handBack(job, overrun, storeFailing.get(), now);
                    continue;
                }
                try {
                    Optional<Job> timedOut = store.fail(job.id(), nodeId, error, now);
                    timedOut.ifPresent(failed::add);
                    log.warn("job {} ran longer than {}{}; its thread {} was interrupted and replaced", job.id(),
                            describe(jobTimeout), timedOut.isPresent() ? " and failed with timeout" : "",
                            overrun.thread().getName());
                } catch (StoreException e) {
                    log.warn("job {} ran longer than {}; its thread {} was interrupted and replaced; it could not be"
                            + " failed ({}), so its lease runs out and it is taken back", job.id(),
                            describe(jobTimeout), overrun.thread().getName(), e.getMessage());
                }
            }
        }
        return failed;
    }

    private void handBack(Job job, JobDeadlines.Overrun overrun, StorageHealth.Failing failing, Instant now) {
        try {
            store.retry(job.id(), nodeId, new JobError(ErrorCode.IO_ERROR, failing.store() + " failed while the job ran"
                    + " (" + failing.cause() + "); it is made again once the store works"), now,
                    JobFailures.STORAGE_BACKOFF.delayAfter(1), false);
            log.warn("job {} ran longer than {} while {} failed; its thread {} was interrupted and replaced, and the"
                    + " job goes back to the queue", job.id(), describe(jobTimeout), failing.store(),
                    overrun.thread().getName());
        } catch (StoreException e) {
            log.warn("job {} ran longer than {} while {} failed; it could not be sent back ({}), so its lease runs"
                    + " out and it is taken back", job.id(), describe(jobTimeout), failing.store(), e.getMessage());
        }
    }

    /**
     * Job {@code id} was deleted: if the runner's thread was making it (and every job made with it was deleted too),
     * that thread is interrupted and handed to {@code abandon}, which must not block, so a worker is free at once;
     * a suspect waiting its turn to run alone does not run.
     */
    void stopDeleted(UUID id, Consumer<Thread> abandon) {
        suspects.deleted(id);
        deadlines.deleted(id, abandon).ifPresent(stopped -> {
            running.decrementAndGet();
            stopped.jobs().forEach(job -> held.drop(job.id()));
            suspects.ended(stopped.jobs());
            log.info("job {} was deleted while it was being made; its thread {} was interrupted and replaced", id,
                    stopped.thread().getName());
        });
    }

    private static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
