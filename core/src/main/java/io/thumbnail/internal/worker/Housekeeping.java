package io.thumbnail.internal.worker;

import io.thumbnail.ErrorCode;
import io.thumbnail.Job;
import io.thumbnail.JobError;
import io.thumbnail.internal.blob.BlobStore;
import io.thumbnail.internal.health.StorageHealth;
import io.thumbnail.internal.health.StoreException;
import io.thumbnail.internal.health.StoreHealth;
import io.thumbnail.internal.store.DataDirLock;
import io.thumbnail.internal.store.JobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The job system's background chores, each on a schedule of its own: renewing the leases of jobs this node runs,
 * taking back jobs whose lease ran out, failing jobs past their time limit, the janitor, probing a store that fails
 * until it works again, making the data directory's lock file again should something delete it, and reading the
 * service's status for health checks. Each chore is also callable directly, so tests drive them with a clock they
 * control. A chore that fails on a store logs nothing of its own: the store's health logs each change once.
 */
public final class Housekeeping {
    private static final Logger log = LoggerFactory.getLogger(Housekeeping.class);
    /** How often a failing store is probed and the status read: often enough that /health sees a change at once. */
    private static final Duration PROBE_EVERY = Duration.ofSeconds(1);

    private final JobStore store;
    private final JobRunner runner;
    private final WorkerPool workers;
    private final Janitor janitor;
    private final DataDirLock lock;
    private final StorageHealth health;
    private final BlobStore blobs;
    private final Clock clock;
    private final Duration lease;
    private final int maxAttempts;
    /**
     * A job whose worker stopped (its process killed, say) each time it was started: {@code timeout}, a code whose
     * message a client sees, not {@code internal}; failed rather than started for ever, as an image that kills its
     * process would be.
     */
    private final JobError lost;
    private final ScheduledThreadPoolExecutor scheduler =
            new ScheduledThreadPoolExecutor(2, new NamedThreadFactory("thumbnail-housekeeping"));
    /** The status reading on a thread of its own: chores held by a store that hangs do not hold it back. */
    private final ScheduledThreadPoolExecutor statusScheduler =
            new ScheduledThreadPoolExecutor(1, new NamedThreadFactory("thumbnail-status"));

    public Housekeeping(JobStore store, BlobStore blobs, JobRunner runner, WorkerPool workers, Janitor janitor,
                        DataDirLock lock, StorageHealth health, Clock clock, Duration lease, int maxAttempts) {
        this.blobs = blobs;
        this.health = health;
        this.lock = lock;
        this.store = store;
        this.runner = runner;
        this.workers = workers;
        this.janitor = janitor;
        this.clock = clock;
        this.lease = lease;
        this.maxAttempts = maxAttempts;
        this.lost = new JobError(ErrorCode.TIMEOUT, "the job was started " + maxAttempts + (maxAttempts == 1 ? " time"
                : " times") + " and never finished: its worker stopped each time (as when its process is killed)");
    }

    /**
     * Run at start, holding the data directory's lock: jobs this node left processing belong to its earlier life, which
     * died; files the
     * quarantine holds that jobs refer to again (a database restored from a backup) go back, and files no row names
     * (leftovers of a crash between writing a file and committing its row) go to the quarantine. A damaged database
     * is left as it is: what it says it references cannot be trusted, so no file moves. Returns the jobs released.
     */
    public List<Job> recover() {
        if (!health.database().intact()) {
            log.warn("the job database is damaged: no file is restored or swept until it is restored from a backup");
            return List.of();
        }
        int restored = janitor.restoreQuarantined();
        // Those queued again are marked crash suspects on their rows: they run alone wherever they are claimed.
        List<Job> recovered = store.releaseLeases(runner.nodeId(), now(), maxAttempts, lost);
        int swept = janitor.sweep().quarantined();
        if (restored > 0) {
            log.info("moved {} files that jobs refer to back from the quarantine", restored);
        }
        if (!recovered.isEmpty() || swept > 0) {
            log.info("recovered {} jobs left processing and moved {} unreferenced files to the quarantine",
                    recovered.size(), swept);
        }
        return recovered;
    }

