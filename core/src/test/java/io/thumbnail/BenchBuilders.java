package io.thumbnail;

/**
 * Bench only: reaches the builder's package-private hooks (no workers; accepted jobs committed without forcing them
 * to disk). Lives in {@code io.thumbnail} for that reason.
 */
public final class BenchBuilders {
    private BenchBuilders() {
    }

    /** {@code builder} with no worker or housekeeping thread, committing accepted jobs forced or not. */
    public static ThumbnailServiceBuilder submitOnly(ThumbnailServiceBuilder builder, boolean syncAcknowledged) {
        return builder.hooks(h -> h.withStartWorkers(false).withSyncAcknowledged(syncAcknowledged));
    }
}
