package io.thumbnail.internal.assembly;

import io.thumbnail.Job;
import io.thumbnail.internal.blob.BlobStore;
import io.thumbnail.internal.blob.postgres.PostgresBlobPins;
import io.thumbnail.internal.blob.s3.BlobStores;
import io.thumbnail.internal.health.FreeSpace;
import io.thumbnail.internal.health.StorageHealth;
import io.thumbnail.internal.store.JobStore;
import io.thumbnail.internal.store.postgres.PostgresJobStore;

import javax.sql.DataSource;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Consumer;

/**
 * The job store and the blob store of a service, opened together as its settings choose: SQLite in the data directory
 * or the PostgreSQL database several nodes share; {@code blobs/} in the data directory or a bucket.
 *
 * <p>Nodes sharing a bucket keep its pins in the database they share ({@link PostgresBlobPins}, on connections of
 * their own beside the job store's), so a deletion on one node never removes a blob another node's new job has just
 * found stored. A bucket with SQLite, or the local disk, is one node's: its pins stay in this process.
 */
record ServiceStores(JobStore jobs, BlobStore blobs) {
    /** Connections the shared pins hold: a pin or a deletion's decision is one short transaction. */
    private static final int PIN_CONNECTIONS = 4;

    /** Opens both stores, or neither: a failure closes what was opened. */
    static ServiceStores open(ServiceSettings s, Consumer<Job> changes, StorageHealth health) {
        JobStores.Settings settings = new JobStores.Settings(s.database(), s.dataDir(), s.nodeId(),
                s.hooks().syncAcknowledged(), s.acceptEmptyDatabase(), describe(s.quarantineGrace()));
        Instant now = s.clock().instant().truncatedTo(ChronoUnit.MILLIS);
        // Stores on the data directory's disk: one that failed needs room there to be taken for working again.
        if (s.database() == null) {
            health.database().recoversWithRoomIn(s.dataDir(), FreeSpace.TO_RECOVER);
        }
        if (s.blobStore() == null) {
            health.blobs().recoversWithRoomIn(s.dataDir(), FreeSpace.TO_RECOVER);
        }
        if (s.database() == null || s.blobStore() == null) {
            BlobStore blobs = BlobStores.open(s.blobStore(), s.dataDir(), health.blobs());
            try {
                return new ServiceStores(JobStores.open(settings, now, blobs.storedAtOpen(), changes,
                        health.database()), blobs);
            } catch (RuntimeException e) {
                blobs.close();
                throw e;
            }
        }
        // A bucket several nodes share: the database first, since it holds the bucket's pins; the check that it is
        // not empty while the bucket holds images once both are open.
        JobStore jobs = JobStores.open(settings, now, 0, changes, health.database());
        BlobStore blobs = null;
        try {
            blobs = BlobStores.open(s.blobStore(), s.dataDir(), health.blobs(),
                    sharedPins((PostgresJobStore) jobs, s.nodeId(), health));
            JobStores.requireJobsForStoredFiles(jobs, settings, blobs.storedAtOpen());
            return new ServiceStores(jobs, blobs);
        } catch (RuntimeException e) {
            if (blobs != null) {
                blobs.close();
            }
            jobs.close();
            throw e;
        }
    }

    /**
     * The pins of the nodes on {@code jobs}' database, with those this node's earlier life left, and those of any node
     * older than their lifetime, let go: a node starts holding none, and one that died holds none for ever.
     */
    private static PostgresBlobPins sharedPins(PostgresJobStore jobs, String nodeId, StorageHealth health) {
        DataSource connections = jobs.sideConnections("pins", PIN_CONNECTIONS);
        PostgresBlobPins.createTable(connections);
        PostgresBlobPins pins = new PostgresBlobPins(connections, nodeId, PostgresBlobPins.DEFAULT_LIFETIME,
                health.database());
        pins.releaseNode();
        pins.releaseExpired();
        return pins;
    }

    /** Closes the blob store, then the job store (which holds the database the pins use). */
    void close() {
        try {
            blobs.close();
        } finally {
            jobs.close();
        }
    }

    static String describe(Duration d) {
        return d.toDays() > 0 && d.toHours() % 24 == 0 ? d.toDays() + " days" : d.toString();
    }
}
