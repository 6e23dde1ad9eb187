package io.thumbnail.internal.worker;

import io.thumbnail.Job;
import io.thumbnail.internal.blob.BlobStore;
import io.thumbnail.internal.store.JobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Keeps the data directory tidy: deletes jobs past their time-to-live with their unreferenced files, and sweeps
 * files no row references (left by a crash between writing a file and committing its row). Files of submits and
 * jobs in flight are pinned in the {@link BlobStore}, so the sweep never takes them.
 */
public final class Janitor {
    private static final Logger log = LoggerFactory.getLogger(Janitor.class);
    private static final int DELETE_CHUNK = 500;

    private final JobStore store;
    private final BlobStore blobs;
    private final Clock clock;
    private final Duration ttl;
    private final Consumer<Job> deleted;

    /**
     * @param ttl     how long a finished job is kept, or null to keep jobs forever
     * @param deleted told of each job the time-to-live deletes, after the delete is committed
     */
    public Janitor(JobStore store, BlobStore blobs, Clock clock, Duration ttl, Consumer<Job> deleted) {
        this.store = store;
        this.blobs = blobs;
        this.clock = clock;
        this.ttl = ttl;
        this.deleted = deleted;
    }

    /** What one run did. */
    public record Report(int jobsDeleted, int filesDeleted) {
    }

    public Report run() {
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
        files += sweep();
        if (jobs > 0 || files > 0) {
            log.info("janitor deleted {} expired jobs and {} files", jobs, files);
        }
        return new Report(jobs, files);
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

    /** Deletes every file no job references, and abandoned temporary files; returns how many. */
    public int sweep() {
        // One walk of the store for both (at start, none: the store's opening walk found them).
        BlobStore.Listing listing = blobs.sweepTempFilesAndList();
        int n = listing.tempFilesDeleted();
        Set<String> referenced = store.referencedHashes();
        for (String sha : listing.hashes()) {
            // The snapshot may be stale by now: each candidate is checked again under its pin lock.
            if (!referenced.contains(sha) && blobs.deleteIfUnreferenced(sha, store::references)) {
                n++;
            }
        }
        return n;
    }
}
