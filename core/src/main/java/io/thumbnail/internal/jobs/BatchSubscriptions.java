package io.thumbnail.internal.jobs;

import io.thumbnail.Batch;
import io.thumbnail.BatchListener;
import io.thumbnail.ErrorCode;
import io.thumbnail.Job;
import io.thumbnail.JobListener;
import io.thumbnail.ThumbnailException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Subscriptions to single batches, and waits for a batch to finish. One listener on the job events routes each change
 * to the watches of its batch alone, so following a batch costs nothing for the changes of other jobs.
 */
public final class BatchSubscriptions implements JobListener {
    private static final Logger log = LoggerFactory.getLogger(BatchSubscriptions.class);

    private final JobLookup lookup;
    private final String closedReason;
    private final ConcurrentHashMap<UUID, Set<BatchWatch>> watches = new ConcurrentHashMap<>();
    private final Set<BatchWatch> waits = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    private volatile boolean waitsEnded;

    /** Register the result with the job events, once; {@code closedReason} is what followers hear when it closes. */
    public BatchSubscriptions(JobLookup lookup, String closedReason) {
        this.lookup = lookup;
        this.closedReason = closedReason;
    }

    /**
     * Starts following batch {@code id} of {@code owner} (null: any owner's): {@code listener} is told each item as
     * it is, then each change, then the end. Closing the result stops it.
     *
     * @throws ThumbnailException {@code not_found} at once if the batch does not exist or is another owner's
     */
    public AutoCloseable subscribe(UUID id, String owner, BatchListener listener) {
        BatchWatch watch = new BatchWatch(id, listener, () -> current(id, owner), this::forget);
        start(watch, owner);
        return () -> forget(watch);
    }

    /**
     * The batch once every item is finished, or as it is when {@code timeout} passes; exceptionally with
     * {@code not_found} for a batch that does not exist or is another owner's, and {@code unavailable} once
     * {@link #endWaits} has been called. What follows the completion runs on {@code executor}.
     */
    public CompletableFuture<Batch> awaitFinished(UUID id, String owner, Duration timeout, Executor executor) {
        CompletableFuture<Batch> finished = new CompletableFuture<>();
        BatchWatch watch = new BatchWatch(id, new BatchListener() {
            @Override
            public void onItem(Job item) {
            }

            @Override
            public void onFinished(Batch batch) {
                finished.complete(batch);
            }

            @Override
            public void onEnded(ThumbnailException reason) {
                finished.completeExceptionally(reason);
            }
        }, () -> current(id, owner), this::forget);
        waits.add(watch);
        try {
            start(watch, owner);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return finished.completeOnTimeout(null, Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS)
                .handleAsync((batch, failure) -> {
                    forget(watch);
                    if (failure != null) {
                        throw failure instanceof RuntimeException e ? e : new IllegalStateException(failure);
                    }
                    return batch != null ? batch : current(id, owner);
                }, executor);
    }

    /**
     * Ends every wait of {@link #awaitFinished} and every subscription with {@code unavailable}, and refuses those to
     * come: the service is closing, and a client following a batch is better told now than cut off later.
     */
    public void endWaits() {
        waitsEnded = true;
        ThumbnailException reason = new ThumbnailException(ErrorCode.UNAVAILABLE, closedReason);
        watches.values().forEach(set -> set.forEach(watch -> watch.end(reason)));
    }

    /** How many waits of {@link #awaitFinished} are in progress now. */
    public int waiting() {
        return waits.size();
    }

    private Batch current(UUID id, String owner) {
        return lookup.batch(id, owner).orElseThrow(() -> notFound(id));
    }

    /**
     * Registers and starts {@code watch} (a wait of {@link #awaitFinished}, or a subscription) under its lock, so that
     * no change falls between the snapshot and what follows: a change waits on that lock until the start is out.
     */
    private void start(BatchWatch watch, String owner) {
        synchronized (watch) {
            watches.computeIfAbsent(watch.id(), k -> ConcurrentHashMap.newKeySet()).add(watch);
            Optional<Batch> batch;
            try {
                // Checked once registered: a close either ends this watch or had not begun when this was read.
                if (closed || waitsEnded) {
                    throw new ThumbnailException(ErrorCode.UNAVAILABLE, closedReason);
                }
                batch = lookup.batch(watch.id(), owner);
            } catch (RuntimeException e) {
                forget(watch);
                throw e;
            }
            if (batch.isEmpty()) {
                forget(watch);
                throw notFound(watch.id());
            }
            watch.start(batch.get());
        }
    }

    private void forget(BatchWatch watch) {
        waits.remove(watch);
        watches.computeIfPresent(watch.id(), (k, set) -> {
            set.remove(watch);
            return set.isEmpty() ? null : set;
        });
    }

    @Override
    public void onChange(Job job) {
        deliver(job, watch -> watch.changed(job));
    }

    @Override
    public void onDelete(Job deleted) {
        deliver(deleted, watch -> watch.deleted(deleted));
    }

    /** The service has closed: no change will come, so every follower is told {@code unavailable}. */
    @Override
    public void onClose() {
        closed = true;
        ThumbnailException reason = new ThumbnailException(ErrorCode.UNAVAILABLE, closedReason);
        watches.values().forEach(set -> set.forEach(watch -> watch.end(reason)));
    }

    private void deliver(Job job, Consumer<BatchWatch> call) {
        Set<BatchWatch> following = job.batchId() == null ? null : watches.get(job.batchId());
        if (following == null) {
            return;
        }
        for (BatchWatch watch : following) {
            try {
                call.accept(watch);
            } catch (RuntimeException e) {
                log.warn("a follower of batch {} failed on job {}", job.batchId(), job.id(), e);
            }
        }
    }

    static ThumbnailException notFound(UUID id) {
        return new ThumbnailException(ErrorCode.NOT_FOUND, "no batch with id " + id);
    }
}
