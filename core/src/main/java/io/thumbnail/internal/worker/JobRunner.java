package io.thumbnail.internal.worker;

import io.thumbnail.Job;
import io.thumbnail.SubmitOptions;
import io.thumbnail.internal.blob.BlobStore;
import io.thumbnail.internal.blob.RecentOriginals;
import io.thumbnail.internal.health.StorageHealth;
import io.thumbnail.internal.health.StoreException;
import io.thumbnail.internal.image.MemoryWaits;
import io.thumbnail.internal.image.Pipeline;
import io.thumbnail.internal.source.UrlSourceLoader;
import io.thumbnail.internal.store.JobStore;
import io.thumbnail.internal.time.Sleeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs one claimed job to its next state: done, or failed or queued again for a retry as {@link JobFailures} decides.
 * No job is claimed at all while either store is failing, so queued jobs wait instead of spending their attempts.
 *
 * <p>A job claimed with queued renditions of the same image (jobs of its batch with the same source) takes them along
 * ({@link JobStore#claimSiblings}): the image is fetched, read and decoded once for all of them, under one time limit,
 * while each keeps its own result, retries and failure ({@link GroupMaker} makes them). Claims, time limits and crash
 * suspects are this class's; stopping overrun and deleted jobs is {@link StoppedJobs}'.
 */
public final class JobRunner {
    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);
    /** The most jobs made from one decode: the renditions one submit may ask for. */
    static final int MAX_GROUP = SubmitOptions.MAX_RENDITIONS;

    private final JobStore store;
    private final Clock clock;
    private final String nodeId;
    private final Duration lease;
    private final Duration priorityAging;
    private final AtomicInteger running = new AtomicInteger();
    private final Duration jobTimeout;
    private final JobDeadlines deadlines = new JobDeadlines();
    private final HeldJobs held = new HeldJobs();
    private final CrashSuspects suspects = new CrashSuspects();
    private final StorageHealth health;
    /** Makes the thumbnails of what this runner claims, on the calling thread. */
    private final GroupMaker maker;
    /** Stops a job's clock while its decode waits for memory (listened to on the thread that runs the job). */
    private final MemoryWaits.Listener memoryWaits = new MemoryWaits.Listener() {
        @Override
        public Duration waiting() {
            deadlines.waiting(now());
            return jobTimeout;
        }

        @Override
        public void ended() {
            deadlines.resumed(now());
        }
    };
    /** Lets go of overrun and deleted jobs: shares the very running count, held jobs, deadlines and suspects above. */
    private final StoppedJobs stopped;

    /**
     * {@code urlSources} fetches jobs whose image is a URL (null: none are fetched); {@code publish} is told of each
     * job done whose thumbnail is to be published (it publishes elsewhere, never on a worker). {@code finishing}
     * stores made thumbnails and marks their jobs done (a {@link Finisher}, or {@code Runnable::run} to do it on the
     * worker's thread). A job still running {@code jobTimeout} after its claim fails with {@code timeout} when
     * {@link #expireOverdue} next runs. {@code sleeper} waits between the tries of marking a job done while the job
     * database fails.
     */
    public JobRunner(JobStore store, BlobStore blobs, RecentOriginals originals, Pipeline pipeline, Clock clock,
                     String nodeId, Duration lease, Duration priorityAging, int maxAttempts, Backoff backoff,
                     UrlSourceLoader urlSources,
                     Consumer<UUID> publish, Executor finishing, Duration jobTimeout, StorageHealth health,
                     Sleeper sleeper) {
        this.health = health;
        this.jobTimeout = jobTimeout;
        this.store = store;
        this.clock = clock;
        this.nodeId = nodeId;
        this.lease = lease;
        this.priorityAging = priorityAging;
        this.maker = new GroupMaker(store, blobs, originals, pipeline, finishing, deadlines,
                new JobFailures(store, clock, nodeId, maxAttempts, backoff, sleeper),
                new Completions(store, blobs, clock, nodeId, publish, sleeper),
                new UrlFetches(urlSources, store, blobs, nodeId, maxAttempts));
        this.stopped = new StoppedJobs(store, health, nodeId, jobTimeout, running, held, deadlines, suspects);
    }

    /**
     * Claims the oldest ready job and runs it on the calling thread; false if none was ready, or a store is failing
     * (the job would only fail on it too).
     */
    public boolean runNext() {
        return runNext(ClaimGate.OPEN);
    }

    /** {@link #runNext()}, claiming only through {@code gate}: false, claiming nothing, when it is closed. */
    public boolean runNext(ClaimGate gate) {
        if (!health.writable() || !suspects.claimStarted()) {
            return false;
        }
        List<ClaimedJob> group = claimCounted(gate);
        if (group.isEmpty()) {
            return false;
        }
        List<Job> jobs = group.stream().map(ClaimedJob::job).toList();
        if (group.stream().noneMatch(c -> c.claim().suspect())) {
            runTimed(group, jobs);
            return true;
        }
        try {
            log.info("job {} was running when its process died; it runs alone", jobs.get(0).id());
            if (!suspects.runAlone(jobs, running::get, () -> runTimed(group, jobs))) {
                log.info("job {} does not run alone now: it was deleted, or the node stops", jobs.get(0).id());
                letGo(group);
            }
        } catch (InterruptedException e) {
            // Stopped while it waited: it stays processing, and is taken up again once its lease runs out.
            Thread.currentThread().interrupt();
            letGo(group);
        }
        return true;
    }

    /** Ends a claimed group that does not run. */
    private void letGo(List<ClaimedJob> group) {
        group.forEach(c -> c.hold().release());
        running.decrementAndGet();
        suspects.jobEnded();
    }

    /**
     * Claims through {@code gate} (nothing when it is closed), counting what it took as running before the claim ends:
     * a suspect waiting to run alone sees the claim or the job, never a gap between them.
     */
    private List<ClaimedJob> claimCounted(ClaimGate gate) {
        try {
            if (!gate.enter()) {
                return List.of();
            }
            List<ClaimedJob> group;
            try {
                group = claimGroup(now());
            } finally {
                gate.leave();
            }
            if (!group.isEmpty()) {
                running.incrementAndGet();
            }
            return group;
        } finally {
            suspects.claimEnded();
        }
    }

    /**
     * Runs a claimed group under the time limit, which starts now and stands still while the decode waits for memory
     * other images' decodes hold; that wait may last as long as the time limit, and then the job is tried again later.
     */
    private void runTimed(List<ClaimedJob> group, List<Job> jobs) {
        deadlines.started(jobs, now().plus(jobTimeout));
        MemoryWaits.listen(memoryWaits);
        try {
            maker.make(group);
        } finally {
            MemoryWaits.listen(null);
            group.forEach(c -> c.hold().release());
            if (deadlines.finished()) {
                running.decrementAndGet();
                suspects.jobEnded();
            }
        }
    }

    /** The turns of the crash suspects claimed here (see {@link CrashSuspects}). */
    public CrashSuspects suspects() {
        return suspects;
    }

    /** The oldest ready job and its renditions, each held by this runner; empty if none was ready. */
    private List<ClaimedJob> claimGroup(Instant now) {
        Optional<JobStore.Claim> claimed = store.claimNext(nodeId, now, lease, priorityAging);
        if (claimed.isEmpty()) {
            return List.of();
        }
        List<ClaimedJob> group = new ArrayList<>();
        group.add(new ClaimedJob(claimed.get(), held.hold(claimed.get().job().id())));
        try {
            // The first job was claimed by priority; its renditions come with it whatever their own, as they share
            // its decode (a low one rides along with a high first, a high one never waits behind its own image).
            for (JobStore.Claim sibling : store.claimSiblings(claimed.get().job(), nodeId, now, lease, MAX_GROUP - 1)) {
                group.add(new ClaimedJob(sibling, held.hold(sibling.job().id())));
            }
        } catch (StoreException e) {
            log.debug("job {}: its renditions could not be claimed with it ({}); made alone", claimed.get().job().id(),
                    e.getMessage());
        }
        return group;
    }

    /** The jobs this runner is working on now, whose leases the heartbeat renews. */
    public List<UUID> heldJobs() {
        return held.ids();
    }

    /**
     * Fails every job that has run longer than the time limit with {@code timeout} (not retried: the same input
     * would most likely hang again), interrupts its thread and hands the thread to {@code abandon}, which must not
     * block. Returns the jobs failed.
     */
    public List<Job> expireOverdue(Consumer<Thread> abandon) {
        return stopped.expireOverdue(now(), abandon);
    }

    /**
     * Job {@code id} was deleted: if this runner's thread was making it (and every job made with it was deleted too),
     * that thread is interrupted and handed to {@code abandon}, which must not block, so a worker is free at once;
     * a suspect waiting its turn to run alone does not run.
     */
    public void stopDeleted(UUID id, Consumer<Thread> abandon) {
        stopped.stopDeleted(id, abandon);
    }

    /** How many jobs are running on this runner's threads now. */
    public int running() {
        return running.get();
    }

    /** The name this node holds its jobs' leases under. */
    public String nodeId() {
        return nodeId;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
