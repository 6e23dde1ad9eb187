package io.thumbnail.internal.worker;

import io.thumbnail.Job;
import io.thumbnail.internal.blob.BlobStore;
import io.thumbnail.internal.health.StoreHealth;
import io.thumbnail.internal.store.JobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Keeps the data directory tidy: deletes jobs past their time-to-live with their unreferenced files, and sweeps files
 * no row references (left by a crash between writing a file and committing its row) into the blob store's
 * quarantine, which it empties of files older than the grace period. The sweep never deletes: a database that
 * looks empty (deleted, truncated, an old backup) must not cost every image. Files of submits and jobs in flight are
 * pinned in the {@link BlobStore}, so the sweep never takes them; nothing is swept while the database is damaged.
 * Nodes sharing a database take turns: only the one the store names ({@link JobStore#leadsJanitor}) runs it.
 */
public final class Janitor {
    private static final Logger log = LoggerFactory.getLogger(Janitor.class);
    private static final int DELETE_CHUNK = 500;

    private final JobStore store;
    private final BlobStore blobs;
    private final StoreHealth database;
    private final Clock clock;
    private final Duration ttl;
    private final Duration quarantineGrace;
    private final Consumer<Job> deleted;

    /**
     * @param ttl             how long a finished job is kept, or null to keep jobs forever
     * @param quarantineGrace how long a swept file stays in the quarantine before it is deleted
     * @param deleted         told of each job the time-to-live deletes, after the delete is committed
     */
    public Janitor(JobStore store, BlobStore blobs, StoreHealth database, Clock clock, Duration ttl,
                   Duration quarantineGrace, Consumer<Job> deleted) {
        this.store = store;
        this.blobs = blobs;
        this.database = database;
        this.clock = clock;
        this.ttl = ttl;
        this.quarantineGrace = quarantineGrace;
        this.deleted = deleted;
    }

    /** What one run did: jobs deleted, files deleted (with their jobs, or from the quarantine), files quarantined. */
    public record Report(int jobsDeleted, int filesDeleted, int filesQuarantined) {
        /** A run left to another node sharing the database. */
        static final Report NOT_THIS_NODE = new Report(0, 0, 0);
    }

    public Report run() {
        if (!store.leadsJanitor()) {
            return Report.NOT_THIS_NODE;
        }
        int jobs = 0;
        int files = 0;
        if (ttl != null) {
            List<Job> expired;
            do {
                expired = store.deleteFinishedBefore(clock.instant().minus(ttl), DELETE_CHUNK);
                jobs += expired.size();
                for (Job job : expired) {
                    this.deleted.accept(job);
                    files += deleteFiles(job);
                }
            } while (expired.size() == DELETE_CHUNK);
        }
        Swept swept = sweep();
        int purged = blobs.emptyQuarantine(clock.instant().minus(quarantineGrace));
        if (jobs > 0 || files > 0 || swept.quarantined() > 0 || purged > 0) {
            log.info("janitor deleted {} expired jobs and {} of their files, moved {} unreferenced files to the"
                    + " quarantine and deleted {} quarantined longer than {}", jobs, files, swept.quarantined(),
                    purged, quarantineGrace);
        }
        return new Report(jobs, files + swept.leftoversDeleted() + purged, swept.quarantined());
    }

    /** Deletes the files of a deleted job that no other job references; returns how many. */
    public int deleteFiles(Job job) {
        int n = blobs.deleteIfUnreferenced(job.source().sha256(), store::references) ? 1 : 0;
        if (job.result() != null) {
            for (String file : job.result().files()) {
                if (blobs.deleteIfUnreferenced(file, store::references)) {
                    n++;
                }
            }
        }
        return n;
    }

    /** What a sweep did. */
    public record Swept(int quarantined, int leftoversDeleted) {
    }

    /**
     * Moves every file no job references to the quarantine, and deletes abandoned temporary files. Does nothing while
     * the database is damaged.
     */
    public Swept sweep() {
        if (!database.intact()) {
            return new Swept(0, 0);
        }
        // One walk of the store for both (at start, none: the store's opening walk found them).
        BlobStore.Listing listing = blobs.sweepLeftoversAndList();
        Set<String> referenced = store.referencedHashes();
        Instant now = clock.instant();
        int n = 0;
        for (String sha : listing.hashes()) {
            // The snapshot may be stale by now: each candidate is checked again under its pin lock.
            if (!referenced.contains(sha) && blobs.quarantineIfUnreferenced(sha, store::references, now)) {
                n++;
            }
        }
        return new Swept(n, listing.leftoversDeleted());
    }

    /** Moves the quarantined files that jobs refer to back into the store (after a restore); returns how many. */
    public int restoreQuarantined() {
        if (blobs.quarantined() == 0) {
            return 0; // the usual start: no need to read every hash the jobs name
        }
        Set<String> referenced = store.referencedHashes();
        return blobs.restoreQuarantined(referenced::contains);
    }
}
