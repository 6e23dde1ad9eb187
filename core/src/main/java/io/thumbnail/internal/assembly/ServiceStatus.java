package io.thumbnail.internal.assembly;

import io.thumbnail.JobStatus;
import io.thumbnail.ServiceStats;
import io.thumbnail.internal.blob.BlobStore;
import io.thumbnail.internal.health.StorageHealth;
import io.thumbnail.internal.store.JobStore;
import io.thumbnail.internal.worker.Housekeeping;
import io.thumbnail.internal.worker.WorkerPool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The service's state for health checks and metrics, read from its parts. */
public final class ServiceStatus {
    private final Path dataDir;
    private final JobStore store;
    private final BlobStore blobs;
    private final StorageHealth health;
    private final WorkerPool workers;
    private final Housekeeping housekeeping;
    private final int queueCapacity;

    ServiceStatus(Path dataDir, JobStore store, BlobStore blobs, StorageHealth health, WorkerPool workers,
                  Housekeeping housekeeping, int queueCapacity) {
        this.queueCapacity = queueCapacity;
        this.dataDir = dataDir;
        this.store = store;
        this.blobs = blobs;
        this.health = health;
        this.workers = workers;
        this.housekeeping = housekeeping;
    }

    /** A store whose writes failed is probed first (at most once a second), so a check sees it work again at once. */
    public ServiceStats read() {
        housekeeping.probeFailingStores();
        blobs.ping();
        boolean ok = store.ping();
        long free;
        try {
            free = Files.getFileStore(dataDir).getUsableSpace();
        } catch (IOException e) {
            free = -1;
        }
        return new ServiceStats(ok, free, ok ? store.count(JobStatus.QUEUED) : -1,
                ok ? store.count(JobStatus.PROCESSING) : -1, workers.size(), workers.busy(),
                health.database().intact(), health.database().writable(), health.blobs().writable(),
                blobs.quarantined(), queueCapacity);
    }
}
