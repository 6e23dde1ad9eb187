package io.thumbnail.internal.worker;

import io.thumbnail.ErrorCode;
import io.thumbnail.Job;
import io.thumbnail.JobError;
import io.thumbnail.JobStatus;
import io.thumbnail.ThumbnailException;
import io.thumbnail.internal.health.OutageRetry;
import io.thumbnail.internal.health.StoreException;
import io.thumbnail.internal.store.JobStore;
import io.thumbnail.internal.time.Sleeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * What becomes of a job whose work threw. Permanent errors (the input's fault) fail it at once with their code;
 * transient ones send it back to the queue with backoff until it has been started {@code maxAttempts} times. A store
 * that fails (a full disk, a folder that cannot be written, a bucket that does not answer) is the server's trouble, not
 * the job's: the job goes back to the queue without spending the attempt, however many outages it meets, and waits
 * 10 s, twice as long each further time the store fails it on this node (up to an hour, so a fault that only this
 * job's files meet costs a retry an hour, not a lost job). No job is claimed while a store is known to fail, so the
 * first wait need only outlast a blip the store's probe has not seen yet. Anything else is an internal error, logged with its
 * stack once.
 *
 * <p>The write that records the outcome is tried again for a few seconds while the job database fails
 * ({@link OutageRetry}), as a completion is: a blip costs the job neither a lease's wait nor, on its last attempt, its
 * own error (the lease running out would fail it as lost). A try that failed may have committed, and the job been
 * claimed again since; so each later try first looks at the row, and writes only while it is still this claim's.
 */
final class JobFailures {
    private static final Logger log = LoggerFactory.getLogger(JobFailures.class);
    /** Retries after a store failed wait this long, doubling: ten times a job's own first retry, up to an hour. */
    static final Backoff STORAGE_BACKOFF = new Backoff(Duration.ofSeconds(10), Duration.ofHours(1));
    /** The most jobs whose store failures are counted; an older count is forgotten, its job's wait starts again. */
    static final int MAX_TRACKED = 10_000;

    private final JobStore store;
    private final Clock clock;
    private final String nodeId;
    private final int maxAttempts;
    private final Backoff backoff;
    private final OutageRetry retry;
    /** Store failures met by each job on this node, the most recent jobs' only: they set the wait, nothing else. */
    private final Map<UUID, Integer> storeFailures = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, Integer> eldest) {
            return size() > MAX_TRACKED;
        }
    };

    JobFailures(JobStore store, Clock clock, String nodeId, int maxAttempts, Backoff backoff, Sleeper sleeper) {
        this.retry = new OutageRetry(sleeper);
        this.store = store;
        this.clock = clock;
        this.nodeId = nodeId;
        this.maxAttempts = maxAttempts;
        this.backoff = backoff;
    }

    /**
     * Runs {@code work} for {@code jobs}; whatever it throws fails or retries them, never the thread. When even that
     * cannot be recorded (the database fails), a job is left processing: its hold ends with the caller's, so its lease
     * runs out and it is taken back once the database works again.
     */
    void guarded(List<Job> jobs, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException | OutOfMemoryError e) {
            // Jobs of a group already done or failed are no longer processing: only the others change.
            jobs.forEach(job -> failed(job, e));
        }
    }

    /** Fails or retries {@code job} for {@code e}, as far as the store lets that be recorded. */
    void failed(Job job, Throwable e) {
        try {
            record(job, e);
        } catch (StoreException unrecorded) {
            // The store's health has logged the failure once; one line per job at most beyond it.
            log.debug("job {} could not be sent back to the queue ({}); its lease will run out", job.id(),
                    unrecorded.getMessage());
        }
    }

    private void record(Job job, Throwable e) {
        if (Thread.currentThread().isInterrupted()) {
            // Shutdown gave up waiting (the next start takes the job up again), the job overran its time limit
            // (already failed) or was deleted: either way the job is no longer this thread's to change.
            log.info("job {} stopped (deleted, over its time limit, or the service stopping); left as it is",
                    job.id());
        } else if (e instanceof StoreException se) {
            Duration wait = STORAGE_BACKOFF.delayAfter(storeFailureOf(job.id()));
            changeRow(job, () -> store.retry(job.id(), nodeId, new JobError(se.code(), se.getMessage()), now(), wait,
                    false));
        } else if (e instanceof ThumbnailException te) {
            failOrRetry(job, te.code(), te.getMessage(), backoff);
        } else {
            log.warn("job {} hit an unexpected error", job.id(), e);
            failOrRetry(job, ErrorCode.INTERNAL, "an unexpected error occurred while making the thumbnail", backoff);
        }
    }

    private void failOrRetry(Job job, ErrorCode code, String message, Backoff wait) {
        JobError error = new JobError(code, message);
        if (code.isTransient() && job.attempts() < maxAttempts) {
            changeRow(job, () -> store.retry(job.id(), nodeId, error, now(), wait.delayAfter(job.attempts())));
        } else {
            changeRow(job, () -> store.fail(job.id(), nodeId, error, now()));
        }
    }

    /** Runs {@code change} of {@code job}'s row, again while the store fails and the row is still this claim's. */
    private void changeRow(Job job, Runnable change) {
        boolean[] tried = {false};
        retry.run(() -> {
            if (!tried[0] || stillClaimed(job)) {
                tried[0] = true;
                change.run();
            }
            return Boolean.TRUE;
        });
    }

    /** Whether the row is as this node's claim left it: a failed try did not commit, and nobody claimed it since. */
    private boolean stillClaimed(Job job) {
        return store.get(job.id()).filter(row -> row.status() == JobStatus.PROCESSING && nodeId.equals(row.node())
                && row.attempts() == job.attempts() && Objects.equals(row.startedAt(), job.startedAt())).isPresent();
    }

    /** Counts one more store failure of job {@code id} here; returns how many it has met. */
    private synchronized int storeFailureOf(UUID id) {
        return storeFailures.merge(id, 1, Integer::sum);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
