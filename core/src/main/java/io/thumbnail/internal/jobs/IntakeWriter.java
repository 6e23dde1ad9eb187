package io.thumbnail.internal.jobs;

import io.thumbnail.Job;
import io.thumbnail.JobStatus;
import io.thumbnail.internal.blob.BlobStore;
import io.thumbnail.internal.blob.RecentOriginals;
import io.thumbnail.internal.store.JobStore;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Stores what the intake drafted, durably and in order: each original is written to the blob store and forced to disk
 * (pinned, so no sweep or delete takes it) before the rows are committed in one transaction, so a job that exists always
 * has its original. A submit refused at the commit (a full queue) or failing leaves behind no file only it wanted.
 */
final class IntakeWriter {
    private final JobStore store;
    private final BlobStore blobs;
    private final RecentOriginals originals;
    private final JobStore.QueueLimits queueLimits;

    IntakeWriter(JobStore store, BlobStore blobs, RecentOriginals originals, JobStore.QueueLimits queueLimits) {
        this.store = store;
        this.blobs = blobs;
        this.originals = originals;
        this.queueLimits = queueLimits;
    }

    /**
     * Writes the files, then commits the rows (and {@code batch}, if not null); returns the jobs as stored. Queued jobs'
     * bytes are offered to the workers before the commit, since a worker may claim the job the moment it is committed.
     */
    List<Job> store(JobStore.NewBatch batch, List<IntakeItem> items) {
        List<BlobStore.Pin> pins = new ArrayList<>();
        List<String> written = new ArrayList<>();
        List<String> offered = new ArrayList<>();
        List<Job> jobs = new ArrayList<>(items.size());
        // An image's renditions share its bytes or upload: stored once, by the first of them.
        Set<Object> stored = Collections.newSetFromMap(new IdentityHashMap<>());
        try {
            for (IntakeItem item : items) {
                Job job = item.job();
                if (item.hasOriginal()) {
                    boolean first = stored.add(item.original());
                    if (first) {
                        pins.add(blobs.pin(job.source().sha256()));
                    }
                    if (job.result() != null) {
                        job.result().files().forEach(file -> pins.add(blobs.pin(file)));
                        if (!job.result().files().stream().allMatch(blobs::exists)) {
                            // The done job we matched was deleted meanwhile: make the thumbnail after all.
                            job = job.toBuilder().status(JobStatus.QUEUED).result(null).startedAt(null)
                                    .finishedAt(null).build();
                        }
                    }
                    if (first) {
                        write(item, job.source().sha256());
                        written.add(job.source().sha256());
                    }
                    if (job.status() == JobStatus.QUEUED && item.bytes() != null) {
                        offer(item, job.source().sha256());
                        offered.add(job.source().sha256());
                    }
                }
                jobs.add(job);
            }
            store.insert(batch, jobs, queueLimits);
            written.clear();
            offered.clear();
        } finally {
            offered.forEach(originals::withdraw);
            pins.forEach(BlobStore.Pin::close);
            // Refused (queue full) or failed: remove what only this submit wanted.
            written.forEach(sha -> blobs.deleteIfUnreferenced(sha, store::references));
        }
        return jobs;
    }

    private void write(IntakeItem item, String sha256) {
        if (item.upload() != null) {
            item.upload().incoming().store(sha256);
        } else {
            blobs.write(sha256, item.bytes());
        }
    }

    /** Hands the bytes to the worker that claims the job, copied when the caller may still change them. */
    private void offer(IntakeItem item, String sha256) {
        if (item.callersBytes()) {
            originals.offerCopy(sha256, item.bytes());
        } else {
            originals.offer(sha256, item.bytes());
        }
    }
}
