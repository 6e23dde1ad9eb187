package io.thumbnail.internal.store;

import io.thumbnail.Job;
import io.thumbnail.JobError;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * How a {@link JobStore}'s jobs are held: claimed by a node under a lease its heartbeat extends, put back to wait for
 * a retry, and taken back when the lease ends. Each store runs them through an object of its own
 * ({@link JobStore#leases()}); the store hands every call on. Throws as the store does.
 */
public interface JobLeases {

    /**
     * A job just claimed, and whether a done job of the same owner with the same source and spec existed at that
     * moment, so the worker looks the twin up only when there is one (dedupe at run time) instead of asking for every
     * job; {@code suspect}: the job was taken back because the process running it died ({@link #releaseLeases},
     * {@link #reapExpired}), so it may be what killed it, and the node that claimed it runs it alone.
     */
    record Claim(Job job, boolean doneTwin, boolean suspect) {
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

    /**
     * Puts a job back in the queue, not to be claimed until {@code delay} has passed, if {@code nodeId} still holds it.
     * {@code countAttempt} false: the start this ends is not one of its attempts (a store failed, not the job).
     *
     * <p>A crash suspect stays one: a transient failure of its own (a fetch, a store) may come before its decode ever
     * ran, so it says nothing of whether the image kills its process, and running it alone once more costs little.
     * The mark goes only with the job's end, done or failed: a job that ended is never claimed again.
     */
    Optional<Job> retry(UUID id, String nodeId, JobError error, Instant now, Duration delay, boolean countAttempt);

    /**
     * Lets the queued jobs waiting out a failure of storage ({@code io_error}: queued again to wait ten seconds, then
     * twice as long after each further failure, up to an hour) run from {@code now}: the stores work again, and a
     * wait grown long during the outage would hold them long after it. Returns how many.
     */
    int runStorageRetriesNow(Instant now);

    /**
     * Takes back jobs whose lease has ended (their node died or hung): they are queued again (without the error of an
     * earlier attempt: it is not why they are), or failed with {@code error} once they have been started
     * {@code maxAttempts} times. Returns the changed jobs.
     *
     * <p>{@code crashed} true: those queued again are marked crash suspects ({@link Claim#suspect}), in the same
     * statement, except those among {@code stillRunning} (jobs a worker of the calling node is still at: their lease
     * ran out because the heartbeat could not write, not because their process died). {@code crashed} false: none is
     * marked, none is failed, and each gets back the attempt its start counted (the leases ran out while no node could
     * renew one or record how the job went: an outage, which costs a job no attempt). A job marked before keeps its
     * mark either way.
     */
    List<Job> reapExpired(Instant now, int maxAttempts, JobError error, boolean crashed,
                          Collection<UUID> stillRunning);

    /**
     * As {@link #reapExpired}, at a node's start, for the jobs {@code nodeId} held whatever their lease: a node that
     * starts holds nothing yet, so what it held belongs to its earlier life, which died; those queued again are marked
     * crash suspects. Other nodes' jobs are left to their own leases. A store only one node can use at a time (SQLite,
     * under the data directory's lock) takes back every job in processing: whoever held them was an earlier life of
     * this node.
     */
    List<Job> releaseLeases(String nodeId, Instant now, int maxAttempts, JobError error);
}
