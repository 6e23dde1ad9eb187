package io.thumbnail.internal.jobs;

import io.thumbnail.Batch;
import io.thumbnail.BatchListener;
import io.thumbnail.ErrorCode;
import io.thumbnail.Job;
import io.thumbnail.ThumbnailException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One subscription to a batch: what its listener has been told of each item, kept up to date from the job events, so
 * that it hears of each change once, in order, and of the end when every item is finished.
 */
final class BatchWatch {
    private static final Logger log = LoggerFactory.getLogger(BatchWatch.class);

    private final UUID id;
    private final BatchListener listener;
    private final Supplier<Batch> current;
    private final Consumer<BatchWatch> ended;
    private final Map<UUID, Job> items = new HashMap<>();
    private boolean over;

    /**
     * @param current reads the batch as it is now (throws {@code not_found} once it is gone)
     * @param ended   told once, when the watch has made its last call
     */
    BatchWatch(UUID id, BatchListener listener, Supplier<Batch> current, Consumer<BatchWatch> ended) {
        this.id = id;
        this.listener = listener;
        this.current = current;
        this.ended = ended;
    }

    UUID id() {
        return id;
    }

    /** Tells each item as the batch is now; the caller has made sure no change is delivered before this returns. */
    synchronized void start(Batch batch) {
        for (Job item : batch.items()) {
            items.put(item.id(), item);
            listener.onItem(item);
        }
        endIfFinished();
    }

    /**
     * A change of one of the batch's items, told if it moves the item on: events are delivered after their commit,
     * so one committed before the start may arrive after it, and is then stale.
     */
    synchronized void changed(Job job) {
        if (over) {
            return;
        }
        Job known = items.get(job.id());
        if (known == null || progress(job) > progress(known)) {
            items.put(job.id(), job);
            listener.onItem(job);
            endIfFinished();
        }
    }

    /** A deleted item no longer counts: the batch need not wait for it. */
    synchronized void deleted(Job job) {
        if (!over && items.remove(job.id()) != null) {
            endIfFinished();
        }
    }

    /** Ends the watch with {@code reason}, unless it has ended already. */
    synchronized void end(RuntimeException reason) {
        if (over) {
            return;
        }
        over = true;
        ThumbnailException told = reason instanceof ThumbnailException te ? te : unexpected(reason);
        try {
            listener.onEnded(told);
        } finally {
            ended.accept(this);
        }
    }

    private ThumbnailException unexpected(RuntimeException e) {
        log.error("following batch {} failed", id, e);
        return new ThumbnailException(ErrorCode.INTERNAL, "an unexpected error occurred; it has been logged", e);
    }

    private void endIfFinished() {
        if (!items.values().stream().allMatch(job -> job.status().isFinished())) {
            return;
        }
        Batch batch;
        try {
            batch = current.get();
        } catch (RuntimeException e) {
            end(e);
            return;
        }
        over = true;
        try {
            listener.onFinished(batch);
        } finally {
            ended.accept(this);
        }
    }

    /**
     * How far along its life a job is, growing with every change: queued (0), processing attempt k (2k - 1), queued
     * again after attempt k (2k), finished after attempt k (2k + 1).
     */
    private static long progress(Job job) {
        long attempts = job.attempts();
        return switch (job.status()) {
            case QUEUED -> 2 * attempts;
            case PROCESSING -> 2 * attempts - 1;
            case DONE, FAILED -> 2 * attempts + 1;
        };
    }
}