    /**
     * Schedules every chore; the time limit is checked every quarter of it, and at least every heartbeat;
     * {@code readStatus} (what health checks and metrics answer from) every second.
     */
    public void start(Duration heartbeat, Duration jobTimeout, Duration janitorInterval, Runnable readStatus) {
        every(heartbeat, "heartbeat", this::heartbeat);
        every(heartbeat, "reaper", this::reapExpiredLeases);
        Duration quarter = jobTimeout.dividedBy(4);
        every(quarter.compareTo(heartbeat) < 0 ? quarter : heartbeat, "job time limit", this::expireOverdueJobs);
        every(janitorInterval, "janitor", janitor::run);
        every(heartbeat, "data directory lock", lock::verify);
        every(PROBE_EVERY, "store probe", this::probeFailingStores);
        // A bucket that stops answering shows no error until a request's timeouts run out: asked when it has been
        // silent a few seconds (it answers at once, or within the check's short limit), it is found failing before
        // the workers take more jobs into it, and before /health says it is up for longer than that.
        every(PROBE_EVERY, "blob store check", blobs::ping);
        RepeatingTask.every(statusScheduler, PROBE_EVERY, "status reading", readStatus);
    }

    /**
     * Renews the leases of the jobs this node's workers are running; returns how many. A job whose lease could not be
     * renewed because it was deleted (on another node: this one was not told) stops, as one deleted here does, so its
     * worker is free for the next job.
     */
    public int heartbeat() {
        List<UUID> held = runner.heldJobs();
        int renewed = store.extendLeases(runner.nodeId(), held, now(), lease);
        if (renewed < held.size()) {
            // Fewer renewed: a job just ended, was taken back, or is gone. Only gone ones stop; a few reads at most.
            for (UUID id : held) {
                if (store.get(id).isEmpty()) {
                    runner.stopDeleted(id, workers::abandon);
                }
            }
        }
        return renewed;
    }

    /**
     * Makes a small write to each store that is failing (at most once a second each); when both work again, lets the
     * jobs queued to wait out the failure run at once and wakes the workers, which wait while either fails. Returns
     * whether both stores can be written.
     */
    public boolean probeFailingStores() {
        boolean failing = !health.writable();
        probe(health.database(), store::probeWrite);
        probe(health.blobs(), blobs::probeWrite);
        if (failing && health.writable()) {
            try {
                int released = store.runStorageRetriesNow(now());
                if (released > 0) {
                    log.info("{} jobs queued to wait out the storage failure may run now", released);
                }
            } catch (RuntimeException e) {
                log.debug("the jobs waiting out the storage failure wait on: {}", e.toString());
            }
            workers.wakeUp();
        }
        return health.writable();
    }

    private static void probe(StoreHealth store, Runnable write) {
        if (store.probeDue()) {
            try {
                write.run();
            } catch (StoreException e) {
                // Still failing: the store's health knows, and said so when it started.
            }
        }
    }

    /**
     * Takes back jobs whose lease ran out (their worker died or hung); returns them. Those queued again are marked
     * crash suspects on their rows, in the same statement, so that whichever node claims one runs it alone, with two
     * exceptions. Jobs still held by this node's workers lost their lease while the heartbeat could not write, and
     * their worker is still at them. Those taken back within two leases of a failure of the job database: no node
     * could renew a lease meanwhile, and a worker that could not record its job's end left it to its lease, so the
     * leases that ran out say nothing of a death (a node that did die then has its jobs run among others).
     */
    public List<Job> reapExpiredLeases() {
        boolean afterOutage = health.database().failedAfter(clock.instant().minus(lease.multipliedBy(2)));
        List<Job> reaped = store.reapExpired(now(), maxAttempts, lost, !afterOutage, runner.heldJobs());
        if (!reaped.isEmpty()) {
            log.warn(afterOutage
                    ? "{} jobs lost their lease while the job database failed and were taken back, no attempt spent"
                    : "{} jobs lost their lease (worker died or hung) and were taken back", reaped.size());
            workers.wakeUp();
        }
        return reaped;
    }

    /**
     * How many crash suspects are queued or being made, each to run alone wherever it is claimed (see
     * {@link CrashSuspects}).
     */
    public long crashSuspects() {
        return store.suspects();
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
        statusScheduler.shutdownNow();
        try {
            if (!scheduler.awaitTermination(timeout.toMillis() + 1, TimeUnit.MILLISECONDS)
                    || !statusScheduler.awaitTermination(timeout.toMillis() + 1, TimeUnit.MILLISECONDS)) {
                log.warn("housekeeping did not stop within {}", timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void every(Duration period, String name, Runnable task) {
        RepeatingTask.every(scheduler, period, name, task);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
