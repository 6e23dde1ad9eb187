package io.thumbnail.internal.store.postgres;

import io.thumbnail.Job;
import io.thumbnail.JobError;
import io.thumbnail.internal.store.JobRows;
import io.thumbnail.internal.store.LeaseClock;
import io.thumbnail.internal.store.StoreCalls;
import io.thumbnail.internal.store.JobLeases;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static io.thumbnail.internal.store.StoreCalls.first;

/**
 * The {@link JobLeases} of {@link PostgresJobStore}: the statements that hold, extend and end leases, and time
 * retries, measured by the database's clock ({@code now()}), so no node's clock skew lets two nodes hold one job, or,
 * for tests that drive time themselves, by the {@code now} each call is given. The claim picks the oldest ready job of
 * the best priority with {@code FOR UPDATE SKIP LOCKED}, so claimers on any number of nodes pass over each other's
 * rows.
 */
final class PostgresLeases implements JobLeases {
    /** The store's clock in SQL: the instant bound to it, or, bound to null, the database's own. */
    static final String CLOCK = "COALESCE(CAST(? AS timestamptz), now())";
    /** A duration bound in milliseconds. */
    private static final String MILLIS = "CAST(? AS bigint) * interval '1 millisecond'";
    /**
     * The head of one priority's queue ({@code rank}, its rank as stored), locked for this claim; other claimers pass
     * over it. Locked apart in a common table expression each, as a locking clause may not sit in a UNION's inputs.
     */
    private static String head(int rank, String rankedAs) {
        return "SELECT seq, " + rankedAs + " AS queue_rank FROM jobs WHERE status = 'QUEUED' AND priority = " + rank
                + " AND run_after <= " + CLOCK + " ORDER BY seq LIMIT 1 FOR UPDATE SKIP LOCKED";
    }

    /**
     * Claims the head of the best-ranked queue: high (0), then normal (1) with the low head ranked as normal once it
     * was created at least the aging time ago, then low (2); the oldest among equal ranks. Each head comes from the
     * queued-by-priority index, so a claim reads a few rows however long the queue.
     */
    private static final String CLAIM = "WITH high AS (" + head(0, "0") + "), normal AS (" + head(1, "1") + "),"
            + " low AS (" + head(2, "CASE WHEN created_at <= " + CLOCK + " - " + MILLIS + " THEN 1 ELSE 2 END") + ")"
            + " UPDATE jobs SET status = 'PROCESSING', attempts = attempts + 1,"
            + " started_at = ?, lease_owner = ?, lease_until = " + CLOCK + " + " + MILLIS
            + " WHERE seq = (SELECT seq FROM (SELECT * FROM high UNION ALL SELECT * FROM normal UNION ALL"
            + " SELECT * FROM low) heads ORDER BY queue_rank, seq LIMIT 1) AND status = 'QUEUED'"
            + " RETURNING *, EXISTS (SELECT 1 FROM jobs twin WHERE twin.source_sha256 = jobs.source_sha256"
            + " AND twin.spec = jobs.spec AND twin.status = 'DONE' AND twin.owner IS NOT DISTINCT FROM jobs.owner)"
            + " AS done_twin";
    /**
     * Claims the claimed job's siblings ({@link JobLeases#claimSiblings}): within {@code limit} places of it in its
     * batch (the batch index's range), of its source ({@code %s}: its sha256, or its URL while not fetched), not of its
     * spec, ready by the store's clock; locked with {@code FOR UPDATE SKIP LOCKED} so that a row another claimer holds
     * is passed over rather than waited for or claimed twice. Their priority is not looked at: they share the first's
     * decode, so they run with it whatever their own.
     */
    private static final String CLAIM_SIBLINGS = "WITH claimed AS (SELECT seq, spec FROM jobs WHERE id = ?),"
            + " siblings AS (SELECT jobs.seq FROM jobs, claimed WHERE jobs.batch_id = ?"
            + " AND jobs.seq BETWEEN claimed.seq - ? AND claimed.seq + ? AND jobs.status = 'QUEUED'"
            + " AND jobs.run_after <= " + CLOCK + " AND jobs.spec <> claimed.spec AND %s"
            + " ORDER BY jobs.seq LIMIT ? FOR UPDATE OF jobs SKIP LOCKED)"
            + " UPDATE jobs SET status = 'PROCESSING', attempts = attempts + 1,"
            + " started_at = ?, lease_owner = ?, lease_until = " + CLOCK + " + " + MILLIS
            + " WHERE seq IN (SELECT seq FROM siblings) AND status = 'QUEUED'"
            + " RETURNING *, EXISTS (SELECT 1 FROM jobs twin WHERE twin.source_sha256 = jobs.source_sha256"
            + " AND twin.spec = jobs.spec AND twin.status = 'DONE' AND twin.owner IS NOT DISTINCT FROM jobs.owner)"
            + " AS done_twin";

