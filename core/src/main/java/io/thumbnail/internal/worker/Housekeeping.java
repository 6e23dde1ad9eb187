package io.thumbnail.internal.worker;

import io.thumbnail.ErrorCode;
import io.thumbnail.Job;
import io.thumbnail.JobError;
import io.thumbnail.internal.store.DataDirLock;
import io.thumbnail.internal.store.JobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The job system's background chores, each on a schedule of its own: renewing the leases of jobs this node runs,
 * taking back jobs whose lease ran out, failing jobs past their time limit, the janitor, and making the data
 * directory's lock file again should something delete it. Each chore is also
 * callable directly, so tests drive them with a clock they control.
 */
public final class Housekeeping {
    private static final Logger log = LoggerFactory.getLogger(Housekeeping.class);
    private static final JobError LOST = new JobError(ErrorCode.INTERNAL.id(),
            "the job was started too many times without finishing (its worker stopped each time)");

    private final JobStore store;
    private final JobRunner runner;
    private final WorkerPool workers;
    private final Janitor janitor;
    private final DataDirLock lock;
    private final Clock clock;
    private final Duration lease;
    private final int maxAttempts;
    private final ScheduledThreadPoolExecutor scheduler =
            new ScheduledThreadPoolExecutor(2, new NamedThreadFactory("thumbnail-housekeeping"));

    public Housekeeping(JobStore store, JobRunner runner, WorkerPool workers, Janitor janitor, DataDirLock lock,
                        Clock clock, Duration lease, int maxAttempts) {
        this.lock = lock;
        this.store = store;
        this.runner = runner;
        this.workers = workers;
        this.janitor = janitor;
        this.clock = clock;
        this.lease = lease;
        this.maxAttempts = maxAttempts;
    }

    /**
     * Run at start, holding the data directory's lock: jobs still processing belong to a process that died, and files
     * no row names are leftovers of a crash between writing a file and committing its row. Returns the jobs released.
     */
    public List<Job> recover() {
        List<Job> recovered = store.releaseAll(now(), maxAttempts, LOST);
        int swept = janitor.sweep();
        if (!recovered.isEmpty() || swept > 0) {
            log.info("recovered {} jobs left processing and swept {} unreferenced files", recovered.size(), swept);
        }
        return recovered;
    }

    /** Schedules every chore; the time limit is checked every quarter of it, and at least every heartbeat. */
    public void start(Duration heartbeat, Duration jobTimeout, Duration janitorInterval) {
        every(heartbeat, "heartbeat", this::heartbeat);
        every(heartbeat, "reaper", this::reapExpiredLeases);
        Duration quarter = jobTimeout.dividedBy(4);
        every(quarter.compareTo(heartbeat) < 0 ? quarter : heartbeat, "job time limit", this::expireOverdueJobs);
        every(janitorInterval, "janitor", janitor::run);
        every(heartbeat, "data directory lock", lock::verify);
    }

    /** Renews the lease of every job this node runs; returns how many. */
    public int heartbeat() {
        return store.extendLeases(runner.owner(), now().plus(lease));
    }

    /** Takes back jobs whose lease ran out (their worker died or hung); returns them. */
    public List<Job> reapExpiredLeases() {
        List<Job> reaped = store.reapExpired(now(), maxAttempts, LOST);
        if (!reaped.isEmpty()) {
            log.warn("{} jobs lost their lease (worker died or hung) and were taken back", reaped.size());
            workers.wakeUp();
        }
        return reaped;
    }

    /** Fails jobs running longer than the job time limit and replaces their workers; returns the failed jobs. */
    public List<Job> expireOverdueJobs() {
        return runner.expireOverdue(workers::abandon);
    }

    public Janitor.Report runJanitor() {
        return janitor.run();
    }

    /** Stops every schedule, waiting up to {@code timeout} for a chore under way. */
    public void stop(Duration timeout) {
        scheduler.shutdownNow();
        try {
            if (!scheduler.awaitTermination(timeout.toMillis() + 1, TimeUnit.MILLISECONDS)) {
                log.warn("housekeeping did not stop within {}", timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs {@code task} every {@code period}; an exception is logged and would otherwise cancel the schedule. */
    private void every(Duration period, String name, Runnable task) {
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("{} failed; will try again", name, e);
            }
        }, Math.max(1, period.toMillis()), Math.max(1, period.toMillis()), TimeUnit.MILLISECONDS);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
