package io.thumbnail.internal.store.postgres;

import io.thumbnail.Batch;
import io.thumbnail.ErrorCode;
import io.thumbnail.Job;
import io.thumbnail.JobError;
import io.thumbnail.JobQuery;
import io.thumbnail.JobResult;
import io.thumbnail.JobSource;
import io.thumbnail.JobStatus;
import io.thumbnail.Page;
import io.thumbnail.Publication;
import io.thumbnail.ThumbnailException;
import io.thumbnail.ThumbnailSpec;
import io.thumbnail.internal.health.StoreException;
import io.thumbnail.internal.health.StoreHealth;
import io.thumbnail.internal.store.JobListing;
import io.thumbnail.internal.store.JobRows;
import io.thumbnail.internal.store.JobStore;
import io.thumbnail.internal.store.JobStores;
import io.thumbnail.internal.store.QueueRoom;
import io.thumbnail.internal.store.SpecCodec;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * {@link JobStore} on PostgreSQL, shared by several nodes. Each state change is one conditional statement; the claim
 * picks the oldest ready job with {@code FOR UPDATE SKIP LOCKED}, so claimers on any number of nodes pass over each
 * other's rows instead of queueing behind them or finding "no job" while jobs wait.
 *
 * <p>Leases and retry times are measured by the database's clock ({@code now()}), so no node's clock skew lets two
 * nodes hold one job; the job's own timestamps (created, started, finished) are the calling node's, as in the SQLite
 * store. A node starting takes back only the jobs its own id held; the others' run out of lease and any node's reaper
 * takes them back.
 *
 * <p>Committed changes are reported to this node's listener as they commit, and told to the other nodes through
 * {@link ChangeNotifier}; {@link #listen} hands this node what the others tell. While the database cannot be reached,
 * calls fail at once instead of each waiting for a connection, until a probe ({@link #probeWrite}) gets through.
 */
public final class PostgresJobStore implements JobStore {
    /** The store's clock in SQL: the instant bound to it, or, bound to null, the database's own. */
    private static final String CLOCK = "COALESCE(CAST(? AS timestamptz), now())";
    /** A duration bound in milliseconds. */
    private static final String MILLIS = "CAST(? AS bigint) * interval '1 millisecond'";
    private static final String CLAIM = "UPDATE jobs SET status = 'PROCESSING', attempts = attempts + 1,"
            + " started_at = ?, lease_owner = ?, lease_until = " + CLOCK + " + " + MILLIS
            + " WHERE seq = (SELECT seq FROM jobs WHERE status = 'QUEUED' AND run_after <= " + CLOCK
            + " ORDER BY seq LIMIT 1 FOR UPDATE SKIP LOCKED) AND status = 'QUEUED'"
            + " RETURNING *, EXISTS (SELECT 1 FROM jobs twin WHERE twin.source_sha256 = jobs.source_sha256"
            + " AND twin.spec = jobs.spec AND twin.status = 'DONE' AND twin.owner IS NOT DISTINCT FROM jobs.owner)"
            + " AS done_twin";
    private static final String INSERT = JobRows.insert(CLOCK);
    private static final String UNREACHABLE = "the job database cannot be reached; try again later";
    /** The most jobs a node reconnecting reads back as finished while it was not listening. */
    private static final int CATCH_UP_LIMIT = 1_000;

    private final PostgresDatabase database;
    private final StoreHealth health;
    private final Consumer<Job> changes;
    private final boolean databaseClock;
    private final NodeLocks locks;
    private final ChangeNotifier notifier;
    private final String channel;
    private final String sender;
    private volatile NotificationListener listener;
    /** Set when a call found the database unreachable; calls then fail at once until a probe gets through. */
    private volatile boolean unreachable;

    private PostgresJobStore(PostgresDatabase database, String schema, NodeLocks locks, Consumer<Job> changes,
                             StoreHealth health, boolean databaseClock) {
        this.database = database;
        this.locks = locks;
        this.changes = changes;
        this.health = health;
        this.databaseClock = databaseClock;
        String readable = "thumbnail " + schema;
        this.channel = readable.length() <= 63 ? readable
                : "thumbnail " + Long.toHexString(NodeLocks.key(schema));
        this.sender = Long.toHexString(ThreadLocalRandom.current().nextLong());
        this.notifier = new ChangeNotifier(database.pool(), channel, sender);
    }

    /**
     * Connects to the database {@code url} names, migrates its schema (the one the URL's {@code currentSchema}
     * selects, {@code public} by default) and takes {@code nodeId}, which no other running node may hold.
     *
     * @param databaseClock true: leases and retry times by the database's clock; false: by the {@code now} each call
     *                      is given (tests that drive time themselves)
     * @param changes       told of every change this node commits, after its commit, per job in order: it must be
     *                      quick and must not call back into the store
     * @throws ThumbnailException {@code io_error}, or an {@link IllegalArgumentException} or
     *                            {@link IllegalStateException}, saying why the database could not be opened; the
     *                            message shows the URL without its password
     */
    public static JobStore open(String url, String nodeId, boolean databaseClock, Consumer<Job> changes,
                                StoreHealth health) {
        PostgresDatabase database = null;
        NodeLocks locks = null;
        try {
            database = PostgresDatabase.open(url, nodeId);
            String schema;
            try (Connection c = database.connect()) {
                schema = Sql.query(c, "SELECT current_schema()", rs -> rs.next() ? rs.getString(1) : null);
                if (schema == null) {
                    throw new IllegalStateException("no schema of its search_path exists; create one, or name"
                            + " one with currentSchema=");
                }
                PostgresMigrations.migrate(c);
            }
            locks = new NodeLocks(database, schema, nodeId);
            locks.claimNodeId();
            return new PostgresJobStore(database, schema, locks, changes, health, databaseClock);
        } catch (SQLException | RuntimeException e) {
            if (locks != null) {
                locks.close();
            }
            if (database != null) {
                database.close();
            }
            String where = PostgresDatabase.mask(url);
            String reason = e instanceof SQLException ? PostgresFailures.describe(e) : e.getMessage();
            String message = JobStores.DATABASE_FAILURE + where + " (--database): " + reason;
            if (e instanceof IllegalArgumentException) {
                throw new IllegalArgumentException(message, e);
            }
            if (e instanceof IllegalStateException) {
                throw new IllegalStateException(message, e);
            }
            throw new ThumbnailException(ErrorCode.IO_ERROR, message, e);
        }
    }

    @Override
    public void insert(NewBatch batch, List<Job> jobs, QueueLimits limits) {
        transaction(c -> {
            QueueRoom.check(jobs, limits, new QueueRoom.Counter() {
                @Override
                public long queued(int limit) throws SQLException {
                    return Sql.number(c, "SELECT COUNT(*) FROM (SELECT 1 FROM jobs WHERE status = 'QUEUED'"
                            + " LIMIT ?) q", limit);
                }

                @Override
                public long queuedOf(String owner, int limit) throws SQLException {
                    return Sql.number(c, "SELECT COUNT(*) FROM (SELECT 1 FROM jobs WHERE status = 'QUEUED'"
                            + " AND owner = ? LIMIT ?) q", owner, limit);
                }
            });
            if (batch != null) {
                Sql.update(c, "INSERT INTO batches (id, total, created_at, owner) VALUES (?, ?, ?, ?)",
                        batch.id(), batch.total(), batch.createdAt(), batch.owner());
            }
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                for (Job job : jobs) {
                    JobRows.bind(ps, job, databaseClock ? null : job.createdAt(), Sql.CELLS);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return jobs;
        }, true);
    }

    @Override
    public Optional<Claim> claimNext(String nodeId, Instant now, Duration lease) {
        boolean[] doneTwin = {false};
        List<Job> claimed = write(c -> Sql.query(c, CLAIM, rs -> {
            List<Job> jobs = new ArrayList<>(1);
            while (rs.next()) {
                jobs.add(JobRows.read(rs, Sql.CELLS));
                doneTwin[0] = rs.getBoolean("done_twin");
            }
            return jobs;
        }, now, nodeId, clock(now), lease.toMillis(), clock(now)));
        return claimed.stream().findFirst().map(job -> new Claim(job, doneTwin[0]));
    }

    @Override
    public int extendLeases(String nodeId, Collection<UUID> ids, Instant now, Duration lease) {
        if (ids.isEmpty()) {
            return 0;
        }
        int[] extended = {0};
        write(c -> {
            extended[0] = Sql.update(c, "UPDATE jobs SET lease_until = " + CLOCK + " + " + MILLIS
                            + " WHERE status = 'PROCESSING' AND lease_owner = ? AND id = ANY(?)",
                    clock(now), lease.toMillis(), nodeId, Sql.uuids(c, ids));
            return List.of();
        });
        return extended[0];
    }

    @Override
    public Optional<Job> complete(UUID id, String nodeId, JobResult result, Instant now) {
        JobResult.Fallback f = result.fallback();
        return first(write(c -> Sql.jobs(c, "UPDATE jobs SET status = 'DONE', result_format = ?, result_width = ?,"
                        + " result_height = ?, result_bytes = ?, result_sha256 = ?, fallback_format = ?,"
                        + " fallback_bytes = ?, fallback_sha256 = ?, error_code = NULL,"
                        + " error_message = NULL, finished_at = ?, lease_owner = NULL, lease_until = NULL"
                        + " WHERE id = ? AND status = 'PROCESSING' AND lease_owner = ? RETURNING *",
                result.format().id(), result.width(), result.height(), result.bytes(), result.sha256(),
                f == null ? null : f.format().id(), f == null ? null : f.bytes(), f == null ? null : f.sha256(),
                now, id, nodeId)));
    }

    @Override
    public Optional<Job> retry(UUID id, String nodeId, JobError error, Instant now, Duration delay) {
        return first(write(c -> Sql.jobs(c, "UPDATE jobs SET status = 'QUEUED', error_code = ?, error_message = ?,"
                        + " run_after = " + CLOCK + " + " + MILLIS + ", lease_owner = NULL, lease_until = NULL"
                        + " WHERE id = ? AND status = 'PROCESSING' AND lease_owner = ? RETURNING *",
                error.code().id(), error.message(), clock(now), delay.toMillis(), id, nodeId)));
    }

    @Override
    public Optional<Job> fail(UUID id, String nodeId, JobError error, Instant now) {
        return first(write(c -> Sql.jobs(c, "UPDATE jobs SET status = 'FAILED', error_code = ?, error_message = ?,"
                        + " finished_at = ?, lease_owner = NULL, lease_until = NULL"
                        + " WHERE id = ? AND status = 'PROCESSING' AND lease_owner = ? RETURNING *",
                error.code().id(), error.message(), now, id, nodeId)));
    }

    @Override
    public List<Job> reapExpired(Instant now, int maxAttempts, JobError error) {
        return reap("lease_until < " + CLOCK, clock(now), now, maxAttempts, error);
    }

    /** The jobs {@code nodeId} held: only its own, since other nodes share the database and hold theirs. */
    @Override
    public List<Job> releaseLeases(String nodeId, Instant now, int maxAttempts, JobError error) {
        return reap("lease_owner = ?", nodeId, now, maxAttempts, error);
    }

    /** Fails, or queues again, the jobs in processing that {@code held} (with its one argument) selects. */
    private List<Job> reap(String held, Object heldArg, Instant now, int maxAttempts, JobError error) {
        return transaction(c -> {
            List<Job> changed = new ArrayList<>(Sql.jobs(c, "UPDATE jobs SET status = 'FAILED', error_code = ?,"
                            + " error_message = ?, finished_at = ?, lease_owner = NULL, lease_until = NULL"
                            + " WHERE status = 'PROCESSING' AND " + held + " AND attempts >= ? RETURNING *",
                    error.code().id(), error.message(), now, heldArg, maxAttempts));
            changed.addAll(Sql.jobs(c, "UPDATE jobs SET status = 'QUEUED', run_after = " + CLOCK + ","
                    + " lease_owner = NULL, lease_until = NULL WHERE status = 'PROCESSING' AND " + held
                    + " RETURNING *", clock(now), heldArg));
            return changed;
        }, false);
    }

    @Override
    public Optional<Job> recordSource(UUID id, String nodeId, JobSource s) {
        return first(write(c -> Sql.jobs(c, "UPDATE jobs SET source_bytes = ?, source_format = ?, source_width = ?,"
                        + " source_height = ?, source_sha256 = ? WHERE id = ? AND status = 'PROCESSING'"
                        + " AND lease_owner = ? RETURNING *",
                s.bytes(), s.format() == null ? null : s.format().id(), s.width(), s.height(), s.sha256(), id,
                nodeId)));
    }

    @Override
    public Optional<Job> recordPublication(UUID id, Publication p) {
        JobError error = p.error();
        return first(write(c -> Sql.jobs(c, "UPDATE jobs SET publish_target = ?, published_link = ?,"
                        + " published_deletehash = ?, publish_error_code = ?, publish_error_message = ?"
                        + " WHERE id = ? RETURNING *",
                p.target(), p.link(), p.deletehash(), error == null ? null : error.code().id(),
                error == null ? null : error.message(), id)));
    }

    @Override
    public Optional<Job> findDone(String sourceSha256, ThumbnailSpec spec, String owner) {
        return first(read(c -> Sql.jobs(c, "SELECT * FROM jobs WHERE source_sha256 = ? AND spec = ?"
                        + " AND status = 'DONE' AND owner IS NOT DISTINCT FROM CAST(? AS text) LIMIT 1",
                sourceSha256, SpecCodec.encode(spec), owner)));
    }

    @Override
    public Optional<Job> get(UUID id) {
        return first(read(c -> Sql.jobs(c, "SELECT * FROM jobs WHERE id = ?", id)));
    }

    /** The jobs among {@code ids} that exist. */
    List<Job> jobs(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return read(c -> Sql.jobs(c, "SELECT * FROM jobs WHERE id = ANY(?)", Sql.uuids(c, ids)));
    }

    /** The jobs finished since {@code since} by their nodes' clocks, newest first, at most a thousand. */
    List<Job> finishedSince(Instant since) {
        return read(c -> Sql.jobs(c, "SELECT * FROM jobs WHERE finished_at >= ? ORDER BY finished_at DESC LIMIT ?",
                since, CATCH_UP_LIMIT));
    }

    @Override
    public Page<Job> list(JobQuery query) {
        JobListing.Select select = JobListing.select(query);
        return read(c -> Sql.query(c, select.sql(), rs -> JobListing.page(rs, query.limit(), Sql.CELLS),
                select.args()));
    }

    @Override
    public Optional<Batch> batch(UUID id) {
        return read(c -> {
            List<Job> items = Sql.jobs(c, "SELECT * FROM jobs WHERE batch_id = ? ORDER BY seq", id);
            return Optional.ofNullable(Sql.query(c, "SELECT * FROM batches WHERE id = ?",
                    rs -> JobListing.batch(rs, id, items, Sql.CELLS), id));
        });
    }

    @Override
    public Optional<Job> delete(UUID id) {
        // Not a state change: no listener call. Durable: the caller deletes the job's files next.
        return first(transaction(c -> Sql.jobs(c, "DELETE FROM jobs WHERE id = ? RETURNING *", id), true, false));
    }

    @Override
    public List<Job> deleteFinishedBefore(Instant cutoff, int limit) {
        // Durable: the caller deletes the jobs' files next, which must not outlive a row that comes back.
        return transaction(c -> {
            List<Job> deleted = Sql.jobs(c, "DELETE FROM jobs WHERE seq IN (SELECT seq FROM jobs"
                    + " WHERE finished_at < ? AND status IN ('DONE', 'FAILED') ORDER BY finished_at LIMIT ?)"
                    + " RETURNING *", cutoff, limit);
            Sql.update(c, "DELETE FROM batches WHERE created_at < ? AND NOT EXISTS"
                    + " (SELECT 1 FROM jobs WHERE jobs.batch_id = batches.id)", cutoff);
            return deleted;
        }, true, false);
    }

    @Override
    public boolean references(String sha256) {
        return read(c -> Sql.number(c, "SELECT CASE WHEN EXISTS (SELECT 1 FROM jobs WHERE source_sha256 = ?)"
                + " OR EXISTS (SELECT 1 FROM jobs WHERE result_sha256 = ?)"
                + " OR EXISTS (SELECT 1 FROM jobs WHERE fallback_sha256 = ?) THEN 1 ELSE 0 END",
                sha256, sha256, sha256) == 1);
    }

    @Override
    public Set<String> referencedHashes() {
        return read(c -> Sql.query(c, "SELECT source_sha256 FROM jobs WHERE source_sha256 IS NOT NULL"
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
        return read(c -> Sql.number(c, "SELECT COUNT(*) FROM jobs WHERE status = ?", status.name()));
    }

    /** False at once while the database is known to be unreachable: a probe finds out when it is back. */
    @Override
    public boolean ping() {
        if (unreachable) {
            return false;
        }
        try {
            return read(c -> Sql.number(c, "SELECT 1")) == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Rewrites a row with what it holds. While the database is unreachable, on a connection of its own: a refused
     * connection fails at once, where the pool would wait for one to be made.
     */
    @Override
    public void probeWrite() {
        String probe = "UPDATE schema_version SET applied_at = applied_at"
                + " WHERE version = (SELECT MAX(version) FROM schema_version)";
        if (!unreachable) {
            write(c -> {
                Sql.update(c, probe);
                return List.of();
            });
            return;
        }
        try (Connection c = database.connect()) {
            Sql.update(c, probe);
        } catch (SQLException e) {
            throw failed(e);
        }
        reachable();
    }

    /** PostgreSQL checks its own pages as it reads them; a damaged one fails the read (see {@link #failed}). */
    @Override
    public List<String> integrityProblems() {
        return List.of();
    }

    @Override
    public void listen(RemoteChanges remote) {
        NotificationListener started = new NotificationListener(database, channel, sender, remote,
                new NotificationListener.Reader() {
                    @Override
                    public List<Job> jobs(Collection<UUID> ids) {
                        return PostgresJobStore.this.jobs(ids);
                    }

                    @Override
                    public List<Job> finishedSince(Instant since) {
                        return PostgresJobStore.this.finishedSince(since);
                    }
                });
        started.start();
        listener = started;
    }

    @Override
    public boolean leadsJanitor() {
        return locks.leadsJanitor();
    }

    /** Stops listening, sends the notifications still pending, lets go of the node's locks and closes the pool. */
    @Override
    public void close() {
        NotificationListener listening = listener;
        if (listening != null) {
            listening.close();
        }
        notifier.close();
        locks.close();
        database.close();
    }

    /** One statement (or several) changing jobs, committed without waiting for the log's flush, then reported. */
    private List<Job> write(Sql.Work<List<Job>> work) {
        List<Job> changed;
        try (Connection c = connection()) {
            changed = work.run(c);
        } catch (SQLException e) {
            throw failed(e);
        }
        reachable();
        health.wrote();
        report(changed);
        return changed;
    }

    private List<Job> transaction(Sql.Work<List<Job>> work, boolean durable) {
        return transaction(work, durable, true);
    }

    /**
     * A transaction. {@code durable}: its commit is flushed to the log (and to synchronous standbys) before this
     * returns, for the commits a caller is told of, such as a job accepted or deleted. {@code report}: its jobs are
     * state changes, reported to this node and told to the others.
     */
    private List<Job> transaction(Sql.Work<List<Job>> work, boolean durable, boolean report) {
        List<Job> changed;
        try (Connection c = connection()) {
            c.setAutoCommit(false);
            try {
                if (durable) {
                    Sql.update(c, "SET LOCAL synchronous_commit = on");
                }
                changed = work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                rollback(c);
                throw e;
            }
        } catch (SQLException e) {
            throw failed(e);
        }
        reachable();
        health.wrote();
        if (report) {
            report(changed);
        }
        return changed;
    }

    private <T> T read(Sql.Work<T> work) {
        T result;
        try (Connection c = connection()) {
            result = work.run(c);
        } catch (SQLException e) {
            throw failed(e);
        }
        reachable();
        return result;
    }

    /** Reports committed changes to this node, and tells the others what finished and whether jobs were queued. */
    private void report(List<Job> changed) {
        if (changed.isEmpty()) {
            return;
        }
        changed.forEach(changes);
        List<UUID> finished = new ArrayList<>();
        boolean queued = false;
        for (Job job : changed) {
            if (job.status().isFinished()) {
                finished.add(job.id());
            } else if (job.status() == JobStatus.QUEUED) {
                queued = true;
            }
        }
        if (queued) {
            notifier.queued();
        }
        if (!finished.isEmpty()) {
            notifier.finished(finished);
        }
    }

    /** A connection of the pool; at once {@code io_error} while the database is known to be unreachable. */
    private Connection connection() throws SQLException {
        if (unreachable) {
            throw new StoreException(UNREACHABLE, null);
        }
        return database.pool().getConnection();
    }

    /** A call got through: the store's health logs that the database works again once a write does. */
    private void reachable() {
        unreachable = false;
    }

    private static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            // The connection is broken; the pool drops it, and the transaction with it.
        }
    }

    /** Tells the store's health of a failure of the database, and makes it an exception. */
    private StoreException failed(SQLException e) {
        StoreException failure = new StoreException("the job database failed: " + PostgresFailures.describe(e), e);
        if (PostgresFailures.isCorruption(e)) {
            health.damaged(e.getMessage());
        }
        if (PostgresFailures.isStorageFailure(e)) {
            health.failed(failure);
        }
        if (PostgresFailures.isConnectionLost(e)) {
            unreachable = true;
        }
        return failure;
    }

    /** The store's clock for a statement: null (the database's) or the caller's {@code now}. */
    private Sql.Moment clock(Instant now) {
        return new Sql.Moment(databaseClock ? null : now);
    }

    private static <T> Optional<T> first(List<T> items) {
        return items.isEmpty() ? Optional.empty() : Optional.of(items.get(0));
    }
}
