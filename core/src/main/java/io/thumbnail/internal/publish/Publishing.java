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
import io.thumbnail.internal.worker.NamedThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Publishes done jobs' thumbnails on threads of its own, so a publisher that waits (Imgur's rate limits, up to a
 * minute a retry) never holds an image worker. The job's row says the publication is pending until its outcome is
 * recorded, so one cut short by a crash or a shutdown is simply found again and published when the service next
 * starts ({@link #resumePending}).
 *
 * <p>Without threads (tests driving the service by hand) what is asked for waits until {@link #runQueued} runs it on
 * the calling thread.
 */
public final class Publishing {
    private static final Logger log = LoggerFactory.getLogger(Publishing.class);
    /** Publishing waits on the network, not the CPU: two threads keep one slow destination from holding up the rest. */
    static final int THREADS = 2;

    private final JobStore store;
    private final BlobStore blobs;
    private final Publishers publishers;
    private final ExecutorService executor;
    private final Queue<UUID> byHand = new ConcurrentLinkedQueue<>();
    /** Jobs asked for and not yet published, so one asked for twice (resumed while live) is published once. */
    private final Set<UUID> asked = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    /** {@code threads}: false to run nothing until {@link #runQueued} is called. */
    public Publishing(JobStore store, BlobStore blobs, Publishers publishers, boolean threads) {
        this.store = store;
        this.blobs = blobs;
        this.publishers = publishers;
        this.executor = threads ? new ThreadPoolExecutor(THREADS, THREADS, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), new NamedThreadFactory("thumbnail-publisher")) : null;
    }

    /** Publishes job {@code id}'s thumbnail, which is done, where its publication asks. */
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
            // Stopped: the job's row says its publication is pending, and the next start publishes it.
            asked.remove(id);
        }
    }

    /**
     * Asks again, on a publishing thread (or the next {@link #runQueued}), for every publication the store says is
     * pending: those a crash or a shutdown cut short. Off the opening thread, so a start does not wait for the query.
     */
    public void resumePendingSoon() {
        if (executor == null) {
            resumePending();
        } else {
            executor.execute(this::resumePending);
        }
    }

    private void resumePending() {
        List<UUID> pending;
        try {
            pending = store.pendingPublications();
        } catch (RuntimeException e) {
            log.warn("could not look for publications cut short by the last stop; they go on at the next start: {}",
                    e.toString());
            return;
        }
        if (!pending.isEmpty()) {
            log.info("publishing {} thumbnails whose publication was cut short by the last stop", pending.size());
        }
        pending.forEach(this::publish);
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
            publishNow(id);
        } catch (StoreException e) {
            // The store's health has logged it; the publication stays pending and is resumed at the next start.
            log.debug("job {} could not be published for now ({})", id, e.getMessage());
        } catch (RuntimeException e) {
            log.warn("job {} could not be published", id, e);
        } finally {
            asked.remove(id);
        }
    }

    private void publishNow(UUID id) {
        Optional<Job> done = store.get(id).filter(job -> job.status() == JobStatus.DONE);
        if (done.isEmpty() || done.get().publication() == null || !done.get().publication().isPending()) {
            return;
        }
        String target = done.get().publication().target();
        Publication outcome;
        try {
            Publisher publisher = publishers.get(target).orElseThrow(() -> new ThumbnailException(
                    ErrorCode.PUBLISH_FAILED, "publishing to " + target + " is not configured on this service"));
            JobResult result = done.get().result();
            outcome = publisher.publish(blobs.read(result.sha256()), result.format());
            if (outcome == null || outcome.link() == null || !target.equals(outcome.target())) {
                throw new ThumbnailException(ErrorCode.PUBLISH_FAILED, "the " + target
                        + " publisher did not say where it published the thumbnail");
            }
            log.info("job {} published to {}: {}", id, target, outcome.link());
        } catch (StoreException e) {
            throw e;
        } catch (ThumbnailException e) {
            if (stopping && Thread.currentThread().isInterrupted()) {
                log.info("job {}: publishing to {} was cut short by the shutdown; it goes on at the next start",
                        id, target);
                return;
            }
            log.info("job {} could not be published to {}: {}", id, target, e.getMessage());
            outcome = Publication.failed(target, JobError.of(e));
        } catch (RuntimeException e) {
            log.warn("job {}: the {} publisher failed unexpectedly", id, target, e);
            outcome = Publication.failed(target, new JobError(ErrorCode.PUBLISH_FAILED, "publishing to " + target
                    + " failed unexpectedly; it has been logged"));
        }
        store.recordPublication(id, outcome);
    }

    /**
     * Lets the publications under way finish for up to {@code timeout}, then interrupts them: those are left pending
     * and published at the next start. Publications not yet begun wait for the next start too.
     */
    public void stop(Duration timeout) {
        stopping = true;
        if (executor == null) {
            return;
        }
        executor.shutdown();
        List<Runnable> waiting = ((ThreadPoolExecutor) executor).getQueue().stream().toList();
        ((ThreadPoolExecutor) executor).getQueue().clear();
        try {
            if (!executor.awaitTermination(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS)) {
                executor.shutdownNow();
                log.warn("publications still under way after {}; they go on at the next start", timeout);
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        if (!waiting.isEmpty()) {
            log.info("{} publications not begun go on at the next start", waiting.size());
        }
    }
}
