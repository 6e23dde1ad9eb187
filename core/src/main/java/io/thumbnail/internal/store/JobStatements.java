package io.thumbnail.internal.store;

import io.thumbnail.Callback;
import io.thumbnail.JobError;
import io.thumbnail.JobResult;
import io.thumbnail.JobSource;
import io.thumbnail.Publication;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;

/**
 * The statements both stores run as they are, and the arguments they take in order. Instants and ids are bound as
 * each database keeps them ({@link JobRows.Cells}), so the arguments taking them are given already converted.
 */
public final class JobStatements {
    public static final String INSERT_BATCH = "INSERT INTO batches (id, total, created_at, owner, callback_url,"
            + " callback_status) VALUES (?, ?, ?, ?, ?, ?)";
    public static final String COMPLETE = "UPDATE jobs SET status = 'DONE', result_format = ?, result_width = ?,"
            + " result_height = ?, result_bytes = ?, result_sha256 = ?, fallback_format = ?, fallback_bytes = ?,"
            + " fallback_sha256 = ?, error_code = NULL, error_message = NULL, finished_at = ?, lease_owner = NULL,"
            + " lease_until = NULL WHERE id = ? AND status = 'PROCESSING' AND lease_owner = ? RETURNING *";
    public static final String FAIL = "UPDATE jobs SET status = 'FAILED', error_code = ?, error_message = ?,"
            + " finished_at = ?, lease_owner = NULL, lease_until = NULL"
            + " WHERE id = ? AND status = 'PROCESSING' AND lease_owner = ? RETURNING *";
    public static final String RECORD_SOURCE = "UPDATE jobs SET source_bytes = ?, source_format = ?, source_width = ?,"
            + " source_height = ?, source_sha256 = ? WHERE id = ? AND status = 'PROCESSING' AND lease_owner = ?"
            + " RETURNING *";
    /**
     * Records the outcome and lets go of the publication's lease ({@link PublicationLeases}), unless an outcome is
     * recorded already or another node holds the lease: the first outcome stays, and a node that lost its lease while
     * it published leaves the row to the node that took it over.
     */
    public static final String RECORD_PUBLICATION = "UPDATE jobs SET publish_target = ?, published_link = ?,"
            + " published_deletehash = ?, publish_error_code = ?, publish_error_message = ?, publish_owner = NULL,"
            + " publish_until = NULL WHERE id = ? AND published_link IS NULL AND publish_error_code IS NULL"
            + " AND (publish_owner IS NULL OR publish_owner = ?) RETURNING *";
    public static final String GET = "SELECT * FROM jobs WHERE id = ?";
    public static final String BATCH_ITEMS = "SELECT * FROM jobs WHERE batch_id = ? ORDER BY seq";
    public static final String BATCH = "SELECT * FROM batches WHERE id = ?";
    public static final String DELETE = "DELETE FROM jobs WHERE id = ? RETURNING *";
    /** Finished before {@code ?}, oldest first, at most {@code ?}. */
    public static final String DELETE_FINISHED = "DELETE FROM jobs WHERE seq IN (SELECT seq FROM jobs"
            + " WHERE finished_at < ? AND status IN ('DONE', 'FAILED') ORDER BY finished_at LIMIT ?) RETURNING *";
    public static final String DELETE_EMPTY_BATCHES = "DELETE FROM batches WHERE created_at < ? AND NOT EXISTS"
            + " (SELECT 1 FROM jobs WHERE jobs.batch_id = batches.id)";
    /** 1 when a job names the hash (three times the same argument) as source, result or fallback, else 0. */
    public static final String REFERENCES = "SELECT CASE WHEN EXISTS (SELECT 1 FROM jobs WHERE source_sha256 = ?)"
            + " OR EXISTS (SELECT 1 FROM jobs WHERE result_sha256 = ?)"
            + " OR EXISTS (SELECT 1 FROM jobs WHERE fallback_sha256 = ?) THEN 1 ELSE 0 END";
    public static final String REFERENCED_HASHES = "SELECT source_sha256 FROM jobs WHERE source_sha256 IS NOT NULL"
            + " UNION SELECT result_sha256 FROM jobs WHERE result_sha256 IS NOT NULL"
            + " UNION SELECT fallback_sha256 FROM jobs WHERE fallback_sha256 IS NOT NULL";
    public static final String COUNT = "SELECT COUNT(*) FROM jobs WHERE status = ?";
    /**
     * The crash suspects not finished: queued or being made ({@code suspect}: SQLite's 0 or 1, PostgreSQL's boolean;
     * the mark stays on a finished row, so the status decides).
     */
    static final String SUSPECTS = "SELECT COUNT(*) FROM jobs WHERE status IN ('QUEUED', 'PROCESSING') AND suspect";
    /** Rewrites a row with what it holds: a write committed like any change, nothing altered. */
    public static final String PROBE = "UPDATE schema_version SET applied_at = applied_at"
            + " WHERE version = (SELECT MAX(version) FROM schema_version)";

