package io.thumbnail;

/**
 * Follows one batch ({@link ThumbnailService#subscribeBatch}): first each item as it is when the subscription starts,
 * then each change that moves an item on, until every item is finished. Exactly one of {@link #onFinished} and
 * {@link #onEnded} is the last call.
 *
 * <p>Calls come one at a time, in order (the first ones on the subscribing thread, later ones on the service's
 * {@code thumbnail-events} thread). Return quickly and never throw: a slow listener delays every other listener.
 */
public interface BatchListener {
    /**
     * An item's state: its state at the start, then each change that moves it on (a change committed before the
     * start and delivered after it is not repeated).
     */
    void onItem(Job item);

    /** Every item is finished (items deleted meanwhile no longer count): the batch with its totals. The last call. */
    void onFinished(Batch batch);

    /**
     * The subscription ended before the batch finished: {@code unavailable} when the service closes, {@code io_error}
     * when its store cannot be read, {@code not_found} when the batch is gone. The last call.
     */
    void onEnded(ThumbnailException reason);
}
