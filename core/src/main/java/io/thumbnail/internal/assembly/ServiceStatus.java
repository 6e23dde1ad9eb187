package io.thumbnail.internal.assembly;

import io.thumbnail.JobStatus;
import io.thumbnail.ServiceStats;
import io.thumbnail.internal.blob.BlobStore;
import io.thumbnail.internal.health.StorageHealth;
import io.thumbnail.internal.store.JobStore;
import io.thumbnail.internal.worker.WorkerPool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The service's state for health checks and metrics, answered at once from what the service keeps: the stores' health
 * as their operations and the housekeeping's probes left it, the workers, and the last {@linkplain #refresh reading}
 * of the job database and the disk, which the housekeeping takes every second on a thread of its own. A health check
 * never waits for a store: a load balancer that gave up on a slow answer would take the node out for the wrong reason.
 */
public final class ServiceStatus {
    /**
     * How long a reading may be under way before the database counts as not answering: a reading takes milliseconds,
     * and a database that holds a trivial count this long (a lock held by another process, a connection that went
     * silent) would hold every request too.
     */
    static final Duration STALLED = Duration.ofSeconds(2);

    private final Path dataDir;
    private final JobStore store;
    private final BlobStore blobs;
    private final StorageHealth health;
    private final WorkerPool workers;
    private final Clock clock;
    private final int queueCapacity;
    private final Object readingLock = new Object();
    private volatile Reading last;
    /** When the reading under way began; null while none is. */
    private volatile Instant readingSince;

    /** What the database and the disk said when last read; counts are -1 when the database did not answer. */
    private record Reading(boolean databaseAnswers, long queued, long processing, long suspects, long freeBytes) {
    }

    ServiceStatus(Path dataDir, JobStore store, BlobStore blobs, StorageHealth health, WorkerPool workers, Clock clock,
                  int queueCapacity) {
        this.dataDir = dataDir;
        this.store = store;
        this.blobs = blobs;
        this.health = health;
        this.workers = workers;
        this.clock = clock;
        this.queueCapacity = queueCapacity;
        refresh();
    }

    /**
     * Reads the job database (whether it answers, its queued and processing jobs and the crash suspects among them)
     * and the disk's free space;
     * one reading at a time. Returns once the database answered or gave up (its own timeouts).
     */
    public void refresh() {
        synchronized (readingLock) {
            readingSince = clock.instant();
            try {
                last = readNow();
            } finally {
                readingSince = null;
            }
        }
    }

    private Reading readNow() {
        long free;
        try {
            free = Files.getFileStore(dataDir).getUsableSpace();
        } catch (IOException e) {
            free = -1;
        }
        if (!store.ping()) {
            return new Reading(false, -1, -1, -1, free);
        }
        try {
            return new Reading(true, store.count(JobStatus.QUEUED), store.count(JobStatus.PROCESSING),
                    store.suspects(), free);
        } catch (RuntimeException e) {
            return new Reading(false, -1, -1, -1, free);
        }
    }

    /** The state as kept: never waits for a store. */
    public ServiceStats read() {
        Reading reading = last;
        Instant since = readingSince;
        boolean stalled = since != null && !clock.instant().isBefore(since.plus(STALLED));
        boolean answers = reading.databaseAnswers() && !stalled;
        return new ServiceStats(answers, reading.freeBytes(), answers ? reading.queued() : -1,
                answers ? reading.processing() : -1, answers ? reading.suspects() : -1, workers.size(), workers.busy(),
                health.database().intact(), health.database().writable(), health.blobs().writable(),
                blobs.quarantined(), queueCapacity, workers.abandoned());
    }
}
