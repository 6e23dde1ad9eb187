package io.thumbnail.internal.store;

import io.thumbnail.Job;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@link JobLeases#claimSiblings} on SQLite: one conditional {@code UPDATE ... RETURNING} on the writer, so the jobs
 * it claims are claimed by no one else, as {@link JobLeases#claimNext} claims one. It looks only at the jobs inserted
 * within {@code limit} places of the claimed one (a range of the primary key), where the intake puts an image's
 * renditions, so a claim in a large batch of other images costs a few rows, not the whole batch.
 */
final class SqliteSiblingClaim {
    /** {@code %s}: the condition on the source, its sha256's or (not fetched yet) its URL's. */
    private static final String CLAIM_SIBLINGS = "UPDATE jobs SET status = 'PROCESSING', attempts = attempts + 1,"
            + " started_at = ?, lease_owner = ?, lease_until = ? WHERE seq IN (SELECT seq FROM jobs"
            + " WHERE seq BETWEEN (SELECT seq FROM jobs WHERE id = ?) - ? AND (SELECT seq FROM jobs WHERE id = ?) + ?"
            + " AND batch_id = ? AND status = 'QUEUED' AND run_after <= ? AND spec <> (SELECT spec FROM jobs WHERE id = ?)"
            + " AND %s ORDER BY seq LIMIT ?)"
            + " AND status = 'QUEUED' RETURNING *, EXISTS (SELECT 1 FROM jobs done WHERE"
            + " done.source_sha256 = jobs.source_sha256 AND done.spec = jobs.spec AND done.status = 'DONE'"
            + " AND done.owner IS jobs.owner) AS done_twin";

    private SqliteSiblingClaim() {
    }

    private record Claimed(long seq, JobLeases.Claim claim) {
    }

    static List<JobLeases.Claim> claim(SqliteCalls calls, Job claimed, String nodeId, Instant now,
                                      Duration lease, int limit) {
        if (claimed.batchId() == null || limit < 1) {
            return List.of();
        }
        String sha = claimed.source().sha256();
        String sameSource = sha != null ? "source_sha256 = ?" : "source_sha256 IS NULL AND source_url = ?";
        String source = sha != null ? sha : String.valueOf(claimed.source().url());
        String id = claimed.id().toString();
        List<Claimed> claims = new ArrayList<>();
        calls.change(c -> calls.jdbc().query(c, String.format(CLAIM_SIBLINGS, sameSource), rs -> {
            List<Job> jobs = new ArrayList<>();
            while (rs.next()) {
                Job job = JobRows.read(rs);
                jobs.add(job);
                claims.add(new Claimed(rs.getLong("seq"), new JobLeases.Claim(job, rs.getBoolean("done_twin"),
                        rs.getBoolean("suspect"))));
            }
            return jobs;
        }, now.toEpochMilli(), nodeId, now.plus(lease).toEpochMilli(), id, limit, id, limit,
                claimed.batchId().toString(), now.toEpochMilli(), id, source, limit));
        // RETURNING promises no order: the claims go back in the order their jobs were submitted.
        claims.sort(Comparator.comparingLong(Claimed::seq));
        return claims.stream().map(Claimed::claim).toList();
    }
}
