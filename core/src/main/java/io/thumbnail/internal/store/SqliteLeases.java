package io.thumbnail.internal.store;

import io.thumbnail.Job;
import io.thumbnail.JobError;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.thumbnail.internal.store.StoreCalls.first;

/**
 * The {@link JobLeases} of {@link SqliteJobStore}: leases and retry times measured from the {@code now} each call is
 * given. Each claim is one conditional {@code UPDATE ... RETURNING} on the single writer, so two claimers never get
 * the same job without a read-then-write transaction; siblings are claimed by {@link SqliteSiblingClaim}.
 */
final class SqliteLeases implements JobLeases {
    private static final String CLAIM = "UPDATE jobs SET status = 'PROCESSING', attempts = attempts + 1,"
            + " started_at = ?, lease_owner = ?, lease_until = ?"
            + " WHERE seq = (" + JobStatements.NEXT_QUEUED + ")"
            + " AND status = 'QUEUED' RETURNING *, EXISTS (SELECT 1 FROM jobs done WHERE"
            + " done.source_sha256 = jobs.source_sha256 AND done.spec = jobs.spec AND done.status = 'DONE'"
            + " AND done.owner IS jobs.owner) AS done_twin";

    private final SqliteCalls calls;

    SqliteLeases(SqliteCalls calls) {
        this.calls = calls;
    }

    @Override
    public Optional<Claim> claimNext(String nodeId, Instant now, Duration lease, Duration priorityAging) {
        boolean[] doneTwin = {false};
        boolean[] suspect = {false};
        Optional<Job> claimed = first(calls.change(c -> {
            return calls.jdbc().query(c, CLAIM, rs -> {
                List<Job> jobs = new ArrayList<>(1);
                while (rs.next()) {
                    jobs.add(JobRows.read(rs));
                    doneTwin[0] = rs.getBoolean("done_twin");
                    suspect[0] = rs.getBoolean("suspect");
                }
                return jobs;
            }, now.toEpochMilli(), nodeId, now.plus(lease).toEpochMilli(), now.toEpochMilli(), now.toEpochMilli(),
                    now.minus(priorityAging).toEpochMilli(), now.toEpochMilli());
        }));
        return claimed.map(job -> new Claim(job, doneTwin[0], suspect[0]));
    }

    @Override
    public List<Claim> claimSiblings(Job claimed, String nodeId, Instant now, Duration lease, int limit) {
        return SqliteSiblingClaim.claim(calls, claimed, nodeId, now, lease, limit);
    }

    @Override
    public int extendLeases(String nodeId, Collection<UUID> ids, Instant now, Duration lease) {
        if (ids.isEmpty()) {
            return 0;
        }
        // One statement whatever the number of jobs: the ids travel as one JSON array.
        String json = jsonArray(ids);
        int[] extended = {0};
        calls.change(c -> {
            extended[0] = calls.jdbc().update(c, "UPDATE jobs SET lease_until = ? WHERE status = 'PROCESSING'"
                    + " AND lease_owner = ? AND id IN (SELECT value FROM json_each(?))",
                    now.plus(lease).toEpochMilli(), nodeId, json);
            return List.of();
        });
        return extended[0];
    }

    @Override
    public Optional<Job> retry(UUID id, String nodeId, JobError error, Instant now, Duration delay,
                               boolean countAttempt) {
        return first(calls.change(c -> calls.jdbc().jobs(c, "UPDATE jobs SET status = 'QUEUED', error_code = ?,"
                        + " error_message = ?, run_after = ?, lease_owner = NULL, lease_until = NULL,"
                        + " attempts = attempts - ? WHERE id = ? AND status = 'PROCESSING' AND lease_owner = ?"
                        + " RETURNING *", error.code().id(), error.message(), now.plus(delay).toEpochMilli(),
                countAttempt ? 0 : 1, id.toString(), nodeId)));
    }

    @Override
    public int runStorageRetriesNow(Instant now) {
        long millis = now.toEpochMilli();
        // Not a change of state to tell listeners of: the jobs stay queued.
        return calls.unreported(c -> calls.jdbc().update(c, "UPDATE jobs SET run_after = ? WHERE status = 'QUEUED'"
                + " AND error_code = 'io_error' AND run_after > ?", millis, millis), false);
    }

    @Override
    public List<Job> reapExpired(Instant now, int maxAttempts, JobError error, boolean crashed,
                                 Collection<UUID> stillRunning) {
        return reap(now.toEpochMilli(), now, maxAttempts, error, crashed, stillRunning);
    }

    /**
     * Every job in processing, whoever held it: only one node at a time uses a SQLite store (the data directory's
     * lock), so each was held by an earlier life of this one.
     */
    @Override
    public List<Job> releaseLeases(String nodeId, Instant now, int maxAttempts, JobError error) {
        return reap(Long.MAX_VALUE, now, maxAttempts, error, true, List.of());
    }

    /** Fails, or queues again (marked as {@link #reapExpired} says), the jobs whose lease ends before the cutoff. */
    private List<Job> reap(long leaseCutoff, Instant now, int maxAttempts, JobError error, boolean crashed,
                           Collection<UUID> stillRunning) {
        long nowMillis = now.toEpochMilli();
        Jdbc jdbc = calls.jdbc();
        return calls.write(c -> {
            List<Job> changed = new ArrayList<>(jdbc.jobs(c, "UPDATE jobs SET status = 'FAILED', error_code = ?,"
                            + " error_message = ?, finished_at = ?, lease_owner = NULL, lease_until = NULL"
                            + " WHERE status = 'PROCESSING' AND lease_until < ? AND attempts >= ? AND ? RETURNING *",
                    error.code().id(), error.message(), nowMillis, leaseCutoff, maxAttempts, crashed));
            changed.addAll(jdbc.jobs(c, "UPDATE jobs SET status = 'QUEUED', run_after = ?, lease_owner = NULL,"
                            + " lease_until = NULL, error_code = NULL, error_message = NULL,"
                            + " attempts = CASE WHEN ? THEN attempts ELSE MAX(attempts - 1, 0) END,"
                            + " suspect = CASE WHEN ? AND id NOT IN (SELECT value FROM json_each(?)) THEN 1"
                            + " ELSE suspect END"
                            + " WHERE status = 'PROCESSING' AND lease_until < ? RETURNING *",
                    nowMillis, crashed, crashed, jsonArray(stillRunning), leaseCutoff));
            return changed;
        });
    }

    /** Ids as one JSON array, so that one statement takes any number of them. */
    private static String jsonArray(Collection<UUID> ids) {
        return ids.stream().map(id -> "\"" + id + "\"").collect(Collectors.joining(",", "[", "]"));
    }
}
