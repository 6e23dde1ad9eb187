package io.thumbnail.internal.worker;

import io.thumbnail.Job;
import io.thumbnail.JobSource;
import io.thumbnail.SourceInfo;
import io.thumbnail.internal.blob.BlobStore;
import io.thumbnail.internal.blob.OriginalBuffers;
import io.thumbnail.internal.blob.RecentOriginals;
import io.thumbnail.internal.image.Pipeline;
import io.thumbnail.internal.store.JobStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Makes the thumbnails of a claimed group of jobs of one source on the calling thread: the original is fetched (a
 * URL), handed over by submit ({@link RecentOriginals}) or read back from the blob store, and decoded once for all of
 * them; a job whose done twin appeared meanwhile completes from it instead. Each made thumbnail goes to the finisher,
 * which records it; each failure to {@link JobFailures}.
 *
 * <p>A job made alone whose original was not handed over is read back into a buffer outside the heap
 * ({@link OriginalBuffers}); either way the pipeline is told what the job recorded about its original (format, size,
 * hash) so it does not hash the bytes again.
 */
final class GroupMaker {
    private final JobStore store;
    private final BlobStore blobs;
    private final RecentOriginals originals;
    private final Pipeline pipeline;
    private final Executor finishing;
    private final JobDeadlines deadlines;
    private final JobFailures failures;
    private final Completions completions;
    private final UrlFetches urlFetches;
    /** Originals read back from the blob store, outside the heap: no multi-megabyte array per job. */
    private final OriginalBuffers readBack = new OriginalBuffers(OriginalBuffers.DEFAULT_MAX_KEPT,
            OriginalBuffers.DEFAULT_LARGE_WAIT);

    GroupMaker(JobStore store, BlobStore blobs, RecentOriginals originals, Pipeline pipeline, Executor finishing,
               JobDeadlines deadlines, JobFailures failures, Completions completions, UrlFetches urlFetches) {
        this.store = store;
        this.blobs = blobs;
        this.originals = originals;
        this.pipeline = pipeline;
        this.finishing = finishing;
        this.deadlines = deadlines;
        this.failures = failures;
        this.completions = completions;
        this.urlFetches = urlFetches;
    }

    void make(List<ClaimedJob> group) {
        byte[] handedOver = null;
        for (ClaimedJob c : group) {
            // Taken for each job whether or not it is used, so a job done by dedupe does not leave its bytes behind.
            byte[] bytes = c.job().source().sha256() == null ? null : originals.take(c.job().source().sha256());
            handedOver = handedOver != null ? handedOver : bytes;
        }
        byte[] original = handedOver;
        failures.guarded(group.stream().map(ClaimedJob::job).toList(), () -> process(group, original));
    }

    private void process(List<ClaimedJob> group, byte[] handedOver) {
        List<Job> jobs = group.stream().map(ClaimedJob::job).toList();
        byte[] original = handedOver;
        boolean fetched = false;
        if (jobs.get(0).source().sha256() == null && jobs.get(0).source().url() != null) {
            UrlFetches.Fetched fetch = urlFetches.fetch(jobs);
            jobs = fetch.jobs();
            original = fetch.bytes();
            fetched = true;
        }
        List<Job> toMake = new ArrayList<>(jobs.size());
        for (Job job : jobs) {
            // The claim could not know the hash of bytes fetched only now.
            boolean lookForTwin = fetched || group.stream().anyMatch(c -> c.job().id().equals(job.id())
                    && c.claim().doneTwin());
            Optional<Job> same = lookForTwin ? store.findDone(job.source().sha256(), job.spec(), job.owner())
                    : Optional.empty();
            if (same.isEmpty() || !completions.completeFrom(job, same.get())) {
                toMake.add(job);
            }
        }
        if (!toMake.isEmpty()) {
            thumbnails(toMake, original, group);
        }
    }

    /**
     * Makes the jobs' thumbnails, all of one source (one decode), and hands each to the finisher, which shares the
     * job's hold (among {@code holds}) until it is recorded.
     */
    private void thumbnails(List<Job> jobs, byte[] original, List<ClaimedJob> holds) {
        JobSource s = jobs.get(0).source();
        SourceInfo known = s.format() != null && s.width() != null && s.height() != null
                ? new SourceInfo(s.format(), s.width(), s.height(), s.bytes(), s.sha256()) : null;
        List<Pipeline.Rendition> made;
        if (jobs.size() == 1 && known != null && original == null) {
            try (OriginalBuffers.Original read = readBack.read(blobs, s.sha256(), s.bytes())) {
                made = List.of(new Pipeline.Rendition(pipeline.thumbnail(read.bytes(), known, jobs.get(0).spec()),
                        null));
            }
        } else {
            byte[] bytes = original != null ? original : blobs.read(s.sha256());
            if (jobs.size() == 1) {
                Job job = jobs.get(0);
                made = List.of(new Pipeline.Rendition(known != null ? pipeline.thumbnail(bytes, known, job.spec())
                        : pipeline.thumbnail(bytes, job.spec()), null));
            } else {
                made = pipeline.thumbnails(bytes, known, jobs.stream().map(Job::spec).toList());
            }
        }
        deadlines.made();
        for (int i = 0; i < jobs.size(); i++) {
            Job job = jobs.get(i);
            Pipeline.Rendition rendition = made.get(i);
            if (rendition.thumbnail() == null) {
                failures.failed(job, rendition.failure());
                continue;
            }
            HeldJobs.Hold finisherHold = holds.stream().filter(c -> c.job().id().equals(job.id())).findFirst()
                    .orElseThrow().hold().share();
            finishing.execute(() -> {
                try {
                    failures.guarded(List.of(job), () -> completions.record(job, rendition.thumbnail()));
                } finally {
                    finisherHold.release();
                }
            });
        }
    }
}
