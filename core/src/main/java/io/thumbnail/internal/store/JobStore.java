package io.thumbnail.internal.store;

import io.thumbnail.Batch;
import io.thumbnail.Job;
import io.thumbnail.JobSource;
import io.thumbnail.Publication;
import io.thumbnail.JobError;
import io.thumbnail.JobQuery;
import io.thumbnail.JobResult;
import io.thumbnail.JobStatus;
import io.thumbnail.Page;
import io.thumbnail.ThumbnailSpec;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Where jobs live. Every state change is one conditional statement, so several workers (or, with a shared database,
 * several nodes) can never both hold a job. Implementations report each committed change, in commit order, to the
 * listener they were built with. Every method throws {@link io.thumbnail.ThumbnailException} ({@code io_error})
 * when the database fails.
 */
public interface JobStore extends AutoCloseable {

    /** A batch row before its items exist. */
    record NewBatch(UUID id, int total, Instant createdAt, String owner) {
    }

    /**
     * Inserts jobs (and the batch, if any) in one transaction. Refuses with {@code queue_full}, inserting nothing, if
     * the queued jobs among them would push the number of queued jobs over {@code queueCapacity}.
     */
    void insert(NewBatch batch, List<Job> jobs, int queueCapacity);

    /**
     * A job just claimed, and whether a done job with the same source and spec existed at that moment, so the worker
     * looks the twin up only when there is one (dedupe at run time) instead of asking for every job.
     */
    record Claim(Job job, boolean doneTwin) {
    }

    /** Claims the oldest queued job whose retry time has come, for {@code owner} until {@code leaseUntil}. */
    Optional<Claim> claimNext(String owner, Instant now, Instant leaseUntil);

    /** As {@link #claimNext}, the job alone. */
    default Optional<Job> claim(String owner, Instant now, Instant leaseUntil) {
        return claimNext(owner, now, leaseUntil).map(Claim::job);
    }

    /** Extends the lease of every job {@code owner} is processing; returns how many. */
    int extendLeases(String owner, Instant leaseUntil);

    /** Marks a job done, if {@code owner} still holds it. */
    Optional<Job> complete(UUID id, String owner, JobResult result, Instant now);

    /** Puts a job back in the queue, not to be claimed before {@code runAfter}, if {@code owner} still holds it. */
    Optional<Job> retry(UUID id, String owner, JobError error, Instant runAfter);

    /** Marks a job failed, if {@code owner} still holds it. */
    Optional<Job> fail(UUID id, String owner, JobError error, Instant now);

    /**
     * Takes back jobs whose lease ended before {@code now} (their owner died or hung): they are queued again, or failed
     * with {@code error} once they have been started {@code maxAttempts} times. Returns the changed jobs.
     */
    List<Job> reapExpired(Instant now, int maxAttempts, JobError error);

    /**
     * As {@link #reapExpired}, for every job in processing whatever its lease: on start, when this process holds the
     * data directory's lock, every such job belongs to a process that died.
     */
    List<Job> releaseAll(Instant now, int maxAttempts, JobError error);

    /**
     * Records what a worker learned about a job's source (a fetched URL: size, format, sha256), if {@code owner}
     * still holds the job.
     */
    Optional<Job> recordSource(UUID id, String owner, JobSource source);

    /** Records how publishing a done job's thumbnail went; the job's status does not change. */
    Optional<Job> recordPublication(UUID id, Publication publication);

    /** Any done job with this source and spec (dedupe). */
    Optional<Job> findDone(String sourceSha256, ThumbnailSpec spec);

    Optional<Job> get(UUID id);

    Page<Job> list(JobQuery query);

    Optional<Batch> batch(UUID id);

    /** Deletes a job row; returns it as it was. */
    Optional<Job> delete(UUID id);

    /** Deletes up to {@code limit} finished jobs that finished before {@code cutoff}, and batches left empty. */
    List<Job> deleteFinishedBefore(Instant cutoff, int limit);

    /** Whether any job names this sha256 as its source, its result or its result's fallback. */
    boolean references(String sha256);

    /** Every sha256 some job names as source, result or fallback (a snapshot; confirm with {@link #references}). */
    Set<String> referencedHashes();

    long count(JobStatus status);

    /** Whether a trivial query succeeds. */
    boolean ping();

    @Override
    void close();
}
