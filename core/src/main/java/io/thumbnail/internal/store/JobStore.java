package io.thumbnail.internal.store;

import io.thumbnail.Batch;
import io.thumbnail.Callback;
import io.thumbnail.Job;
import io.thumbnail.JobError;
import io.thumbnail.JobQuery;
import io.thumbnail.JobResult;
import io.thumbnail.JobSource;
import io.thumbnail.JobStatus;
import io.thumbnail.Page;
import io.thumbnail.Publication;
import io.thumbnail.ThumbnailSpec;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Where jobs live. Every state change is one conditional statement, so several workers (or, with a shared database,
 * several nodes) can never both hold a job. Implementations report each committed change, in commit order, to the
 * listener they were built with. Every method throws {@link io.thumbnail.internal.health.StoreException}
 * ({@code io_error}) when the database fails, and tells the store's health of it.
 *
 * <p>A claimed job is held by a node, named by its {@code nodeId}, under a lease the node's heartbeat extends; only
 * its holder may move it on. (A job's {@code owner} is something else: the API key it was submitted under.)
 *
 * <p>Time: {@code now} is the calling node's clock, recorded as the job's timestamps (created, started, finished).
 * Leases and retry delays are durations, measured by the store: the SQLite store measures them from {@code now}; a
 * store shared by several nodes may measure them by its database's clock, so that no node's clock skew lets two nodes
 * hold one job.
 *
 * <p>A store answers its {@link JobReads reads} and holds its {@link JobLeases leases} through objects of its own,
 * {@link #reads()} and {@link #leases()}; the methods of both are handed to them here, once for every store.
 */
public interface JobStore extends JobReads, JobLeases, AutoCloseable {

    /** A batch row before its items exist; {@code callback} is its pending webhook, or null. */
    record NewBatch(UUID id, int total, Instant createdAt, String owner, Callback callback) {
        public NewBatch(UUID id, int total, Instant createdAt, String owner) {
            this(id, total, createdAt, owner, null);
        }
    }

    /** What a webhook is about: a job ({@code job.done}, {@code job.failed}) or a whole batch ({@code batch.done}). */
    record CallbackSubject(UUID id, boolean isBatch) {
        public static CallbackSubject job(UUID id) {
            return new CallbackSubject(id, false);
        }

        public static CallbackSubject batch(UUID id) {
            return new CallbackSubject(id, true);
        }
    }

    /** A pending webhook and how long until its next try is due (zero: now). */
    record PendingCallback(CallbackSubject subject, Duration dueIn) {
    }

    /**
     * How many jobs may wait in the queue: {@code capacity} in all, and {@code perOwner} of any one owner (jobs
     * without an owner count against the capacity only).
     */
    record QueueLimits(int capacity, int perOwner) {
        public QueueLimits {
            if (capacity < 1 || perOwner < 1 || perOwner > capacity) {
                throw new IllegalArgumentException("queue limits need 1 <= perOwner <= capacity (capacity "
                        + capacity + ", perOwner " + perOwner + ")");
            }
        }
    }

    /**
     * Inserts jobs (and the batch, if any) in one transaction, durably: they survive a loss of power once this
     * returns. Refuses with {@code queue_full}, inserting nothing, if the queued jobs among them would push the number
     * of queued jobs over the capacity, or an owner's queued jobs over its share.
     */
    void insert(NewBatch batch, List<Job> jobs, QueueLimits limits);

    /** Marks a job done, if {@code nodeId} still holds it. */
    Optional<Job> complete(UUID id, String nodeId, JobResult result, Instant now);

    /** Marks a job failed, if {@code nodeId} still holds it. */
    Optional<Job> fail(UUID id, String nodeId, JobError error, Instant now);

    /**
     * Records what a worker learned about a job's source (a fetched URL: size, format, sha256), if {@code nodeId}
     * still holds the job.
     */
    Optional<Job> recordSource(UUID id, String nodeId, JobSource source);

    /**
     * Records how publishing a done job's thumbnail went, and lets go of the publication's lease, if no outcome is
     * recorded yet and no node other than {@code nodeId} holds the lease; empty otherwise. The job's status does not
     * change.
     */
    Optional<Job> recordPublication(UUID id, String nodeId, Publication publication);

    /** Which node publishes each done job's thumbnail: the leases on pending publications. */
    PublicationLeases publications();

    /** The webhook callbacks kept on the jobs' and batches' rows: their claims, tries and pending ones. */
    CallbackStore callbacks();

    /** Deletes a job row, durably; returns it as it was. */
    Optional<Job> delete(UUID id);

    /**
     * Deletes, durably, up to {@code limit} finished jobs that finished before {@code cutoff}, and batches left empty.
     */
    List<Job> deleteFinishedBefore(Instant cutoff, int limit);

    /** How many random bytes a {@link #secret} has. */
    int SECRET_BYTES = 32;

    /**
     * The random secret named {@code name} ({@value #SECRET_BYTES} bytes from a {@link java.security.SecureRandom}),
     * made and stored durably the first time it is asked for. Every later call returns the same bytes, on every node
     * sharing the store and after every restart: the first insert wins (insert if absent, then read), so nodes
     * asking at the same moment agree. {@code now} is recorded as the secret's creation time.
     */
    byte[] secret(String name, Instant now);

    /** Makes a small write, so that a store whose writes failed finds out whether they work again. */
    void probeWrite();

    /**
     * What a store shared by several nodes tells this node of the others' commits, so that waits, listeners and idle
     * workers here learn of them within milliseconds rather than at their next look.
     */
    interface RemoteChanges {
        /** A job another node finished (done or failed), as committed. */
        void finished(Job job);

        /** Another node queued jobs (a submit, a batch, jobs taken back from a dead node): idle workers should look. */
        void queued();

        /** The jobs someone here waits for: after missing notifications (a lost connection), they are read again. */
        Set<UUID> awaited();
    }

    /**
     * Starts telling {@code remote} of the changes other nodes commit. A store only this node uses has none to tell:
     * the default does nothing.
     */
    default void listen(RemoteChanges remote) {
    }

    /**
     * Whether this node should run the janitor now. A store only this node uses: always. A store shared by several
     * nodes lets one of them at a time (PostgreSQL: the node holding a lock that the database drops with the node's
     * connection, so a node that dies hands it on).
     */
    default boolean leadsJanitor() {
        return true;
    }

    /** What the store answers without changing anything; every method of {@link JobReads} is handed to it. */
    JobReads reads();

    /** How the store claims jobs and keeps their leases; every method of {@link JobLeases} is handed to it. */
    JobLeases leases();

    @Override
    default Optional<Job> findDone(String sourceSha256, ThumbnailSpec spec, String owner) {
        return reads().findDone(sourceSha256, spec, owner);
    }

    @Override
    default Optional<Job> get(UUID id) {
        return reads().get(id);
    }

    @Override
    default Page<Job> list(JobQuery query) {
        return reads().list(query);
    }

    @Override
    default Optional<Batch> batch(UUID id) {
        return reads().batch(id);
    }

    @Override
    default boolean references(String sha256) {
        return reads().references(sha256);
    }

    @Override
    default Set<String> referencedHashes() {
        return reads().referencedHashes();
    }

    @Override
    default long count(JobStatus status) {
        return reads().count(status);
    }

    @Override
    default long suspects() {
        return reads().suspects();
    }

    @Override
    default boolean ping() {
        return reads().ping();
    }

    @Override
    default List<String> integrityProblems() {
        return reads().integrityProblems();
    }

    @Override
    default Optional<Claim> claimNext(String nodeId, Instant now, Duration lease, Duration priorityAging) {
        return leases().claimNext(nodeId, now, lease, priorityAging);
    }

    @Override
    default List<Claim> claimSiblings(Job claimed, String nodeId, Instant now, Duration lease, int limit) {
        return leases().claimSiblings(claimed, nodeId, now, lease, limit);
    }

    @Override
    default int extendLeases(String nodeId, Collection<UUID> ids, Instant now, Duration lease) {
        return leases().extendLeases(nodeId, ids, now, lease);
    }

    @Override
    default Optional<Job> retry(UUID id, String nodeId, JobError error, Instant now, Duration delay,
                                boolean countAttempt) {
        return leases().retry(id, nodeId, error, now, delay, countAttempt);
    }

    @Override
    default int runStorageRetriesNow(Instant now) {
        return leases().runStorageRetriesNow(now);
    }

    /** A retry of a job whose start counts among its attempts (its own failure). */
    default Optional<Job> retry(UUID id, String nodeId, JobError error, Instant now, Duration delay) {
        return retry(id, nodeId, error, now, delay, true);
    }

    @Override
    default List<Job> reapExpired(Instant now, int maxAttempts, JobError error, boolean crashed,
                                  Collection<UUID> stillRunning) {
        return leases().reapExpired(now, maxAttempts, error, crashed, stillRunning);
    }

    @Override
    default List<Job> releaseLeases(String nodeId, Instant now, int maxAttempts, JobError error) {
        return leases().releaseLeases(nodeId, now, maxAttempts, error);
    }

    @Override
    void close();
}
