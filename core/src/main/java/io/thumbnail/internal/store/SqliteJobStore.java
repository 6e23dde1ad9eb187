package io.thumbnail.internal.store;

import io.thumbnail.Job;
import io.thumbnail.JobError;
import io.thumbnail.JobResult;
import io.thumbnail.JobSource;
import io.thumbnail.Publication;
import io.thumbnail.internal.health.StoreHealth;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

import static io.thumbnail.internal.store.Jdbc.failure;
import static io.thumbnail.internal.store.StoreCalls.first;

/**
 * {@link JobStore} on a SQLite file, in plain JDBC. Writes go through the single writer connection of
 * {@link Database}; each state change is one {@code UPDATE ... RETURNING}, so claiming is atomic without
 * read-then-write transactions. Its claims and leases are {@link SqliteLeases}; its queries ({@link JobQueries}), its
 * webhooks' bookkeeping ({@link CallbackRows}) and its publications' leases ({@link PublicationRows}) are the
 * statements both stores share.
 */
public final class SqliteJobStore implements JobStore {
    private static final String FIND_DONE = "SELECT * FROM jobs WHERE source_sha256 = ? AND spec = ?"
            + " AND status = 'DONE' AND owner IS ? LIMIT 1";

    private final Database database;
    private final boolean syncAcknowledged;
    private final SqliteCalls calls;
    private final JobQueries reads;
    private final SqliteLeases leases;
    private final CallbackRows callbacks;
    private final PublicationRows publications;
    private final Jdbc jdbc;

    private SqliteJobStore(Database database, Consumer<Job> changes, StoreHealth health, boolean syncAcknowledged) {
        this.syncAcknowledged = syncAcknowledged;
        this.database = database;
        this.calls = new SqliteCalls(database, health, changes);
        this.reads = new JobQueries(calls, FIND_DONE);
        this.leases = new SqliteLeases(calls);
        this.callbacks = new CallbackRows(calls, LeaseClock.SQLITE);
        this.publications = new PublicationRows(calls, PublicationRows.Dialect.SQLITE);
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
        calls.refuseWhileFailing();
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
    public Optional<Job> complete(UUID id, String nodeId, JobResult result, Instant now) {
        return first(calls.change(c -> jdbc.jobs(c, JobStatements.COMPLETE,
                JobStatements.complete(result, now.toEpochMilli(), id.toString(), nodeId))));
    }

    @Override
    public Optional<Job> fail(UUID id, String nodeId, JobError error, Instant now) {
        return first(calls.change(c -> jdbc.jobs(c, JobStatements.FAIL,
                JobStatements.fail(error, now.toEpochMilli(), id.toString(), nodeId))));
    }

    @Override
    public Optional<Job> recordSource(UUID id, String nodeId, JobSource s) {
        return first(calls.change(c -> jdbc.jobs(c, JobStatements.RECORD_SOURCE,
                JobStatements.recordSource(s, id.toString(), nodeId))));
    }

    @Override
    public Optional<Job> recordPublication(UUID id, String nodeId, Publication p) {
        return first(calls.change(c -> jdbc.jobs(c, JobStatements.RECORD_PUBLICATION,
                JobStatements.recordPublication(p, id.toString(), nodeId))));
    }

    @Override
    public JobReads reads() {
        return reads;
    }

    @Override
    public JobLeases leases() {
        return leases;
    }

    @Override
    public CallbackStore callbacks() {
        return callbacks;
    }

    @Override
    public PublicationLeases publications() {
        return publications;
    }

    @Override
    public Optional<Job> delete(UUID id) {
        // Not a state change: no listener call. Durable: the caller deletes the job's files next.
        calls.refuseWhileFailing();
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
        return Secrets.secret(calls, name, now);
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
