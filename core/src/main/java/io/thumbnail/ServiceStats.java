package io.thumbnail;

/**
 * The service as it stands, for health checks and metrics: the stores' health as their last operations left it, and
 * the job database's counts and the disk as read every second.
 *
 * @param databaseOk        whether the job database answered its last reading, and no reading has been waiting for
 *                          it for more than two seconds
 * @param dataDirFreeBytes  usable bytes left on the data directory's file system
 * @param queued            jobs waiting for a worker; -1 when unknown (the database does not answer)
 * @param processing        jobs being made, on every node sharing the database; -1 when unknown
 * @param crashSuspects     jobs queued or being made (on any node) that were taken back from a process that stopped
 *                          without finishing them (a crash, a kill): each runs alone on the node that claims it, in
 *                          case it is what brought its process down; -1 when unknown
 * @param workers           this node's worker threads
 * @param busyWorkers       this node's workers making a thumbnail now
 * @param databaseIntact    whether the database passed its integrity check at start ({@code quick_check}) and no
 *                          read has met a damaged page since
 * @param databaseWritable  whether writes to the database work (false from a failed write until one succeeds)
 * @param blobsWritable     whether writes to the blob folder work (likewise)
 * @param quarantinedFiles  files no job referred to, kept in {@code blobs/quarantine} until their grace period ends
 * @param queueCapacity     the most jobs that may wait in the queue ({@code queued} at it: submits get {@code queue_full})
 * @param abandonedWorkers  worker threads left behind in jobs that overran their time limit (or were deleted), a new
 *                          thread in each one's place, that have not returned yet: a decode that ignores interrupts
 *                          keeps its thread, and the memory it holds, until it ends
 */
public record ServiceStats(boolean databaseOk, long dataDirFreeBytes, long queued, long processing,
                           long crashSuspects, int workers,
                           int busyWorkers, boolean databaseIntact, boolean databaseWritable, boolean blobsWritable,
                           long quarantinedFiles, int queueCapacity, int abandonedWorkers) {
}
