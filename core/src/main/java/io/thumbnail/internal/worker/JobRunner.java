package io.thumbnail.internal.worker;

import io.thumbnail.ErrorCode;
import io.thumbnail.Job;
import io.thumbnail.JobError;
import io.thumbnail.JobResult;
import io.thumbnail.JobSource;
import io.thumbnail.SourceInfo;
import io.thumbnail.Thumbnail;
import io.thumbnail.ThumbnailException;
import io.thumbnail.internal.blob.BlobStore;
import io.thumbnail.internal.blob.OriginalBuffers;
import io.thumbnail.internal.blob.RecentOriginals;
import io.thumbnail.internal.health.StorageHealth;
import io.thumbnail.internal.health.StoreException;
import io.thumbnail.internal.image.Pipeline;
import io.thumbnail.internal.image.Sha256;
import io.thumbnail.internal.source.UrlSourceLoader;
import io.thumbnail.internal.store.JobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs one claimed job to its next state: done, failed, or queued again for a retry. Permanent errors (the input's
 * fault) fail at once with the pipeline's code; transient ones are retried with backoff until the job has been
 * started {@code maxAttempts} times. A store that fails (a full disk, a folder that cannot be written) is the
 * server's trouble, not the job's: such a retry waits minutes rather than seconds, and no job is claimed at all while
 * either store is failing, so queued jobs wait instead of spending their attempts.
 *
 * <p>The original comes from {@link RecentOriginals} when submit left it there, else from the blob store (into a
 * buffer outside the heap, see {@link OriginalBuffers}); either way the pipeline is told what the job recorded about
 * it (format, size, hash) so it does not hash the bytes again.
 */
