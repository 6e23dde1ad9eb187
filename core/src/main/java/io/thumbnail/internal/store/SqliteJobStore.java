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

import io.thumbnail.internal.health.StoreHealth;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;

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
            + " WHERE seq = (" + JobStatements.NEXT_QUEUED + ")"
            + " AND status = 'QUEUED' RETURNING *, EXISTS (SELECT 1 FROM jobs done WHERE"
            + " done.source_sha256 = jobs.source_sha256 AND done.spec = jobs.spec AND done.status = 'DONE'"
            + " AND done.owner IS jobs.owner) AS done_twin";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Database database;
    private final boolean syncAcknowledged;
    private final SqliteCalls calls;
    private final SqliteJobReads reads;
    private final SqliteCallbacks callbacks;
    private final Jdbc jdbc;

    private SqliteJobStore(Database database, Consumer<Job> changes, StoreHealth health, boolean syncAcknowledged) {
        this.syncAcknowledged = syncAcknowledged;
        this.database = database;
        this.calls = new SqliteCalls(database, health, changes);
        this.reads = new SqliteJobReads(calls);
        this.callbacks = new SqliteCallbacks(calls);
        this.jdbc = database.jdbc();
    }

    /**
     * Opens the database file, migrating its schema to the latest version.
     *
     * @param changes told of every committed state change, in commit order, while the writer is still held: it must
     *                be quick (hand the job to another thread) and must not call back into the store
     */
    public static SqliteJobStore open(Path file, Instant now, Consumer<Job> changes) {
        return open(file, now, changes, new StoreHealth("the job database", Clock.systemUTC()), true);
    }

    /**
     * As {@link #open(Path, Instant, Consumer)}, telling {@code health} how its operations go. {@code syncAcknowledged}
     * false commits accepted and deleted jobs like every other change (not forced to disk), for benchmarks measuring
     * what forcing them costs.
     */
    public static SqliteJobStore open(Path file, Instant now, Consumer<Job> changes, StoreHealth health,
                                      boolean syncAcknowledged) {
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
        return new SqliteJobStore(database, changes, health, syncAcknowledged);
    }

    public Database database() {
        return database;
    }

    @Override
    public void insert(NewBatch batch, List<Job> jobs, QueueLimits limits) {
        calls.transaction(c -> {
            QueueRoom.check(jobs, limits, (sql, args) -> jdbc.number(c, sql, args));
            if (batch != null) {
                jdbc.update(c, JobStatements.INSERT_BATCH, JobStatements.insertBatch(batch, batch.id().toString(),
                        batch.createdAt().toEpochMilli()));
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
        }, true, syncAcknowledged);
    }

    @Override
    public Optional<Claim> claimNext(String nodeId, Instant now, Duration lease, Duration priorityAging) {
        boolean[] doneTwin = {false};
        Optional<Job> claimed = first(calls.change(c -> {
            return jdbc.query(c, CLAIM, rs -> {
                List<Job> jobs = new ArrayList<>(1);
                while (rs.next()) {
                    jobs.add(JobRows.read(rs));
                    doneTwin[0] = rs.getBoolean("done_twin");
                }
                return jobs;
            }, now.toEpochMilli(), nodeId, now.plus(lease).toEpochMilli(), now.toEpochMilli(), now.toEpochMilli(),
                    now.minus(priorityAging).toEpochMilli(), now.toEpochMilli());
        }));
        return claimed.map(job -> new Claim(job, doneTwin[0]));
    }

    @Override
    public List<Claim> claimSiblings(Job claimed, String nodeId, Instant now, Duration lease, int limit) {
        return SqliteSiblingClaim.claim(calls, jdbc, claimed, nodeId, now, lease, limit);
    }

    @Override
    public int extendLeases(String nodeId, Collection<UUID> ids, Instant now, Duration lease) {
        if (ids.isEmpty()) {
            return 0;
        }
        // One statement whatever the number of jobs: the ids travel as one JSON array.
        String json = ids.stream().map(id -> "\"" + id + "\"").collect(Collectors.joining(",", "[", "]"));
        int[] extended = {0};
        calls.change(c -> {
            extended[0] = jdbc.update(c, "UPDATE jobs SET lease_until = ? WHERE status = 'PROCESSING'"
                    + " AND lease_owner = ? AND id IN (SELECT value FROM json_each(?))",
                    now.plus(lease).toEpochMilli(), nodeId, json);
            return List.of();
        });
        return extended[0];
    }

    @Override
    public Optional<Job> complete(UUID id, String nodeId, JobResult result, Instant now) {
        return first(calls.change(c -> jdbc.jobs(c, JobStatements.COMPLETE,
                JobStatements.complete(result, now.toEpochMilli(), id.toString(), nodeId))));
    }

    @Override
    public Optional<Job> retry(UUID id, String nodeId, JobError error, Instant now, Duration delay) {
        return first(calls.change(c -> jdbc.jobs(c, "UPDATE jobs SET status = 'QUEUED', error_code = ?, error_message = ?,"
                        + " run_after = ?, lease_owner = NULL, lease_until = NULL"
                        + " WHERE id = ? AND status = 'PROCESSING' AND lease_owner = ? RETURNING *",
                error.code().id(), error.message(), now.plus(delay).toEpochMilli(), id.toString(), nodeId)));
    }

    @Override
    public Optional<Job> fail(UUID id, String nodeId, JobError error, Instant now) {
        return first(calls.change(c -> jdbc.jobs(c, JobStatements.FAIL,
                JobStatements.fail(error, now.toEpochMilli(), id.toString(), nodeId))));
    }

    @Override
    public List<Job> reapExpired(Instant now, int maxAttempts, JobError error) {
        return reap(now.toEpochMilli(), now, maxAttempts, error);
    }

    /**
     * Every job in processing, whoever held it: only one node at a time uses a SQLite store (the data directory's
     * lock), so each was held by an earlier life of this one.
     */
    @Override
    public List<Job> releaseLeases(String nodeId, Instant now, int maxAttempts, JobError error) {
        return reap(Long.MAX_VALUE, now, maxAttempts, error);
    }

    private List<Job> reap(long leaseCutoff, Instant now, int maxAttempts, JobError error) {
        long nowMillis = now.toEpochMilli();
        return calls.write(c -> {
            List<Job> changed = new ArrayList<>(jdbc.jobs(c, "UPDATE jobs SET status = 'FAILED', error_code = ?,"
                            + " error_message = ?, finished_at = ?, lease_owner = NULL, lease_until = NULL"
                            + " WHERE status = 'PROCESSING' AND lease_until < ? AND attempts >= ? RETURNING *",
                    error.code().id(), error.message(), nowMillis, leaseCutoff, maxAttempts));
            changed.addAll(jdbc.jobs(c, "UPDATE jobs SET status = 'QUEUED', run_after = ?, lease_owner = NULL,"
                            + " lease_until = NULL WHERE status = 'PROCESSING' AND lease_until < ? RETURNING *",
                    nowMillis, leaseCutoff));
            return changed;
        });
    }

    @Override
    public Optional<Job> recordSource(UUID id, String nodeId, JobSource s) {
        return first(calls.change(c -> jdbc.jobs(c, JobStatements.RECORD_SOURCE,
                JobStatements.recordSource(s, id.toString(), nodeId))));
    }

    @Override
    public Optional<Job> recordPublication(UUID id, Publication p) {
        return first(calls.change(c -> jdbc.jobs(c, JobStatements.RECORD_PUBLICATION,
                JobStatements.recordPublication(p, id.toString()))));
    }

    @Override
    public List<UUID> pendingPublications() {
        return reads.pendingPublications();
    }

    @Override
    public CallbackStore callbacks() {
        return callbacks;
    }

    @Override
    public Optional<Job> findDone(String sourceSha256, ThumbnailSpec spec, String owner) {
        return reads.findDone(sourceSha256, spec, owner);
    }

    @Override
    public Optional<Job> get(UUID id) {
        return reads.get(id);
    }

    @Override
    public Page<Job> list(JobQuery query) {
        return reads.list(query);
    }

    @Override
    public Optional<Batch> batch(UUID id) {
        return reads.batch(id);
    }

    @Override
    public boolean references(String sha256) {
        return reads.references(sha256);
    }

    @Override
    public Set<String> referencedHashes() {
        return reads.referencedHashes();
    }

    @Override
    public long count(JobStatus status) {
        return reads.count(status);
    }

    @Override
    public boolean ping() {
        return reads.ping();
    }

    @Override
    public List<String> integrityProblems() {
        return reads.integrityProblems();
    }

    @Override
    public Optional<Job> delete(UUID id) {
        // Not a state change: no listener call. Durable: the caller deletes the job's files next.
        return first(calls.transaction(c -> jdbc.jobs(c, JobStatements.DELETE, id.toString()),
                false, syncAcknowledged));
    }

    @Override
    public List<Job> deleteFinishedBefore(Instant cutoff, int limit) {
        long cutoffMillis = cutoff.toEpochMilli();
        // Durable: the caller deletes the jobs' files next, which must not outlive a row that comes back.
        return calls.transaction(c -> {
            List<Job> deleted = jdbc.jobs(c, JobStatements.DELETE_FINISHED, cutoffMillis, limit);
            jdbc.update(c, JobStatements.DELETE_EMPTY_BATCHES, cutoffMillis);
            return deleted;
        }, false, syncAcknowledged);
    }

    @Override
    public byte[] secret(String name, Instant now) {
        byte[] made = new byte[SECRET_BYTES];
        RANDOM.nextBytes(made);
        byte[][] kept = {null};
        // Durable: a secret handed out (and keys derived from it, signatures made with them) must not change after
        // a loss of power.
        calls.transaction(c -> {
            jdbc.update(c, "INSERT INTO secrets (name, value, created_at) VALUES (?, ?, ?)"
                    + " ON CONFLICT (name) DO NOTHING", name, made, now.toEpochMilli());
            kept[0] = jdbc.query(c, "SELECT value FROM secrets WHERE name = ?",
                    rs -> rs.next() ? rs.getBytes(1) : null, name);
            return List.of();
        }, false, true);
        return kept[0];
    }

    @Override
    public void probeWrite() {
        // Rewrites a row with what it holds: a page written and committed like any change, nothing altered.
        calls.change(c -> {
            jdbc.update(c, JobStatements.PROBE);
            return List.of();
        });
    }

    @Override
    public void close() {
        database.close();
    }
}