    private final DatabaseCalls calls;
    private final boolean databaseClock;

    /**
     * The clock of the statements both stores share (webhook claims and retries, publication leases), measured as job
     * leases are: by the database's clock, or by the {@code now} calls give.
     */
    static LeaseClock leaseClock(boolean databaseClock) {
        return new LeaseClock(CLOCK, CLOCK + " + " + MILLIS, databaseClock,
                "CAST(EXTRACT(EPOCH FROM (%s - " + CLOCK + ")) * 1000 AS bigint)");
    }

    PostgresLeases(DatabaseCalls calls, boolean databaseClock) {
        this.calls = calls;
        this.databaseClock = databaseClock;
    }

    @Override
    public Optional<Claim> claimNext(String nodeId, Instant now, Duration lease, Duration priorityAging) {
        boolean[] doneTwin = {false};
        boolean[] suspect = {false};
        List<Job> claimed = calls.write(c -> Sql.query(c, CLAIM, rs -> {
            List<Job> jobs = new ArrayList<>(1);
            while (rs.next()) {
                jobs.add(JobRows.read(rs, Sql.CELLS));
                doneTwin[0] = rs.getBoolean("done_twin");
                suspect[0] = rs.getBoolean("suspect");
            }
            return jobs;
        }, clock(now), clock(now), clock(now), priorityAging.toMillis(), clock(now), now, nodeId, clock(now),
                lease.toMillis()));
        return claimed.stream().findFirst().map(job -> new Claim(job, doneTwin[0], suspect[0]));
    }

    @Override
    public List<Claim> claimSiblings(Job claimed, String nodeId, Instant now, Duration lease, int limit) {
        if (claimed.batchId() == null || limit < 1) {
            return List.of();
        }
        String sha = claimed.source().sha256();
        String sameSource = sha != null ? "jobs.source_sha256 = ?"
                : "jobs.source_sha256 IS NULL AND jobs.source_url = ?";
        String source = sha != null ? sha : String.valueOf(claimed.source().url());
        List<Sibling> claims = new ArrayList<>();
        calls.write(c -> Sql.query(c, String.format(CLAIM_SIBLINGS, sameSource), rs -> {
            List<Job> jobs = new ArrayList<>();
            while (rs.next()) {
                Job job = JobRows.read(rs, Sql.CELLS);
                jobs.add(job);
                claims.add(new Sibling(rs.getLong("seq"), new Claim(job, rs.getBoolean("done_twin"),
                        rs.getBoolean("suspect"))));
            }
            return jobs;
        }, claimed.id(), claimed.batchId(), (long) limit, (long) limit, clock(now), source, limit, now, nodeId,
                clock(now), lease.toMillis()));
        // RETURNING promises no order: the claims go back in the order their jobs were submitted.
        claims.sort(Comparator.comparingLong(Sibling::seq));
        return claims.stream().map(Sibling::claim).toList();
    }

    private record Sibling(long seq, Claim claim) {
    }

