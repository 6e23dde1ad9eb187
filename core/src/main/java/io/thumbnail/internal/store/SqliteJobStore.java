package io.thumbnail.internal.store;

import io.thumbnail.Batch;
import io.thumbnail.ErrorCode;
import io.thumbnail.Job;
import io.thumbnail.JobSource;
import io.thumbnail.Publication;
import io.thumbnail.JobError;
import io.thumbnail.JobQuery;
import io.thumbnail.JobResult;
import io.thumbnail.JobStatus;
import io.thumbnail.Page;
import io.thumbnail.ThumbnailException;
import io.thumbnail.ThumbnailSpec;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

import static io.thumbnail.internal.store.Jdbc.failure;
import static io.thumbnail.internal.store.Jdbc.first;

/**
 * {@link JobStore} on a SQLite file, in plain JDBC. Writes go through the single writer connection of
 * {@link Database}; each state change is one {@code UPDATE ... RETURNING}, so claiming is atomic without
 * read-then-write transactions.
 */
public final class SqliteJobStore implements JobStore {
    private static final String CLAIM = "UPDATE jobs SET status = 'PROCESSING', attempts = attempts + 1,"
            + " started_at = ?, lease_owner = ?, lease_until = ?"
            + " WHERE seq = (SELECT seq FROM jobs WHERE status = 'QUEUED' AND run_after <= ? ORDER BY seq LIMIT 1)"
            + " AND status = 'QUEUED' RETURNING *, EXISTS (SELECT 1 FROM jobs done WHERE"
            + " done.source_sha256 = jobs.source_sha256 AND done.spec = jobs.spec AND done.status = 'DONE') AS done_twin";

    private final Database database;
    private final Jdbc jdbc;
    private final Consumer<Job> changes;

    private SqliteJobStore(Database database, Consumer<Job> changes) {
        this.database = database;
        this.jdbc = database.jdbc();
        this.changes = changes;
    }

