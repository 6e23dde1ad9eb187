package io.thumbnail.internal.publish;

import io.thumbnail.ErrorCode;
import io.thumbnail.JobError;
import io.thumbnail.Publication;
import io.thumbnail.internal.blob.BlobStore;
import io.thumbnail.internal.health.StoreException;
import io.thumbnail.internal.store.JobStore;
import io.thumbnail.internal.time.Sleeper;
import io.thumbnail.internal.worker.NamedThreadFactory;
import io.thumbnail.internal.worker.RepeatingTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Publishes done jobs' thumbnails on threads of its own, so a publisher that waits (Imgur's rate limits, up to a
 * minute a retry) never holds an image worker. The job's row says the publication is pending until its outcome is
 * recorded, and a node publishes only what it has claimed there ({@link PublishAttempt}), renewing the claim's lease
 * while it publishes ({@link PublishingLease}). So of several nodes sharing a store, each asked for one publication
 * (by its finish, or by a look for pending ones), one alone publishes it; one cut short by a crash or a shutdown is
 * taken up again at the next start ({@link #resumePendingSoon}), and by the other nodes, which look every
 * {@link #SWEEP} for pending publications no node holds.
 *
 * <p>A publisher still running {@link #TIME_LIMIT} after it began loses its publication: its thread is interrupted and
 * the publication recorded failed ({@code publish_failed}), at the next heartbeat. A thread that ignores the
 * interruption (a blocking read without a timeout) is left to return in its own time while another thread takes its
 * place, up to {@value #MAX_OVERDUE} such threads, so the publications after it go on.
 *
 * <p>Without threads (tests driving the service by hand) what is asked for waits until {@link #runQueued} runs it on
 * the calling thread, and leases are renewed and pending publications looked for only when a test asks.
 */
public final class Publishing {
    private static final Logger log = LoggerFactory.getLogger(Publishing.class);
    /** Publishing waits on the network, not the CPU: two threads keep one slow destination from holding up the rest. */
    static final int THREADS = 2;
    /** How often each node looks for pending publications that no node holds (one cut short elsewhere, say). */
    static final Duration SWEEP = Duration.ofMinutes(1);
    /** How long a stop waits for interrupted publishers to return before it leaves their leases to run out. */
    static final Duration INTERRUPTED_WAIT = Duration.ofSeconds(1);
    /**
     * How long one publication may take: well beyond Imgur's longest (three requests of up to 30 s with waits of up to
     * a minute between them), and short enough that a hung publisher's job says so within minutes.
     */
    public static final Duration TIME_LIMIT = Duration.ofMinutes(5);
    /** The most threads kept beside the publishing threads while overdue publishers ignore their interruption. */
    static final int MAX_OVERDUE = 8;

    private final HeldPublications held;
    private final PublishDeadlines deadlines = new PublishDeadlines();
    private final JobStore store;
    private final Clock clock;
    private final PublishAttempt attempt;
    private final Duration renewEvery;
    /** The publishing threads. */
    private final ThreadPoolExecutor executor;
    /** Renews leases and looks for pending publications: never behind a publisher's wait. */
    private final ScheduledThreadPoolExecutor schedule;
    private final Queue<UUID> byHand = new ConcurrentLinkedQueue<>();
    /** Jobs asked for and not yet published, so one asked for twice (resumed while live) is published once. */
    private final Set<UUID> asked = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;
    /** The threads of overdue publishers still running, each with a thread added in its place. */
    private final Set<Thread> overdueThreads = new HashSet<>();

    /**
     * @param sleeper waits between the tries of recording an outcome while the store fails
     * @param threads false to run nothing until {@link #runQueued} is called
     */
    public Publishing(JobStore store, BlobStore blobs, Publishers publishers, Clock clock, PublishingLease lease,
                      Sleeper sleeper, boolean threads) {
        this.held = new HeldPublications(store.publications(), clock, lease);
        this.store = store;
        this.clock = clock;
        this.attempt = new PublishAttempt(store, blobs, publishers, held, deadlines,
                new OutcomeRecorder(store, sleeper), clock, TIME_LIMIT);
        this.renewEvery = lease.renewEvery();
        this.executor = threads ? new ThreadPoolExecutor(THREADS, THREADS, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), new NamedThreadFactory("thumbnail-publisher")) : null;
        this.schedule = threads ? new ScheduledThreadPoolExecutor(1, new NamedThreadFactory("thumbnail-publish-lease"))
                : null;
    }

    /** Publishes job {@code id}'s thumbnail, which is done, where its publication asks, if this node claims it. */
    public void publish(UUID id) {
        if (!asked.add(id)) {
            return;
        }
        if (executor == null) {
            byHand.add(id);
            return;
        }
        try {
            executor.execute(() -> run(id));
        } catch (RejectedExecutionException e) {
            // Stopped: the job's row says its publication is pending, and the next start (or another node) takes it up.
            asked.remove(id);
        }
    }

    /**
     * At start: lets go of the leases this node's earlier life held and asks for every publication pending that no
     * other node holds, those a crash or a shutdown cut short; with threads, off the opening thread so a start does not
     * wait for the query, then again every {@link #SWEEP}, and renews the leases held every heartbeat.
     */
    public void resumePendingSoon() {
        if (schedule == null) {
            resumePending();
            return;
        }
        schedule.execute(this::resumePending);
        RepeatingTask.every(schedule, SWEEP, "looking for pending publications", this::takeUpPending);
        RepeatingTask.every(schedule, renewEvery, "renewing publication leases", held::renew);
        RepeatingTask.every(schedule, renewEvery, "ending overdue publications", this::expireOverdue);
    }

    private void resumePending() {
        releaseLeases("held before this start");
        takeUpPending();
    }

    /** Asks for every pending publication that no node holds; returns how many were not asked for already. */
    public int takeUpPending() {
        List<UUID> claimable;
        try {
            claimable = held.claimable();
        } catch (RuntimeException e) {
            log.warn("could not look for pending publications; looking again within {}: {}", SWEEP, e.toString());
            return 0;
        }
        int taken = (int) claimable.stream().filter(id -> !asked.contains(id)).count();
        if (taken > 0) {
            log.info("taking up {} pending publications that no node is publishing (cut short by a stop or a crash)",
                    taken);
        }
        claimable.forEach(this::publish);
        return taken;
    }

    /** Renews the leases of the publications under way on this node; returns how many. */
    public int renewLeases() {
        return held.renew();
    }

    /**
     * Ends the publications whose publisher has run longer than {@link #TIME_LIMIT}: interrupts the publisher, records
     * the publication failed and stops renewing its lease. Returns how many.
     */
    public int expireOverdue() {
        List<PublishDeadlines.Overrun> overruns;
        synchronized (this) {
            overruns = deadlines.expire(clock.instant());
            for (PublishDeadlines.Overrun overrun : overruns) {
                addThreadBeside(overrun.thread());
            }
        }
        for (PublishDeadlines.Overrun overrun : overruns) {
            held.letGo(overrun.id());
            Publication failed = Publication.failed(overrun.target(), new JobError(ErrorCode.PUBLISH_FAILED,
                    "publishing to " + overrun.target() + " did not finish within the time limit of "
                            + TIME_LIMIT.toMinutes() + " minutes; it was stopped"));
            boolean recorded = store.recordPublication(overrun.id(), held.nodeId(), failed).isPresent();
            log.warn("job {}: the {} publisher ran longer than {} minutes; its thread {} was interrupted{}",
                    overrun.id(), overrun.target(), TIME_LIMIT.toMinutes(), overrun.thread().getName(),
                    recorded ? " and the publication failed" : "");
        }
        return overruns.size();
    }

    /** With threads, adds one while {@code overdue} runs its overdue publisher, up to {@value #MAX_OVERDUE}. */
    private void addThreadBeside(Thread overdue) {
        if (executor == null || stopping) {
            return;
        }
        if (overdueThreads.size() >= MAX_OVERDUE) {
            log.warn("{} overdue publishers still run; none added beside {}", overdueThreads.size(), overdue.getName());
            return;
        }
        overdueThreads.add(overdue);
        resize();
    }

    /** The calling thread's publisher has returned: if it was overdue, the thread added in its place goes. */
    private synchronized void returned() {
        if (overdueThreads.remove(Thread.currentThread())) {
            resize();
        }
    }

    /** The publishing threads, and one beside each overdue publisher still running. */
    private void resize() {
        int size = THREADS + overdueThreads.size();
        if (size > executor.getMaximumPoolSize()) {
            executor.setMaximumPoolSize(size);
            executor.setCorePoolSize(size);
        } else {
            executor.setCorePoolSize(size);
            executor.setMaximumPoolSize(size);
        }
    }

    /** Runs what was asked for on the calling thread (without threads); returns how many. */
    public int runQueued() {
        int n = 0;
        for (UUID id; (id = byHand.poll()) != null; n++) {
            run(id);
        }
        return n;
    }

    private void run(UUID id) {
        try {
            attempt.publish(id, () -> stopping);
        } catch (StoreException e) {
            // The store's health has logged it; the publication stays pending, taken up again once its lease runs out.
            log.debug("job {} could not be published for now ({})", id, e.getMessage());
        } catch (RuntimeException e) {
            log.warn("job {} could not be published", id, e);
        } finally {
            asked.remove(id);
            if (executor != null) {
                returned();
            }
        }
    }

    /**
     * Lets the publications under way finish for up to {@code timeout}, renewing their leases meanwhile, then
     * interrupts them: those are left pending. Publications not yet begun are left pending too. Once no publisher
     * runs here, this node lets go of its leases, so another node takes those publications up at its next look rather
     * than a lease later; a publisher that ignored the interruption keeps its lease, which then runs out, so no
     * other node publishes alongside it. Nor does it let go of any while the lease of a publication whose outcome
     * could not be recorded may last ({@link HeldPublications#releaseAll}): no other node publishes that one again
     * before its lease has run out.
     */
    public void stop(Duration timeout) {
        stopping = true;
        if (executor == null) {
            return;
        }
        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        executor.shutdown();
        List<Runnable> waiting = List.copyOf(executor.getQueue());
        executor.getQueue().clear();
        boolean finished = false;
        try {
            finished = executor.awaitTermination(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (!finished) {
                executor.shutdownNow();
                finished = executor.awaitTermination(INTERRUPTED_WAIT.toNanos(), TimeUnit.NANOSECONDS);
                log.warn("publications still under way after {}; they go on at the next start or on another node",
                        timeout);
            }
            schedule.shutdownNow();
            schedule.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            executor.shutdownNow();
            schedule.shutdownNow();
            finished = false;
            Thread.currentThread().interrupt();
        }
        if (!waiting.isEmpty()) {
            log.info("{} publications not begun go on at the next start or on another node", waiting.size());
        }
        if (finished) {
            releaseLeases("at stop");
        }
    }

    /** Lets go of every lease this node holds in the store; {@code when} is for the log. */
    private void releaseLeases(String when) {
        try {
            int released = held.releaseAll();
            if (released > 0) {
                log.info("let go of {} publication leases {}", released, when);
            }
        } catch (RuntimeException e) {
            log.warn("could not let go of the publication leases {}; they run out: {}", when, e.toString());
        }
    }
}