    @Override
    public int extendLeases(String nodeId, Collection<UUID> ids, Instant now, Duration lease) {
        if (ids.isEmpty()) {
            return 0;
        }
        int[] extended = {0};
        calls.write(c -> {
            extended[0] = Sql.update(c, "UPDATE jobs SET lease_until = " + CLOCK + " + " + MILLIS
                            + " WHERE status = 'PROCESSING' AND lease_owner = ? AND id = ANY(?)",
                    clock(now), lease.toMillis(), nodeId, Sql.uuids(c, ids));
            return List.of();
        });
        return extended[0];
    }

    @Override
    public Optional<Job> retry(UUID id, String nodeId, JobError error, Instant now, Duration delay,
                               boolean countAttempt) {
        return first(calls.write(c -> Sql.jobs(c, "UPDATE jobs SET status = 'QUEUED', error_code = ?, error_message = ?,"
                        + " run_after = " + CLOCK + " + " + MILLIS + ", lease_owner = NULL, lease_until = NULL,"
                        + " attempts = attempts - ? WHERE id = ? AND status = 'PROCESSING' AND lease_owner = ?"
                        + " RETURNING *", error.code().id(), error.message(), clock(now), delay.toMillis(),
                countAttempt ? 0 : 1, id, nodeId)));
    }

    @Override
    public int runStorageRetriesNow(Instant now) {
        // Not a change of state to tell listeners of: the jobs stay queued.
        return calls.unreported(c -> Sql.update(c, "UPDATE jobs SET run_after = " + CLOCK + " WHERE status = 'QUEUED'"
                + " AND error_code = 'io_error' AND run_after > " + CLOCK, clock(now), clock(now)), false);
    }

    @Override
    public List<Job> reapExpired(Instant now, int maxAttempts, JobError error, boolean crashed,
                                 Collection<UUID> stillRunning) {
        return reap("lease_until < " + CLOCK, clock(now), now, maxAttempts, error, crashed, stillRunning);
    }

    /** The jobs {@code nodeId} held, whatever their lease: only its own, since other nodes share the database. */
    @Override
    public List<Job> releaseLeases(String nodeId, Instant now, int maxAttempts, JobError error) {
        return reap("lease_owner = ?", nodeId, now, maxAttempts, error, true, List.of());
    }

    /**
     * Fails, or queues again (marked as {@link #reapExpired} says), the jobs in processing that {@code held} (with its
     * one argument) selects.
     */
    private List<Job> reap(String held, Object heldArg, Instant now, int maxAttempts, JobError error,
                           boolean crashed, Collection<UUID> stillRunning) {
        return calls.transaction(c -> {
            List<Job> changed = new ArrayList<>(Sql.jobs(c, "UPDATE jobs SET status = 'FAILED', error_code = ?,"
                            + " error_message = ?, finished_at = ?, lease_owner = NULL, lease_until = NULL"
                            + " WHERE status = 'PROCESSING' AND " + held + " AND attempts >= ? AND CAST(? AS boolean)"
                            + " RETURNING *",
                    error.code().id(), error.message(), now, heldArg, maxAttempts, crashed));
            changed.addAll(Sql.jobs(c, "UPDATE jobs SET status = 'QUEUED', run_after = " + CLOCK + ","
                    + " lease_owner = NULL, lease_until = NULL, error_code = NULL, error_message = NULL,"
                    + " attempts = CASE WHEN CAST(? AS boolean) THEN attempts ELSE GREATEST(attempts - 1, 0) END,"
                    + " suspect = suspect OR (CAST(? AS boolean) AND NOT id = ANY(?))"
                    + " WHERE status = 'PROCESSING' AND " + held + " RETURNING *", clock(now), crashed, crashed,
                    Sql.uuids(c, stillRunning), heldArg));
            return changed;
        }, false);
    }

    /** The store's clock for a statement: null (the database's) or the caller's {@code now}. */
    private StoreCalls.Moment clock(Instant now) {
        return new StoreCalls.Moment(databaseClock ? null : now);
    }
}
