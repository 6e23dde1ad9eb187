package io.thumbnail;

/**
 * A point-in-time view of the service, for health checks and metrics.
 *
 * @param databaseOk        whether a trivial query against the store succeeded
 * @param dataDirFreeBytes  usable bytes left on the data directory's file system
 */
public record ServiceStats(boolean databaseOk, long dataDirFreeBytes, long queued, long processing, int workers,
                           int busyWorkers) {
}