    /**
     * Opens the database file, migrating its schema to the latest version.
     *
     * @param changes told of every committed state change, in commit order, while the writer is still held: it must
     *                be quick (hand the job to another thread) and must not call back into the store
     */
    public static SqliteJobStore open(Path file, Instant now, Consumer<Job> changes) {
        Database database = Database.open(file);
        try (Connection c = database.writer().getConnection()) {
            Migrations.migrate(c, now.toEpochMilli());
        } catch (SQLException e) {
            database.close();
            throw failure("could not open the job database", e);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        return new SqliteJobStore(database, changes);
    }

    public Database database() {
        return database;
    }

    @Override
    public void insert(NewBatch batch, List<Job> jobs, int queueCapacity) {
        long newQueued = jobs.stream().filter(j -> j.status() == JobStatus.QUEUED).count();
        write(c -> {
            if (newQueued > 0) {
                // Counting stops at the capacity: the check needs no more.
                long queued = jdbc.number(c,
                        "SELECT COUNT(*) FROM (SELECT 1 FROM jobs WHERE status = 'QUEUED' LIMIT ?)", queueCapacity + 1);
                if (queued + newQueued > queueCapacity) {
                    throw new ThumbnailException(ErrorCode.QUEUE_FULL, "the queue holds " + queued
                            + " jobs, its maximum is " + queueCapacity + "; try again later");
                }
            }
            if (batch != null) {
                jdbc.update(c, "INSERT INTO batches (id, total, created_at, owner) VALUES (?, ?, ?, ?)",
                        batch.id().toString(), batch.total(), batch.createdAt().toEpochMilli(), batch.owner());
            }
            PreparedStatement ps = jdbc.prepare(c, JobRows.INSERT);
            try {
                if (jobs.size() == 1) {
                    JobRows.bind(ps, jobs.get(0), jobs.get(0).createdAt());
                    ps.executeUpdate();
                } else {
                    for (Job job : jobs) {
                        JobRows.bind(ps, job, job.createdAt());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            } catch (SQLException | RuntimeException e) {
                // A kept statement must not carry a half-built batch into its next use.
                jdbc.forget(c, JobRows.INSERT);
                throw e;
            }
            return jobs;
        });
    }

    @Override
    public Optional<Claim> claimNext(String owner, Instant now, Instant leaseUntil) {
        boolean[] doneTwin = {false};
        Optional<Job> claimed = first(change(c -> {
            return jdbc.query(c, CLAIM, rs -> {
                List<Job> jobs = new ArrayList<>(1);
                while (rs.next()) {
                    jobs.add(JobRows.read(rs));
                    doneTwin[0] = rs.getBoolean("done_twin");
                }
                return jobs;
            }, now.toEpochMilli(), owner, leaseUntil.toEpochMilli(), now.toEpochMilli());
        }));
        return claimed.map(job -> new Claim(job, doneTwin[0]));
    }

    @Override
    public int extendLeases(String owner, Instant leaseUntil) {
        try (Connection c = database.writer().getConnection()) {
            return jdbc.update(c, "UPDATE jobs SET lease_until = ? WHERE status = 'PROCESSING' AND lease_owner = ?",
                    leaseUntil.toEpochMilli(), owner);
        } catch (SQLException e) {
            throw failure("could not extend leases", e);
        }
    }

    @Override
    public Optional<Job> complete(UUID id, String owner, JobResult result, Instant now) {
        JobResult.Fallback f = result.fallback();
        return first(change(c -> jdbc.jobs(c, "UPDATE jobs SET status = 'DONE', result_format = ?, result_width = ?,"
                        + " result_height = ?, result_bytes = ?, result_sha256 = ?, fallback_format = ?,"
                        + " fallback_bytes = ?, fallback_sha256 = ?, error_code = NULL,"
                        + " error_message = NULL, finished_at = ?, lease_owner = NULL, lease_until = NULL"
                        + " WHERE id = ? AND status = 'PROCESSING' AND lease_owner = ? RETURNING *",
                result.format().id(), result.width(), result.height(), result.bytes(), result.sha256(),
                f == null ? null : f.format().id(), f == null ? null : f.bytes(), f == null ? null : f.sha256(),
                now.toEpochMilli(), id.toString(), owner)));
    }

    @Override
    public Optional<Job> retry(UUID id, String owner, JobError error, Instant runAfter) {
        return first(change(c -> jdbc.jobs(c, "UPDATE jobs SET status = 'QUEUED', error_code = ?, error_message = ?,"
                        + " run_after = ?, lease_owner = NULL, lease_until = NULL"
                        + " WHERE id = ? AND status = 'PROCESSING' AND lease_owner = ? RETURNING *",
                error.code(), error.message(), runAfter.toEpochMilli(), id.toString(), owner)));
    }

    @Override
    public Optional<Job> fail(UUID id, String owner, JobError error, Instant now) {
        return first(change(c -> jdbc.jobs(c, "UPDATE jobs SET status = 'FAILED', error_code = ?, error_message = ?,"
                        + " finished_at = ?, lease_owner = NULL, lease_until = NULL"
                        + " WHERE id = ? AND status = 'PROCESSING' AND lease_owner = ? RETURNING *",
                error.code(), error.message(), now.toEpochMilli(), id.toString(), owner)));
    }

    @Override
    public List<Job> reapExpired(Instant now, int maxAttempts, JobError error) {
        return reap(now.toEpochMilli(), now, maxAttempts, error);
    }

    @Override
    public List<Job> releaseAll(Instant now, int maxAttempts, JobError error) {
        return reap(Long.MAX_VALUE, now, maxAttempts, error);
    }

    private List<Job> reap(long leaseCutoff, Instant now, int maxAttempts, JobError error) {
        long nowMillis = now.toEpochMilli();
        return write(c -> {
            List<Job> changed = new ArrayList<>(jdbc.jobs(c, "UPDATE jobs SET status = 'FAILED', error_code = ?,"
                            + " error_message = ?, finished_at = ?, lease_owner = NULL, lease_until = NULL"
                            + " WHERE status = 'PROCESSING' AND lease_until < ? AND attempts >= ? RETURNING *",
                    error.code(), error.message(), nowMillis, leaseCutoff, maxAttempts));
            changed.addAll(jdbc.jobs(c, "UPDATE jobs SET status = 'QUEUED', run_after = ?, lease_owner = NULL,"
                            + " lease_until = NULL WHERE status = 'PROCESSING' AND lease_until < ? RETURNING *",
                    nowMillis, leaseCutoff));
            return changed;
        });
    }

    @Override
    public Optional<Job> recordSource(UUID id, String owner, JobSource s) {
        return first(change(c -> jdbc.jobs(c, "UPDATE jobs SET source_bytes = ?, source_format = ?, source_width = ?,"
                        + " source_height = ?, source_sha256 = ? WHERE id = ? AND status = 'PROCESSING'"
                        + " AND lease_owner = ? RETURNING *",
                s.bytes(), s.format() == null ? null : s.format().id(), s.width(), s.height(), s.sha256(),
                id.toString(), owner)));
    }

    @Override
    public Optional<Job> recordPublication(UUID id, Publication p) {
        JobError error = p.error();
        return first(change(c -> jdbc.jobs(c, "UPDATE jobs SET publish_target = ?, published_link = ?,"
                        + " published_deletehash = ?, publish_error_code = ?, publish_error_message = ?"
                        + " WHERE id = ? RETURNING *",
                p.target(), p.link(), p.deletehash(), error == null ? null : error.code(),
                error == null ? null : error.message(), id.toString())));
    }

    @Override
    public Optional<Job> findDone(String sourceSha256, ThumbnailSpec spec) {
        return first(read(c -> jdbc.jobs(c, "SELECT * FROM jobs WHERE source_sha256 = ? AND spec = ?"
                + " AND status = 'DONE' LIMIT 1", sourceSha256, SpecCodec.encode(spec))));
    }

    @Override
    public Optional<Job> get(UUID id) {
        return first(read(c -> jdbc.jobs(c, "SELECT * FROM jobs WHERE id = ?", id.toString())));
    }

    @Override
    public Page<Job> list(JobQuery query) {
        long before = parseCursor(query.cursor());
        StringBuilder sql = new StringBuilder("SELECT * FROM jobs WHERE seq < ?");
        List<Object> args = new ArrayList<>(List.of(before));
        if (query.status() != null) {
            sql.append(" AND status = ?");
            args.add(query.status().name());
        }
        if (query.owner() != null) {
            sql.append(" AND owner = ?");
            args.add(query.owner());
        }
        if (query.published() != null) {
            sql.append(" AND publish_target = ? AND published_link IS NOT NULL");
            args.add(query.published());
        }
        sql.append(" ORDER BY seq DESC LIMIT ?");
        args.add(query.limit() + 1);
        List<Long> seqs = new ArrayList<>();
        List<Job> jobs = read(c -> jdbc.query(c, sql.toString(), rs -> {
            List<Job> out = new ArrayList<>();
            while (rs.next()) {
                out.add(JobRows.read(rs));
                seqs.add(rs.getLong("seq"));
            }
            return out;
        }, args.toArray()));
        if (jobs.size() <= query.limit()) {
            return new Page<>(jobs, null);
        }
        return new Page<>(List.copyOf(jobs.subList(0, query.limit())), Long.toString(seqs.get(query.limit() - 1)));
    }

    private static long parseCursor(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return Long.MAX_VALUE;
        }
        try {
            return Long.parseLong(cursor);
        } catch (NumberFormatException e) {
            throw new ThumbnailException(ErrorCode.INVALID_SPEC, "cursor '" + cursor
                    + "' is not one this service handed out; pass the next value of the previous page");
        }
    }

    @Override
    public Optional<Batch> batch(UUID id) {
        return read(c -> {
            List<Job> items = jdbc.jobs(c, "SELECT * FROM jobs WHERE batch_id = ? ORDER BY seq", id.toString());
            return jdbc.query(c, "SELECT * FROM batches WHERE id = ?", rs -> {
                if (!rs.next()) {
                    return Optional.<Batch>empty();
                }
                Map<JobStatus, Integer> counts = new EnumMap<>(JobStatus.class);
                for (JobStatus s : JobStatus.values()) {
                    counts.put(s, 0);
                }
                items.forEach(job -> counts.merge(job.status(), 1, Integer::sum));
                return Optional.of(new Batch(id, rs.getInt("total"), Map.copyOf(counts), items,
                        Instant.ofEpochMilli(rs.getLong("created_at")), rs.getString("owner")));
            }, id.toString());
        });
    }

    @Override
    public Optional<Job> delete(UUID id) {
        // Not a state change: no listener call.
        try (Connection c = database.writer().getConnection()) {
            return first(jdbc.jobs(c, "DELETE FROM jobs WHERE id = ? RETURNING *", id.toString()));
        } catch (SQLException e) {
            throw failure("could not delete job " + id, e);
        }
    }

    @Override
    public List<Job> deleteFinishedBefore(Instant cutoff, int limit) {
        long cutoffMillis = cutoff.toEpochMilli();
        return transaction(c -> {
            List<Job> deleted = jdbc.jobs(c, "DELETE FROM jobs WHERE seq IN (SELECT seq FROM jobs"
                    + " WHERE finished_at < ? AND status IN ('DONE', 'FAILED') ORDER BY finished_at LIMIT ?)"
                    + " RETURNING *", cutoffMillis, limit);
            jdbc.update(c, "DELETE FROM batches WHERE created_at < ? AND NOT EXISTS"
                    + " (SELECT 1 FROM jobs WHERE jobs.batch_id = batches.id)", cutoffMillis);
            return deleted;
        }, false);
    }

    @Override
    public boolean references(String sha256) {
        return read(c -> jdbc.number(c, "SELECT EXISTS (SELECT 1 FROM jobs WHERE source_sha256 = ?)"
                + " OR EXISTS (SELECT 1 FROM jobs WHERE result_sha256 = ?)"
                + " OR EXISTS (SELECT 1 FROM jobs WHERE fallback_sha256 = ?)", sha256, sha256, sha256) == 1);
    }

    @Override
    public Set<String> referencedHashes() {
        return read(c -> jdbc.query(c, "SELECT source_sha256 FROM jobs WHERE source_sha256 IS NOT NULL"
                + " UNION SELECT result_sha256 FROM jobs WHERE result_sha256 IS NOT NULL"
                + " UNION SELECT fallback_sha256 FROM jobs WHERE fallback_sha256 IS NOT NULL", rs -> {
            Set<String> hashes = new HashSet<>();
            while (rs.next()) {
                hashes.add(rs.getString(1));
            }
            return hashes;
        }));
    }

    @Override
    public long count(JobStatus status) {
        return read(c -> jdbc.number(c, "SELECT COUNT(*) FROM jobs WHERE status = ?", status.name()));
    }

    @Override
    public boolean ping() {
        try {
            return read(c -> jdbc.number(c, "SELECT 1")) == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        database.close();
    }

    /** A transaction on the writer that returns the jobs it changed, reported before the writer is let go. */
    private List<Job> write(Jdbc.Work<List<Job>> work) {
        return transaction(work, true);
    }

    /**
     * One statement on the writer, which SQLite runs atomically by itself: no BEGIN and COMMIT around it (each a
     * statement of its own to compile and run), and no switching the connection's auto-commit off and back on. The
     * jobs it changed are reported after its commit, before the writer is let go, as for {@link #write}.
     */
    private List<Job> change(Jdbc.Work<List<Job>> statement) {
        try (Connection c = database.writer().getConnection()) {
            List<Job> changed = statement.run(c);
            changed.forEach(changes);
            return changed;
        } catch (SQLException e) {
            throw failure("the job database failed", e);
        }
    }

    private <T extends List<Job>> T transaction(Jdbc.Work<T> work, boolean report) {
        try (Connection c = database.writer().getConnection()) {
            c.setAutoCommit(false);
            T changed;
            try {
                changed = work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
            if (report) {
                // Still holding the only writer: reports arrive in commit order.
                changed.forEach(changes);
            }
            return changed;
        } catch (SQLException e) {
            throw failure("the job database failed", e);
        }
    }

    private <T> T read(Jdbc.Work<T> work) {
        try (Connection c = database.readers().getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw failure("the job database failed", e);
        }
    }
}
