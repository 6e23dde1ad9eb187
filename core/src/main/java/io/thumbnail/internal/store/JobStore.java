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
 */
public interface JobStore extends AutoCloseable {

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

    /** A pending webhook and when its next try is due (null: now). */
    record PendingCallback(CallbackSubject subject, Instant due) {
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

    /**
     * A job just claimed, and whether a done job of the same owner with the same source and spec existed at that
     * moment, so the worker looks the twin up only when there is one (dedupe at run time) instead of asking for every
     * job.
     */
    record Claim(Job job, boolean doneTwin) {
    }

    /**
     * Claims the next queued job whose retry time has come, for {@code nodeId}, under a lease of {@code lease}: the
     * oldest of the highest {@link io.thumbnail.Priority priority}, where a low job queued for {@code priorityAging}
     * or longer counts as normal. Two callers never get the same job (SQLite: one conditional update; PostgreSQL:
     * {@code FOR UPDATE SKIP LOCKED}).
     */
    Optional<Claim> claimNext(String nodeId, Instant now, Duration lease, Duration priorityAging);

    /**
     * Claims for {@code nodeId}, under a lease of {@code lease}, up to {@code limit} more queued jobs whose retry time
     * has come that share {@code claimed}'s batch and source (its sha256; for a URL not fetched yet, its URL), not its
     * spec, and were inserted within {@code limit} places of it: the other renditions of one image, which the intake
     * inserts one after another and a worker then makes from one decode. (A job with the claimed one's very spec is
     * left queued: once the claimed one is done it is done by dedupe, without a thumbnail of its own.) Their priority
     * is not looked at: they share the first's decode, so they run with it whatever their own. In submission order;
     * none when {@code claimed} has no batch. Atomic like {@link #claimNext}: no job is claimed by two callers (SQLite:
     * one conditional update; PostgreSQL: {@code FOR UPDATE SKIP LOCKED} in the sub-select).
     */
    List<Claim> claimSiblings(Job claimed, String nodeId, Instant now, Duration lease, int limit);

    /**
     * Extends to {@code lease} from now the leases of the jobs among {@code ids} that {@code nodeId} is processing;
     * returns how many. Only the jobs a worker is running now: one whose worker gave up on it (its last write failed)
     * must run out of lease, so that it is taken back.
     */
    int extendLeases(String nodeId, Collection<UUID> ids, Instant now, Duration lease);

    /** Marks a job done, if {@code nodeId} still holds it. */
    Optional<Job> complete(UUID id, String nodeId, JobResult result, Instant now);

    /**
     * Puts a job back in the queue, not to be claimed until {@code delay} has passed, if {@code nodeId} still holds it.
     */
    Optional<Job> retry(UUID id, String nodeId, JobError error, Instant now, Duration delay);

    /** Marks a job failed, if {@code nodeId} still holds it. */
    Optional<Job> fail(UUID id, String nodeId, JobError error, Instant now);

    /**
     * Takes back jobs whose lease has ended (their node died or hung): they are queued again, or failed with
     * {@code error} once they have been started {@code maxAttempts} times. Returns the changed jobs.
     */
    List<Job> reapExpired(Instant now, int maxAttempts, JobError error);

    /**
     * As {@link #reapExpired}, at a node's start, for the jobs {@code nodeId} held whatever their lease: a node that
     * starts holds nothing yet, so what it held belongs to its earlier life, which died. Other nodes' jobs are left to
     * their own leases. A store only one node can use at a time (SQLite, under the data directory's lock) takes back
     * every job in processing: whoever held them was an earlier life of this node.
     */
    List<Job> releaseLeases(String nodeId, Instant now, int maxAttempts, JobError error);

    /**
     * Records what a worker learned about a job's source (a fetched URL: size, format, sha256), if {@code nodeId}
     * still holds the job.
     */
    Optional<Job> recordSource(UUID id, String nodeId, JobSource source);

    /** Records how publishing a done job's thumbnail went; the job's status does not change. */
    Optional<Job> recordPublication(UUID id, Publication publication);

    /**
     * The done jobs whose publication is still pending (neither published nor failed): at a node's start, those a
     * crash or a shutdown cut short. (A store shared by several nodes should hand each to one node.)
     */
    List<UUID> pendingPublications();

    /** The webhook callbacks kept on the jobs' and batches' rows: their claims, tries and pending ones. */
    CallbackStore callbacks();

    /**
     * Any done job of {@code owner} (null: jobs without an owner) with this source and spec (dedupe). Never another
     * owner's: whether a job is born done must not tell one owner what another has sent.
     */
    Optional<Job> findDone(String sourceSha256, ThumbnailSpec spec, String owner);

    Optional<Job> get(UUID id);

    Page<Job> list(JobQuery query);

    Optional<Batch> batch(UUID id);

    /** Deletes a job row, durably; returns it as it was. */
    Optional<Job> delete(UUID id);

    /**
     * Deletes, durably, up to {@code limit} finished jobs that finished before {@code cutoff}, and batches left empty.
     */
    List<Job> deleteFinishedBefore(Instant cutoff, int limit);

    /** Whether any job names this sha256 as its source, its result or its result's fallback. */
    boolean references(String sha256);

    /** Every sha256 some job names as source, result or fallback (a snapshot; confirm with {@link #references}). */
    Set<String> referencedHashes();

    long count(JobStatus status);

    /** How many random bytes a {@link #secret} has. */
    int SECRET_BYTES = 32;

    /**
     * The random secret named {@code name} ({@value #SECRET_BYTES} bytes from a {@link java.security.SecureRandom}),
     * made and stored durably the first time it is asked for. Every later call returns the same bytes, on every node
     * sharing the store and after every restart: the first insert wins (insert if absent, then read), so nodes
     * asking at the same moment agree. {@code now} is recorded as the secret's creation time.
     */
    byte[] secret(String name, Instant now);

    /** Whether a trivial query succeeds. */
    boolean ping();

    /** Makes a small write, so that a store whose writes failed finds out whether they work again. */
    void probeWrite();

    /**
     * Checks the database's structure (SQLite's {@code quick_check}); returns the problems found, none if intact. A
     * database server that checks its own pages may return none.
     */
    List<String> integrityProblems();

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

    @Override
    void close();
}
