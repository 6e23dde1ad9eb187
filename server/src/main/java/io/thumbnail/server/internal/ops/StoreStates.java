package io.thumbnail.server.internal.ops;

import io.thumbnail.ServiceStats;

/** Whether each store is up, one reading for {@code /health} and {@code /metrics} alike. */
public final class StoreStates {
    private StoreStates() {
    }

    /** The job database answers, is intact and can be written. */
    public static boolean databaseUp(ServiceStats stats) {
        return stats.databaseOk() && stats.databaseIntact() && stats.databaseWritable();
    }

    /** The blob store can be written (and, in a bucket, answers). */
    public static boolean blobsUp(ServiceStats stats) {
        return stats.blobsWritable();
    }
}