    /**
     * The {@code seq} of the job SQLite claims next: the head of each priority's queue (high, normal, low: ranks 0, 1,
     * 2) read from the queued-by-priority index, the low one ranked as normal once it was created at or before the
     * aging cut-off; the best rank wins, the oldest among equals. Four parameters: now (the retry time that has come),
     * now, the aging cut-off, now.
     */
    public static final String NEXT_QUEUED = "SELECT seq FROM ("
            + "SELECT seq, 0 AS queue_rank FROM (SELECT seq FROM jobs WHERE status = 'QUEUED' AND priority = 0"
            + " AND run_after <= ? ORDER BY seq LIMIT 1)"
            + " UNION ALL SELECT seq, 1 FROM (SELECT seq FROM jobs WHERE status = 'QUEUED' AND priority = 1"
            + " AND run_after <= ? ORDER BY seq LIMIT 1)"
            + " UNION ALL SELECT seq, CASE WHEN created_at <= ? THEN 1 ELSE 2 END FROM (SELECT seq, created_at FROM jobs"
            + " WHERE status = 'QUEUED' AND priority = 2 AND run_after <= ? ORDER BY seq LIMIT 1)"
            + ") ORDER BY queue_rank, seq LIMIT 1";

    private JobStatements() {
    }

    /** {@link #INSERT_BATCH}'s arguments, given the batch's id and creation time as kept. */
    public static Object[] insertBatch(JobStore.NewBatch batch, Object id, Object createdAt) {
        Callback callback = batch.callback();
        return new Object[]{id, batch.total(), createdAt, batch.owner(),
                callback == null ? null : callback.url().toString(), callback == null ? null : callback.status().id()};
    }

    /** {@link #COMPLETE}'s arguments. */
    public static Object[] complete(JobResult result, Object finishedAt, Object id, String nodeId) {
        JobResult.Fallback f = result.fallback();
        return new Object[]{result.format().id(), result.width(), result.height(), result.bytes(), result.sha256(),
                f == null ? null : f.format().id(), f == null ? null : f.bytes(), f == null ? null : f.sha256(),
                finishedAt, id, nodeId};
    }

    /** {@link #FAIL}'s arguments. */
    public static Object[] fail(JobError error, Object finishedAt, Object id, String nodeId) {
        return new Object[]{error.code().id(), error.message(), finishedAt, id, nodeId};
    }

    /** {@link #RECORD_SOURCE}'s arguments. */
    public static Object[] recordSource(JobSource s, Object id, String nodeId) {
        return new Object[]{s.bytes(), s.format() == null ? null : s.format().id(), s.width(), s.height(), s.sha256(),
                id, nodeId};
    }

    /** {@link #RECORD_PUBLICATION}'s arguments. */
    public static Object[] recordPublication(Publication p, Object id, String nodeId) {
        JobError error = p.error();
        return new Object[]{p.target(), p.link(), p.deletehash(), error == null ? null : error.code().id(),
                error == null ? null : error.message(), id, nodeId};
    }

    /** The hashes {@link #REFERENCED_HASHES} selected. */
    public static Set<String> hashes(ResultSet rs) throws SQLException {
        Set<String> hashes = new HashSet<>();
        while (rs.next()) {
            hashes.add(rs.getString(1));
        }
        return hashes;
    }
}
