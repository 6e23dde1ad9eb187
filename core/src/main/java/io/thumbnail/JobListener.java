package io.thumbnail;

/**
 * Told of every job state change: submitted (queued; or done at once for a duplicate of a done job; or failed, for a
 * bad item of a batch), claimed (processing), put back for a retry (queued), done, failed. Deletion is not a state:
 * a deleted job is told to {@link #onDelete}.
 *
 * <p>Changes are delivered on one thread ({@code thumbnail-events}) in the order they were committed, after the
 * commit, so a listener always sees a job's states in order. Return quickly and never throw: a slow listener delays
 * the others (never the workers), and exceptions are logged and swallowed.
 */
@FunctionalInterface
public interface JobListener {
    void onChange(Job job);

    /**
     * A job finished (done or failed) by another node sharing this service's database (PostgreSQL), told within
     * milliseconds of its commit, in the order the notifications arrive. The default hands it to {@link #onChange},
     * so a listener waiting for jobs sees them finish wherever they ran; one counting this node's own work (metrics)
     * overrides it to do nothing.
     */
    default void onRemoteChange(Job job) {
        onChange(job);
    }

    /**
     * A job was deleted (by {@link ThumbnailService#delete} or, once finished, by the time-to-live), after the delete
     * was committed, in order with the changes. The default does nothing.
     */
    default void onDelete(Job deleted) {
    }

    /**
     * The service has closed: nothing more will be delivered, so a listener waiting for a change should stop waiting.
     * Called once, after the last change; a listener added after that is called at once. The default does nothing.
     */
    default void onClose() {
    }
}
