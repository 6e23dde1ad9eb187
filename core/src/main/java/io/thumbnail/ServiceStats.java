package io.thumbnail;

/**
 * A point-in-time view of the service, for health checks and metrics.
 *
 * @param databaseOk        whether a trivial query against the store succeeded
 * @param dataDirFreeBytes  usable bytes left on the data directory's file system
 * @param databaseIntact    whether the database passed its integrity check at start ({@code quick_check}) and no
 *                          read has met a damaged page since
 * @param databaseWritable  whether writes to the database work (false from a failed write until one succeeds)
 * @param blobsWritable     whether writes to the blob folder work (likewise)
 * @param quarantinedFiles  files no job referred to, kept in {@code blobs/quarantine} until their grace period ends
 * @param queueCapacity     the most jobs that may wait in the queue ({@code queued} at it: submits get {@code queue_full})
 */
public record ServiceStats(boolean databaseOk, long dataDirFreeBytes, long queued, long processing, int workers,
                           int busyWorkers, boolean databaseIntact, boolean databaseWritable, boolean blobsWritable,
                           long quarantinedFiles, int queueCapacity) {
}