public final class JobRunner {
    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);
    /** Retries after a store failed wait this long and more: minutes, time for a disk to be freed. */
    static final Backoff STORAGE_BACKOFF = new Backoff(Duration.ofMinutes(1), Duration.ofHours(1));

    private final JobStore store;
    private final BlobStore blobs;
    private final Pipeline pipeline;
    private final Clock clock;
    private final String nodeId;
    private final Duration lease;
    private final Duration priorityAging;
    private final int maxAttempts;
    private final Backoff backoff;
    private final AtomicInteger running = new AtomicInteger();
    private final UrlSourceLoader urlSources;
    private final Consumer<UUID> publish;
    private final RecentOriginals originals;
    private final Executor finishing;
    private final Duration jobTimeout;
    private final JobDeadlines deadlines = new JobDeadlines();
    private final HeldJobs held = new HeldJobs();
    private final StorageHealth health;
    /** Originals read back from the blob store, outside the heap: no multi-megabyte array per job. */
    private final OriginalBuffers readBack = new OriginalBuffers(OriginalBuffers.DEFAULT_MAX_KEPT);

    /**
     * {@code urlSources} fetches jobs whose image is a URL (null: none are fetched); {@code publish} is told of each
     * job done whose thumbnail is to be published (it publishes elsewhere, never on a worker). {@code finishing}
     * stores made thumbnails and marks their jobs done (a {@link Finisher}, or {@code Runnable::run} to do it on the
     * worker's thread). A job still running {@code jobTimeout} after its claim fails with {@code timeout} when
     * {@link #expireOverdue} next runs.
     */
    public JobRunner(JobStore store, BlobStore blobs, RecentOriginals originals, Pipeline pipeline, Clock clock,
                     String nodeId, Duration lease, Duration priorityAging, int maxAttempts, Backoff backoff,
                     UrlSourceLoader urlSources,
                     Consumer<UUID> publish, Executor finishing, Duration jobTimeout, StorageHealth health) {
        this.health = health;
        this.finishing = finishing;
        this.jobTimeout = jobTimeout;
        this.urlSources = urlSources;
        this.publish = publish;
        this.store = store;
        this.blobs = blobs;
        this.originals = originals;
        this.pipeline = pipeline;
        this.clock = clock;
        this.nodeId = nodeId;
        this.lease = lease;
        this.priorityAging = priorityAging;
        this.maxAttempts = maxAttempts;
        this.backoff = backoff;
    }

    /**
     * Claims the oldest ready job and runs it on the calling thread; false if none was ready, or a store is failing
     * (the job would only fail on it too).
     */
    public boolean runNext() {
        if (!health.writable()) {
            return false;
        }
        Instant now = now();
        Optional<JobStore.Claim> claimed = store.claimNext(nodeId, now, lease, priorityAging);
        if (claimed.isEmpty()) {
            return false;
        }
        HeldJobs.Hold hold = held.hold(claimed.get().job().id());
        running.incrementAndGet();
        deadlines.started(claimed.get().job(), now.plus(jobTimeout));
        try {
            run(claimed.get().job(), claimed.get().doneTwin(), hold);
        } finally {
            hold.release();
            if (deadlines.finished()) {
                running.decrementAndGet();
            }
        }
        return true;
    }

    /** The jobs this runner is working on now, whose leases the heartbeat renews. */
    public List<UUID> heldJobs() {
        return held.ids();
    }

    /**
     * Fails every job that has run longer than the time limit with {@code timeout} (not retried: the same input
     * would most likely hang again), interrupts its thread and hands the thread to {@code abandon}, which must not
     * block. Returns the jobs failed.
     */
    public List<Job> expireOverdue(Consumer<Thread> abandon) {
        Instant now = now();
        List<Job> failed = new ArrayList<>();
        for (JobDeadlines.Overrun overrun : deadlines.expire(now, abandon)) {
            running.decrementAndGet();
            held.drop(overrun.job().id());
            JobError error = new JobError(ErrorCode.TIMEOUT, "making the thumbnail took longer than the"
                    + " time limit of " + describe(jobTimeout) + "; it was stopped");
            Optional<Job> timedOut = store.fail(overrun.job().id(), nodeId, error, now);
            timedOut.ifPresent(failed::add);
            log.warn("job {} ran longer than {}{}; its thread {} was interrupted and replaced", overrun.job().id(),
                    describe(jobTimeout), timedOut.isPresent() ? " and failed with timeout" : "",
                    overrun.thread().getName());
        }
        return failed;
    }

    private static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** How many jobs are running on this runner's threads now. */
    public int running() {
        return running.get();
    }

    /** The name this node holds its jobs' leases under. */
    public String nodeId() {
        return nodeId;
    }

    /** {@code doneTwin}: whether the claim saw a done job with the same source and spec. */
    private void run(Job claimed, boolean doneTwin, HeldJobs.Hold hold) {
        // Taken whether or not it is used, so a job done by dedupe does not leave its bytes behind.
        byte[] handedOver = claimed.source().sha256() == null ? null : originals.take(claimed.source().sha256());
        guarded(claimed, () -> process(claimed, doneTwin, handedOver, hold));
    }

    private void process(Job claimed, boolean doneTwin, byte[] handedOver, HeldJobs.Hold hold) {
        Job job = claimed;
        byte[] original = handedOver;
        boolean lookForTwin = doneTwin;
        if (job.source().sha256() == null && job.source().url() != null) {
            Fetched fetched = fetchSource(job);
            if (fetched == null) {
                return;
            }
            job = fetched.job();
            original = fetched.bytes();
            // The claim could not know the hash of bytes fetched only now.
            lookForTwin = true;
        }
        Optional<Job> same = lookForTwin ? store.findDone(job.source().sha256(), job.spec(), job.owner())
                : Optional.empty();
        if (same.isEmpty() || !completeFrom(job, same.get())) {
            make(job, original, hold);
        }
    }

    /**
     * Runs {@code work} for {@code job}; whatever it throws fails or retries the job, never the thread. When even that
     * cannot be recorded (the database fails), the job is left processing: its hold ends with this call, so its lease
     * runs out and it is taken back once the database works again.
     */
    private void guarded(Job job, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException | OutOfMemoryError e) {
            try {
                recordFailure(job, e);
            } catch (StoreException unrecorded) {
                // The store's health has logged the failure once; one line per job at most beyond it.
                log.debug("job {} could not be sent back to the queue ({}); its lease will run out", job.id(),
                        unrecorded.getMessage());
            }
        }
    }

    private void recordFailure(Job job, Throwable e) {
        if (Thread.currentThread().isInterrupted()) {
            // Shutdown gave up waiting (the next start takes the job up again), or the job overran its time
            // limit (already failed): either way the job is no longer this thread's to change.
            log.info("job {} interrupted (shutdown, or over its time limit); left as it is", job.id());
        } else if (e instanceof StoreException se) {
            failOrRetry(job, se.code(), se.getMessage(), STORAGE_BACKOFF);
        } else if (e instanceof ThumbnailException te) {
            failOrRetry(job, te.code(), te.getMessage(), backoff);
        } else {
            log.warn("job {} hit an unexpected error", job.id(), e);
            failOrRetry(job, ErrorCode.INTERNAL, "an unexpected error occurred while making the thumbnail", backoff);
        }
    }

    private void make(Job job, byte[] original, HeldJobs.Hold hold) {
        JobSource s = job.source();
        Thumbnail thumbnail;
        if (s.format() != null && s.width() != null && s.height() != null) {
            SourceInfo known = new SourceInfo(s.format(), s.width(), s.height(), s.bytes(), s.sha256());
            thumbnail = original != null ? pipeline.thumbnail(original, known, job.spec())
                    : pipeline.thumbnail(readBack.read(blobs, s.sha256(), s.bytes()), known, job.spec());
        } else {
            thumbnail = pipeline.thumbnail(original != null ? original : blobs.read(s.sha256()), job.spec());
        }
        HeldJobs.Hold finisherHold = hold.share();
        finishing.execute(() -> {
            try {
                guarded(job, () -> record(job, thumbnail));
            } finally {
                finisherHold.release();
            }
        });
    }

    /** Stores the thumbnail (forced to disk) and marks the job done, if this node still holds it. */
    private void record(Job job, Thumbnail thumbnail) {
        String sha = Sha256.hex(thumbnail.bytes());
        Thumbnail.Fallback fallback = thumbnail.fallback();
        JobResult result = new JobResult(thumbnail.format(), thumbnail.width(), thumbnail.height(),
                thumbnail.bytes().length, sha, fallback == null ? null : new JobResult.Fallback(fallback.format(),
                fallback.bytes().length, Sha256.hex(fallback.bytes())));
        boolean recorded = false;
        try (BlobStore.Pin pin = blobs.pin(sha);
             BlobStore.Pin fallbackPin = fallback == null ? null : blobs.pin(result.fallback().sha256())) {
            blobs.write(sha, thumbnail.bytes());
            if (fallback != null) {
                blobs.write(result.fallback().sha256(), fallback.bytes());
            }
            recorded = store.complete(job.id(), nodeId, result, now()).isPresent();
            if (!recorded) {
                log.warn("job {} finished after its lease was lost (deleted or taken over); result dropped", job.id());
            } else if (job.publication() != null) {
                publish.accept(job.id());
            }
        } finally {
            if (!recorded) {
                result.files().forEach(file -> blobs.deleteIfUnreferenced(file, store::references));
            }
        }
    }

    /**
     * Fetches a URL job's image (on this worker thread), stores it by content like an upload and records its size,
     * format and sha256 on the job, so dedupe and retries work from here on exactly as for uploads.
     */
    private record Fetched(Job job, byte[] bytes) {
    }

    /** The job with its source recorded, and the fetched bytes; null if the job's lease was lost meanwhile. */
    private Fetched fetchSource(Job job) {
        if (urlSources == null) {
            throw new ThumbnailException(ErrorCode.SOURCE_BLOCKED, "this service does not fetch URL sources");
        }
        UrlSourceLoader.Loaded loaded = urlSources.load(job.source().url());
        String sha = loaded.info().sha256();
        JobSource known = new JobSource(job.source().name(), loaded.info().bytes(), loaded.info().format(),
                loaded.info().width(), loaded.info().height(), sha, job.source().url());
        Optional<Job> recorded;
        try (BlobStore.Pin pin = blobs.pin(sha)) {
            blobs.write(sha, loaded.bytes());
            recorded = store.recordSource(job.id(), nodeId, known);
        }
        if (recorded.isEmpty()) {
            log.warn("job {} lost its lease while fetching its source; left to its new holder", job.id());
            blobs.deleteIfUnreferenced(sha, store::references);
            return null;
        }
        return new Fetched(recorded.get(), loaded.bytes());
    }

    /** Dedupe at run time: an identical job of the same owner finished while this one waited in the queue. */
    private boolean completeFrom(Job job, Job done) {
        JobResult result = done.result();
        try (BlobStore.Pin pin = blobs.pin(result.sha256());
             BlobStore.Pin fallbackPin = result.fallback() == null ? null : blobs.pin(result.fallback().sha256())) {
            if (!result.files().stream().allMatch(blobs::exists)) {
                return false;
            }
            if (store.complete(job.id(), nodeId, result, now()).isPresent() && job.publication() != null) {
                publish.accept(job.id());
            }
            return true;
        }
    }

    private void failOrRetry(Job job, ErrorCode code, String message, Backoff wait) {
        JobError error = new JobError(code, message);
        if (code.isTransient() && job.attempts() < maxAttempts) {
            store.retry(job.id(), nodeId, error, now(), wait.delayAfter(job.attempts()));
        } else {
            store.fail(job.id(), nodeId, error, now());
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
